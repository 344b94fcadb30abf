#include "views/embeddings/EmbeddingsView.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSet>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QToolTip>
#include <QVBoxLayout>

#include <map>

#include "training/eval/Projection.h"
#include "views/common/CheckpointPicker.h"
#include "views/common/ExportDialog.h"
#include "views/common/SaveText.h"
#include "views/common/Theme.h"
#include "views/embeddings/EmbeddingScatter.h"
#include "views/embeddings/MapPointText.h"
#include "views/embeddings/NeighbourPanel.h"

namespace moon {
namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

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

  neighbours_ = new NeighbourPanel(this);
  connect(neighbours_, &NeighbourPanel::pointActivated, this, &EmbeddingsView::focusPoint);
  connect(neighbours_, &NeighbourPanel::compareTripletRequested, this, &EmbeddingsView::compareFocused);
  connect(neighbours_, &NeighbourPanel::compareWithRequested, this, &EmbeddingsView::compareWith);

  auto* right = new QSplitter(Qt::Vertical, this);
  right->addWidget(table_);
  right->addWidget(neighbours_);
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
    exportWith(tr("Export Map"), QStringLiteral("embedding-map.png"),
               tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"),
               [this](const QString& path, QString* error) { return exportFigure(path, error); });
  });
  exportPointsAction_ = new QAction(tr("Export Points…"), this);
  exportPointsAction_->setToolTip(tr("Every point as CSV: id, x, y, colour group, selected"));
  connect(exportPointsAction_, &QAction::triggered, this, [this] {
    exportWith(tr("Export Points"), QStringLiteral("embedding-map.csv"), tr("CSV (*.csv)"),
               [this](const QString& path, QString* error) { return exportPoints(path, error); });
  });
  exportSelectionAction_ = new QAction(tr("Export Selection…"), this);
  exportSelectionAction_->setToolTip(tr("The selected products' ids as CSV"));
  connect(exportSelectionAction_, &QAction::triggered, this, [this] {
    exportWith(tr("Export Selection"), QStringLiteral("selection.csv"), tr("CSV (*.csv)"),
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
  scatter_->setFocus(index, neighbours_->showPoint(*data_, index));
}

QTreeWidget* EmbeddingsView::neighbours() const { return neighbours_->tree(); }

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
  QToolTip::showText(globalPos, pointHtml(data_->points[std::size_t(point)], true), scatter_);
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
  return saveTextFile(file, mapPointsCsv(*data_, groupNames_, groupOf_, scatter_->selection()), error);
}

bool EmbeddingsView::exportSelection(const QString& file, QString* error) const {
  if (!data_ || scatter_->selection().isEmpty()) {
    if (error) *error = tr("Nothing is selected");
    return false;
  }
  return saveTextFile(file, mapSelectionCsv(*data_, scatter_->selection()), error);
}

void EmbeddingsView::exportWith(const QString& title, const QString& name, const QString& filters,
                                const std::function<bool(const QString&, QString*)>& write) {
  const QString path = exportWithDialog(this, workspace_, title, name, filters, write);
  if (!path.isEmpty()) Q_EMIT statusMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 5000);
}

}  // namespace moon
