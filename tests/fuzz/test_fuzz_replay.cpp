// Runs every fuzz harness over its seed corpus and over every input that
// once made it fail (regressions/<target>/, each named after its finding).
// A harness aborts on a broken invariant and lets unexpected exceptions
// escape, so a finding that comes back fails (or crashes) this test.
#include <QtTest>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "FuzzTargets.h"
#include "TestPaths.h"

namespace fs = std::filesystem;

class FuzzReplayTest : public QObject {
  Q_OBJECT

 private:
  static std::vector<std::string> inputsOf(const fs::path& dir) {
    std::vector<std::string> files;
    if (!fs::is_directory(dir)) return files;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file()) files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    return files;
  }

  static void addRows(const char* folder) {
    QTest::addColumn<int>("target");
    QTest::addColumn<QString>("file");
    const auto& targets = moon::fuzz::fuzzTargets();
    for (size_t t = 0; t < targets.size(); ++t)
      for (const std::string& file : inputsOf(fs::path(MOON_TESTS_DIR) / "fuzz" / folder / targets[t].name))
        QTest::addRow("%s/%s", targets[t].name, fs::path(file).filename().string().c_str())
            << int(t) << QString::fromStdString(file);
  }

  static std::vector<uint8_t> bytesOf(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }

  // Replays the row's file; true when the target's reader accepted it.
  static bool replay() {
    QFETCH(int, target);
    QFETCH(QString, file);
    if (!fs::is_regular_file(file.toStdString())) {
      QTest::qFail(qPrintable("cannot read " + file), __FILE__, __LINE__);
      return false;
    }
    const std::vector<uint8_t> bytes = bytesOf(file.toStdString());
    return moon::fuzz::fuzzTargets()[size_t(target)].run(bytes.data(), bytes.size());
  }

  struct SeedCount {
    int seeds = 0;
    int accepted = 0;
  };
  std::map<std::string, SeedCount> seedCounts_;  // per target, filled by seeds()

 private Q_SLOTS:
  void seeds_data() { addRows("corpus"); }
  void seeds() {
    QFETCH(int, target);
    SeedCount& count = seedCounts_[moon::fuzz::fuzzTargets()[size_t(target)].name];
    ++count.seeds;
    count.accepted += replay() ? 1 : 0;
  }

  // Each target has seeds (a fuzzer started from nothing rarely gets past the
  // first check of a structured format), some its reader accepts (or the
  // checks of what it returns never run) and some it rejects. Runs after seeds().
  void everyTargetHasSeedsItsReaderAcceptsAndRejects() {
    for (const auto& target : moon::fuzz::fuzzTargets()) {
      const SeedCount count = seedCounts_[target.name];
      QVERIFY2(count.seeds >= 2, target.name);
      QVERIFY2(count.accepted >= 1, qPrintable(QString("no seed of %1 is accepted by its reader").arg(target.name)));
      QVERIFY2(count.accepted < count.seeds,
               qPrintable(QString("every seed of %1 is accepted; add a rejected one").arg(target.name)));
    }
  }

  void regressions_data() { addRows("regressions"); }
  void regressions() { replay(); }  // accepted or rejected, but cleanly
};

QTEST_GUILESS_MAIN(FuzzReplayTest)
#include "test_fuzz_replay.moc"
