#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

#include "TestFiles.h"
#include "core/base/AtomicFile.h"
#include "core/base/Error.h"

using namespace moon;
using moon::test::listFolder;
using moon::test::readAll;
using moon::test::writeAll;

class TestAtomicFile : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::string path(const char* name) const { return (dir_.path() + "/" + name).toStdString(); }

 private Q_SLOTS:
  void init() {
    for (const auto& name : listFolder(dir_.path().toStdString()))
      std::filesystem::remove_all(dir_.path().toStdString() + "/" + name);
  }

  void writesNewFileAndLeavesNoTemporary() {
    writeFileAtomically(path("a.bin"), std::string("hello\0world", 11));
    QCOMPARE(readAll(path("a.bin")), std::string("hello\0world", 11));
    QCOMPARE(listFolder(dir_.path().toStdString()), std::vector<std::string>{"a.bin"});
  }

  void replacesExistingFileKeepingItsPermissions() {
    writeAll(path("a.txt"), "old content that is longer");
    ::chmod(path("a.txt").c_str(), 0600);
    writeFileAtomically(path("a.txt"), "new");
    QCOMPARE(readAll(path("a.txt")), std::string("new"));
    struct stat st {};
    QCOMPARE(::stat(path("a.txt").c_str(), &st), 0);
    QCOMPARE(st.st_mode & 0777, 0600u);
  }

  void streamsSeveralWrites() {
    AtomicFile out(path("b.txt"));
    out.write("one ");
    out.write("two", 3);
    QVERIFY(!std::filesystem::exists(path("b.txt")));  // nothing visible before commit
    out.commit();
    QCOMPARE(readAll(path("b.txt")), std::string("one two"));
  }

  // An export that throws halfway must not leave a damaged file behind.
  void failureBeforeCommitKeepsOldFile() {
    writeAll(path("c.txt"), "old");
    try {
      AtomicFile out(path("c.txt"));
      out.write("partial new conte");
      throw std::runtime_error("simulated failure while producing the data");
    } catch (const std::runtime_error&) {
    }
    QCOMPARE(readAll(path("c.txt")), std::string("old"));
    QCOMPARE(listFolder(dir_.path().toStdString()), std::vector<std::string>{"c.txt"});
  }

  void failedRenameKeepsOldAndRemovesTemporary() {
    // The target is a non-empty folder, so rename() fails at commit time.
    std::filesystem::create_directory(path("target"));
    writeAll(path("target/keep.txt"), "kept");
    AtomicFile out(path("target"));
    out.write("data");
    try {
      out.commit();
      QFAIL("commit over a folder should fail");
    } catch (const IoError& e) {
      QVERIFY2(std::string(e.what()).find(path("target")) != std::string::npos, e.what());
    }
    QCOMPARE(readAll(path("target/keep.txt")), std::string("kept"));
    QCOMPARE(listFolder(dir_.path().toStdString()), std::vector<std::string>{"target"});
    QVERIFY_THROWS_EXCEPTION(IoError, out.write("more"));
  }

  void missingFolderNamesThePath() {
    try {
      writeFileAtomically(path("no/such/folder/x.bin"), "x");
      QFAIL("expected IoError");
    } catch (const IoError& e) {
      QVERIFY2(std::string(e.what()).find("no/such/folder/x.bin") != std::string::npos, e.what());
    }
  }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "test_atomic_file.moc"
