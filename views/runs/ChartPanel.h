#pragma once

// The charts of the Runs view: one MetricChart per metric group (losses,
// reward, KL, learning rate, throughput, validation, other), a metric picker,
// an EMA smoothing slider and a log-scale switch. It draws what a MetricFeed
// delivers for the selected runs (several runs overlay in each chart).

#include <QHash>
#include <QMap>
#include <QPointer>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QCheckBox;
class QGridLayout;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QSlider;

namespace moon {

class MetricChart;

class ChartPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ChartPanel(QWidget* parent = nullptr);

  // The chart of a group ("Losses", ...); null until a key of the group arrived.
  MetricChart* chart(const QString& group) const { return charts_.value(group); }
  QList<MetricChart*> charts() const;
  // The chart last clicked, or the first visible one.
  MetricChart* currentChart() const;

  void setSmoothing(double weight);
  void setLogY(bool log);
  void setRunLabel(qint64 runId, const QString& label);
  void setKeyVisible(const QString& key, bool visible);
  bool isKeyVisible(const QString& key) const;
  // Every chart, one file per chart: <dir>/<group>.<ext>.
  bool exportAll(const QString& dir, const QString& ext, QString* error = nullptr);

 public Q_SLOTS:
  void addPoints(qint64 runId, const QString& key, const QVector<double>& steps, const QVector<double>& values);
  void removeRun(qint64 runId);
  void setKeys(const QStringList& keys);

 Q_SIGNALS:
  void pointsShown(qint64 runId, const QString& key, int count);

 private:
  void addStagePoints(qint64 runId, const QVector<double>& steps, const QVector<double>& values);
  MetricChart* chartFor(const QString& group);
  void relayout();
  void onPicked(QListWidgetItem* item);

  QHash<QString, MetricChart*> charts_;
  QPointer<MetricChart> current_;
  QHash<QString, bool> keyVisible_;  // explicit user choices and defaults, by key
  QHash<qint64, QString> runLabels_;
  // Where each run's training stage changed (from its "train/stage" metric), and its last stage.
  QHash<qint64, QVector<double>> stageChanges_;
  QHash<qint64, double> lastStage_;
  QListWidget* picker_;
  QSlider* smoothing_;
  QLabel* smoothingLabel_;
  QCheckBox* logY_;
  QWidget* grid_;
  QGridLayout* gridLayout_;
  QLabel* empty_;
};

}  // namespace moon
