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
#include <QVBoxLayout>

#include <algorithm>

#include "core/data/Dataset.h"
#include "core/image/AttentionHeatmap.h"
#include "core/store/RunCheckpoints.h"
#include "views/common/Theme.h"
#include "views/compare/CompareCharts.h"
#include "views/compare/CompareController.h"
#include "views/compare/CompareExport.h"
#include "views/compare/WhyClosePanel.h"
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

CompareView::CompareView(QWidget* parent) : WorkbenchView(parent), controller_(new CompareController(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(12, 10, 12, 6);
  layout->setSpacing(6);
  layout->addWidget(buildTopBar());

  messageLabel_ = new QLabel(this);
  messageLabel_->setObjectName(QStringLiteral("errorBanner"));
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
    connect(panel, &CompareSlotPanel::clearRequested, controller_,
            [this](int slot) { controller_->setSlotInput(slot, {}); });
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
  whyClose_ = new WhyClosePanel(controller_, figure_);
  whyClose_->setObjectName(QStringLiteral("whyClose"));
  connect(whyClose_, &WhyClosePanel::attributionShownChanged, this, [this] { setHeatmapStyle(currentStyle()); });
  connect(whyClose_, &WhyClosePanel::attributionsChanged, this, [this] {
    const auto& a = whyClose_->attributions();
    panels_[0]->setAttribution(a[0] ? &*a[0] : nullptr);  // the query's tokens, against the ground truth
    panels_[1]->setAttribution(a[0] ? &*a[0] : nullptr);
    panels_[2]->setAttribution(a[1] ? &*a[1] : nullptr);
  });
  connect(whyClose_, &WhyClosePanel::busyChanged, this, &CompareView::updateBusy);
  f->addWidget(whyClose_);

  auto* scroll = new QScrollArea(this);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(figure_);
  layout->addWidget(scroll, 1);

  regenerateAction_ = new QAction(workbenchIcon(QStringLiteral("refresh")), tr("Regenerate"), this);
  regenerateAction_->setToolTip(tr("Run the comparison again with the current decoding settings"));
  connect(regenerateAction_, &QAction::triggered, controller_, &CompareController::regenerate);
  exportPngAction_ = new QAction(workbenchIcon(QStringLiteral("file")), tr("Export PNG…"), this);
  connect(exportPngAction_, &QAction::triggered, this, [this] { exportWithDialog(QStringLiteral("png")); });
  exportPdfAction_ = new QAction(workbenchIcon(QStringLiteral("file")), tr("Export PDF…"), this);
  connect(exportPdfAction_, &QAction::triggered, this, [this] { exportWithDialog(QStringLiteral("pdf")); });
  exportJsonAction_ = new QAction(workbenchIcon(QStringLiteral("file")), tr("Export JSON…"), this);
  connect(exportJsonAction_, &QAction::triggered, this, [this] { exportWithDialog(QStringLiteral("json")); });
  connectController();
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
  auto syncOptions = [this] {
    temperature_->setEnabled(sampled_->isChecked());
    seed_->setEnabled(sampled_->isChecked());
    controller_->setOptions(currentOptions());
  };
  connect(sampled_, &QRadioButton::toggled, this, syncOptions);
  connect(temperature_, &QDoubleSpinBox::valueChanged, this, syncOptions);
  connect(seed_, &QSpinBox::valueChanged, this, syncOptions);
  syncOptions();
  regenerate_ = new QPushButton(workbenchIcon(QStringLiteral("refresh")), tr("Regenerate"), bar);
  connect(regenerate_, &QPushButton::clicked, controller_, &CompareController::regenerate);
  second->addWidget(regenerate_);
  cancel_ = new QPushButton(tr("Cancel"), bar);
  connect(cancel_, &QPushButton::clicked, controller_, &CompareController::cancel);
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

void CompareView::connectController() {
  CompareController* c = controller_;
  connect(c, &CompareController::checkpointsListed, this, &CompareView::fillCheckpoints);
  connect(c, &CompareController::checkpointChosen, this, &CompareView::selectCheckpoint);
  connect(c, &CompareController::datasetChosen, this, [this] { fillDatasets(); });
  connect(c, &CompareController::datasetLoaded, this, &CompareView::fillSplits);
  connect(c, &CompareController::tripletShown, this, [this](const QString& split, int index, int count) {
    QSignalBlocker block(split_);
    split_->setCurrentText(split);
    tripletIndex_->setRange(0, std::max(0, count - 1));
    tripletIndex_->setValue(index);
  });
  connect(c, &CompareController::inputChanged, this,
          [this](int slot) { panels_[size_t(slot)]->setInput(controller_->input(slot)); });
  connect(c, &CompareController::resultChanged, this, &CompareView::showResult);
  connect(c, &CompareController::progressChanged, progress_, [this](double p) { progress_->setValue(int(p)); });
  connect(c, &CompareController::busyChanged, this, &CompareView::updateBusy);
  connect(c, &CompareController::messageChanged, this, [this] { showMessage(controller_->message()); });
  connect(c, &CompareController::statusChanged, this, [this] {
    status_->setText(controller_->status());
    status_->setToolTip(controller_->status());
  });
  connect(c, &CompareController::notice, this, [this](const QString& text) { Q_EMIT statusMessage(text, 4000); });
}

void CompareView::setWorkspace(const WorkspaceLocation& workspace) {
  workspace_ = workspace;
  controller_->setWorkspace(workspace);
  fillDatasets();
  if (controller_->datasetDir().isEmpty() && datasets_->count() > 0) {
    const int demo = datasets_->findData(workspace.demoDatasetDir());
    setDataset(datasets_->itemData(std::max(demo, 0)).toString());
  }
}

void CompareView::fillCheckpoints() {
  const QString current = checkpoints_->currentData().toString();
  {
    QSignalBlocker block(checkpoints_);
    checkpoints_->clear();
    for (const RunCheckpoint& c : controller_->checkpoints())
      checkpoints_->addItem(
          tr("%1 · step %2%3").arg(fromStd(c.runName)).arg(c.step).arg(c.isBest ? tr(" (best)") : QString()),
          QDir::cleanPath(QString::fromStdString(c.dir.string())));
  }
  if (!current.isEmpty()) selectCheckpoint(current);
}

// Shows `path` in the picker, adding it when it is not a workspace checkpoint.
void CompareView::selectCheckpoint(const QString& path) {
  QSignalBlocker block(checkpoints_);
  int i = checkpoints_->findData(path);
  if (i < 0) {
    checkpoints_->addItem(QDir::toNativeSeparators(path), path);
    i = checkpoints_->count() - 1;
  }
  checkpoints_->setCurrentIndex(i);
}

void CompareView::fillDatasets() {
  const QString current = controller_->datasetDir();
  QSignalBlocker block(datasets_);
  datasets_->clear();
  for (const QString& dir : datasetFolders(workspace_.datasetsDir()))
    datasets_->addItem(QFileInfo(dir).fileName(), QDir::cleanPath(dir));
  if (!current.isEmpty()) {
    if (datasets_->findData(current) < 0) datasets_->addItem(QFileInfo(current).fileName(), current);
    datasets_->setCurrentIndex(datasets_->findData(current));
  }
}

void CompareView::fillSplits() {
  const auto dataset = controller_->dataset();
  if (!dataset) return;
  QSignalBlocker block(split_);
  split_->clear();
  for (const auto& name : dataset->splitNames()) split_->addItem(fromStd(name));
  const int test = split_->findText(QStringLiteral("test"));
  if (test >= 0) split_->setCurrentIndex(test);
  tripletIndex_->setRange(0, std::max<int>(0, int(dataset->split(split_->currentText().toStdString()).size()) - 1));
}

void CompareView::activated() {
  // First visit: open the newest checkpoint and show the first test triplet, so the view is never blank.
  controller_->openNewestWhenListed();
}

bool CompareView::isReady() const { return controller_->isReady() && !whyClose_->isBusy(); }

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
    if (parsed)
      showTriplet(parsed->first, parsed->second);
    else
      showMessage(tr("'%1' is not a triplet: use N or SPLIT:N (e.g. test:3)").arg(triplet));
    used = true;
  }
  const QString products = request.value(QStringLiteral("products")).toString();
  if (!products.isEmpty()) {
    controller_->showProducts(products.split(QLatin1Char(',')));
    used = true;
  }
  if (request.value(QStringLiteral("explain")).toBool()) {
    whyClose_->setAttributionShown(true);  // computed once the comparison is there
    used = true;
  }
  return used;
}

void CompareView::setCheckpoint(const QString& path) { controller_->setCheckpoint(path); }
void CompareView::setDataset(const QString& dir) { controller_->setDataset(dir); }
void CompareView::showTriplet(const QString& split, int index) { controller_->showTriplet(split, index); }
bool CompareView::setSlotImageFile(int slot, const QString& file) { return controller_->setSlotImageFile(slot, file); }
void CompareView::setSlotTitle(int slot, const QString& title) { controller_->setSlotTitle(slot, title); }
void CompareView::regenerate() { controller_->regenerate(); }
void CompareView::cancel() { controller_->cancel(); }
QString CompareView::message() const { return messageLabel_->isHidden() ? QString() : messageLabel_->text(); }
const ComparisonResult* CompareView::result() const { return controller_->result(); }

void CompareView::setOptions(const CompareOptions& options) {
  QSignalBlocker b1(greedy_), b2(sampled_), b3(temperature_), b4(seed_);
  greedy_->setChecked(options.greedy);
  sampled_->setChecked(!options.greedy);
  temperature_->setValue(options.temperature);
  seed_->setValue(int(options.seed));
  temperature_->setEnabled(!options.greedy);
  seed_->setEnabled(!options.greedy);
  controller_->setOptions(currentOptions());
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
  s.attribution = whyClose_ && whyClose_->attributionShown();
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
  if (const ComparisonResult* r = result())
    for (const auto& s : r->slots) {
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
  whyClose_->onResultChanged();  // after the panels: they must not hold the old result when attributions clear
}

void CompareView::updateBusy() {
  const bool computing = controller_->isComputing();
  const bool loading = controller_->isLoading();
  const bool model = controller_->hasModel();
  cancel_->setEnabled(computing);
  regenerate_->setEnabled(!computing && model);
  regenerateAction_->setEnabled(!computing && model);
  progress_->setVisible(computing || loading);
  if (loading && !computing)
    progress_->setRange(0, 0);  // busy indicator
  else
    progress_->setRange(0, 100);
  const bool have = result() != nullptr;
  exportPngAction_->setEnabled(have);
  exportPdfAction_->setEnabled(have);
  exportJsonAction_->setEnabled(have);
}

void CompareView::showMessage(const QString& text) {
  messageLabel_->setText(text);
  messageLabel_->setVisible(!text.isEmpty());
}

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
  if (!result()) return (*error = tr("nothing to export yet")), false;
  return exportWidgetPng(*figure_, file, error);
}

bool CompareView::exportPdf(const QString& file, QString* error) {
  if (!result()) return (*error = tr("nothing to export yet")), false;
  return exportWidgetPdf(*figure_, file, tr("MOON comparison"), error);
}

bool CompareView::exportJson(const QString& file, QString* error) {
  if (!result()) return (*error = tr("nothing to export yet")), false;
  return exportComparisonJson(*result(), file, error, &whyClose_->attributions());
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
