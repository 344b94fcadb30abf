// The Debian package as a lab would install it (packaging/Package.cmake): it
// is built with cpack from this build folder into a temporary folder, then
// read with dpkg-deb: its files, its Depends, and the `moon` inside it.
#include <QDirIterator>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "TestPaths.h"

namespace {

struct Result {
  int exitCode = -1;
  QString out;
  QString err;
};

Result run(const QString& program, const QStringList& args, int timeoutMs = 600000) {
  QProcess p;
  p.start(program, args);
  if (!p.waitForStarted(10000) || !p.waitForFinished(timeoutMs)) return {};
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
}

QString readFile(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

}  // namespace

class TestDebianPackage : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString deb_;
  QString root_;  // the package unpacked

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    QString cpack = qEnvironmentVariable("MOON_CPACK");
    if (cpack.isEmpty()) cpack = QStandardPaths::findExecutable(QStringLiteral("cpack"));
    const auto made = run(cpack, {"--config", QStringLiteral(MOON_BINARY_DIR "/CPackConfig.cmake"), "-B", dir_.path()});
    QVERIFY2(made.exitCode == 0, qPrintable(made.out + made.err));
    const auto debs = QDir(dir_.path()).entryList({QStringLiteral("*.deb")}, QDir::Files);
    QCOMPARE(debs.size(), 1);
    deb_ = dir_.filePath(debs.first());
    root_ = dir_.filePath(QStringLiteral("root"));
    QCOMPARE(run(QStringLiteral("dpkg-deb"), {"-x", deb_, root_}).exitCode, 0);
  }

  void nameSaysPackageVersionAndArchitecture() {
    QVERIFY2(QRegularExpression(QStringLiteral("^moon-workbench_\\d+\\.\\d+\\.\\d+_amd64\\.deb$"))
                 .match(QFileInfo(deb_).fileName())
                 .hasMatch(),
             qPrintable(deb_));
    QCOMPARE(run(QStringLiteral("dpkg-deb"), {"-f", deb_, "Package"}).out.trimmed(), QStringLiteral("moon-workbench"));
  }

  void holdsTheApplicationAndNothingForDevelopers() {
    const QString list = run(QStringLiteral("dpkg-deb"), {"-c", deb_}).out;
    for (const char* file :
         {"./usr/bin/moon", "./usr/bin/moon-workbench", "./usr/share/applications/moon-workbench.desktop",
          "./usr/share/icons/hicolor/scalable/apps/moon-workbench.svg", "./usr/share/bash-completion/completions/moon",
          "./usr/share/doc/moon-workbench/README.md"})
      QVERIFY2(list.contains(QLatin1String(file)), file);
    // Our libraries are linked into the executables: no headers, static libraries or build files ship.
    for (const char* leak : {"/include/", ".a\n", ".cmake", "CMakeFiles"}) QVERIFY2(!list.contains(leak), leak);
  }

  void dependsOnRuntimePackagesOnly() {
    const QString depends = run(QStringLiteral("dpkg-deb"), {"-f", deb_, "Depends"}).out.trimmed();
    QVERIFY(!depends.isEmpty());
    QStringList names;
    for (const QString& alternatives : depends.split(QLatin1Char(',')))
      for (const QString& dep : alternatives.split(QLatin1Char('|')))
        names << dep.trimmed().section(QLatin1Char(' '), 0, 0);
    for (const QString& n : names) QVERIFY2(!n.endsWith(QLatin1String("-dev")), qPrintable(n + " in " + depends));
    // Found by dpkg-shlibdeps from what the executables link, plus the BLAS LibTorch should use.
    for (const char* expected :
         {"libtorch1.13", "libqt6widgets6", "libopencv-core406", "libsqlite3-0", "libopenblas0-pthread"})
      QVERIFY2(names.contains(QLatin1String(expected)), qPrintable(QLatin1String(expected) + " not in " + depends));
  }

  void desktopEntryLaunchesTheWorkbenchOnAFolder() {
    const QString entry = readFile(root_ + "/usr/share/applications/moon-workbench.desktop");
    QVERIFY(entry.startsWith(QLatin1String("[Desktop Entry]\n")));
    QVERIFY(entry.contains(QLatin1String("\nExec=moon-workbench %f\n")));
    QVERIFY(entry.contains(QLatin1String("\nIcon=moon-workbench\n")));  // the installed icon's name
    QVERIFY(entry.contains(QLatin1String("\nType=Application\n")));
    QVERIFY(readFile(root_ + "/usr/share/icons/hicolor/scalable/apps/moon-workbench.svg").contains("<svg"));
    QVERIFY(readFile(root_ + "/usr/share/bash-completion/completions/moon").contains("complete -F _moon moon"));
  }

  void packagedMoonRunsAndSaysItsVersion() {
    const QString version = run(root_ + "/usr/bin/moon", {"--version"}).out;
    QVERIFY2(version.startsWith(QLatin1String("moon ")) && version.contains(QLatin1String("LibTorch")),
             qPrintable(version));
    // The same binary the build made, stripped: same version report.
    QCOMPARE(version, run(QStringLiteral(MOON_CLI_PATH), {"--version"}).out);
  }
};

QTEST_GUILESS_MAIN(TestDebianPackage)
#include "test_debian_package.moc"
