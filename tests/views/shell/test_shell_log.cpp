#include <QAbstractItemModelTester>
#include <QColor>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QThread>

#include <thread>

#include "core/base/Logging.h"
#include "views/common/LogFilterModel.h"
#include "views/common/LogForwarder.h"
#include "views/common/LogModel.h"
#include "views/common/LogView.h"

using namespace moon;

namespace {

constexpr int kInfo = 2, kWarn = 3, kError = 4;

LogLines makeLines(int first, int count, int level = kInfo) {
  LogLines out;
  for (int i = first; i < first + count; ++i)
    out.push_back({1700000000000 + i, level, QStringLiteral("core"), QStringLiteral("line %1").arg(i)});
  return out;
}

QString message(const QAbstractItemModel& m, int row) {
  return m.index(row, LogModel::MessageColumn).data().toString();
}

}  // namespace

class TestShellLog : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    initLogging();
    setStderrLogLevel(spdlog::level::off);  // the lines under test need not reach the console
    log::training()->set_level(spdlog::level::trace);
    log::core()->set_level(spdlog::level::trace);
  }

  void forwarderDeliversWorkerThreadLinesOnTheGuiThread() {
    LogModel model(1000);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    LogForwarder forwarder;
    connect(&forwarder, &LogForwarder::linesArrived, &model, &LogModel::append);
    QSignalSpy arrived(&forwarder, &LogForwarder::linesArrived);
    QThread* deliveredOn = nullptr;
    connect(&forwarder, &LogForwarder::linesArrived, [&] { deliveredOn = QThread::currentThread(); });

    constexpr int kLines = 300;
    std::thread worker([] {
      for (int i = 0; i < kLines; ++i) {
        if (i % 100 == 99)
          log::training()->warn("step {} slow", i);
        else
          log::training()->info("step {}", i);
      }
    });
    worker.join();
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kLines, 10000);

    QCOMPARE(deliveredOn, QThread::currentThread());
    QVERIFY2(arrived.count() < kLines, "lines logged in a burst are delivered in batches");
    QCOMPARE(message(model, 0), QStringLiteral("step 0"));
    QCOMPARE(message(model, kLines - 1), QStringLiteral("step 299 slow"));
    QCOMPARE(model.index(0, LogModel::LoggerColumn).data().toString(), QStringLiteral("training"));
    QCOMPARE(model.index(99, LogModel::LevelColumn).data().toString(), QStringLiteral("warning"));
    QCOMPARE(model.index(99, 0).data(LogModel::LevelRole).toInt(), kWarn);
  }

  void noLinesAfterTheForwarderIsGone() {
    LogModel model;
    {
      LogForwarder forwarder;
      connect(&forwarder, &LogForwarder::linesArrived, &model, &LogModel::append);
      log::core()->error("kept");
      QTRY_COMPARE(model.rowCount(), 1);
      log::core()->error("queued but never delivered");
    }
    std::thread worker([] { log::core()->error("after"); });
    worker.join();
    QTest::qWait(50);
    QCOMPARE(model.rowCount(), 1);
  }

  void modelKeepsOnlyTheNewestLines() {
    LogModel model(10);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(makeLines(0, 3));
    QCOMPARE(model.rowCount(), 3);
    model.append(makeLines(3, 20));  // a batch larger than the cap
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(message(model, 0), QStringLiteral("line 13"));
    model.append(makeLines(23, 2));
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(message(model, 0), QStringLiteral("line 15"));
    QCOMPARE(message(model, 9), QStringLiteral("line 24"));
    model.setMaxLines(4);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(message(model, 0), QStringLiteral("line 21"));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
  }

  void linesAreColouredByLevel() {
    LogModel model;
    model.append(makeLines(0, 1, kInfo) + makeLines(1, 1, kWarn) + makeLines(2, 1, kError));
    const QVariant info = model.index(0, LogModel::MessageColumn).data(Qt::ForegroundRole);
    const QVariant warn = model.index(1, LogModel::MessageColumn).data(Qt::ForegroundRole);
    const QVariant error = model.index(2, LogModel::MessageColumn).data(Qt::ForegroundRole);
    QVERIFY(!info.isValid());  // default text colour
    QVERIFY(warn.isValid() && error.isValid());
    QVERIFY(warn.value<QBrush>().color() != error.value<QBrush>().color());
    QVERIFY(error.value<QBrush>().color().red() > error.value<QBrush>().color().green());
  }

  void filterByLevelAndText() {
    LogModel model;
    LogFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(makeLines(0, 5, kInfo) + makeLines(5, 3, kWarn) + makeLines(8, 2, kError));
    QCOMPARE(filter.rowCount(), 10);
    filter.setMinimumLevel(kWarn);
    QCOMPARE(filter.rowCount(), 5);
    filter.setText(QStringLiteral("LINE 9"));
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(message(filter, 0), QStringLiteral("line 9"));
    filter.setText({});
    filter.setMinimumLevel(kError);
    QCOMPARE(filter.rowCount(), 2);
    model.append(makeLines(10, 1, kError));  // rows arriving while filtered
    QCOMPARE(filter.rowCount(), 3);
  }

  void logViewLevelChoiceFiltersTheTable() {
    LogModel model;
    model.append(makeLines(0, 4, kInfo) + makeLines(4, 1, kError));
    LogView view(&model);
    QCOMPARE(view.table()->model()->rowCount(), 5);  // default: info and above
    view.setMinimumLevel(kError);
    QCOMPARE(view.table()->model()->rowCount(), 1);
  }
};

QTEST_MAIN(TestShellLog)
#include "test_shell_log.moc"
