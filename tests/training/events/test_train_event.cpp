// TrainEvent JSON lines: round trips, non-finite numbers, odd text, and
// lines that are not events (which must come back as errors, not throws).

#include <cmath>
#include <string>
#include <vector>

#include <QtTest>

#include "core/base/Error.h"
#include "training/events/TrainEvent.h"
#include "training/events/ValidationSamples.h"

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

  void cosineHistogramBinsAndMean() {
    // 4 bins of [-1, 1]: [-1,-.5) [-.5,0) [0,.5) [.5,1]; out-of-range values land in the end bins, NaN is left out.
    const auto h = moon::CosineHistogram::of({-1.0f, -0.25f, 0.1f, 0.2f, 1.0f, 3.0f, NAN, -7.0f}, 4);
    QCOMPARE(h.counts, (std::vector<int64_t>{2, 1, 2, 2}));
    QCOMPARE(h.total, int64_t(7));
    QVERIFY(std::abs(h.mean - (-1 - 0.25 + 0.1 + 0.2 + 1 + 3 - 7) / 7.0) < 1e-6);
    QCOMPARE(h.binWidth(), 0.5);
    QCOMPARE(h.binCentre(0), -0.75);
    QCOMPARE(h.binCentre(3), 0.75);
    QCOMPARE(moon::CosineHistogram::of({}, 10).total, int64_t(0));
  }

  void validationSamplesRoundTripAndCsv() {
    moon::ValidationSamples v;
    v.step = 250;
    v.cosines["positive"] = moon::CosineHistogram::of({0.5f, 0.75f}, 8);
    v.cosines["other"] = moon::CosineHistogram::of({-0.1f, 0.0f, 0.2f}, 8);
    moon::TraceGroup g;
    g.query = "query:7";
    g.title = "red, cotton \"shirt\"";
    g.image = "images/queries/q00007.jpg";
    g.positive = "p00012";
    g.labels = {{"color", "red"}, {"material", "cotton"}};
    for (int i = 0; i < 3; ++i) {
      moon::SampledTrace t;
      t.trace = i == 0 ? "color: red; material: cotton" : "color: blue";
      t.closed = i != 2;
      t.tokens = 7 + i;
      t.rank = 1 + 10 * i;
      t.reward = {1.0, 1.0, 0.5 - 0.1 * i, 0.0, 1.2 - 0.1 * i};
      t.advantage = 1.0 - i;
      g.samples.push_back(t);
    }
    v.groups.push_back(g);
    const auto back = moon::ValidationSamples::fromJson(nlohmann::json::parse(v.toJson().dump()));
    QCOMPARE(back.toJson(), v.toJson());
    QCOMPARE(back.groups.at(0).samples.at(2).closed, false);
    QCOMPARE(back.cosines.at("positive").counts, v.cosines.at("positive").counts);

    const std::string csv = v.traceGroupsCsv();
    QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), 4L);  // header + one row per sample
    QVERIFY2(csv.find("250,query:7,\"red, cotton \"\"shirt\"\"\",p00012,1,color: red; material: cotton,1,7,1,1.0,") !=
                 std::string::npos,
             csv.c_str());
    QVERIFY2(csv.find(",3,color: blue,0,9,21,") != std::string::npos, csv.c_str());

    // What does not read names the problem instead of throwing something else.
    auto broken = v.toJson();
    broken["groups"][0]["samples"][1].erase("reward");
    QVERIFY_THROWS_EXCEPTION(moon::FormatError, moon::ValidationSamples::fromJson(broken));
    auto noBins = v.toJson();
    noBins["cosines"]["positive"]["counts"] = nlohmann::json::array();
    QVERIFY_THROWS_EXCEPTION(moon::FormatError, moon::ValidationSamples::fromJson(noBins));
  }
};

QTEST_APPLESS_MAIN(TestTrainEvent)
#include "test_train_event.moc"
