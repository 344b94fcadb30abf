#include "views/runs/MetricChart.h"

#include <QFile>
#include <QFileInfo>
#include <QTextStream>
#include <QVBoxLayout>

#include "views/common/PlotExport.h"
#include "views/common/QCustomPlotInclude.h"
#include "views/common/Theme.h"
#include "views/runs/ChartDecimation.h"

#include <algorithm>
#include <cmath>

namespace moon {
namespace {

constexpr int kReplotIntervalMs = 100;

const QVector<QColor>& seriesPalette() {
  static const QVector<QColor> colours{
      QColor(0x2f, 0x6f, 0xed), QColor(0xe4, 0x57, 0x2e), QColor(0x1e, 0x8a, 0x4c), QColor(0x8e, 0x44, 0xad),
      QColor(0xd4, 0x9a, 0x00), QColor(0x00, 0x97, 0xa7), QColor(0xc2, 0x18, 0x5b), QColor(0x55, 0x60, 0x7a),
  };
  return colours;
}

void setError(QString* error, const QString& text) {
  if (error) *error = text;
}

QString shortKey(const QString& key) { return key.startsWith(QLatin1String("train/")) ? key.mid(6) : key; }

}  // namespace

MetricChart::MetricChart(const QString& title, QWidget* parent) : QWidget(parent), title_(title) {
  plot_ = new QCustomPlot(this);
  plot_->setObjectName(QStringLiteral("metricPlot"));
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot_->setNoAntialiasingOnDrag(true);
  // Thick antialiased polylines over 100k noisy points are slow to stroke;
  // the fast path costs a little join quality.
  plot_->setPlottingHint(QCP::phFastPolylines, true);
  plot_->setMinimumHeight(170);
  plot_->plotLayout()->insertRow(0);
  auto* heading = new QCPTextElement(plot_, title, QFont(font().family(), font().pointSize(), QFont::DemiBold));
  plot_->plotLayout()->addElement(0, 0, heading);
  plot_->xAxis->setLabel(tr("step"));
  plot_->legend->setVisible(true);
  plot_->legend->setFont(QFont(font().family(), qMax(6, font().pointSize() - 2)));
  // The legend sits in a row under the axes, never over the curves; entries
  // fill two columns, then wrap.
  auto* legendRow = new QCPLayoutGrid;
  plot_->plotLayout()->addElement(2, 0, legendRow);
  legendRow->setMargins(QMargins(4, 0, 4, 4));
  legendRow->addElement(0, 0, plot_->legend);
  plot_->legend->setFillOrder(QCPLegend::foColumnsFirst);
  plot_->legend->setWrap(2);
  plot_->legend->setBrush(Qt::NoBrush);
  plot_->legend->setBorderPen(Qt::NoPen);
  plot_->plotLayout()->setRowStretchFactor(2, 0.001);
  for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis}) {
    axis->setBasePen(QPen(QColor(0x8a, 0x94, 0xa6)));
    axis->setTickPen(QPen(QColor(0x8a, 0x94, 0xa6)));
    axis->setSubTickPen(QPen(QColor(0xb0, 0xb8, 0xc4)));
    axis->grid()->setPen(QPen(QColor(0xe6, 0xe9, 0xee), 0, Qt::SolidLine));
    axis->setLabelColor(QColor(0x44, 0x50, 0x6a));
    axis->setTickLabelColor(QColor(0x44, 0x50, 0x6a));
  }
  // The user zooming or panning stops the axes from following new points;
  // double-click follows again.
  connect(plot_, &QCustomPlot::mouseWheel, this, [this] { follow_ = false; });
  connect(plot_, &QCustomPlot::mousePress, this, [this] {
    follow_ = false;
    Q_EMIT clicked();
  });
  connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this] { fitView(); });
  // A zoom or pan (any range not set by replotNow) stops following the data,
  // and shows other steps: the decimated series are cut for them again.
  connect(plot_->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
    if (inReplot_) return;
    follow_ = false;
    for (const auto& [k, s] : series_)
      if (s.decimated) return scheduleReplot();
  });

  replotTimer_.setSingleShot(true);
  replotTimer_.setInterval(kReplotIntervalMs);
  connect(&replotTimer_, &QTimer::timeout, this, &MetricChart::replotNow);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_);
}

QString MetricChart::seriesName(const Series& s) const {
  // The run's name only when runs are overlaid: with one it is in the panel.
  if (!severalRuns_) return shortKey(s.key);
  const QString run = runLabels_.value(s.runId, QStringLiteral("run %1").arg(s.runId));
  return QStringLiteral("%1 · %2").arg(run, shortKey(s.key));
}

MetricChart::Series& MetricChart::seriesFor(qint64 runId, const QString& key) {
  const SeriesKey k{runId, key};
  auto it = series_.find(k);
  if (it != series_.end()) return it->second;
  Series& s = series_[k];
  s.runId = runId;
  s.key = key;
  s.colour = seriesPalette()[nextColour_++ % seriesPalette().size()];
  s.raw = plot_->addGraph();
  s.smooth = plot_->addGraph();
  s.raw->setAdaptiveSampling(true);
  s.smooth->setAdaptiveSampling(true);
  restyle(s);
  return s;
}

void MetricChart::restyle(Series& s) {
  const bool visible = !hiddenKeys_.contains(s.key);
  const bool smoothed = smoothing_ > 0;
  QColor faint = s.colour;
  faint.setAlpha(smoothed ? 60 : 255);
  s.raw->setPen(QPen(faint, 1.4));
  s.smooth->setPen(QPen(s.colour, 1.8));
  s.raw->setVisible(visible);
  s.smooth->setVisible(visible && smoothed);
  s.raw->setName(seriesName(s));
  s.smooth->setName(seriesName(s));
  // One legend entry per series: the curve drawn in full colour.
  s.raw->removeFromLegend();
  s.smooth->removeFromLegend();
  if (visible) (smoothed ? s.smooth : s.raw)->addToLegend();
}

void MetricChart::appendSmoothed(Series& s, const QVector<double>& steps, const QVector<double>& values) {
  if (smoothing_ <= 0) return;
  QVector<double> out(values.size());
  for (int i = 0; i < values.size(); ++i) {
    const double v = values[i];
    if (!std::isfinite(v)) {
      out[i] = v;
      continue;
    }
    s.ema = s.ema * smoothing_ + (1 - smoothing_) * v;
    ++s.emaCount;
    out[i] = s.ema / (1 - std::pow(smoothing_, s.emaCount));  // debiased: the first points are not pulled to 0
  }
  s.smoothed += out;
  if (!s.decimated) s.smooth->addData(steps, out, true);
}

void MetricChart::addPoints(qint64 runId, const QString& key, const QVector<double>& steps,
                            const QVector<double>& values) {
  if (steps.isEmpty() || steps.size() != values.size()) return;
  Series& s = seriesFor(runId, key);
  // Keep the series sorted: drop points at or before the last step (a re-read).
  int first = 0;
  if (!s.steps.isEmpty())
    while (first < steps.size() && steps[first] <= s.steps.constLast()) ++first;
  if (first == steps.size()) return;
  const QVector<double> newSteps = first == 0 ? steps : steps.mid(first);
  const QVector<double> newValues = first == 0 ? values : values.mid(first);
  s.steps += newSteps;
  s.values += newValues;
  for (double v : newValues) {
    if (!std::isfinite(v)) continue;
    s.low = s.hasRange ? std::min(s.low, v) : v;
    s.high = s.hasRange ? std::max(s.high, v) : v;
    s.hasRange = true;
  }
  if (!s.decimated && s.steps.size() > kDirectPoints) s.decimated = true;  // from now on replotNow fills the graphs
  if (!s.decimated) s.raw->addData(newSteps, newValues, true);
  appendSmoothed(s, newSteps, newValues);
  // A lone point (the first validation of a run) draws no line: show it as a dot until a second comes.
  const QCPScatterStyle dot = s.steps.size() == 1 ? QCPScatterStyle(QCPScatterStyle::ssDisc, 6) : QCPScatterStyle();
  s.raw->setScatterStyle(dot);
  s.smooth->setScatterStyle(dot);
  scheduleReplot();
}

void MetricChart::setStageMarkers(qint64 runId, const QVector<double>& steps) {
  for (QCPItemStraightLine* line : stageMarkers_.take(runId)) plot_->removeItem(line);
  QList<QCPItemStraightLine*> lines;
  for (double step : steps) {
    auto* line = new QCPItemStraightLine(plot_);
    line->point1->setTypeX(QCPItemPosition::ptPlotCoords);
    line->point1->setTypeY(QCPItemPosition::ptAxisRectRatio);
    line->point2->setTypeX(QCPItemPosition::ptPlotCoords);
    line->point2->setTypeY(QCPItemPosition::ptAxisRectRatio);
    line->point1->setCoords(step, 0);
    line->point2->setCoords(step, 1);
    line->setPen(QPen(QColor(QLatin1String(themeColour::kMuted)), 1, Qt::DashLine));
    line->setSelectable(false);
    lines << line;
  }
  if (!lines.isEmpty()) stageMarkers_.insert(runId, lines);
  scheduleReplot();
}

int MetricChart::stageMarkerCount() const {
  int n = 0;
  for (const auto& lines : stageMarkers_) n += lines.size();
  return n;
}

void MetricChart::removeRun(qint64 runId) {
  for (QCPItemStraightLine* line : stageMarkers_.take(runId)) plot_->removeItem(line);
  for (auto it = series_.begin(); it != series_.end();) {
    if (it->first.first != runId) {
      ++it;
      continue;
    }
    plot_->removeGraph(it->second.raw);
    plot_->removeGraph(it->second.smooth);
    it = series_.erase(it);
  }
  scheduleReplot();
}

void MetricChart::setRunLabel(qint64 runId, const QString& label) {
  if (runLabels_.value(runId) == label) return;
  runLabels_.insert(runId, label);
  for (auto& [k, s] : series_)
    if (k.first == runId) restyle(s);
  scheduleReplot();
}

void MetricChart::setKeyVisible(const QString& key, bool visible) {
  if (visible == !hiddenKeys_.contains(key)) return;
  if (visible)
    hiddenKeys_.remove(key);
  else
    hiddenKeys_.insert(key);
  for (auto& [k, s] : series_)
    if (k.second == key) restyle(s);
  scheduleReplot();
}

bool MetricChart::hasVisibleSeries() const {
  for (const auto& [k, s] : series_)
    if (!hiddenKeys_.contains(k.second)) return true;
  return false;
}

void MetricChart::setSmoothing(double weight) {
  weight = std::clamp(weight, 0.0, 0.999);
  if (weight == smoothing_) return;
  smoothing_ = weight;
  rebuildSmoothing();
}

void MetricChart::rebuildSmoothing() {
  for (auto& [k, s] : series_) {
    s.smooth->data()->clear();
    s.smoothed.clear();
    s.ema = 0;
    s.emaCount = 0;
    appendSmoothed(s, s.steps, s.values);
    restyle(s);
  }
  scheduleReplot();
}

void MetricChart::setLogY(bool log) {
  plot_->yAxis->setScaleType(log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  if (log)
    plot_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
  else
    plot_->yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
  follow_ = true;
  scheduleReplot();
}

void MetricChart::fitView() {
  follow_ = true;
  replotNow();
}

int MetricChart::pointCount(qint64 runId, const QString& key) const {
  const auto it = series_.find({runId, key});
  return it == series_.end() ? 0 : it->second.steps.size();
}

void MetricChart::scheduleReplot() {
  dirty_ = true;
  if (!replotTimer_.isActive()) replotTimer_.start();
}

void MetricChart::redecimate() {
  const QCPRange x = plot_->xAxis->range();
  const int buckets = std::max(100, plot_->axisRect()->width());
  for (auto& [k, s] : series_) {
    if (!s.decimated) continue;
    const DecimatedSeries raw = decimateM4(s.steps, s.values, x.lower, x.upper, buckets);
    s.raw->setData(raw.steps, raw.values, true);
    if (s.smoothed.size() == s.steps.size()) {
      const DecimatedSeries smooth = decimateM4(s.steps, s.smoothed, x.lower, x.upper, buckets);
      s.smooth->setData(smooth.steps, smooth.values, true);
    }
  }
}

void MetricChart::replotNow() {
  dirty_ = false;
  inReplot_ = true;
  if (follow_) {
    bool any = false;
    QCPRange x, y;
    for (const auto& [k, s] : series_) {
      if (!s.raw->visible()) continue;
      bool found = false;
      QCPRange kx, ky;
      if (s.decimated) {  // the graph holds a view, not the series: use what addPoints kept
        if (s.steps.isEmpty() || !s.hasRange) continue;
        kx = QCPRange(s.steps.constFirst(), s.steps.constLast());
        ky = QCPRange(s.low, s.high);
      } else {
        kx = s.raw->getKeyRange(found);
        if (!found) continue;
        ky = s.raw->getValueRange(found, QCP::sdBoth);
        if (!found) continue;
      }
      x = any ? QCPRange(qMin(x.lower, kx.lower), qMax(x.upper, kx.upper)) : kx;
      y = any ? QCPRange(qMin(y.lower, ky.lower), qMax(y.upper, ky.upper)) : ky;
      any = true;
    }
    if (any) {
      if (x.size() <= 0) x = QCPRange(x.lower - 1, x.upper + 1);
      plot_->xAxis->setRange(x);
      if (plot_->yAxis->scaleType() == QCPAxis::stLogarithmic) {
        plot_->yAxis->rescale(true);
        plot_->yAxis->scaleRange(1.15);
      } else {
        const double pad = y.size() > 0 ? 0.06 * y.size() : qMax(1e-9, 0.1 * std::abs(y.lower));
        plot_->yAxis->setRange(y.lower - pad, y.upper + pad);
      }
    }
  }
  bool several = false;
  for (const auto& [key, series] : series_) several = several || series.runId != series_.begin()->second.runId;
  if (several != severalRuns_) {  // names follow the number of runs shown
    severalRuns_ = several;
    for (auto& [key, series] : series_) restyle(series);
  }
  plot_->legend->setVisible(plot_->legend->itemCount() > 0);
  redecimate();
  inReplot_ = false;
  plot_->replot(QCustomPlot::rpQueuedReplot);
  ++replots_;
  Q_EMIT replotted();
}

bool MetricChart::savePng(const QString& path, QString* error, int width, int height) {
  replotNow();
  return savePlot(*plot_, path, title_, error, width, height, QStringLiteral("png"));
}

bool MetricChart::saveSvg(const QString& path, QString* error, int width, int height) {
  replotNow();
  return savePlot(*plot_, path, title_, error, width, height, QStringLiteral("svg"));
}

bool MetricChart::savePdf(const QString& path, QString* error, int width, int height) {
  replotNow();
  return savePlot(*plot_, path, title_, error, width, height, QStringLiteral("pdf"));
}

bool MetricChart::saveCsv(const QString& path, QString* error) const {
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
    setError(error, tr("could not write %1: %2").arg(path, file.errorString()));
    return false;
  }
  QTextStream out(&file);
  out << "run,name,key,step,value\n";
  for (const auto& [k, s] : series_) {
    QString name = runLabels_.value(s.runId);
    name.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    for (int i = 0; i < s.steps.size(); ++i)
      out << s.runId << ",\"" << name << "\"," << s.key << ',' << qint64(s.steps[i]) << ','
          << QString::number(s.values[i], 'g', 10) << '\n';
  }
  out.flush();
  if (file.error() != QFile::NoError) {
    setError(error, tr("could not write %1: %2").arg(path, file.errorString()));
    return false;
  }
  return true;
}

bool MetricChart::exportTo(const QString& path, QString* error) {
  const QString ext = QFileInfo(path).suffix().toLower();
  if (ext == QLatin1String("png")) return savePng(path, error);
  if (ext == QLatin1String("svg")) return saveSvg(path, error);
  if (ext == QLatin1String("pdf")) return savePdf(path, error);
  if (ext == QLatin1String("csv")) return saveCsv(path, error);
  setError(error, tr("%1: choose a .png, .svg, .pdf or .csv file").arg(path));
  return false;
}

}  // namespace moon
