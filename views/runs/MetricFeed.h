#pragma once

// Reads the metrics of the selected runs from the run store incrementally:
// each poll() asks only for the points after the last step seen per
// (run, key) and emits them, so a run with 100,000 points costs one full read
// when selected and a few rows per poll afterwards. A long run is read in
// slices (at most kSliceRows points per series and about kSliceMs of reading
// per poll, the rest in a follow-up poll from the event loop), so selecting a
// run of millions of points never holds the GUI thread for long.

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QVector>

#include <map>
#include <memory>
#include <string>
#include <utility>

namespace moon {

class RunStore;

class MetricFeed : public QObject {
  Q_OBJECT
 public:
  explicit MetricFeed(QObject* parent = nullptr);
  ~MetricFeed() override;

  // The store to read (empty: none). Forgets every run.
  void setDatabase(const QString& dbPath);
  // Runs to follow; runs no longer listed are dropped (runRemoved), new ones
  // are read from their first point on the next poll.
  void setRuns(const QVector<qint64>& runIds);
  const QVector<qint64>& runs() const { return runs_; }
  // Forget what was read for `runId` (its metrics were rewritten, e.g. resumed), re-reading it next poll.
  void reload(qint64 runId);

  // Every key seen so far for the followed runs, sorted.
  QStringList keys() const;
  // True while points remain that a follow-up poll will read.
  bool hasMore() const { return more_; }

  static constexpr std::size_t kSliceRows = 25000;
  static constexpr int kSliceMs = 25;

 public Q_SLOTS:
  void poll();

 Q_SIGNALS:
  // New points of one series, by increasing step.
  void pointsArrived(qint64 runId, const QString& key, const QVector<double>& steps, const QVector<double>& values);
  void runRemoved(qint64 runId);
  void keysChanged(const QStringList& keys);
  void readFailed(const QString& message);

 private:
  bool openStore();

  QString dbPath_;
  std::unique_ptr<RunStore> store_;
  QVector<qint64> runs_;
  std::map<std::pair<qint64, std::string>, int64_t> lastStep_;  // (run, key) -> last step emitted
  QStringList keys_;
  bool more_ = false;
  bool followUpQueued_ = false;
};

}  // namespace moon
