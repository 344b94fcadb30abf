#pragma once

#include <QListWidget>

namespace moon {

class WorkbenchView;

// The sidebar: one entry per view (icon and title), in registry order.
class ViewSwitcher : public QListWidget {
  Q_OBJECT
 public:
  explicit ViewSwitcher(QWidget* parent = nullptr);

  void addView(const WorkbenchView& view, const QKeySequence& shortcut);

  QSize sizeHint() const override;
};

}  // namespace moon
