// `moon completion bash` and `moon --version`, run as a user would: the
// script is sourced into bash and asked to complete partial command lines.
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "TestPaths.h"

namespace {

QString run(const QString& program, const QStringList& args, int* exitCode = nullptr) {
  QProcess p;
  p.start(program, args);
  if (!p.waitForStarted(10000) || !p.waitForFinished(60000)) return {};
  if (exitCode) *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  return QString::fromUtf8(p.readAllStandardOutput());
}

}  // namespace

class TestCliCompletion : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString script_;

  // What bash offers for `words` with the cursor at the end of the last one.
  QStringList complete(const QStringList& words) {
    QStringList quoted;
    for (const auto& w : words) quoted << QLatin1Char('\'') + w + QLatin1Char('\'');
    const QString body = QStringLiteral(
                             "source '%1'; COMP_WORDS=(%2); COMP_CWORD=%3; _moon; "
                             "printf '%s\\n' \"${COMPREPLY[@]}\"")
                             .arg(script_, quoted.join(QLatin1Char(' ')))
                             .arg(words.size() - 1);
    QStringList out = run(QStringLiteral("bash"), {QStringLiteral("-c"), body}).split('\n', Qt::SkipEmptyParts);
    out.sort();
    return out;
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    script_ = dir_.filePath(QStringLiteral("moon.bash"));
    int code = -1;
    run(MOON_CLI_PATH, {"completion", "bash", "--output", script_}, &code);
    QCOMPARE(code, 0);
    QFile f(script_);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().contains("complete -F _moon moon"));
  }

  void offersEverySubcommandTheHelpLists() {
    // The CLI's own help is the reference: every subcommand it lists is offered.
    const QString help = run(MOON_CLI_PATH, {"--help"});
    const auto offered = complete({"moon", ""});
    QRegularExpression row(QStringLiteral("^  (\\w+)\\s"), QRegularExpression::MultilineOption);
    int listed = 0;
    for (auto it = row.globalMatch(help.mid(help.indexOf(QStringLiteral("Subcommands:")))); it.hasNext(); ++listed) {
      const QString name = it.next().captured(1);
      QVERIFY2(offered.contains(name), qPrintable(name + " not in " + offered.join(' ')));
    }
    QVERIFY2(listed >= 5, qPrintable(help));
    QCOMPARE(complete({"moon", "da"}), QStringList{QStringLiteral("data")});
  }

  void completesSubcommandsAndOptionsAtEachLevel() {
    QCOMPARE(complete({"moon", "data", "s"}), (QStringList{QStringLiteral("sheet"), QStringLiteral("synth")}));
    QCOMPARE(complete({"moon", "train", "--pre"}), QStringList{QStringLiteral("--preset")});
    QCOMPARE(complete({"moon", "--vers"}), QStringList{QStringLiteral("--version")});
    // Options belong to their subcommand: train's are not offered under eval.
    QVERIFY(!complete({"moon", "eval", "--"}).contains(QStringLiteral("--preset")));
    QVERIFY(complete({"moon", "eval", "--"}).contains(QStringLiteral("--workspace")));
  }

  void optionValuesCompleteAsFileNames() {
    QVERIFY(QDir(dir_.path()).mkpath(QStringLiteral("workspace-a")));
    const QString prefix = dir_.filePath(QStringLiteral("workspace-"));
    QCOMPARE(complete({"moon", "eval", "--workspace", prefix}), QStringList{prefix + QStringLiteral("a")});
    // After a flag, no value is expected: subcommand names again, not files.
    QCOMPARE(complete({"moon", "workspace", "runs", "--json", "--js"}), QStringList{QStringLiteral("--json")});
  }

  void versionNamesTheBuildAndLibTorch() {
    int code = -1;
    const QString v = run(MOON_CLI_PATH, {"--version"}, &code);
    QCOMPARE(code, 0);
    QVERIFY2(
        QRegularExpression(QStringLiteral("^moon \\d+\\.\\d+\\.\\d+ \\(commit ([0-9a-f]{12}(-modified)?|unknown)\\)\n"
                                          "LibTorch \\d+\\.\\d+\\.\\d+ \\((CPU only|CUDA, .+)\\)\n$"))
            .match(v)
            .hasMatch(),
        qPrintable(v));
  }
};

QTEST_GUILESS_MAIN(TestCliCompletion)
#include "test_cli_completion.moc"
