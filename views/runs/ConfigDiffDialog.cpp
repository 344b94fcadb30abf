#include "views/runs/ConfigDiffDialog.h"

#include <QColor>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/config/JsonDiff.h"

namespace moon {
namespace {

nlohmann::json parsed(const RunRecord& r) {
  nlohmann::json j = nlohmann::json::parse(r.configJson, nullptr, false);
  return j.is_discarded() ? nlohmann::json::object() : j;
}

QTableWidgetItem* cell(const std::optional<std::string>& v) {
  auto* item = new QTableWidgetItem(v ? QString::fromStdString(*v) : QObject::tr("(absent)"));
  if (!v) item->setForeground(QColor(0x9a, 0xa3, 0xb5));
  return item;
}

}  // namespace

ConfigDiffDialog::ConfigDiffDialog(const RunRecord& left, const RunRecord& right, QWidget* parent) : QDialog(parent) {
  setWindowTitle(
      tr("Config diff: %1 vs %2").arg(QString::fromStdString(left.name), QString::fromStdString(right.name)));
  const auto diffs = diffJson(parsed(left), parsed(right));
  table_ = new QTableWidget(int(diffs.size()), 3, this);
  table_->setObjectName(QStringLiteral("configDiff"));
  table_->setHorizontalHeaderLabels({tr("Key"),
                                     QStringLiteral("#%1 %2").arg(left.id).arg(QString::fromStdString(left.name)),
                                     QStringLiteral("#%1 %2").arg(right.id).arg(QString::fromStdString(right.name))});
  table_->verticalHeader()->hide();
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setAlternatingRowColors(true);
  for (int i = 0; i < int(diffs.size()); ++i) {
    table_->setItem(i, 0, new QTableWidgetItem(QString::fromStdString(diffs[size_t(i)].key)));
    table_->setItem(i, 1, cell(diffs[size_t(i)].left));
    table_->setItem(i, 2, cell(diffs[size_t(i)].right));
  }
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  auto* summary = new QLabel(
      diffs.empty() ? tr("The two configurations are identical.") : tr("%n key(s) differ.", nullptr, int(diffs.size())),
      this);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(summary);
  layout->addWidget(table_, 1);
  layout->addWidget(buttons);
  resize(720, 420);
}

int ConfigDiffDialog::differenceCount() const { return table_->rowCount(); }

}  // namespace moon
