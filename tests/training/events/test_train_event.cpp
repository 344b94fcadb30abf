// TrainEvent JSON lines: round trips, non-finite numbers, odd text, and
// lines that are not events (which must come back as errors, not throws).

#include <cmath>
#include <string>
#include <vector>

#include <QtTest>

#include "training/events/TrainEvent.h"

class TestTrainEvent : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void roundTripsEveryKind() {
    for (auto kind : {moon::TrainEventKind::Started, moon::TrainEventKind::Step, moon::TrainEventKind::Eval,
                      moon::TrainEventKind::Checkpoint, moon::TrainEventKind::Stopped, moon::TrainEventKind::Completed,
                      moon::TrainEventKind::Error, moon::TrainEventKind::Log}) {
      auto e = moon::TrainEvent::make(kind, 123456789012LL);
      e.numbers["loss"] = 1.0 / 3.0;
      e.numbers["lr"] = 3e-4;
      e.numbers["eta_s"] = 12.5;
      e.strings["message"] = "quote \" backslash \\ newline \n tab \t unicode τ→∞";
      e.strings["path"] = "/runs/7/ckpt-100.safetensors";
      const std::string line = e.toJsonLine();
      QVERIFY(line.find('\n') == std::string::npos);
      const auto parsed = moon::parseTrainEvent(line);
      QVERIFY2(parsed.ok(), parsed.error.c_str());
      QVERIFY(parsed.error.empty());
      QCOMPARE(parsed.event->kind, kind);
      QCOMPARE(parsed.event->step, e.step);
      QCOMPARE(parsed.event->wallTime, e.wallTime);  // exact: JSON doubles round-trip
      QCOMPARE(parsed.event->numbers, e.numbers);
      QCOMPARE(parsed.event->strings, e.strings);
      QCOMPARE(moon::parseTrainEventKind(moon::trainEventKindName(kind)), std::optional(kind));
    }
  }

  void wallTimeIsNow() {
    const auto e = moon::TrainEvent::make(moon::TrainEventKind::Step, 1);
    QVERIFY(e.wallTime > 1.6e9);  // after 2020
    QVERIFY(std::fabs(e.wallTime - moon::wallClockSeconds()) < 60.0);
  }

  void nonFiniteNumbersRoundTrip() {
    moon::TrainEvent e;
    e.kind = moon::TrainEventKind::Error;
    e.numbers["loss"] = std::nan("");
    e.numbers["grad_norm"] = INFINITY;
    e.numbers["min"] = -INFINITY;
    const auto parsed = moon::parseTrainEvent(e.toJsonLine());
    QVERIFY2(parsed.ok(), parsed.error.c_str());
    QVERIFY(std::isnan(parsed.event->number("loss")));
    QCOMPARE(parsed.event->number("grad_norm"), double(INFINITY));
    QCOMPARE(parsed.event->number("min"), -double(INFINITY));
    // Other writers emit null for NaN.
    const auto fromNull = moon::parseTrainEvent(R"({"event":"step","numbers":{"loss":null}})");
    QVERIFY(fromNull.ok() && std::isnan(fromNull.event->number("loss")));
  }

  void accessorsFallBack() {
    moon::TrainEvent e;
    e.numbers["kl"] = 0.5;
    e.strings["message"] = "hi";
    QCOMPARE(e.number("kl"), 0.5);
    QVERIFY(std::isnan(e.number("absent")));
    QCOMPARE(e.number("absent", -1.0), -1.0);
    QCOMPARE(e.text("message"), std::string("hi"));
    QCOMPARE(e.text("absent", "x"), std::string("x"));
    QVERIFY(e.has("kl") && e.has("message") && !e.has("absent"));
  }

  void invalidUtf8IsReplacedNotThrown() {
    moon::TrainEvent e;
    e.strings["path"] = std::string("/data/caf\xe9/\xff.png");  // Latin-1 bytes from a file name
    const std::string line = e.toJsonLine();
    const auto parsed = moon::parseTrainEvent(line);
    QVERIFY2(parsed.ok(), parsed.error.c_str());
    QVERIFY(parsed.event->text("path").find("\xEF\xBF\xBD") != std::string::npos);  // U+FFFD
  }

  void toleratesWhitespaceAndUnknownKeys() {
    const auto parsed =
        moon::parseTrainEvent("  {\"event\":\"eval\",\"step\":40,\"extra\":[1,2],\"numbers\":{\"r@10\":0.5}}\r\n");
    QVERIFY2(parsed.ok(), parsed.error.c_str());
    QCOMPARE(parsed.event->kind, moon::TrainEventKind::Eval);
    QCOMPARE(parsed.event->step, int64_t(40));
    QCOMPARE(parsed.event->number("r@10"), 0.5);
    QVERIFY(moon::parseTrainEvent(R"({"event":"step","step":7.0})").ok());
  }

  void malformedLinesAreErrors() {
    const std::vector<std::string> lines = {
        "",
        "   \r\n",
        "Loading dataset...",
        "{\"event\":\"step\",\"st",  // truncated write (not a raw string: moc misreads it)
        "[1,2,3]",
        "42",
        R"({"step":3})",
        R"({"event":5})",
        R"({"event":"explode"})",
        R"({"event":"step","step":"3"})",
        R"({"event":"step","step":3.5})",
        R"({"event":"step","time":"noon"})",
        R"({"event":"step","numbers":[1]})",
        R"({"event":"step","numbers":{"loss":"low"}})",
        R"({"event":"step","numbers":{"loss":{}}})",
        R"({"event":"log","strings":{"message":3}})",
        "{\"event\":\"log\",\"strings\":{\"m\":\"\xff\"}}",  // invalid UTF-8
    };
    for (const auto& line : lines) {
      const auto parsed = moon::parseTrainEvent(line);
      QVERIFY2(!parsed.ok(), line.c_str());
      QVERIFY2(!parsed.error.empty(), line.c_str());
    }
  }
};

QTEST_APPLESS_MAIN(TestTrainEvent)
#include "test_train_event.moc"
