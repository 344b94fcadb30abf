#include "views/compare/CompareView.h"

#include <QAction>
#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <filesystem>

#include "core/base/Error.h"
#include "core/data/Dataset.h"
#include "core/image/AttentionHeatmap.h"
#include "core/image/ImageIo.h"
#include "core/store/RunStore.h"
#include "views/common/Theme.h"
#include "views/compare/CompareCharts.h"
#include "views/compare/CompareExport.h"
#include "views/compare/CompareJobs.h"
#include "views/dataset/DatasetLoadJob.h"

namespace moon {
namespace {

QString fromStd(const std::string& s) { return QString::fromStdString(s); }

// A grey line of text that takes the room left over: its length never sets
// the view's minimum width (a long one is cut; the tool tip has it whole).
QLabel* hint(const QString& text, QWidget* parent) {
  auto* l = new QLabel(text, parent);
  l->setObjectName(QStringLiteral("hint"));
  l->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  l->setToolTip(text);
  return l;
}

// "test:3" or "3" (test split).
std::optional<std::pair<QString, int>> parseTriplet(const QString& text) {
  const QStringList parts = text.split(QLatin1Char(':'));
  bool ok = false;
  const int index = parts.last().trimmed().toInt(&ok);
  if (!ok || index < 0 || parts.size() > 2) return std::nullopt;
  return std::make_pair(parts.size() == 2 ? parts.first().trimmed() : QStringLiteral("test"), index);
}

}  // namespace

CompareView::CompareView(QWidget* parent) : WorkbenchView(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(12, 10, 12, 6);
  layout->setSpacing(6);
  layout->addWidget(buildTopBar());

  messageLabel_ = new QLabel(this);
  messageLabel_->setObjectName(QStringLiteral("compareMessage"));
  messageLabel_->setWordWrap(true);
  messageLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  messageLabel_->hide();
  layout->addWidget(messageLabel_);
  layout->addWidget(buildAttentionBar());

  figure_ = new QWidget;
  figure_->setObjectName(QStringLiteral("compareFigure"));
  figure_->setAutoFillBackground(true);
  auto* f = new QVBoxLayout(figure_);
  f->setContentsMargins(0, 0, 0, 0);
  f->setSpacing(10);
  auto* row = new QHBoxLayout;
  row->setSpacing(10);
  for (int s = 0; s < kCompareSlots; ++s) {
    auto* panel = new CompareSlotPanel(s, figure_);
    panels_[size_t(s)] = panel;
    row->addWidget(panel, 1);
    connect(panel, &CompareSlotPanel::imageRequested, this, &CompareView::chooseImage);
    connect(panel, &CompareSlotPanel::titleEdited, this, &CompareView::setSlotTitle);
    connect(panel, &CompareSlotPanel::clearRequested, this, [this](int slot) { setSlotInput(slot, {}); });
  }
  f->addLayout(row);
  auto* bottom = new QHBoxLayout;
  bottom->setSpacing(10);
  auto* simCard = new QFrame(figure_);
  simCard->setObjectName(QStringLiteral("card"));
  auto* sv = new QVBoxLayout(simCard);
  sv->setContentsMargins(12, 10, 12, 12);
  auto* simTitle = new QLabel(tr("Cosine similarity over modalities"), simCard);
  simTitle->setObjectName(QStringLiteral("cardTitle"));
  sv->addWidget(simTitle);
  similarity_ = new SimilarityTable(simCard);
  sv->addWidget(similarity_);
  sv->addStretch(1);
  bottom->addWidget(simCard, 3);
  auto* marginCard = new QFrame(figure_);
  marginCard->setObjectName(QStringLiteral("card"));
  auto* mv = new QVBoxLayout(marginCard);
  mv->setContentsMargins(12, 10, 12, 12);
  auto* marginTitle = new QLabel(tr("Triplet margin"), marginCard);
  marginTitle->setObjectName(QStringLiteral("cardTitle"));
  mv->addWidget(marginTitle);
  margins_ = new MarginPanel(marginCard);
  mv->addWidget(margins_);
  gates_ = new GateChart(marginCard);
  mv->addWidget(gates_, 1);
  bottom->addWidget(marginCard, 2);
  f->addLayout(bottom);

  auto* scroll = new QScrollArea(this);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(figure_);
  layout->addWidget(scroll, 1);

  regenerateAction_ = new QAction(workbenchIcon(QStringLiteral("refresh")), tr("Regenerate"), this);
  regenerateAction_->setToolTip(tr("Run the comparison again with the current decoding settings"));
  connect(regenerateAction_, &QAction::triggered, this, &CompareView::regenerate);
  exportPngAction_ = new QAction(workbenchIcon(QStringLiteral("file")), tr("Export PNG…"), this);
  connect(exportPngAction_, &QAction::triggered, this, [this] { exportWithDialog(QStringLiteral("png")); });
  exportPdfAction_ = new QAction(workbenchIcon(QStringLiteral("file")), tr("Export PDF…"), this);
  connect(exportPdfAction_, &QAction::triggered, this, [this] { exportWithDialog(QStringLiteral("pdf")); });
  exportJsonAction_ = new QAction(workbenchIcon(QStringLiteral("file")), tr("Export JSON…"), this);
  connect(exportJsonAction_, &QAction::triggered, this, [this] { exportWithDialog(QStringLiteral("json")); });
  updateBusy();
}

CompareView::~CompareView() = default;

QIcon CompareView::icon() const { return workbenchIcon(QStringLiteral("compare")); }

QList<QAction*> CompareView::toolBarActions() const {
  return {regenerateAction_, exportPngAction_, exportPdfAction_, exportJsonAction_};
}

QWidget* CompareView::buildTopBar() {
  auto* bar = new QWidget(this);
  auto* v = new QVBoxLayout(bar);
  v->setContentsMargins(0, 0, 0, 0);
  v->setSpacing(6);

  auto* first = new QHBoxLayout;
  first->addWidget(new QLabel(tr("Checkpoint"), bar));
  checkpoints_ = new QComboBox(bar);
  checkpoints_->setObjectName(QStringLiteral("checkpointCombo"));
  checkpoints_->setMinimumContentsLength(28);
  checkpoints_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  checkpoints_->setPlaceholderText(tr("no checkpoint in this workspace yet"));
  connect(checkpoints_, &QComboBox::activated, this,
          [this](int i) { setCheckpoint(checkpoints_->itemData(i).toString()); });
  first->addWidget(checkpoints_, 2);
  auto* browse = new QPushButton(tr("Folder…"), bar);
  browse->setToolTip(tr("Load a checkpoint folder from disk (model.json or a run's step-N folder)"));
  connect(browse, &QPushButton::clicked, this, &CompareView::chooseCheckpointFolder);
  first->addWidget(browse);
  first->addSpacing(16);
  first->addWidget(new QLabel(tr("Dataset"), bar));
  datasets_ = new QComboBox(bar);
  datasets_->setObjectName(QStringLiteral("compareDatasetCombo"));
  connect(datasets_, &QComboBox::activated, this, [this](int i) { setDataset(datasets_->itemData(i).toString()); });
  first->addWidget(datasets_, 1);
  split_ = new QComboBox(bar);
  split_->setObjectName(QStringLiteral("compareSplitCombo"));
  first->addWidget(split_);
  tripletIndex_ = new QSpinBox(bar);
  tripletIndex_->setPrefix(QStringLiteral("#"));
  tripletIndex_->setRange(0, 0);
  first->addWidget(tripletIndex_);
  auto* show = new QPushButton(tr("Show triplet"), bar);
  connect(show, &QPushButton::clicked, this, [this] { showTriplet(split_->currentText(), tripletIndex_->value()); });
  first->addWidget(show);
  v->addLayout(first);

  auto* second = new QHBoxLayout;
  second->addWidget(new QLabel(tr("Trace decoding"), bar));
  greedy_ = new QRadioButton(tr("greedy"), bar);
  sampled_ = new QRadioButton(tr("sampled"), bar);
  greedy_->setChecked(true);
  auto* group = new QButtonGroup(bar);
  group->addButton(greedy_);
  group->addButton(sampled_);
  second->addWidget(greedy_);
  second->addWidget(sampled_);
  second->addWidget(new QLabel(tr("temperature"), bar));
  temperature_ = new QDoubleSpinBox(bar);
  temperature_->setRange(0.05, 5.0);
  temperature_->setSingleStep(0.1);
  temperature_->setValue(1.0);
  second->addWidget(temperature_);
  second->addWidget(new QLabel(tr("seed"), bar));
  seed_ = new QSpinBox(bar);
  seed_->setRange(0, 1000000);
  second->addWidget(seed_);
  auto syncEnabled = [this] {
    temperature_->setEnabled(sampled_->isChecked());
    seed_->setEnabled(sampled_->isChecked());
  };
  connect(sampled_, &QRadioButton::toggled, this, syncEnabled);
  syncEnabled();
  regenerate_ = new QPushButton(workbenchIcon(QStringLiteral("refresh")), tr("Regenerate"), bar);
  connect(regenerate_, &QPushButton::clicked, this, &CompareView::regenerate);
  second->addWidget(regenerate_);
  cancel_ = new QPushButton(tr("Cancel"), bar);
  connect(cancel_, &QPushButton::clicked, this, &CompareView::cancel);
  second->addWidget(cancel_);
  progress_ = new QProgressBar(bar);
  progress_->setRange(0, 100);
  progress_->setMaximumWidth(160);
  progress_->setTextVisible(false);
  second->addWidget(progress_);
  status_ = hint(QString(), bar);
  status_->setObjectName(QStringLiteral("compareStatus"));
  second->addWidget(status_, 1);
  v->addLayout(second);
  return bar;
}

QWidget* CompareView::buildAttentionBar() {
  auto* bar = new QWidget(this);
  auto* h = new QHBoxLayout(bar);
  h->setContentsMargins(0, 0, 0, 0);
  showHeat_ = new QCheckBox(tr("Attention"), bar);
  showHeat_->setChecked(true);
  showHeat_->setToolTip(tr("Draw the selected trace token's attention over each image"));
  h->addWidget(showHeat_);
  h->addWidget(new QLabel(tr("layer"), bar));
  layer_ = new QComboBox(bar);
  layer_->setObjectName(QStringLiteral("layerCombo"));
  h->addWidget(layer_);
  h->addWidget(new QLabel(tr("head"), bar));
  head_ = new QComboBox(bar);
  head_->setObjectName(QStringLiteral("headCombo"));
  h->addWidget(head_);
  h->addWidget(new QLabel(tr("colours"), bar));
  colormap_ = new QComboBox(bar);
  for (const auto& c : heatmapColormaps()) colormap_->addItem(fromStd(c.name), c.id);
  h->addWidget(colormap_);
  h->addWidget(new QLabel(tr("opacity"), bar));
  opacity_ = new QSlider(Qt::Horizontal, bar);
  opacity_->setRange(0, 100);
  opacity_->setValue(55);
  opacity_->setMaximumWidth(140);
  h->addWidget(opacity_);
  smooth_ = new QCheckBox(tr("smooth"), bar);
  smooth_->setChecked(true);
  h->addWidget(smooth_);
  h->addWidget(hint(tr("Click a token in a trace to see where it looks; <emb> is selected by default."), bar), 1);
  fillAttentionChoices();
  auto apply = [this] { setHeatmapStyle(currentStyle()); };
  connect(showHeat_, &QCheckBox::toggled, this, apply);
  connect(layer_, &QComboBox::currentIndexChanged, this, apply);
  connect(head_, &QComboBox::currentIndexChanged, this, apply);
  connect(colormap_, &QComboBox::currentIndexChanged, this, apply);
  connect(opacity_, &QSlider::valueChanged, this, apply);
  connect(smooth_, &QCheckBox::toggled, this, apply);
  return bar;
}

void CompareView::setWorkspace(const WorkspaceLocation& workspace) {
  workspace_ = workspace;
  refreshCheckpoints();
  refreshDatasets();
  if (datasetDir_.isEmpty() && datasets_->count() > 0) {
    const int demo = datasets_->findData(workspace.demoDatasetDir());
    setDataset(datasets_->itemData(std::max(demo, 0)).toString());
  }
}

void CompareView::refreshCheckpoints() {
  const QString current = checkpoints_->currentData().toString();
  QSignalBlocker block(checkpoints_);
  checkpoints_->clear();
  if (workspace_.isWorkspace()) {
    try {
      RunStore store(workspace_.databasePath().toStdString(), false);
      auto runs = store.listRuns();
      std::reverse(runs.begin(), runs.end());  // newest first
      for (const auto& run : runs) {
        auto checkpoints = store.checkpoints(run.id);
        std::reverse(checkpoints.begin(), checkpoints.end());
        for (const auto& c : checkpoints) {
          const auto path = std::filesystem::path(workspace_.root().toStdString()) / run.runDir / c.path;
          if (!std::filesystem::is_directory(path)) continue;
          checkpoints_->addItem(tr("%1 · step %2%3")
                                    .arg(fromStd(run.name.empty() ? "run " + std::to_string(run.id) : run.name))
                                    .arg(c.step)
                                    .arg(c.isBest ? tr(" (best)") : QString()),
                                QDir::cleanPath(QString::fromStdString(path.string())));
        }
      }
    } catch (const Error& e) {
      showMessage(tr("Cannot list the workspace's checkpoints: %1").arg(QString::fromUtf8(e.what())));
    }
  }
  if (!current.isEmpty()) {
    const int i = checkpoints_->findData(current);
    if (i >= 0) {
      checkpoints_->setCurrentIndex(i);
    } else {
      checkpoints_->addItem(QDir::toNativeSeparators(current), current);
      checkpoints_->setCurrentIndex(checkpoints_->count() - 1);
    }
  }
}

void CompareView::refreshDatasets() {
  datasets_->clear();
  for (const QString& dir : datasetFolders(workspace_.datasetsDir()))
    datasets_->addItem(QFileInfo(dir).fileName(), QDir::cleanPath(dir));
  if (!datasetDir_.isEmpty()) {
    if (datasets_->findData(datasetDir_) < 0) datasets_->addItem(QFileInfo(datasetDir_).fileName(), datasetDir_);
    datasets_->setCurrentIndex(datasets_->findData(datasetDir_));
  }
}

void CompareView::activated() {
  refreshCheckpoints();
  // First visit: load the newest checkpoint and show the first test triplet, so the view is never blank.
  if (!context_ && !loadJob_ && checkpoints_->count() > 0) setCheckpoint(checkpoints_->itemData(0).toString());
  const bool empty = std::all_of(inputs_.begin(), inputs_.end(), [](const CompareInput& i) { return i.empty(); });
  if (empty && !pendingTriplet_ && dataset_) showTriplet(split_->currentText(), 0);
}

bool CompareView::isReady() const {
  auto busy = [](const Job* j) { return j && j->isRunning(); };
  return !runScheduled_ && !pendingTriplet_ && !busy(loadJob_.get()) && !busy(datasetJob_.get()) &&
         !busy(runJob_.get());
}

bool CompareView::handleRequest(const QVariantMap& request) {
  bool used = false;
  const QString dataset = request.value(QStringLiteral("dataset")).toString();
  if (!dataset.isEmpty()) {
    setDataset(dataset);
    used = true;
  }
  const QString checkpoint = request.value(QStringLiteral("checkpoint")).toString();
  if (!checkpoint.isEmpty()) {
    setCheckpoint(checkpoint);
    used = true;
  }
  const QString triplet = request.value(QStringLiteral("triplet")).toString();
  if (!triplet.isEmpty()) {
    const auto parsed = parseTriplet(triplet);
    if (parsed) {
      showTriplet(parsed->first, parsed->second);
    } else {
      showMessage(tr("'%1' is not a triplet: use N or SPLIT:N (e.g. test:3)").arg(triplet));
    }
    used = true;
  }
  return used;
}

void CompareView::setCheckpoint(const QString& path) {
  if (path.isEmpty()) return;
  if (loadJob_ && loadJob_->isRunning()) {
    pendingCheckpoint_ = path;
    return;
  }
  const QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
  int i = checkpoints_->findData(clean);
  if (i < 0) {
    checkpoints_->addItem(QDir::toNativeSeparators(clean), clean);
    i = checkpoints_->count() - 1;
  }
  checkpoints_->setCurrentIndex(i);
  status_->setText(tr("Loading %1…").arg(QDir::toNativeSeparators(clean)));
  loadJob_ = makeJob<LoadCheckpointJob>(clean, datasetDir_);
  connect(loadJob_.get(), &Job::finished, this, &CompareView::onCheckpointLoaded);
  loadJob_->start();
  updateBusy();
}

void CompareView::onCheckpointLoaded(bool ok) {
  if (ok) {
    const LoadedCheckpoint& c = loadJob_->checkpoint();
    context_ = c.context;
    checkpointPath_ = loadJob_->path();
    clearMessage(true);
    status_->setText(tr("%1 checkpoint: %2%3")
                         .arg(QString::fromLatin1(checkpointKindName(c.kind)), fromStd(c.summary),
                              c.tokenizerPath.empty() ? tr(" — no tokenizer: titles cannot be read") : QString()));
    status_->setToolTip(status_->text());
    if (datasetDir_.isEmpty() && !c.datasetDir.empty()) setDataset(fromStd(c.datasetDir));
    if (pendingTriplet_ && !dataset_ && !(datasetJob_ && datasetJob_->isRunning())) {
      pendingTriplet_.reset();
      showMessage(tr("No dataset is open: pick one to show its triplets."));
    }
    const bool empty = std::all_of(inputs_.begin(), inputs_.end(), [](const CompareInput& i) { return i.empty(); });
    if (!empty)
      scheduleRun();
    else if (dataset_ && !pendingTriplet_)
      showTriplet(split_->currentText().isEmpty() ? QStringLiteral("test") : split_->currentText(), 0);
  } else {
    context_.reset();
    checkpointPath_.clear();
    result_.reset();
    showResult();
    status_->clear();
    showMessage(tr("Cannot load the checkpoint: %1").arg(loadJob_->errorMessage()), true);
  }
  if (!pendingCheckpoint_.isEmpty()) {
    const QString next = pendingCheckpoint_;
    pendingCheckpoint_.clear();
    QTimer::singleShot(0, this, [this, next] { setCheckpoint(next); });
  }
  updateBusy();
}

void CompareView::setDataset(const QString& dir) {
  if (dir.isEmpty()) return;
  const QString clean = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
  if (clean == datasetDir_ && (dataset_ || (datasetJob_ && datasetJob_->isRunning()))) return;
  if (datasetJob_ && datasetJob_->isRunning()) {
    // Rare (two datasets picked within a second): wait for the first read to end.
    datasetJob_->wait();
  }
  datasetDir_ = clean;
  dataset_.reset();
  refreshDatasets();
  datasetJob_ = makeJob<DatasetLoadJob>(clean);
  connect(datasetJob_.get(), &Job::finished, this, &CompareView::onDatasetLoaded);
  datasetJob_->start();
  updateBusy();
}

void CompareView::onDatasetLoaded(bool ok) {
  if (ok) {
    dataset_ = datasetJob_->dataset();
    QSignalBlocker block(split_);
    split_->clear();
    for (const auto& name : dataset_->splitNames()) split_->addItem(fromStd(name));
    const int test = split_->findText(QStringLiteral("test"));
    if (test >= 0) split_->setCurrentIndex(test);
    tripletIndex_->setRange(0, std::max<int>(0, int(dataset_->split(split_->currentText().toStdString()).size()) - 1));
  } else {
    showMessage(tr("Cannot read the dataset: %1").arg(datasetJob_->errorMessage()));
  }
  applyPendingTriplet();
  updateBusy();
}

void CompareView::applyPendingTriplet() {
  if (!pendingTriplet_) return;
  const auto t = *pendingTriplet_;
  pendingTriplet_.reset();
  if (dataset_) showTriplet(t.first, t.second);
}

void CompareView::showTriplet(const QString& split, int index) {
  if (!dataset_) {
    // A loading checkpoint may name its run's dataset: wait for it too.
    if ((datasetJob_ && datasetJob_->isRunning()) || (loadJob_ && loadJob_->isRunning())) {
      pendingTriplet_ = std::make_pair(split, index);
    } else {
      showMessage(tr("No dataset is open: pick one to show its triplets."));
    }
    return;
  }
  const auto& triplets = dataset_->split(split.toStdString());
  if (index < 0 || index >= int(triplets.size())) {
    showMessage(triplets.empty() ? tr("The dataset has no '%1' triplets.").arg(split)
                                 : tr("Triplet %1 is out of range: split '%2' has %3 (0 to %4).")
                                       .arg(index)
                                       .arg(split)
                                       .arg(triplets.size())
                                       .arg(triplets.size() - 1));
    return;
  }
  clearMessage();
  {
    QSignalBlocker block(split_);
    split_->setCurrentText(split);
  }
  tripletIndex_->setRange(0, int(triplets.size()) - 1);
  tripletIndex_->setValue(index);
  const Triplet& t = triplets[size_t(index)];
  QStringList problems;
  auto readImage = [&](const std::string& rel) -> cv::Mat {
    try {
      return readImageChecked(dataset_->imageFile(rel));
    } catch (const Error& e) {
      problems << QString::fromUtf8(e.what());
      return {};
    }
  };
  std::array<CompareInput, kCompareSlots> in;
  in[kQuerySlot].id = QStringLiteral("%1#%2").arg(split).arg(index).toStdString();
  in[kQuerySlot].title = t.query.title.value_or("");
  if (t.query.imagePath) {
    in[kQuerySlot].imagePath = *t.query.imagePath;
    in[kQuerySlot].image = readImage(*t.query.imagePath);
  }
  in[kQuerySlot].truth = t.query.attributes;
  const std::string ids[] = {t.positiveId, t.negativeId};
  for (int s = 1; s < kCompareSlots; ++s) {
    const Product* p = dataset_->findProduct(ids[s - 1]);
    if (!p) {
      problems << tr("product '%1' is not in the catalogue").arg(fromStd(ids[s - 1]));
      continue;
    }
    auto& slot = in[size_t(s)];
    slot.id = p->id;
    slot.title = p->title;
    slot.imagePath = p->imagePath;
    if (!p->imagePath.empty()) slot.image = readImage(p->imagePath);
    slot.truth = p->allAttributes();
  }
  for (int s = 0; s < kCompareSlots; ++s) setSlotInput(s, in[size_t(s)]);
  if (!problems.isEmpty()) showMessage(problems.join(QStringLiteral("\n")));
  Q_EMIT statusMessage(tr("Triplet %1 of split %2").arg(index).arg(split), 4000);
}

void CompareView::setSlotInput(int slot, const CompareInput& input) {
  inputs_[size_t(slot)] = input;
  panels_[size_t(slot)]->setInput(input);
  result_.reset();
  similarity_->setResult(nullptr);
  margins_->setResult(nullptr);
  gates_->setResult(nullptr);
  for (auto* p : panels_)
    if (p != panels_[size_t(slot)]) p->setResult(nullptr);
  scheduleRun();
}

bool CompareView::setSlotImageFile(int slot, const QString& file) {
  CompareInput in = inputs_[size_t(slot)];
  try {
    in.image = readImageChecked(file.toStdString());
  } catch (const Error& e) {
    showMessage(tr("Cannot use this image: %1").arg(QString::fromUtf8(e.what())));
    return false;
  }
  clearMessage();
  in.imagePath = file.toStdString();
  in.id.clear();  // the user's own input now
  in.truth.reset();
  setSlotInput(slot, in);
  return true;
}

void CompareView::setSlotTitle(int slot, const QString& title) {
  CompareInput in = inputs_[size_t(slot)];
  if (fromStd(in.title) == title.trimmed()) return;
  in.title = title.trimmed().toStdString();
  in.id.clear();
  in.truth.reset();
  setSlotInput(slot, in);
}

void CompareView::setOptions(const CompareOptions& options) {
  greedy_->setChecked(options.greedy);
  sampled_->setChecked(!options.greedy);
  temperature_->setValue(options.temperature);
  seed_->setValue(int(options.seed));
}

CompareOptions CompareView::currentOptions() const {
  CompareOptions o;
  o.greedy = greedy_->isChecked();
  o.temperature = temperature_->value();
  o.seed = uint64_t(seed_->value());
  return o;
}

HeatmapStyle CompareView::currentStyle() const {
  HeatmapStyle s;
  s.layer = layer_->currentData().isValid() ? layer_->currentData().toInt() : -1;
  s.head = head_->currentData().isValid() ? head_->currentData().toInt() : -1;
  s.colormap = colormap_->currentData().toInt();
  s.opacity = opacity_->value() / 100.0;
  s.smooth = smooth_->isChecked();
  s.show = showHeat_->isChecked();
  return s;
}

void CompareView::setHeatmapStyle(const HeatmapStyle& style) {
  {
    QSignalBlocker b1(layer_), b2(head_), b3(colormap_), b4(opacity_), b5(smooth_), b6(showHeat_);
    layer_->setCurrentIndex(std::max(0, layer_->findData(style.layer)));
    head_->setCurrentIndex(std::max(0, head_->findData(style.head)));
    colormap_->setCurrentIndex(std::max(0, colormap_->findData(style.colormap)));
    opacity_->setValue(int(style.opacity * 100 + 0.5));
    smooth_->setChecked(style.smooth);
    showHeat_->setChecked(style.show);
  }
  for (auto* p : panels_) p->setStyle(style);
}

void CompareView::selectToken(int slot, int query) { panels_[size_t(slot)]->selectToken(query); }

void CompareView::fillAttentionChoices() {
  int layers = 0, heads = 0;
  if (result_)
    for (const auto& s : result_->slots) {
      layers = std::max(layers, s.multimodal.attention.layers);
      heads = std::max(heads, s.multimodal.attention.heads);
    }
  const int layer = layer_->currentData().isValid() ? layer_->currentData().toInt() : -1;
  const int head = head_->currentData().isValid() ? head_->currentData().toInt() : -1;
  QSignalBlocker b1(layer_), b2(head_);
  layer_->clear();
  layer_->addItem(tr("mean"), -1);
  for (int l = 0; l < layers; ++l) layer_->addItem(QString::number(l + 1), l);
  head_->clear();
  head_->addItem(tr("mean"), -1);
  for (int h = 0; h < heads; ++h) head_->addItem(QString::number(h + 1), h);
  layer_->setCurrentIndex(std::max(0, layer_->findData(layer)));
  head_->setCurrentIndex(std::max(0, head_->findData(head)));
}

void CompareView::regenerate() {
  userCanceled_ = false;
  scheduleRun();
}

void CompareView::cancel() {
  pendingTriplet_.reset();
  if (runJob_ && runJob_->isRunning()) {
    userCanceled_ = true;
    rerunAfterCancel_ = false;
    runJob_->cancel();
  }
}

void CompareView::scheduleRun() {
  if (runScheduled_) return;
  runScheduled_ = true;
  QTimer::singleShot(0, this, [this] {
    runScheduled_ = false;
    startRun();
  });
  updateBusy();
}

void CompareView::startRun() {
  const bool empty = std::all_of(inputs_.begin(), inputs_.end(), [](const CompareInput& i) { return i.empty(); });
  if (empty) return updateBusy();
  if (!context_) {
    if (!(loadJob_ && loadJob_->isRunning()) && message_.isEmpty())
      status_->setText(tr("Choose a checkpoint to run the comparison."));
    return updateBusy();
  }
  if (runJob_ && runJob_->isRunning()) {
    rerunAfterCancel_ = true;
    runJob_->cancel();
    return;
  }
  runJob_ = makeJob<ComparisonJob>(context_, inputs_, currentOptions(), checkpointPath_);
  connect(runJob_.get(), &Job::progressChanged, progress_, [this](double p) { progress_->setValue(int(p)); });
  connect(runJob_.get(), &Job::finished, this, &CompareView::onComparisonFinished);
  progress_->setValue(0);
  runJob_->start();
  updateBusy();
}

void CompareView::onComparisonFinished(bool ok) {
  if (ok) {
    result_ = runJob_->result();
    showResult();
    status_->setText(
        tr("Compared in %1 s with %2").arg(result_->seconds, 0, 'f', 2).arg(QFileInfo(checkpointPath_).fileName()));
  } else if (runJob_->status() == Job::Status::Canceled) {
    if (userCanceled_) status_->setText(tr("Canceled."));
  } else {
    showMessage(tr("The comparison failed: %1").arg(runJob_->errorMessage()));
  }
  userCanceled_ = false;
  if (rerunAfterCancel_) {
    rerunAfterCancel_ = false;
    scheduleRun();
  }
  updateBusy();
}

void CompareView::showResult() {
  const ComparisonResult* r = result();
  fillAttentionChoices();
  for (auto* p : panels_) {
    p->setResult(r);
    p->setStyle(currentStyle());
  }
  similarity_->setResult(r);
  margins_->setResult(r);
  gates_->setResult(r);
}

void CompareView::updateBusy() {
  const bool running = runJob_ && runJob_->isRunning();
  const bool loading = (loadJob_ && loadJob_->isRunning()) || (datasetJob_ && datasetJob_->isRunning());
  cancel_->setEnabled(running);
  regenerate_->setEnabled(!running && context_ != nullptr);
  regenerateAction_->setEnabled(!running && context_ != nullptr);
  progress_->setVisible(running || loading);
  if (loading && !running)
    progress_->setRange(0, 0);  // busy indicator
  else
    progress_->setRange(0, 100);
  const bool have = result_.has_value();
  exportPngAction_->setEnabled(have);
  exportPdfAction_->setEnabled(have);
  exportJsonAction_->setEnabled(have);
}

void CompareView::showMessage(const QString& text, bool sticky) {
  message_ = text;
  messageSticky_ = sticky;
  messageLabel_->setText(text);
  messageLabel_->setStyleSheet(
      QStringLiteral("background:#fdecea;color:#8a1c14;border:1px solid #f5c2bd;"
                     "border-radius:4px;padding:6px 10px;"));
  messageLabel_->show();
}

void CompareView::clearMessage(bool sticky) {
  if (messageSticky_ && !sticky) return;
  message_.clear();
  messageSticky_ = false;
  messageLabel_->hide();
}

QString CompareView::message() const { return message_; }

void CompareView::chooseCheckpointFolder() {
  const QString start = workspace_.isNull() ? QDir::homePath() : workspace_.runsDir();
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Checkpoint folder"), start);
  if (!dir.isEmpty()) setCheckpoint(dir);
}

void CompareView::chooseImage(int slot) {
  const QString file = QFileDialog::getOpenFileName(this, tr("Image for the %1 slot").arg(compareSlotTitle(slot)),
                                                    QString(), tr("Images (*.jpg *.jpeg *.png *.bmp *.webp)"));
  if (!file.isEmpty()) setSlotImageFile(slot, file);
}

bool CompareView::exportPng(const QString& file, QString* error) {
  if (!result_) return (*error = tr("nothing to export yet")), false;
  return exportWidgetPng(*figure_, file, error);
}

bool CompareView::exportPdf(const QString& file, QString* error) {
  if (!result_) return (*error = tr("nothing to export yet")), false;
  return exportWidgetPdf(*figure_, file, tr("MOON comparison"), error);
}

bool CompareView::exportJson(const QString& file, QString* error) {
  if (!result_) return (*error = tr("nothing to export yet")), false;
  return exportComparisonJson(*result_, file, error);
}

void CompareView::exportWithDialog(const QString& kind) {
  const QString dir = workspace_.isNull() ? QDir::homePath() : workspace_.exportsDir();
  QDir().mkpath(dir);
  const QString file =
      QFileDialog::getSaveFileName(this, tr("Export comparison"), dir + QStringLiteral("/comparison.") + kind,
                                   kind.toUpper() + QStringLiteral(" (*.") + kind + QStringLiteral(")"));
  if (file.isEmpty()) return;
  QString error;
  const bool ok = kind == QLatin1String("png")   ? exportPng(file, &error)
                  : kind == QLatin1String("pdf") ? exportPdf(file, &error)
                                                 : exportJson(file, &error);
  if (ok)
    Q_EMIT statusMessage(tr("Exported %1").arg(QDir::toNativeSeparators(file)), 5000);
  else
    showMessage(error);
}

}  // namespace moon
