#include "views/dataset/DatasetView.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/data/Dataset.h"
#include "views/common/Theme.h"
#include "views/common/ThumbnailCache.h"
#include "views/dataset/DatasetLoadJob.h"
#include "views/dataset/ProductFilterModel.h"
#include "views/dataset/ProductListModel.h"
#include "views/dataset/TripletListModel.h"

namespace moon {
namespace {

constexpr int kThumb = 96;
constexpr int kDetail = 256;

}  // namespace

DatasetView::DatasetView(QWidget* parent)
    : WorkbenchView(parent),
      thumbnails_(new ThumbnailCache(kThumb, 4000, this)),
      details_(new ThumbnailCache(kDetail, 64, this)),
      products_(new ProductListModel(thumbnails_, this)),
      filter_(new ProductFilterModel(this)),
      triplets_(new TripletListModel(thumbnails_, this)) {
  filter_->setSourceModel(products_);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(12, 10, 12, 10);
  layout->setSpacing(8);

  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Dataset"), this));
  datasets_ = new QComboBox(this);
  datasets_->setObjectName(QStringLiteral("datasetCombo"));
  datasets_->setMinimumContentsLength(18);
  datasets_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  bar->addWidget(datasets_);
  bar->addSpacing(12);
  search_ = new QLineEdit(this);
  search_->setPlaceholderText(tr("Search titles and ids"));
  search_->setClearButtonEnabled(true);
  bar->addWidget(search_, 1);
  category_ = new QComboBox(this);
  category_->setObjectName(QStringLiteral("categoryCombo"));
  bar->addWidget(category_);
  attributeKey_ = new QComboBox(this);
  attributeKey_->setObjectName(QStringLiteral("attributeKeyCombo"));
  bar->addWidget(attributeKey_);
  attributeValue_ = new QComboBox(this);
  attributeValue_->setObjectName(QStringLiteral("attributeValueCombo"));
  attributeValue_->setEnabled(false);
  bar->addWidget(attributeValue_);
  count_ = new QLabel(this);
  count_->setObjectName(QStringLiteral("hint"));
  bar->addWidget(count_);
  layout->addLayout(bar);

  message_ = new QLabel(this);
  message_->setObjectName(QStringLiteral("hint"));
  message_->setWordWrap(true);
  message_->hide();
  layout->addWidget(message_);

  tabs_ = new QTabWidget(this);
  tabs_->addTab(buildProductsTab(), tr("Products"));
  tabs_->addTab(buildTripletsTab(), tr("Triplets"));
  layout->addWidget(tabs_, 1);

  connect(datasets_, &QComboBox::activated, this, [this](int i) { openDataset(datasets_->itemData(i).toString()); });
  connect(search_, &QLineEdit::textChanged, this, &DatasetView::applyFilters);
  connect(category_, &QComboBox::currentIndexChanged, this, &DatasetView::applyFilters);
  connect(attributeKey_, &QComboBox::currentIndexChanged, this, [this] {
    const auto values = products_->attributeValues().value(attributeKey_->currentData().toString());
    QSignalBlocker block(attributeValue_);
    attributeValue_->clear();
    attributeValue_->addItem(tr("any value"), QString());
    for (const QString& v : values) attributeValue_->addItem(v, v);
    attributeValue_->setEnabled(!attributeKey_->currentData().toString().isEmpty());
    applyFilters();
  });
  connect(attributeValue_, &QComboBox::currentIndexChanged, this, &DatasetView::applyFilters);
  connect(filter_, &QAbstractItemModel::rowsInserted, this, &DatasetView::updateCount);
  connect(filter_, &QAbstractItemModel::rowsRemoved, this, &DatasetView::updateCount);
  connect(filter_, &QAbstractItemModel::modelReset, this, &DatasetView::updateCount);
  connect(details_, &ThumbnailCache::thumbnailReady, this, [this](const QString& file) {
    if (file == detailFile_) detailImage_->setPixmap(QPixmap::fromImage(details_->thumbnail(file)));
  });
  refillFilters();
}

DatasetView::~DatasetView() = default;

QIcon DatasetView::icon() const { return workbenchIcon(QStringLiteral("dataset")); }

QWidget* DatasetView::buildProductsTab() {
  auto* splitter = new QSplitter(Qt::Horizontal, this);
  grid_ = new QListView(splitter);
  grid_->setObjectName(QStringLiteral("productGrid"));
  grid_->setViewMode(QListView::IconMode);
  grid_->setResizeMode(QListView::Adjust);
  grid_->setMovement(QListView::Static);
  grid_->setUniformItemSizes(true);  // with 10,000 items, layout must not measure each one
  grid_->setLayoutMode(QListView::Batched);
  grid_->setBatchSize(500);
  grid_->setIconSize(QSize(kThumb, kThumb));
  grid_->setGridSize(QSize(kThumb + 40, kThumb + 44));
  grid_->setWordWrap(true);
  grid_->setTextElideMode(Qt::ElideRight);
  grid_->setSpacing(4);
  grid_->setSelectionMode(QAbstractItemView::SingleSelection);
  grid_->setModel(filter_);
  connect(grid_->selectionModel(), &QItemSelectionModel::currentChanged, this,
          [this](const QModelIndex& current) { showDetail(current); });

  auto* detail = new QWidget(splitter);
  auto* d = new QVBoxLayout(detail);
  d->setContentsMargins(8, 0, 0, 0);
  detailImage_ = new QLabel(detail);
  detailImage_->setFixedSize(kDetail, kDetail);
  detailImage_->setAlignment(Qt::AlignCenter);
  detailImage_->setObjectName(QStringLiteral("detailImage"));
  d->addWidget(detailImage_, 0, Qt::AlignHCenter);
  detailTitle_ = new QLabel(tr("Select a product to see its attributes."), detail);
  detailTitle_->setObjectName(QStringLiteral("detailTitle"));
  detailTitle_->setWordWrap(true);
  detailTitle_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  d->addWidget(detailTitle_);
  detailAttributes_ = new QTableWidget(0, 3, detail);
  detailAttributes_->setHorizontalHeaderLabels({tr("Attribute"), tr("Value"), tr("Shown in")});
  detailAttributes_->verticalHeader()->hide();
  detailAttributes_->horizontalHeader()->setStretchLastSection(true);
  detailAttributes_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  detailAttributes_->setAlternatingRowColors(true);
  d->addWidget(detailAttributes_, 1);
  detail->setMinimumWidth(kDetail + 16);
  splitter->setStretchFactor(0, 1);
  splitter->setStretchFactor(1, 0);
  return splitter;
}

QWidget* DatasetView::buildTripletsTab() {
  auto* page = new QWidget(this);
  auto* v = new QVBoxLayout(page);
  v->setContentsMargins(0, 6, 0, 0);
  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Split"), page));
  split_ = new QComboBox(page);
  split_->setObjectName(QStringLiteral("splitCombo"));
  bar->addWidget(split_);
  auto* hint = new QLabel(tr("Double-click a triplet to open it in Compare."), page);
  hint->setObjectName(QStringLiteral("hint"));
  bar->addWidget(hint, 1);
  v->addLayout(bar);
  tripletTable_ = new QTableView(page);
  tripletTable_->setObjectName(QStringLiteral("tripletTable"));
  tripletTable_->setModel(triplets_);
  tripletTable_->setIconSize(QSize(72, 72));
  tripletTable_->verticalHeader()->setDefaultSectionSize(80);
  tripletTable_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  tripletTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
  tripletTable_->setSelectionMode(QAbstractItemView::SingleSelection);
  tripletTable_->setWordWrap(true);
  tripletTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  v->addWidget(tripletTable_, 1);
  connect(split_, &QComboBox::currentIndexChanged, this,
          [this] { triplets_->setSplit(dataset_, split_->currentText()); });
  connect(tripletTable_, &QTableView::doubleClicked, this, &DatasetView::activateTriplet);
  return page;
}

void DatasetView::setWorkspace(const WorkspaceLocation& workspace) {
  workspace_ = workspace;
  datasets_->clear();
  const QStringList dirs = datasetFolders(workspace.datasetsDir());
  for (const QString& dir : dirs) datasets_->addItem(QFileInfo(dir).fileName(), dir);
  if (dirs.isEmpty()) {
    showDataset(nullptr, nullptr);
    message_->setText(tr("This workspace has no datasets yet (datasets/<name>/products.jsonl)."));
    message_->show();
    return;
  }
  const int demo = datasets_->findData(workspace.demoDatasetDir());
  openDataset(dirs.value(demo >= 0 ? demo : 0));
}

bool DatasetView::isReady() const {
  // Thumbnails on screen count too: a screenshot should not show grey boxes.
  return (!load_ || !load_->isRunning()) && thumbnails_->pendingCount() == 0 && details_->pendingCount() == 0;
}

bool DatasetView::handleRequest(const QVariantMap& request) {
  const QString dir = request.value(QStringLiteral("dataset")).toString();
  if (dir.isEmpty()) return false;
  openDataset(dir);
  return true;
}

void DatasetView::openDataset(const QString& dir) {
  if (dir.isEmpty()) return;
  const QString clean = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
  if (clean == datasetDir_ && dataset_) return;
  datasetDir_ = clean;
  int i = datasets_->findData(dir);
  if (i < 0) {
    datasets_->addItem(QFileInfo(clean).fileName(), clean);
    i = datasets_->count() - 1;
  }
  datasets_->setCurrentIndex(i);
  message_->setText(tr("Reading %1…").arg(QDir::toNativeSeparators(clean)));
  message_->show();
  load_ = makeJob<DatasetLoadJob>(clean, /*withCatalogue=*/true);
  connect(load_.get(), &Job::finished, this, [this](bool ok) {
    if (ok) {
      message_->hide();
      showDataset(load_->dataset(), load_->catalogue());
    } else {
      showDataset(nullptr, nullptr);
      message_->setText(tr("Cannot read the dataset: %1").arg(load_->errorMessage()));
      message_->show();
    }
  });
  load_->start();
}

void DatasetView::showDataset(std::shared_ptr<const Dataset> dataset,
                              std::shared_ptr<const ProductCatalogue> catalogue) {
  dataset_ = std::move(dataset);
  thumbnails_->clear();
  details_->clear();
  products_->setCatalogue(dataset_ ? std::move(catalogue) : nullptr);
  {
    QSignalBlocker block(split_);
    split_->clear();
    if (dataset_)
      for (const auto& name : dataset_->splitNames()) split_->addItem(QString::fromStdString(name));
    const int test = split_->findText(QStringLiteral("test"));
    if (test >= 0) split_->setCurrentIndex(test);
  }
  triplets_->setSplit(dataset_, split_->currentText());
  refillFilters();
  showDetail({});
  if (filter_->rowCount() > 0) grid_->setCurrentIndex(filter_->index(0, 0));
  Q_EMIT statusMessage(dataset_ ? tr("%1: %2 products").arg(datasetDir_).arg(dataset_->products().size()) : QString(),
                       5000);
}

void DatasetView::refillFilters() {
  QSignalBlocker b1(category_), b2(attributeKey_), b3(attributeValue_);
  category_->clear();
  category_->addItem(tr("All categories"), QString());
  for (const QString& c : products_->categories()) category_->addItem(c, c);
  attributeKey_->clear();
  attributeKey_->addItem(tr("Any attribute"), QString());
  const auto values = products_->attributeValues();
  for (auto it = values.begin(); it != values.end(); ++it) attributeKey_->addItem(it.key(), it.key());
  attributeValue_->clear();
  attributeValue_->addItem(tr("any value"), QString());
  attributeValue_->setEnabled(false);
  applyFilters();
}

void DatasetView::applyFilters() {
  // The filter resets its rows, which clears the grid's current item without
  // a signal: keep the product shown while it still passes, else clear the
  // detail panel (it would show a product the grid no longer lists).
  const QModelIndex shown = filter_->mapToSource(grid_->currentIndex());
  filter_->setCriteria(category_->currentData().toString(), attributeKey_->currentData().toString(),
                       attributeValue_->currentData().toString(), search_->text());
  const QModelIndex kept = filter_->mapFromSource(shown);
  if (kept.isValid())
    grid_->setCurrentIndex(kept);
  else
    showDetail({});
  updateCount();
}

void DatasetView::updateCount() {
  count_->setText(tr("%1 of %2 products").arg(filter_->rowCount()).arg(products_->rowCount()));
}

void DatasetView::showDetail(const QModelIndex& proxyIndex) {
  detailAttributes_->setRowCount(0);
  const QModelIndex source = filter_->mapToSource(proxyIndex);
  if (!source.isValid()) {
    detailFile_.clear();
    detailImage_->clear();
    detailTitle_->setText(tr("Select a product to see its attributes."));
    return;
  }
  const Product& p = products_->product(source.row());
  detailTitle_->setText(QStringLiteral("<b>%1</b><br><span style='color:#666'>%2 · %3</span>")
                            .arg(QString::fromStdString(p.title).toHtmlEscaped(),
                                 QString::fromStdString(p.coarseCategory() + " / " + p.fineCategory()).toHtmlEscaped(),
                                 QString::fromStdString(p.id).toHtmlEscaped()));
  auto addRows = [this](const Attributes& attrs, const QString& where) {
    for (const auto& [k, v] : attrs) {
      const int r = detailAttributes_->rowCount();
      detailAttributes_->insertRow(r);
      detailAttributes_->setItem(r, 0, new QTableWidgetItem(QString::fromStdString(k)));
      detailAttributes_->setItem(r, 1, new QTableWidgetItem(QString::fromStdString(v)));
      detailAttributes_->setItem(r, 2, new QTableWidgetItem(where));
    }
  };
  addRows(p.imageAttributes, tr("image"));
  addRows(p.textAttributes, tr("title"));
  detailAttributes_->resizeColumnsToContents();
  detailFile_ = products_->imageFile(source.row());
  const QImage image = details_->thumbnail(detailFile_);
  if (image.isNull())
    detailImage_->setText(tr("loading…"));
  else
    detailImage_->setPixmap(QPixmap::fromImage(image));
}

void DatasetView::activateTriplet(const QModelIndex& index) {
  if (!index.isValid() || !dataset_) return;
  const QString split = triplets_->split();
  Q_EMIT tripletActivated(datasetDir_, split, index.row());
  Q_EMIT openRequested(QStringLiteral("compare"),
                       {{QStringLiteral("dataset"), datasetDir_},
                        {QStringLiteral("triplet"), QStringLiteral("%1:%2").arg(split).arg(index.row())}});
}

}  // namespace moon
