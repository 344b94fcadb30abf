#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QPixmap>

#include <memory>
#include <string>

namespace moon {

class Dataset;
class ThumbnailCache;
struct Triplet;

// The triplets of one split as a table: query, ground truth (positive) and
// near-duplicate (negative) side by side, each with its thumbnail and title.
class TripletListModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { QueryColumn, PositiveColumn, NegativeColumn, ColumnCount };
  enum Role { ProductIdRole = Qt::UserRole + 1, ImageFileRole };

  explicit TripletListModel(ThumbnailCache* thumbnails = nullptr, QObject* parent = nullptr);

  // Null dataset or unknown split: no rows.
  void setSplit(std::shared_ptr<const Dataset> dataset, const QString& split);
  QString split() const { return split_; }
  const Triplet* triplet(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  QString imageFile(int row, int column) const;
  void onThumbnail(const QString& file);

  ThumbnailCache* thumbnails_;
  std::shared_ptr<const Dataset> dataset_;
  QString split_;
  mutable QHash<QString, QList<QModelIndex>> cellsByFile_;  // cells waiting for a thumbnail
  mutable QPixmap placeholder_;
};

}  // namespace moon
