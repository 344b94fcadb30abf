#include "views/embeddings/NeighbourPanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "views/common/Theme.h"
#include "views/embeddings/EmbeddingMapJob.h"
#include "views/embeddings/MapPointText.h"

namespace moon {
namespace {

const QColor kNearDuplicate(0xc6, 0x28, 0x28);

QTreeWidgetItem* row(QTreeWidget* tree, const QString& rank, const MapPoint& p, double cosine, int index) {
  auto* item = new QTreeWidgetItem(tree);
  item->setText(0, rank);
  item->setText(1, QString::fromStdString(p.id) + QStringLiteral("  ") + QString::fromStdString(p.title));
  item->setText(2, QString::number(cosine, 'f', 3));
  item->setToolTip(1, attributesText(p.attributes));
  item->setData(0, Qt::UserRole, index);
  return item;
}

}  // namespace

NeighbourPanel::NeighbourPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  heading_ = new QLabel(this);
  heading_->setWordWrap(true);
  layout->addWidget(heading_);
  tree_ = new QTreeWidget(this);
  tree_->setObjectName(QStringLiteral("embeddingsNeighbours"));
  tree_->setRootIsDecorated(false);
  tree_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  tree_->setHeaderLabels({tr("#"), tr("Product"), tr("Cosine"), tr("Note")});
  tree_->setColumnWidth(0, 32);
  tree_->setColumnWidth(1, 220);
  tree_->setColumnWidth(2, 64);
  connect(tree_, &QTreeWidget::itemDoubleClicked, this,
          [this](QTreeWidgetItem* item) { Q_EMIT pointActivated(item->data(0, Qt::UserRole).toInt()); });
  layout->addWidget(tree_, 1);
  compare_ = new QPushButton(workbenchIcon(QStringLiteral("compare")), tr("Compare its triplet"), this);
  compare_->setToolTip(tr("Open the triplet whose ground truth is this product in the Compare view"));
  connect(compare_, &QPushButton::clicked, this, &NeighbourPanel::compareTripletRequested);
  comparePicked_ = new QPushButton(workbenchIcon(QStringLiteral("compare")), tr("Compare with the two selected"), this);
  comparePicked_->setToolTip(
      tr("Select two neighbours (Ctrl+click): the first as the ground truth, the second as "
         "the near-duplicate, against this product as the query"));
  connect(tree_, &QTreeWidget::itemSelectionChanged, this,
          [this] { comparePicked_->setEnabled(tree_->selectedItems().size() == 2); });
  connect(comparePicked_, &QPushButton::clicked, this, [this] {
    const auto picked = tree_->selectedItems();
    if (picked.size() == 2)
      Q_EMIT compareWithRequested(picked[0]->data(0, Qt::UserRole).toInt(), picked[1]->data(0, Qt::UserRole).toInt());
  });
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(compare_);
  buttons->addWidget(comparePicked_);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  clear();
}

void NeighbourPanel::clear() {
  tree_->clear();
  heading_->setText(tr("Click a point: its nearest neighbours in the embedding appear here."));
  compare_->setEnabled(false);
  comparePicked_->setEnabled(false);
}

QVector<int> NeighbourPanel::showPoint(const MapData& data, int index) {
  const MapPoint& p = data.points[std::size_t(index)];
  QVector<int> nearest;
  tree_->clear();
  int rank = 1;
  for (const auto& [r, cosine] : nearestRows(data.map.embeddings, std::size_t(index), 10)) {
    const MapPoint& n = data.points[r];
    QTreeWidgetItem* item = row(tree_, QString::number(rank++), n, double(cosine), int(r));
    if (n.group == p.group) {
      item->setText(3, tr("near-duplicate"));
      item->setForeground(3, kNearDuplicate);
    } else if (n.fineCategory != p.fineCategory) {
      item->setText(3, tr("other category"));
    }
    nearest.append(int(r));
  }
  // The product's near-duplicates that are not among the ten, with their cosines.
  const EmbeddingMatrix& m = data.map.embeddings;
  for (std::size_t r = 0; r < data.points.size(); ++r) {
    if (int(r) == index || data.points[r].group != p.group || nearest.contains(int(r))) continue;
    const double cosine = dotProduct(m.row(std::size_t(index)), m.row(r), m.dim);
    QTreeWidgetItem* item = row(tree_, QStringLiteral("·"), data.points[r], cosine, int(r));
    item->setText(3, tr("near-duplicate, not in the top 10"));
    item->setForeground(3, kNearDuplicate);
  }
  heading_->setText(pointHtml(p, false));
  compare_->setEnabled(p.triplet >= 0);
  return nearest;
}

}  // namespace moon
