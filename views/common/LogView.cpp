#include "views/common/LogView.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QScrollBar>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

#include "views/common/LogFilterModel.h"
#include "views/common/LogModel.h"

namespace moon {

LogView::LogView(LogModel* model, QWidget* parent)
    : QWidget(parent), model_(model), filter_(new LogFilterModel(this)), table_(new QTableView(this)) {
  filter_->setSourceModel(model_);

  level_ = new QComboBox(this);
  level_->setToolTip(tr("Show lines at this level and above"));
  const QStringList levels{tr("Trace"), tr("Debug"), tr("Info"), tr("Warning"), tr("Error")};
  for (int i = 0; i < levels.size(); ++i) level_->addItem(levels[i], i);
  text_ = new QLineEdit(this);
  text_->setPlaceholderText(tr("Filter messages"));
  text_->setClearButtonEnabled(true);
  auto* clear = new QToolButton(this);
  clear->setIcon(QIcon(QStringLiteral(":/moon/icons/clear.svg")));
  clear->setToolTip(tr("Clear the log"));
  clear->setAutoRaise(true);

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 4, 6, 4);
  bar->addWidget(level_);
  bar->addWidget(text_, 1);
  bar->addWidget(clear);

  table_->setModel(filter_);
  table_->setObjectName(QStringLiteral("logTable"));
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setShowGrid(false);
  table_->setWordWrap(false);
  table_->setAlternatingRowColors(true);
  table_->verticalHeader()->hide();
  table_->verticalHeader()->setDefaultSectionSize(QFontMetrics(font()).height() + 4);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->horizontalHeader()->setHighlightSections(false);
  table_->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  table_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  table_->setColumnWidth(LogModel::TimeColumn, 110);
  table_->setColumnWidth(LogModel::LoggerColumn, 80);
  table_->setColumnWidth(LogModel::LevelColumn, 80);

  auto* copy = new QAction(tr("Copy"), table_);
  copy->setShortcut(QKeySequence::Copy);
  copy->setShortcutContext(Qt::WidgetShortcut);
  table_->addAction(copy);
  table_->setContextMenuPolicy(Qt::ActionsContextMenu);
  connect(copy, &QAction::triggered, this, &LogView::copySelection);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addLayout(bar);
  layout->addWidget(table_, 1);

  connect(level_, &QComboBox::currentIndexChanged, this,
          [this](int i) { filter_->setMinimumLevel(level_->itemData(i).toInt()); });
  connect(text_, &QLineEdit::textChanged, filter_, &LogFilterModel::setText);
  connect(clear, &QToolButton::clicked, model_, &LogModel::clear);

  // Follow the tail only while the user has not scrolled up to read something.
  QScrollBar* scroll = table_->verticalScrollBar();
  connect(scroll, &QScrollBar::valueChanged, this, [this, scroll](int v) { follow_ = v >= scroll->maximum(); });
  connect(filter_, &QAbstractItemModel::rowsInserted, this, [this] {
    if (follow_) table_->scrollToBottom();
  });
  setMinimumLevel(2);
}

void LogView::setMinimumLevel(int level) { level_->setCurrentIndex(std::clamp(level, 0, level_->count() - 1)); }

void LogView::copySelection() {
  QStringList out;
  QModelIndexList rows = table_->selectionModel()->selectedRows();
  std::sort(rows.begin(), rows.end());
  for (const QModelIndex& row : rows) out << filter_->data(row, LogModel::LineRole).toString();
  if (!out.isEmpty()) QApplication::clipboard()->setText(out.join(QLatin1Char('\n')));
}

}  // namespace moon
