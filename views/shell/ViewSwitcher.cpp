#include "views/shell/ViewSwitcher.h"

#include <QKeySequence>

#include "views/common/WorkbenchView.h"

namespace moon {

ViewSwitcher::ViewSwitcher(QWidget* parent) : QListWidget(parent) {
  setObjectName(QStringLiteral("viewSwitcher"));
  setIconSize(QSize(20, 20));
  setFrameShape(QFrame::NoFrame);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setSelectionMode(QAbstractItemView::SingleSelection);
  setUniformItemSizes(true);
  // Keyboard focus belongs to the views; the sidebar is driven by mouse and Ctrl+N.
  setFocusPolicy(Qt::NoFocus);
}

void ViewSwitcher::addView(const WorkbenchView& view, const QKeySequence& shortcut) {
  auto* item = new QListWidgetItem(view.icon(), view.title(), this);
  QString tip = view.summary().isEmpty() ? view.title() : view.summary();
  if (!shortcut.isEmpty()) tip += QStringLiteral("  (%1)").arg(shortcut.toString(QKeySequence::NativeText));
  item->setToolTip(tip);
  item->setData(Qt::UserRole, view.id());
  item->setSizeHint(QSize(0, 40));
}

QSize ViewSwitcher::sizeHint() const { return QSize(184, QListWidget::sizeHint().height()); }

}  // namespace moon
