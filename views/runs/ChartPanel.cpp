#include "views/runs/ChartPanel.h"

#include <QCheckBox>
#include <QDir>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSplitter>
#include <QVBoxLayout>

#include <utility>

#include "training/events/TrainEvent.h"
#include "views/runs/MetricChart.h"
#include "views/runs/MetricGroups.h"

namespace moon {

ChartPanel::ChartPanel(QWidget* parent) : QWidget(parent) {
  auto* controls = new QHBoxLayout;
  controls->setSpacing(8);
  auto* smoothingCaption = new QLabel(tr("Smoothing"), this);
  smoothing_ = new QSlider(Qt::Horizontal, this);
  smoothing_->setObjectName(QStringLiteral("smoothingSlider"));
  smoothing_->setRange(0, 99);
  smoothing_->setValue(60);
  smoothing_->setMaximumWidth(180);
  smoothing_->setToolTip(tr("Exponential moving average weight (0 = raw values)"));
  smoothingLabel_ = new QLabel(this);
  smoothingLabel_->setMinimumWidth(32);
  logY_ = new QCheckBox(tr("Log scale"), this);
  logY_->setObjectName(QStringLiteral("logScale"));
  auto* fit = new QPushButton(tr("Fit"), this);
  fit->setToolTip(tr("Fit every chart to its data again (or double-click a chart)"));
  controls->addWidget(smoothingCaption);
  controls->addWidget(smoothing_);
  controls->addWidget(smoothingLabel_);
  controls->addSpacing(12);
  controls->addWidget(logY_);
  controls->addWidget(fit);
  controls->addStretch(1);

  picker_ = new QListWidget(this);
  picker_->setObjectName(QStringLiteral("metricPicker"));
  picker_->setToolTip(tr("Metrics to draw"));
  picker_->setMinimumWidth(130);
  picker_->setMaximumWidth(170);

  grid_ = new QWidget;
  gridLayout_ = new QGridLayout(grid_);
  gridLayout_->setContentsMargins(0, 0, 0, 0);
  gridLayout_->setSpacing(8);
  empty_ = new QLabel(tr("Select one or more runs to see their curves. Ctrl+click overlays several runs."), grid_);
  empty_->setObjectName(QStringLiteral("hint"));
  empty_->setAlignment(Qt::AlignCenter);
  empty_->setWordWrap(true);
  gridLayout_->addWidget(empty_, 0, 0);
  auto* scroll = new QScrollArea(this);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(grid_);

  auto* body = new QHBoxLayout;
  body->setSpacing(8);
  body->addWidget(picker_);
  body->addWidget(scroll, 1);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(controls);
  layout->addLayout(body, 1);

  connect(smoothing_, &QSlider::valueChanged, this, [this](int v) { setSmoothing(v / 100.0); });
  connect(logY_, &QCheckBox::toggled, this, &ChartPanel::setLogY);
  connect(fit, &QPushButton::clicked, this, [this] {
    for (MetricChart* c : std::as_const(charts_)) c->fitView();
  });
  connect(picker_, &QListWidget::itemChanged, this, &ChartPanel::onPicked);
  setSmoothing(0.6);
}

QList<MetricChart*> ChartPanel::charts() const {
  QList<MetricChart*> out;
  for (const auto& g : metricGroupOrder())
    if (MetricChart* c = charts_.value(QString::fromStdString(g))) out << c;
  return out;
}

MetricChart* ChartPanel::currentChart() const {
  if (current_ && current_->isVisible()) return current_;
  for (MetricChart* c : charts())
    if (c->hasVisibleSeries()) return c;
  return charts().value(0);
}

MetricChart* ChartPanel::chartFor(const QString& group) {
  if (MetricChart* c = charts_.value(group)) return c;
  auto* c = new MetricChart(group, grid_);
  c->setObjectName(QStringLiteral("chart:") + group);
  c->setSmoothing(smoothing_->value() / 100.0);
  c->setLogY(logY_->isChecked());
  for (auto it = runLabels_.cbegin(); it != runLabels_.cend(); ++it) c->setRunLabel(it.key(), it.value());
  for (auto it = stageChanges_.cbegin(); it != stageChanges_.cend(); ++it) c->setStageMarkers(it.key(), it.value());
  for (auto it = keyVisible_.cbegin(); it != keyVisible_.cend(); ++it) c->setKeyVisible(it.key(), it.value());
  connect(c, &MetricChart::clicked, this, [this, c] { current_ = c; });
  charts_.insert(group, c);
  relayout();
  return c;
}

void ChartPanel::relayout() {
  // Two columns of the charts that have something to show, in group order.
  for (MetricChart* c : std::as_const(charts_)) gridLayout_->removeWidget(c);
  int i = 0;
  for (MetricChart* c : charts()) {
    const bool show = c->hasVisibleSeries();
    c->setVisible(show);
    if (!show) continue;
    gridLayout_->addWidget(c, i / 2, i % 2);
    ++i;
  }
  empty_->setVisible(i == 0);
  if (i == 0) gridLayout_->addWidget(empty_, 0, 0, 1, 2);
}

void ChartPanel::addPoints(qint64 runId, const QString& key, const QVector<double>& steps,
                           const QVector<double>& values) {
  if (key == QLatin1String("train/") + QLatin1String(event_key::kStage)) addStagePoints(runId, steps, values);
  const bool known = keyVisible_.contains(key);
  if (!known) keyVisible_.insert(key, metricShownByDefault(key.toStdString()));
  MetricChart* c = chartFor(QString::fromStdString(metricGroup(key.toStdString())));
  const bool had = c->hasVisibleSeries();
  if (!known) c->setKeyVisible(key, keyVisible_.value(key));
  c->addPoints(runId, key, steps, values);
  if (had != c->hasVisibleSeries() || !known) relayout();
  Q_EMIT pointsShown(runId, key, c->pointCount(runId, key));
}

void ChartPanel::addStagePoints(qint64 runId, const QVector<double>& steps, const QVector<double>& values) {
  QVector<double>& changes = stageChanges_[runId];
  const int before = changes.size();
  for (int i = 0; i < steps.size(); ++i) {
    const auto last = lastStage_.find(runId);
    // A change is marked at the first step of the new stage, the line between the two stages.
    if (last != lastStage_.end() && *last != values[i]) changes << steps[i] - 0.5;
    lastStage_.insert(runId, values[i]);
  }
  if (changes.size() == before) return;
  for (MetricChart* c : std::as_const(charts_)) c->setStageMarkers(runId, changes);
}

void ChartPanel::removeRun(qint64 runId) {
  stageChanges_.remove(runId);
  lastStage_.remove(runId);
  for (MetricChart* c : std::as_const(charts_)) c->removeRun(runId);
  relayout();
}

void ChartPanel::setKeys(const QStringList& keys) {
  QSignalBlocker block(picker_);
  picker_->clear();
  QString lastGroup;
  for (const QString& key : keys) {
    const QString group = QString::fromStdString(metricGroup(key.toStdString()));
    if (!keyVisible_.contains(key)) keyVisible_.insert(key, metricShownByDefault(key.toStdString()));
    auto* item = new QListWidgetItem(key.startsWith(QLatin1String("train/")) ? key.mid(6) : key, picker_);
    item->setData(Qt::UserRole, key);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
    item->setCheckState(keyVisible_.value(key) ? Qt::Checked : Qt::Unchecked);
    item->setToolTip(tr("%1 (chart: %2)").arg(key, group));
  }
}

void ChartPanel::onPicked(QListWidgetItem* item) {
  setKeyVisible(item->data(Qt::UserRole).toString(), item->checkState() == Qt::Checked);
}

void ChartPanel::setKeyVisible(const QString& key, bool visible) {
  keyVisible_.insert(key, visible);
  for (MetricChart* c : std::as_const(charts_)) c->setKeyVisible(key, visible);
  for (int i = 0; i < picker_->count(); ++i) {
    QListWidgetItem* item = picker_->item(i);
    if (item->data(Qt::UserRole).toString() != key) continue;
    QSignalBlocker block(picker_);
    item->setCheckState(visible ? Qt::Checked : Qt::Unchecked);
  }
  relayout();
}

bool ChartPanel::isKeyVisible(const QString& key) const { return keyVisible_.value(key, false); }

void ChartPanel::setSmoothing(double weight) {
  smoothingLabel_->setText(QString::number(weight, 'f', 2));
  if (smoothing_->value() != qRound(weight * 100)) {
    QSignalBlocker block(smoothing_);
    smoothing_->setValue(qRound(weight * 100));
  }
  for (MetricChart* c : std::as_const(charts_)) c->setSmoothing(weight);
}

void ChartPanel::setLogY(bool log) {
  if (logY_->isChecked() != log) {
    QSignalBlocker block(logY_);
    logY_->setChecked(log);
  }
  for (MetricChart* c : std::as_const(charts_)) c->setLogY(log);
}

void ChartPanel::setRunLabel(qint64 runId, const QString& label) {
  runLabels_.insert(runId, label);
  for (MetricChart* c : std::as_const(charts_)) c->setRunLabel(runId, label);
}

bool ChartPanel::exportAll(const QString& dir, const QString& ext, QString* error) {
  for (MetricChart* c : charts()) {
    if (!c->hasVisibleSeries()) continue;
    QString name = c->title().toLower();
    name.replace(QLatin1Char(' '), QLatin1Char('-'));
    if (!c->exportTo(QDir(dir).filePath(name + QLatin1Char('.') + ext), error)) return false;
  }
  return true;
}

}  // namespace moon
