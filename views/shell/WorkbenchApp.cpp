#include "views/shell/WorkbenchApp.h"

#include <QApplication>
#include <QDir>
#include <QRegularExpression>
#include <QSettings>

#include <cstdio>
#include <memory>

#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/synth/SynthOptions.h"
#include "views/common/LogForwarder.h"
#include "views/common/LogModel.h"
#include "views/common/Theme.h"
#include "views/common/WaitFor.h"
#include "views/common/WorkbenchView.h"
#include "views/shell/MainWindow.h"
#include "views/shell/Screenshot.h"
#include "views/shell/StandardViews.h"
#include "views/shell/WorkspaceController.h"

namespace moon {
namespace {

const QString kLastWorkspaceKey = QStringLiteral("workspace/last");

void printError(const QString& message) { std::fprintf(stderr, "moon-workbench: error: %s\n", qPrintable(message)); }

QString resolveWorkspace(const WorkbenchOptions& options, const QSettings& settings) {
  if (!options.workspace.isEmpty()) return options.workspace;
  const QString last = settings.value(kLastWorkspaceKey).toString();
  if (!last.isEmpty() && QDir(last).exists()) return last;
  return WorkspaceLocation::defaultRoot();
}

}  // namespace

bool parseWindowSize(const QString& text, QSize* size) {
  static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d{2,5})\\s*[xX]\\s*(\\d{2,5})\\s*$"));
  const QRegularExpressionMatch m = pattern.match(text);
  if (!m.hasMatch()) return false;
  *size = QSize(m.captured(1).toInt(), m.captured(2).toInt());
  return size->width() >= 200 && size->height() >= 150;
}

int runWorkbench(QApplication& app, const WorkbenchOptions& options) {
  initLogging();
  applyWorkbenchTheme(app);
  const bool batch = !options.screenshotFile.isEmpty();

  // Declared before the window so it outlives every job the window owns: a
  // worker may log until the window's destructor has joined it.
  LogForwarder forwarder;
  MainWindow window(standardViews());
  if (!options.view.isEmpty() && !window.view(options.view)) {
    printError(QStringLiteral("unknown view '%1'; the views are: %2")
                   .arg(options.view, window.viewIds().join(QStringLiteral(", "))));
    return 2;
  }
  QObject::connect(&forwarder, &LogForwarder::linesArrived, window.logModel(), &LogModel::append);

  SynthOptions demo = SynthOptions::demo();
  if (options.demoProducts > 0) demo.products = options.demoProducts;
  try {
    demo.validate();
  } catch (const Error& e) {
    printError(QStringLiteral("--demo-products: %1").arg(QString::fromUtf8(e.what())));
    return 2;
  }

  QSettings settings;
  WorkspaceController workspaces(&window, !batch);
  workspaces.setDemoOptions(demo);
  const QString root = resolveWorkspace(options, settings);
  QObject::connect(&workspaces, &WorkspaceController::opened, &window,
                   [&settings](const WorkspaceLocation& w) { settings.setValue(kLastWorkspaceKey, w.root()); });
  log::app()->info("MOON Workbench {} (Qt {})", QCoreApplication::applicationVersion().toStdString(), qVersion());

  if (batch) {
    // A screenshot shows the default layout, not the user's remembered one.
    bool failed = false;
    QObject::connect(&workspaces, &WorkspaceController::failed, [&failed] { failed = true; });
    workspaces.open(root);
    waitFor([&] { return !workspaces.isBusy(); }, 10 * 60 * 1000);
    if (failed) return 1;
    const QString view = options.view.isEmpty() ? window.viewIds().value(0) : options.view;
    if (!options.request.isEmpty() && !window.view(view)->handleRequest(options.request)) {
      printError(
          QStringLiteral("view '%1' does not take %2").arg(view, options.request.keys().join(QStringLiteral(", "))));
      return 2;
    }
    QString error;
    if (!saveScreenshot(window, view, options.screenshotFile, options.size, &error)) {
      printError(error);
      return 1;
    }
    std::fprintf(stdout, "%s\n", qPrintable(QDir::toNativeSeparators(options.screenshotFile)));
    return 0;
  }

  window.restoreLayout(settings);
  if (!options.view.isEmpty()) window.showView(options.view);
  if (options.size.isValid()) window.resize(options.size);
  window.show();
  if (!options.request.isEmpty()) {
    // Once, after the first workspace reached the views (setWorkspace resets what they show).
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = QObject::connect(&workspaces, &WorkspaceController::opened, &window, [&window, &options, once] {
      QObject::disconnect(*once);
      if (WorkbenchView* v = window.view(options.view.isEmpty() ? window.currentViewId() : options.view))
        v->handleRequest(options.request);
    });
  }
  workspaces.open(root);  // after show(): the first-launch progress dialog needs a visible parent
  const int status = app.exec();
  window.saveLayout(settings);
  return status;
}

}  // namespace moon
