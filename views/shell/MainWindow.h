#pragma once

#include <QMainWindow>
#include <QStringList>

#include <vector>

#include "views/common/WorkspaceLocation.h"

class QAction;
class QActionGroup;
class QLabel;
class QSettings;
class QStackedWidget;
class QToolBar;

namespace moon {

class LogDock;
class LogModel;
class ViewRegistry;
class ViewSwitcher;
class WorkbenchView;

// The workbench's main window. It only wires views together: a sidebar and a
// stack of the registry's views (Ctrl+1…Ctrl+9), a tool bar showing the
// current view's actions, the log dock, the status bar, and the window layout.
// Opening a workspace is the caller's business (openWorkspaceRequested).
class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(const ViewRegistry& views, QWidget* parent = nullptr);
  ~MainWindow() override;

  QStringList viewIds() const;
  WorkbenchView* view(const QString& id) const;
  WorkbenchView* currentView() const;
  QString currentViewId() const;
  // False (and nothing changes) for an unknown id.
  bool showView(const QString& id);

  WorkspaceLocation workspace() const { return workspace_; }
  void setWorkspace(const WorkspaceLocation& workspace);

  LogModel* logModel() const { return logModel_; }
  LogDock* logDock() const { return logDock_; }

  // Geometry, dock/tool bar state and current view, under "window/".
  void saveLayout(QSettings& settings) const;
  bool restoreLayout(const QSettings& settings);
  void resetLayout();

 Q_SIGNALS:
  void currentViewChanged(const QString& id);
  void openWorkspaceRequested(const QString& root);

 private:
  void addView(WorkbenchView* view);
  void createActions();
  void createMenus();
  void onCurrentChanged(int index);
  void chooseWorkspace();
  void revealWorkspace();

  std::vector<WorkbenchView*> views_;
  std::vector<QAction*> viewActions_;
  ViewSwitcher* switcher_;
  QStackedWidget* stack_;
  QToolBar* toolBar_;
  int current_ = -1;
  LogModel* logModel_;
  LogDock* logDock_;
  QLabel* workspaceLabel_;
  QActionGroup* viewGroup_;
  QAction* openWorkspace_ = nullptr;
  QAction* revealWorkspace_ = nullptr;
  QAction* resetLayout_ = nullptr;
  QAction* quit_ = nullptr;
  QAction* about_ = nullptr;
  QAction* aboutQt_ = nullptr;
  QByteArray defaultState_;
  WorkspaceLocation workspace_;
};

}  // namespace moon
