#include "views/embeddings/EmbeddingsView.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSet>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QToolTip>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <map>

#include "training/eval/Projection.h"
#include "training/eval/TextTable.h"
#include "views/common/CheckpointPicker.h"
#include "views/common/Theme.h"
#include "views/embeddings/EmbeddingScatter.h"

namespace moon {
namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

bool writeText(const QString& file, const std::string& text, QString* error) {
  QSaveFile out(file);
  const QByteArray bytes = QByteArray::fromStdString(text);
  if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
    if (error) *error = QObject::tr("Could not write %1: %2").arg(QDir::toNativeSeparators(file), out.errorString());
    return false;
  }
  return true;
}

QString attributesText(const Attributes& attributes) {
  QStringList parts;
  for (const auto& [k, v] : attributes) parts << q(k) + QStringLiteral(": ") + q(v);
  return parts.join(QStringLiteral("; "));
}

enum TableColumn { IdColumn, TitleColumn, CategoryColumn, SplitColumn, TableColumns };

}  // namespace

EmbeddingsView::EmbeddingsView(QWidget* parent)
    : WorkbenchView(parent), scatter_(new EmbeddingScatter(this)), tableModel_(new QStandardItemModel(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(buildTopBar());
  message_ = new QLabel(this);
  message_->setObjectName(QStringLiteral("embeddingsMessage"));
  message_->setWordWrap(true);
  message_->setStyleSheet(QStringLiteral("color: #c62828;"));
  message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  message_->hide();
  layout->addWidget(message_);

  table_ = new QTableView(this);
  table_->setObjectName(QStringLiteral("embeddingsTable"));
  table_->setModel(tableModel_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  table_->setSortingEnabled(true);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setWordWrap(false);
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &EmbeddingsView::onTableSelection);
  connect(table_, &QTableView::doubleClicked, this,
          [this](const QModelIndex& i) { focusPoint(tableModel_->item(i.row(), IdColumn)->data().toInt()); });

  auto* focusBox = new QWidget(this);
  auto* focusLayout = new QVBoxLayout(focusBox);
  focusLayout->setContentsMargins(0, 0, 0, 0);
  focusLabel_ = new QLabel(tr("Click a point: its nearest neighbours in the embedding appear here."), focusBox);
  focusLabel_->setWordWrap(true);
  focusLayout->addWidget(focusLabel_);
  neighbours_ = new QTreeWidget(focusBox);
  neighbours_->setObjectName(QStringLiteral("embeddingsNeighbours"));
  neighbours_->setRootIsDecorated(false);
  neighbours_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  neighbours_->setHeaderLabels({tr("#"), tr("Product"), tr("Cosine"), tr("Note")});
  neighbours_->setColumnWidth(0, 32);
  neighbours_->setColumnWidth(1, 220);
  neighbours_->setColumnWidth(2, 64);
  connect(neighbours_, &QTreeWidget::itemDoubleClicked, this,
          [this](QTreeWidgetItem* item) { focusPoint(item->data(0, Qt::UserRole).toInt()); });
  focusLayout->addWidget(neighbours_, 1);
  compare_ = new QPushButton(workbenchIcon(QStringLiteral("compare")), tr("Compare its triplet"), focusBox);
  compare_->setToolTip(tr("Open the triplet whose ground truth is this product in the Compare view"));
  compare_->setEnabled(false);
  connect(compare_, &QPushButton::clicked, this, &EmbeddingsView::compareFocused);
  comparePicked_ =
      new QPushButton(workbenchIcon(QStringLiteral("compare")), tr("Compare with the two selected"), focusBox);
  comparePicked_->setToolTip(
      tr("Select two neighbours (Ctrl+click): the first as the ground truth, the second as "
         "the near-duplicate, against this product as the query"));
  comparePicked_->setEnabled(false);
  connect(neighbours_, &QTreeWidget::itemSelectionChanged, this,
          [this] { comparePicked_->setEnabled(neighbours_->selectedItems().size() == 2); });
  connect(comparePicked_, &QPushButton::clicked, this, [this] {
    const auto picked = neighbours_->selectedItems();
    if (picked.size() == 2)
      compareWith(picked[0]->data(0, Qt::UserRole).toInt(), picked[1]->data(0, Qt::UserRole).toInt());
  });
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(compare_);
  buttons->addWidget(comparePicked_);
  buttons->addStretch(1);
  focusLayout->addLayout(buttons);

  auto* right = new QSplitter(Qt::Vertical, this);
  right->addWidget(table_);
  right->addWidget(focusBox);
  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(scatter_);
  split->addWidget(right);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  layout->addWidget(split, 1);

  connect(scatter_, &EmbeddingScatter::clicked, this, &EmbeddingsView::focusPoint);
  connect(scatter_, &EmbeddingScatter::hovered, this, &EmbeddingsView::showHover);
  connect(scatter_, &EmbeddingScatter::boxSelected, this, &EmbeddingsView::selectPoints);

  exportFigureAction_ = new QAction(workbenchIcon(QStringLiteral("export")), tr("Export Figure…"), this);
  exportFigureAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  exportFigureAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  connect(exportFigureAction_, &QAction::triggered, this, [this] {
    exportWithDialog(tr("Export Map"), QStringLiteral("embedding-map.png"),
                     tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"),
                     [this](const QString& path, QString* error) { return exportFigure(path, error); });
  });
  exportPointsAction_ = new QAction(tr("Export Points…"), this);
  exportPointsAction_->setToolTip(tr("Every point as CSV: id, x, y, colour group, selected"));
  connect(exportPointsAction_, &QAction::triggered, this, [this] {
    exportWithDialog(tr("Export Points"), QStringLiteral("embedding-map.csv"), tr("CSV (*.csv)"),
                     [this](const QString& path, QString* error) { return exportPoints(path, error); });
  });
  exportSelectionAction_ = new QAction(tr("Export Selection…"), this);
  exportSelectionAction_->setToolTip(tr("The selected products' ids as CSV"));
  connect(exportSelectionAction_, &QAction::triggered, this, [this] {
    exportWithDialog(tr("Export Selection"), QStringLiteral("selection.csv"), tr("CSV (*.csv)"),
                     [this](const QString& path, QString* error) { return exportSelection(path, error); });
  });
  for (QAction* a : {exportFigureAction_, exportPointsAction_, exportSelectionAction_}) {
    a->setEnabled(false);
    addAction(a);
  }
  updateBusy();
}

EmbeddingsView::~EmbeddingsView() = default;

QIcon EmbeddingsView::icon() const { return workbenchIcon(QStringLiteral("embeddings")); }

QList<QAction*> EmbeddingsView::toolBarActions() const {
  return {exportFigureAction_, exportPointsAction_, exportSelectionAction_};
}

QWidget* EmbeddingsView::buildTopBar() {
  auto* bar = new QWidget(this);
  auto* v = new QVBoxLayout(bar);
  v->setContentsMargins(0, 0, 0, 0);
  auto* first = new QHBoxLayout;
  first->addWidget(new QLabel(tr("Checkpoint"), bar));
  checkpoints_ = new CheckpointPicker(bar);
  checkpoints_->setObjectName(QStringLiteral("embeddingsCheckpointCombo"));
  connect(checkpoints_, &CheckpointPicker::chosen, this, [this](const QString& path) { load(path); });
  connect(checkpoints_, &CheckpointPicker::listed, this, &EmbeddingsView::onCheckpointsListed);
  first->addWidget(checkpoints_, 2);
  first->addWidget(new QLabel(tr("Products"), bar));
  split_ = new QComboBox(bar);
  for (const char* s : {"all", "train", "val", "test"}) split_->addItem(QString::fromLatin1(s));
  split_->setToolTip(tr("Every product of the catalogue, or the products one split's triplets name"));
  connect(split_, &QComboBox::activated, this, &EmbeddingsView::reload);
  first->addWidget(split_);
  embedding_ = new QComboBox(bar);
  embedding_->addItem(tr("<emb> after the trace"), int(MapEmbedding::Reasoned));
  embedding_->addItem(tr("<disc_emb> before it"), int(MapEmbedding::Disc));
  embedding_->addItem(tr("image only"), int(MapEmbedding::Image));
  embedding_->addItem(tr("text only"), int(MapEmbedding::Text));
  embedding_->setToolTip(tr("Which embedding of each product the map shows"));
  connect(embedding_, &QComboBox::activated, this, &EmbeddingsView::reload);
  first->addWidget(embedding_);
  projection_ = new QComboBox(bar);
  projection_->addItem(tr("PCA"), int(MapProjection::Pca));
  projection_->addItem(tr("t-SNE"), int(MapProjection::Tsne));
  projection_->setToolTip(tr("PCA: the two directions of largest spread. t-SNE: exact, neighbourhoods kept "
                             "(up to %1 products)")
                              .arg(kMaxTsnePoints));
  connect(projection_, &QComboBox::activated, this, &EmbeddingsView::reload);
  first->addWidget(projection_);
  first->addWidget(new QLabel(tr("seed"), bar));
  seed_ = new QSpinBox(bar);
  seed_->setRange(1, 1000000);
  seed_->setToolTip(
      tr("t-SNE's seed: maps are stored per seed, so everyone opening this checkpoint sees the same one"));
  connect(seed_, &QSpinBox::editingFinished, this, [this] {
    if (data_ && data_->request.options.seed != uint64_t(seed_->value())) reload();
  });
  first->addWidget(seed_);
  align_ = new QCheckBox(tr("Align to the map shown"), bar);
  align_->setToolTip(
      tr("Rotate and scale the next map onto this one's axes (on the products both show), so "
         "stepping through a run's checkpoints shows what moved"));
  first->addWidget(align_);
  progress_ = new QProgressBar(bar);
  progress_->setRange(0, 100);
  progress_->setMaximumWidth(160);
  first->addWidget(progress_);
  cancel_ = new QPushButton(tr("Cancel"), bar);
  connect(cancel_, &QPushButton::clicked, this, &EmbeddingsView::cancel);
  first->addWidget(cancel_);
  v->addLayout(first);

  auto* second = new QHBoxLayout;
  second->addWidget(new QLabel(tr("Colour by"), bar));
  colourBy_ = new QComboBox(bar);
  colourBy_->setObjectName(QStringLiteral("embeddingsColourCombo"));
  colourBy_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  connect(colourBy_, &QComboBox::currentIndexChanged, this, &EmbeddingsView::recolour);
  second->addWidget(colourBy_);
  boxSelect_ = new QPushButton(tr("Box select"), bar);
  boxSelect_->setCheckable(true);
  boxSelect_->setToolTip(tr("On: dragging on the map selects the points in the box. Off: dragging pans"));
  connect(boxSelect_, &QPushButton::toggled, scatter_, &EmbeddingScatter::setBoxSelect);
  second->addWidget(boxSelect_);
  summary_ = new QLabel(bar);
  summary_->setObjectName(QStringLiteral("embeddingsSummary"));
  second->addWidget(summary_, 1);
  v->addLayout(second);
  fillColourChoices();
  return bar;
}

void EmbeddingsView::setWorkspace(const WorkspaceLocation& workspace) {
  job_.reset();
  workspace_ = workspace;
  checkpoint_.clear();
  data_.reset();
  scatter_->setPoints({}, {}, {});
  tableModel_->clear();
  neighbours_->clear();
  showMessage({});
  summary_->clear();
  checkpoints_->list(workspace_);
  updateBusy();
}

void EmbeddingsView::activated() {
  active_ = true;
  if (pendingLoad_ && !checkpoint_.isEmpty()) load(checkpoint_);
}

void EmbeddingsView::deactivated() { active_ = false; }

bool EmbeddingsView::isReady() const {
  return !checkpoints_->isListing() && !(job_ && job_->isRunning()) && !pendingLoad_;
}

bool EmbeddingsView::handleRequest(const QVariantMap& request) {
  static const QSet<QString> known = {QStringLiteral("checkpoint"), QStringLiteral("split"),
                                      QStringLiteral("embedding"), QStringLiteral("projection")};
  for (const QString& key : request.keys())
    if (!known.contains(key)) return false;
  const QString checkpoint = request.value(QStringLiteral("checkpoint")).toString();
  if (checkpoint.isEmpty()) return false;
  if (request.contains(QStringLiteral("split"))) {
    const QString s = request.value(QStringLiteral("split")).toString();
    if (split_->findText(s) < 0) split_->addItem(s);
    split_->setCurrentText(s);
  }
  if (request.contains(QStringLiteral("embedding"))) {
    const auto e = parseMapEmbedding(request.value(QStringLiteral("embedding")).toString().toStdString());
    if (!e) return false;
    setEmbedding(*e);
  }
  if (request.contains(QStringLiteral("projection"))) {
    const auto p = parseMapProjection(request.value(QStringLiteral("projection")).toString().toStdString());
    if (!p) return false;
    setProjection(*p);
  }
  load(QDir::cleanPath(QFileInfo(checkpoint).absoluteFilePath()));
  return true;
}

void EmbeddingsView::onCheckpointsListed(bool ok, const QString& error) {
  if (!ok) showMessage(tr("Could not list the checkpoints: %1").arg(error));
  if (!checkpoint_.isEmpty()) return;
  checkpoint_ = checkpoints_->defaultPath();
  if (checkpoint_.isEmpty()) return;
  // Chosen now, loaded when the view is shown: a long job does not start behind the user's back.
  checkpoints_->select(checkpoint_);
  pendingLoad_ = true;
  if (active_) load(checkpoint_);
  updateBusy();
}

void EmbeddingsView::setSplit(const QString& split) {
  if (split_->findText(split) < 0) split_->addItem(split);
  split_->setCurrentText(split);
  reload();
}

void EmbeddingsView::setEmbedding(MapEmbedding embedding) {
  embedding_->setCurrentIndex(embedding_->findData(int(embedding)));
}

void EmbeddingsView::setProjection(MapProjection projection) {
  projection_->setCurrentIndex(projection_->findData(int(projection)));
}

void EmbeddingsView::setAlignToShown(bool on) { align_->setChecked(on); }

void EmbeddingsView::reload() {
  if (!checkpoint_.isEmpty()) load(checkpoint_);
}

void EmbeddingsView::load(const QString& checkpoint) {
  MapRequest request;
  request.checkpoint = checkpoint;
  request.options.split = split_->currentText().toStdString();
  request.options.embedding = MapEmbedding(embedding_->currentData().toInt());
  request.options.projection = MapProjection(projection_->currentData().toInt());
  request.options.seed = uint64_t(seed_->value());
  // A bare model checkpoint names no dataset: the workspace's demo catalogue then.
  if (!workspace_.isNull() && QFileInfo::exists(workspace_.demoDatasetDir()))
    request.options.fallbackDataDir = workspace_.demoDatasetDir().toStdString();
  if (align_->isChecked() && data_) {
    request.alignIds = data_->map.ids;
    request.alignXy = data_->map.xy;  // as shown (itself aligned when it was)
  }
  job_.reset();  // cancels and joins a map still being made
  pendingLoad_ = false;
  checkpoint_ = checkpoint;
  checkpoints_->select(checkpoint);
  showMessage({});
  job_ = makeJob<EmbeddingMapJob>(std::move(request));
  connect(job_.get(), &Job::progressChanged, this, [this](double p) {
    progress_->setValue(int(p));
    if (job_) progress_->setFormat(job_->stage() + QStringLiteral(" %p%"));
  });
  connect(job_.get(), &Job::finished, this, &EmbeddingsView::onFinished);
  progress_->setValue(0);
  progress_->setFormat(tr("starting %p%"));
  job_->start();
  Q_EMIT statusMessage(tr("Mapping the embeddings of %1…").arg(QDir::toNativeSeparators(checkpoint)));
  updateBusy();
}

void EmbeddingsView::cancel() {
  if (job_ && job_->isRunning()) job_->cancel();
}

void EmbeddingsView::onFinished(bool ok) {
  if (ok) {
    data_ = job_->data();
    focused_ = -1;
    fillColourChoices();
    recolour();
    fillTable();
    neighbours_->clear();
    compare_->setEnabled(false);
    focusLabel_->setText(tr("Click a point: its nearest neighbours in the embedding appear here."));
    const MapData& d = *data_;
    QString text =
        tr("%1 products · %2 · %3%4 · %5")
            .arg(d.points.size())
            .arg(embedding_->currentText().toHtmlEscaped(), projection_->currentText())
            .arg(d.request.options.projection == MapProjection::Tsne ? tr(" (seed %1)").arg(d.request.options.seed)
                                                                     : QString())
            .arg(d.map.embeddingsFromCache && d.map.projectionFromCache
                     ? tr("read from the cache in %1 s").arg(d.seconds, 0, 'f', 2)
                     : tr("computed in %1 s").arg(d.seconds, 0, 'f', 1));
    if (d.alignedOn > 0) text += tr(" · aligned to the previous map on %1 products").arg(d.alignedOn);
    summary_->setText(text);
    Q_EMIT statusMessage(tr("Mapped %1 products of %2").arg(d.points.size()).arg(QDir::toNativeSeparators(checkpoint_)),
                         5000);
  } else {
    showMessage(job_->status() == Job::Status::Canceled
                    ? tr("Canceled; the map shown (if any) is the previous one.")
                    : tr("Could not map %1: %2").arg(QDir::toNativeSeparators(checkpoint_), job_->errorMessage()));
  }
  for (QAction* a : {exportFigureAction_, exportPointsAction_}) a->setEnabled(data_ != nullptr);
  exportSelectionAction_->setEnabled(data_ && !selectedPoints().isEmpty());
  updateBusy();
}

QString EmbeddingsView::message() const { return message_->isHidden() ? QString() : message_->text(); }

void EmbeddingsView::showMessage(const QString& text) {
  message_->setText(text);
  message_->setVisible(!text.isEmpty());
}

void EmbeddingsView::updateBusy() {
  const bool busy = job_ && job_->isRunning();
  progress_->setVisible(busy);
  cancel_->setVisible(busy);
  checkpoints_->setEnabled(!checkpoints_->isListing());
}

void EmbeddingsView::fillColourChoices() {
  const QString current = colourBy_->currentData().toString();
  QSignalBlocker block(colourBy_);
  colourBy_->clear();
  colourBy_->addItem(tr("coarse category"), QStringLiteral("coarse"));
  colourBy_->addItem(tr("fine category"), QStringLiteral("fine"));
  colourBy_->addItem(tr("near-duplicate group"), QStringLiteral("group"));
  colourBy_->addItem(tr("split"), QStringLiteral("split"));
  if (data_)
    for (const std::string& key : data_->attributeKeys)
      colourBy_->addItem(tr("attribute: %1").arg(q(key)), QStringLiteral("attr:") + q(key));
  const int i = colourBy_->findData(current);
  colourBy_->setCurrentIndex(i < 0 ? 0 : i);
}

void EmbeddingsView::setColourBy(ColourBy by, const QString& attributeKey) {
  const QString data = by == ColourBy::Coarse  ? QStringLiteral("coarse")
                       : by == ColourBy::Fine  ? QStringLiteral("fine")
                       : by == ColourBy::Group ? QStringLiteral("group")
                       : by == ColourBy::Split ? QStringLiteral("split")
                                               : QStringLiteral("attr:") + attributeKey;
  const int i = colourBy_->findData(data);
  if (i >= 0) colourBy_->setCurrentIndex(i);
}

void EmbeddingsView::recolour() {
  groupNames_.clear();
  groupOf_.clear();
  if (!data_) return;
  const QString by = colourBy_->currentData().toString();
  std::map<QString, int> index;  // sorted names
  std::vector<QString> labels;
  labels.reserve(data_->points.size());
  for (const MapPoint& p : data_->points) {
    QString label;
    if (by == QLatin1String("coarse"))
      label = q(p.coarseCategory);
    else if (by == QLatin1String("fine"))
      label = q(p.fineCategory);
    else if (by == QLatin1String("group"))
      label = tr("group %1").arg(p.group);
    else if (by == QLatin1String("split"))
      label = p.split.empty() ? tr("(no triplet)") : q(p.split);
    else {
      const auto it = p.attributes.find(by.mid(5).toStdString());
      label = it == p.attributes.end() ? tr("(none)") : q(it->second);
    }
    if (label.isEmpty()) label = tr("(none)");
    index.emplace(label, 0);
    labels.push_back(label);
  }
  for (auto& [name, i] : index) {
    i = int(groupNames_.size());
    groupNames_ << name;
  }
  for (const QString& label : labels) groupOf_.push_back(index.at(label));
  const QVector<int> selection = scatter_->selection();
  scatter_->setPoints(data_->map.xy, groupOf_, groupNames_);
  scatter_->setSelection(selection);
  if (focused_ >= 0) focusPoint(focused_);
}

void EmbeddingsView::fillTable() {
  QSignalBlocker block(table_->selectionModel());
  tableModel_->clear();
  tableModel_->setHorizontalHeaderLabels({tr("Product"), tr("Title"), tr("Category"), tr("Split")});
  if (!data_) return;
  table_->setSortingEnabled(false);
  tableModel_->setRowCount(int(data_->points.size()));
  for (int r = 0; r < int(data_->points.size()); ++r) {
    const MapPoint& p = data_->points[std::size_t(r)];
    auto* id = new QStandardItem(q(p.id));
    id->setData(r);  // the point, whatever the sort order
    tableModel_->setItem(r, IdColumn, id);
    tableModel_->setItem(r, TitleColumn, new QStandardItem(q(p.title)));
    tableModel_->setItem(r, CategoryColumn,
                         new QStandardItem(q(p.coarseCategory) + QStringLiteral(" / ") + q(p.fineCategory)));
    tableModel_->setItem(r, SplitColumn, new QStandardItem(q(p.split)));
  }
  table_->setSortingEnabled(true);
  table_->setColumnWidth(IdColumn, 80);
  table_->setColumnWidth(TitleColumn, 260);
}

QVector<int> EmbeddingsView::selectedPoints() const { return scatter_->selection(); }

void EmbeddingsView::selectPoints(const QVector<int>& points) {
  scatter_->setSelection(points);
  exportSelectionAction_->setEnabled(data_ && !points.isEmpty());
  if (syncingSelection_) return;
  syncingSelection_ = true;
  const QSet<int> wanted(points.begin(), points.end());
  QItemSelection selection;
  for (int row = 0; row < tableModel_->rowCount(); ++row)
    if (wanted.contains(tableModel_->item(row, IdColumn)->data().toInt()))
      selection.select(tableModel_->index(row, 0), tableModel_->index(row, TableColumns - 1));
  table_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
  syncingSelection_ = false;
  Q_EMIT statusMessage(tr("%n product(s) selected", nullptr, int(points.size())), 4000);
}

void EmbeddingsView::onTableSelection() {
  if (syncingSelection_) return;
  syncingSelection_ = true;
  QVector<int> points;
  for (const QModelIndex& i : table_->selectionModel()->selectedRows(IdColumn))
    points.append(tableModel_->itemFromIndex(i)->data().toInt());
  std::sort(points.begin(), points.end());
  selectPoints(points);
  syncingSelection_ = false;
}

void EmbeddingsView::focusPoint(int index) {
  if (!data_ || index < 0 || index >= int(data_->points.size())) return;
  focused_ = index;
  const MapPoint& p = data_->points[std::size_t(index)];
  const auto near = nearestRows(data_->map.embeddings, std::size_t(index), 10);
  QVector<int> neighbourPoints;
  neighbours_->clear();
  int rank = 1;
  for (const auto& [row, cosine] : near) {
    const MapPoint& n = data_->points[row];
    auto* item = new QTreeWidgetItem(neighbours_);
    item->setText(0, QString::number(rank++));
    item->setText(1, q(n.id) + QStringLiteral("  ") + q(n.title));
    item->setText(2, QString::number(double(cosine), 'f', 3));
    item->setData(0, Qt::UserRole, int(row));
    if (n.group == p.group) {
      item->setText(3, tr("near-duplicate"));
      item->setForeground(3, QColor(0xc6, 0x28, 0x28));
    } else if (n.fineCategory != p.fineCategory) {
      item->setText(3, tr("other category"));
    }
    item->setToolTip(1, attributesText(n.attributes));
    neighbourPoints.append(int(row));
  }
  // The product's near-duplicates that are not among the ten, with their cosines.
  for (std::size_t r = 0; r < data_->points.size(); ++r) {
    if (int(r) == index || data_->points[r].group != p.group || neighbourPoints.contains(int(r))) continue;
    auto* item = new QTreeWidgetItem(neighbours_);
    const double cosine = dotProduct(data_->map.embeddings.row(std::size_t(index)), data_->map.embeddings.row(r),
                                     data_->map.embeddings.dim);
    item->setText(0, QStringLiteral("·"));
    item->setText(1, q(data_->points[r].id) + QStringLiteral("  ") + q(data_->points[r].title));
    item->setText(2, QString::number(cosine, 'f', 3));
    item->setText(3, tr("near-duplicate, not in the top 10"));
    item->setForeground(3, QColor(0xc6, 0x28, 0x28));
    item->setData(0, Qt::UserRole, int(r));
  }
  scatter_->setFocus(index, neighbourPoints);
  focusLabel_->setText(
      tr("<b>%1</b> %2 — %3<br><small>%4</small>%5")
          .arg(q(p.id).toHtmlEscaped(), q(p.title).toHtmlEscaped(),
               (q(p.coarseCategory) + QStringLiteral(" / ") + q(p.fineCategory)).toHtmlEscaped(),
               attributesText(p.attributes).toHtmlEscaped(),
               p.trace.empty() ? QString() : tr("<br>trace: <tt>%1</tt>").arg(q(p.trace).toHtmlEscaped())));
  compare_->setEnabled(p.triplet >= 0);
}

bool EmbeddingsView::compareFocused() {
  if (!data_ || focused_ < 0) return false;
  const MapPoint& p = data_->points[std::size_t(focused_)];
  if (p.triplet < 0) return false;
  Q_EMIT openRequested(QStringLiteral("compare"),
                       {{QStringLiteral("checkpoint"), data_->request.checkpoint},
                        {QStringLiteral("dataset"), q(data_->map.dataDir)},
                        {QStringLiteral("triplet"), QStringLiteral("%1:%2").arg(q(p.split)).arg(p.triplet)}});
  return true;
}

bool EmbeddingsView::compareWith(int first, int second) {
  if (!data_ || focused_ < 0) return false;
  const int n = int(data_->points.size());
  if (first < 0 || first >= n || second < 0 || second >= n) return false;
  const QString ids = QStringList{q(data_->points[std::size_t(focused_)].id), q(data_->points[std::size_t(first)].id),
                                  q(data_->points[std::size_t(second)].id)}
                          .join(QLatin1Char(','));
  Q_EMIT openRequested(QStringLiteral("compare"), {{QStringLiteral("checkpoint"), data_->request.checkpoint},
                                                   {QStringLiteral("dataset"), q(data_->map.dataDir)},
                                                   {QStringLiteral("products"), ids}});
  return true;
}

void EmbeddingsView::showHover(int point, const QPoint& globalPos) {
  if (!data_ || point < 0 || point >= int(data_->points.size())) {
    QToolTip::hideText();
    return;
  }
  const MapPoint& p = data_->points[std::size_t(point)];
  QString html = QStringLiteral("<table><tr>");
  if (!p.imageFile.empty())
    html += QStringLiteral("<td><img src=\"%1\" width=\"96\" height=\"96\"></td>")
                .arg(QUrl::fromLocalFile(q(p.imageFile)).toString().toHtmlEscaped());
  html += QStringLiteral("<td><b>%1</b> %2<br>%3<br><small>%4</small>%5</td></tr></table>")
              .arg(q(p.id).toHtmlEscaped(), q(p.title).toHtmlEscaped(),
                   (q(p.coarseCategory) + QStringLiteral(" / ") + q(p.fineCategory)).toHtmlEscaped(),
                   attributesText(p.attributes).toHtmlEscaped(),
                   p.trace.empty() ? QString() : QStringLiteral("<br><tt>%1</tt>").arg(q(p.trace).toHtmlEscaped()));
  QToolTip::showText(globalPos, html, scatter_);
}

bool EmbeddingsView::exportFigure(const QString& file, QString* error) {
  if (!data_) {
    if (error) *error = tr("No map to export yet");
    return false;
  }
  return scatter_->exportTo(file, tr("Embedding map of %1").arg(checkpoint_), error);
}

bool EmbeddingsView::exportPoints(const QString& file, QString* error) const {
  if (!data_) {
    if (error) *error = tr("No map to export yet");
    return false;
  }
  const QSet<int> selected(scatter_->selection().begin(), scatter_->selection().end());
  std::string csv = "id,x,y,colour,selected\n";
  for (int i = 0; i < int(data_->points.size()); ++i) {
    const QString colour = i < int(groupOf_.size()) ? groupNames_.value(groupOf_[std::size_t(i)]) : QString();
    csv += csvField(data_->points[std::size_t(i)].id) + ',' + std::to_string(data_->map.xy[2 * std::size_t(i)]) + ',' +
           std::to_string(data_->map.xy[2 * std::size_t(i) + 1]) + ',' + csvField(colour.toStdString()) + ',' +
           (selected.contains(i) ? "1" : "0") + '\n';
  }
  return writeText(file, csv, error);
}

bool EmbeddingsView::exportSelection(const QString& file, QString* error) const {
  if (!data_ || scatter_->selection().isEmpty()) {
    if (error) *error = tr("Nothing is selected");
    return false;
  }
  std::string csv = "id,title,coarse_category,fine_category,split\n";
  for (int i : scatter_->selection()) {
    const MapPoint& p = data_->points[std::size_t(i)];
    csv += csvField(p.id) + ',' + csvField(p.title) + ',' + csvField(p.coarseCategory) + ',' +
           csvField(p.fineCategory) + ',' + csvField(p.split) + '\n';
  }
  return writeText(file, csv, error);
}

void EmbeddingsView::exportWithDialog(const QString& title, const QString& name, const QString& filters,
                                      const std::function<bool(const QString&, QString*)>& write) {
  const QString dir = workspace_.isNull() ? QDir::homePath() : workspace_.exportsDir();
  QDir().mkpath(dir);
  const QString path = QFileDialog::getSaveFileName(this, title, QDir(dir).filePath(name), filters);
  if (path.isEmpty()) return;
  QString error;
  if (write(path, &error))
    Q_EMIT statusMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 5000);
  else
    QMessageBox::warning(this, title, error);
}

}  // namespace moon
