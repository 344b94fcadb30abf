#pragma once

// Runs the built `moon` executable as a user would and collects what it said.

#include <QProcess>
#include <QString>
#include <QStringList>

#include "TestPaths.h"

namespace moon::test {

struct MoonResult {
  int exitCode = -1;  // -1: did not start, crashed or timed out
  QString out;
  QString err;
};

inline MoonResult runMoon(const QStringList& args, int timeoutMs = 60000) {
  QProcess p;
  p.start(MOON_CLI_PATH, args);
  if (!p.waitForStarted(10000) || !p.waitForFinished(timeoutMs)) return {};
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace moon::test
