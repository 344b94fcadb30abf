#pragma once

// One chart of the Runs view (a metric group such as "Losses"): a series per
// (run, metric key), appended to as points arrive and redrawn at most every
// ~100 ms, so a live run with 100,000 points stays fluid: points are added to
// the existing QCPGraph (sorted, adaptive sampling), never rebuilt per tick.
// Smoothing is TensorBoard's debiased exponential moving average, drawn over
// the faint raw curve. Zoom with the wheel, pan by dragging, double-click to
// fit again.

#include <QColor>
#include <QHash>
#include <QSet>
#include <QString>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include <map>
#include <utility>

class QCustomPlot;
class QCPGraph;
class QCPItemStraightLine;

namespace moon {

class MetricChart : public QWidget {
  Q_OBJECT
 public:
  // Series longer than this are drawn decimated (min/max per pixel column of
  // the visible steps, M4), so a 10 M-point run draws as fast as a short one.
  static constexpr int kDirectPoints = 20000;

  explicit MetricChart(const QString& title, QWidget* parent = nullptr);

  QString title() const { return title_; }
  QCustomPlot* plot() const { return plot_; }

  // Appends points of one series (steps increasing; a step not after the last one is dropped).
  void addPoints(qint64 runId, const QString& key, const QVector<double>& steps, const QVector<double>& values);
  void removeRun(qint64 runId);
  void setRunLabel(qint64 runId, const QString& label);
  void setKeyVisible(const QString& key, bool visible);
  bool hasVisibleSeries() const;
  // 0 = raw; up to 0.999.
  void setSmoothing(double weight);
  double smoothing() const { return smoothing_; }
  void setLogY(bool log);
  // Dashed vertical lines where a run's training stage changes (replacing the run's earlier ones).
  void setStageMarkers(qint64 runId, const QVector<double>& steps);
  int stageMarkerCount() const;
  // Fit the axes to the data again and follow new points.
  void fitView();

  int seriesCount() const { return static_cast<int>(series_.size()); }
  int pointCount(qint64 runId, const QString& key) const;
  // Replots done (tests check batching).
  int replotCount() const { return replots_; }

  // Files a user can open elsewhere; false with *error on failure.
  bool savePng(const QString& path, QString* error = nullptr, int width = 0, int height = 0);
  bool saveSvg(const QString& path, QString* error = nullptr, int width = 0, int height = 0);
  bool savePdf(const QString& path, QString* error = nullptr, int width = 0, int height = 0);
  // run,key,step,value (raw values), one line per point.
  bool saveCsv(const QString& path, QString* error = nullptr) const;
  // By extension: .png, .svg, .pdf or .csv.
  bool exportTo(const QString& path, QString* error = nullptr);

 Q_SIGNALS:
  void replotted();
  void clicked();

 private:
  QHash<qint64, QList<QCPItemStraightLine*>> stageMarkers_;
  struct Series {
    qint64 runId = 0;
    QString key;
    QVector<double> steps, values;  // raw
    QVector<double> smoothed;       // the EMA of every point (when smoothing is on)
    double low = 0, high = 0;       // finite values' range
    bool hasRange = false;
    bool decimated = false;  // past kDirectPoints: the graphs hold what replotNow decimates
    double ema = 0;          // running EMA state (not debiased)
    int emaCount = 0;
    QCPGraph* raw = nullptr;
    QCPGraph* smooth = nullptr;
    QColor colour;
  };
  using SeriesKey = std::pair<qint64, QString>;

  Series& seriesFor(qint64 runId, const QString& key);
  void appendSmoothed(Series& s, const QVector<double>& steps, const QVector<double>& values);
  void restyle(Series& s);
  void rebuildSmoothing();
  void scheduleReplot();
  void replotNow();
  // The decimated series' graphs refilled for the current x range (ChartDecimation.h).
  void redecimate();
  QString seriesName(const Series& s) const;

  QString title_;
  QCustomPlot* plot_;
  std::map<SeriesKey, Series> series_;
  QHash<qint64, QString> runLabels_;
  QSet<QString> hiddenKeys_;
  double smoothing_ = 0;
  bool follow_ = true;  // fit the axes on each replot until the user zooms or pans
  bool dirty_ = false;
  int replots_ = 0;
  int nextColour_ = 0;
  bool severalRuns_ = false;  // series names carry the run's name only when runs are overlaid
  QTimer replotTimer_;
  bool inReplot_ = false;  // range changes made by replotNow itself are not user zooms
};

}  // namespace moon
