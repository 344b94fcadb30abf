#include "views/runs/MetricFeed.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>

#include "core/base/Error.h"
#include "core/store/RunStore.h"

namespace moon {

MetricFeed::MetricFeed(QObject* parent) : QObject(parent) {}

MetricFeed::~MetricFeed() = default;

void MetricFeed::setDatabase(const QString& dbPath) {
  for (qint64 id : std::as_const(runs_)) Q_EMIT runRemoved(id);
  runs_.clear();
  lastStep_.clear();
  keys_.clear();
  store_.reset();
  dbPath_ = dbPath;
}

bool MetricFeed::openStore() {
  if (store_) return true;
  if (dbPath_.isEmpty() || !QFileInfo::exists(dbPath_)) return false;
  try {
    store_ = std::make_unique<RunStore>(dbPath_.toStdString(), false);
  } catch (const Error& e) {
    Q_EMIT readFailed(QString::fromUtf8(e.what()));
    return false;
  }
  return true;
}

void MetricFeed::setRuns(const QVector<qint64>& runIds) {
  for (qint64 id : std::as_const(runs_)) {
    if (runIds.contains(id)) continue;
    for (auto it = lastStep_.begin(); it != lastStep_.end();) it = it->first.first == id ? lastStep_.erase(it) : ++it;
    Q_EMIT runRemoved(id);
  }
  runs_ = runIds;
}

void MetricFeed::reload(qint64 runId) {
  for (auto it = lastStep_.begin(); it != lastStep_.end();) it = it->first.first == runId ? lastStep_.erase(it) : ++it;
  Q_EMIT runRemoved(runId);
}

QStringList MetricFeed::keys() const { return keys_; }

void MetricFeed::poll() {
  more_ = false;
  if (runs_.isEmpty() || !openStore()) return;
  QStringList keys = keys_;
  QElapsedTimer clock;
  clock.start();
  try {
    for (qint64 id : std::as_const(runs_)) {
      for (const std::string& key : store_->metricKeys(id)) {
        const QString qkey = QString::fromStdString(key);
        if (!keys.contains(qkey)) keys << qkey;
        if (clock.elapsed() >= kSliceMs) {  // this poll's share is spent: the rest next time
          more_ = true;
          continue;
        }
        const auto slot = std::make_pair(id, key);
        const auto seen = lastStep_.find(slot);
        const int64_t after = seen == lastStep_.end() ? -1 : seen->second;
        const auto points = store_->metrics(id, key, after, kSliceRows);
        if (points.size() == kSliceRows) more_ = true;
        if (points.empty()) continue;
        QVector<double> steps, values;
        steps.reserve(qsizetype(points.size()));
        values.reserve(qsizetype(points.size()));
        for (const auto& p : points) {
          steps << double(p.step);
          values << p.value;
        }
        lastStep_[slot] = points.back().step;
        Q_EMIT pointsArrived(id, qkey, steps, values);
      }
    }
  } catch (const Error& e) {
    Q_EMIT readFailed(QString::fromUtf8(e.what()));
    more_ = false;
  }
  std::sort(keys.begin(), keys.end());
  if (keys != keys_) {
    keys_ = keys;
    Q_EMIT keysChanged(keys_);
  }
  if (more_ && !followUpQueued_) {
    // From the event loop, so painting and input come in between slices.
    followUpQueued_ = true;
    QTimer::singleShot(0, this, [this] {
      followUpQueued_ = false;
      poll();
    });
  }
}

}  // namespace moon
