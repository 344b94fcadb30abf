// Warm-up + cosine / constant learning rates at key steps, and resuming a
// schedule from its saved state.

#include <cmath>

#include <QtTest>

#include "TensorCompare.h"
#include "core/base/Error.h"
#include "training/schedule/LrSchedule.h"

using moon::test::close;

class TestLrSchedule : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void cosineAtKeySteps() {
    moon::ScheduleConfig o;
    o.warmup_steps = 10;
    o.min_lr_ratio = 0.1;
    const moon::LrSchedule s(o, 2.0, 110);
    QVERIFY(close(s.lrAt(0), 0.2));  // first step already trains
    QVERIFY(close(s.lrAt(4), 1.0));
    QVERIFY(close(s.lrAt(9), 2.0));               // end of warm-up: peak
    QVERIFY(close(s.lrAt(10), 2.0));              // cosine starts at the peak
    QVERIFY(close(s.lrAt(60), 0.2 + 1.8 * 0.5));  // halfway down
    QVERIFY(close(s.lrAt(35), 0.2 + 1.8 * 0.5 * (1.0 + std::cos(M_PI * 0.25))));
    QVERIFY(close(s.lrAt(110), 0.2));
    QVERIFY(close(s.lrAt(5000), 0.2));  // flat at the floor past the end
    for (int step = 10; step < 110; ++step) QVERIFY(s.lrAt(step + 1) <= s.lrAt(step));
  }

  void constantAndNoWarmup() {
    moon::ScheduleConfig o;
    o.kind = "constant";
    o.warmup_steps = 4;
    const moon::LrSchedule s(o, 1e-3, 100);
    QVERIFY(close(s.lrAt(0), 0.25e-3));
    QVERIFY(close(s.lrAt(3), 1e-3));
    QVERIFY(close(s.lrAt(99), 1e-3));
    o.kind = "cosine";
    o.warmup_steps = 0;
    o.min_lr_ratio = 0.0;
    const moon::LrSchedule c(o, 1.0, 10);
    QVERIFY(close(c.lrAt(0), 1.0));
    QVERIFY(std::fabs(c.lrAt(10)) < 1e-12);
  }

  void warmupLongerThanTheRunEndsAtItsLastStep() {
    moon::ScheduleConfig o;
    o.warmup_steps = 50;  // the tiny preset's warm-up in a 10-step run
    const moon::LrSchedule s(o, 1.0, 10);
    QVERIFY(close(s.lrAt(0), 0.1));
    QVERIFY(close(s.lrAt(4), 0.5));
    QVERIFY(close(s.lrAt(9), 1.0));
    for (int step = 0; step < 9; ++step) QVERIFY(s.lrAt(step + 1) > s.lrAt(step));
  }

  void resumesFromSavedStep() {
    moon::ScheduleConfig o;
    o.warmup_steps = 3;
    moon::LrSchedule a(o, 1.0, 20);
    for (int i = 0; i < 7; ++i) a.advance();
    const auto saved = nlohmann::json::parse(a.state().dump());
    moon::LrSchedule b(o, 1.0, 20);
    b.loadState(saved);
    QCOMPARE(b.step(), int64_t(7));
    for (int i = 0; i < 15; ++i) {
      QCOMPARE(b.lr(), a.lr());
      a.advance();
      b.advance();
    }
  }

  void rejectsBadStateAndOptions() {
    moon::LrSchedule s(moon::ScheduleConfig{}, 1.0, 10);
    QVERIFY_THROWS_EXCEPTION(moon::FormatError, s.loadState(nlohmann::json::parse(R"({"step": -1})")));
    QVERIFY_THROWS_EXCEPTION(moon::FormatError, s.loadState(nlohmann::json::parse(R"({"step": "3"})")));
    QVERIFY_THROWS_EXCEPTION(moon::FormatError, s.loadState(nlohmann::json::parse("[3]")));
    QCOMPARE(s.step(), int64_t(0));
    moon::ScheduleConfig bad;
    bad.kind = "linear";
    QVERIFY_THROWS_EXCEPTION(moon::ConfigError, moon::LrSchedule(bad, 1.0, 10));
    QVERIFY_THROWS_EXCEPTION(moon::ConfigError, moon::LrSchedule(moon::ScheduleConfig{}, 1.0, 0));
  }
};

QTEST_APPLESS_MAIN(TestLrSchedule)
#include "test_lr_schedule.moc"
