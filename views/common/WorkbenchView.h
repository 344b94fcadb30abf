#pragma once

// The interface every workbench view implements (Overview, Runs, Compare,
// Dataset, Embeddings). The main window knows views only through it; a new
// view is one line in views/shell/StandardViews.cpp.

#include <QIcon>
#include <QList>
#include <QString>
#include <QVariantMap>
#include <QWidget>

#include "views/common/WorkspaceLocation.h"

class QAction;

namespace moon {

class WorkbenchView : public QWidget {
  Q_OBJECT
 public:
  explicit WorkbenchView(QWidget* parent = nullptr);

  // Stable, lower-case, used by --view, settings and tests ("runs").
  virtual QString id() const = 0;
  // Shown in the sidebar and the View menu ("Runs").
  virtual QString title() const = 0;
  virtual QIcon icon() const = 0;
  // One sentence for tooltips.
  virtual QString summary() const { return {}; }

  // Shown in the main tool bar while this view is current. Owned by the view.
  virtual QList<QAction*> toolBarActions() const { return {}; }

  // A workspace was opened (or closed: a null WorkspaceLocation). Reload what depends on it.
  virtual void setWorkspace(const WorkspaceLocation& workspace) { (void)workspace; }

  // The view became current / stopped being current (start or pause polling, refresh).
  virtual void activated() {}
  virtual void deactivated() {}

  // False while the view is still loading what it shows; --screenshot waits for true.
  virtual bool isReady() const { return true; }

  // Show what `request` names (keys are the view's own, e.g. Compare's
  // "checkpoint" and "triplet"). Comes from another view's openRequested or
  // from the command line. False when the view cannot use it.
  virtual bool handleRequest(const QVariantMap& request) {
    (void)request;
    return false;
  }

 Q_SIGNALS:
  // Transient text for the status bar (timeoutMs 0: until replaced).
  void statusMessage(const QString& text, int timeoutMs = 0);
  // Ask the shell to open another workspace (e.g. a "Change…" button).
  void workspaceRequested(const QString& root);
  // Ask the shell to show view `viewId` with `request` (see handleRequest).
  void openRequested(const QString& viewId, const QVariantMap& request);
};

}  // namespace moon
