#include <QTemporaryDir>
#include <QtTest>

#include "TestFiles.h"
#include "core/base/Logging.h"

using namespace moon;

namespace {
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

class TestLogging : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { setStderrLogLevel(spdlog::level::off); }

  void runLogReceivesEveryLayerUntilClosed() {
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/train.log";
    log::core()->warn("before the run log");  // "core" exists before the file sink
    {
      auto handle = openRunLogFile(path);
      log::core()->warn("core line");
      log::model()->warn("model line");
      log::training()->error("training line");
      log::views()->warn("views line");  // first use of "views": created after the sink
      log::app()->warn("app line");
    }
    log::training()->warn("after the run log");

    const std::string text = test::readAll(path);
    for (const char* layer : {"core", "model", "training", "views", "app"}) {
      QVERIFY2(contains(text, std::string("[") + layer + "]"), text.c_str());
      QVERIFY2(contains(text, std::string(layer) + " line"), text.c_str());
    }
    QVERIFY2(!contains(text, "before the run log"), text.c_str());
    QVERIFY2(!contains(text, "after the run log"), text.c_str());
  }

  void eachRunHasItsOwnFile() {
    QTemporaryDir dir;
    const std::string first = dir.path().toStdString() + "/1.log";
    const std::string second = dir.path().toStdString() + "/2.log";
    {
      auto a = openRunLogFile(first);
      log::training()->warn("step of run one");
    }
    {
      auto b = openRunLogFile(second);
      log::training()->warn("step of run two");
    }
    QVERIFY(contains(test::readAll(first), "run one") && !contains(test::readAll(first), "run two"));
    QVERIFY(contains(test::readAll(second), "run two") && !contains(test::readAll(second), "run one"));
    // Reopening appends instead of truncating (a resumed run keeps its history).
    {
      auto again = openRunLogFile(first);
      log::training()->warn("resumed");
    }
    QVERIFY(contains(test::readAll(first), "run one") && contains(test::readAll(first), "resumed"));
  }

  void sameLoggerPerLayer() {
    QCOMPARE(log::core().get(), logger("core").get());
    QVERIFY(log::core().get() != log::model().get());
    QCOMPARE(log::model()->name(), std::string("model"));
  }
};

QTEST_GUILESS_MAIN(TestLogging)
#include "test_logging.moc"
