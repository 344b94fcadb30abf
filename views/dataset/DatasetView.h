#pragma once

#include <memory>

#include "views/common/Job.h"
#include "views/common/WorkbenchView.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QTabWidget;
class QTableView;
class QTableWidget;

namespace moon {

class Dataset;
class DatasetLoadJob;
class ProductFilterModel;
class ProductListModel;
struct ProductCatalogue;
class ThumbnailCache;
class TripletListModel;

// A dataset of the workspace: a thumbnail grid of its products with filters
// (category, attribute value, text) and a detail panel, and its triplets
// (query, ground truth, near-duplicate) per split. Double-clicking a triplet
// asks the shell to open it in Compare.
class DatasetView : public WorkbenchView {
  Q_OBJECT
 public:
  explicit DatasetView(QWidget* parent = nullptr);
  ~DatasetView() override;

  QString id() const override { return QStringLiteral("dataset"); }
  QString title() const override { return tr("Dataset"); }
  QIcon icon() const override;
  QString summary() const override { return tr("Browse a catalogue: thumbnails, attributes, filters and triplets"); }
  void setWorkspace(const WorkspaceLocation& workspace) override;
  bool isReady() const override;
  // {"dataset": folder}: show that dataset.
  bool handleRequest(const QVariantMap& request) override;

  // Reads `dir` on a worker thread and shows it.
  void openDataset(const QString& dir);
  QString datasetDir() const { return datasetDir_; }

  ProductListModel* productModel() const { return products_; }
  ProductFilterModel* filterModel() const { return filter_; }
  TripletListModel* tripletModel() const { return triplets_; }

 Q_SIGNALS:
  // A triplet was chosen for Compare (also sent as openRequested("compare", ...)).
  void tripletActivated(const QString& datasetDir, const QString& split, int index);

 private:
  QWidget* buildProductsTab();
  QWidget* buildTripletsTab();
  void showDataset(std::shared_ptr<const Dataset> dataset, std::shared_ptr<const ProductCatalogue> catalogue);
  void refillFilters();
  void applyFilters();
  void showDetail(const QModelIndex& proxyIndex);
  void updateCount();
  void activateTriplet(const QModelIndex& index);

  WorkspaceLocation workspace_;
  QString datasetDir_;
  std::shared_ptr<const Dataset> dataset_;
  JobPtr<DatasetLoadJob> load_;
  ThumbnailCache* thumbnails_;
  ThumbnailCache* details_;
  ProductListModel* products_;
  ProductFilterModel* filter_;
  TripletListModel* triplets_;
  QComboBox* datasets_;
  QLineEdit* search_;
  QComboBox* category_;
  QComboBox* attributeKey_;
  QComboBox* attributeValue_;
  QLabel* count_;
  QLabel* message_;
  QTabWidget* tabs_;
  QListView* grid_;
  QLabel* detailImage_;
  QLabel* detailTitle_;
  QTableWidget* detailAttributes_;
  QComboBox* split_;
  QTableView* tripletTable_;
  QString detailFile_;
};

}  // namespace moon
