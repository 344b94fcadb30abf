#pragma once

#include <QSize>
#include <QString>
#include <QVariantMap>

class QApplication;

namespace moon {

struct WorkbenchOptions {
  QString workspace;       // empty: the last one opened, else WorkspaceLocation::defaultRoot()
  QString view;            // empty: the remembered (or first) view
  QString screenshotFile;  // non-empty: render `view` to this PNG and exit
  QSize size;              // invalid: remembered (or default) size
  int demoProducts = 0;    // size of the demo catalogue made in a new workspace; 0: the generator's default
  QVariantMap request;     // for `view`'s handleRequest once the workspace is open (--checkpoint, --triplet)
};

// "1280x800" → QSize; false for anything else.
bool parseWindowSize(const QString& text, QSize* size);

// The whole GUI session; returns the process exit status. 2 for a bad
// argument (an unknown view: the message lists the views), 1 for a failed
// screenshot, else the event loop's result.
int runWorkbench(QApplication& app, const WorkbenchOptions& options);

}  // namespace moon
