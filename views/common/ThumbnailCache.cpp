#include "views/common/ThumbnailCache.h"

#include <QRunnable>

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "core/base/Error.h"
#include "core/image/ImageIo.h"

namespace moon {
namespace {

constexpr int kMaxQueued = 256;

QImage makeThumbnail(const QString& file, int side) {
  try {
    const cv::Mat bgr = readImageChecked(file.toStdString());
    const double scale = double(side) / std::max(bgr.cols, bgr.rows);
    cv::Mat small;
    cv::resize(bgr, small, cv::Size(std::max(1, int(bgr.cols * scale)), std::max(1, int(bgr.rows * scale))), 0, 0,
               scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::Mat rgb;
    cv::cvtColor(small, rgb, cv::COLOR_BGR2RGB);
    return QImage(rgb.data, rgb.cols, rgb.rows, int(rgb.step), QImage::Format_RGB888).copy();
  } catch (const Error&) {
    QImage grey(side, side, QImage::Format_RGB888);
    grey.fill(QColor(0xd0, 0xd0, 0xd0));
    return grey;
  }
}

}  // namespace

ThumbnailCache::ThumbnailCache(int side, int capacity, QObject* parent)
    : QObject(parent), side_(side), cache_(capacity) {
  pool_.setMaxThreadCount(std::max(1, std::min(4, QThread::idealThreadCount())));
}

ThumbnailCache::~ThumbnailCache() {
  pool_.clear();
  pool_.waitForDone();
}

QImage ThumbnailCache::thumbnail(const QString& file) {
  if (const QImage* hit = cache_.object(file)) return *hit;
  if (file.isEmpty() || pending_.contains(file)) return {};
  if (pending_.size() >= kMaxQueued) {
    // The user scrolled on: what is still queued is off screen by now.
    pool_.clear();
    pending_.clear();
  }
  pending_.insert(file);
  const int side = side_;
  // Newest first: the rows on screen now matter more than the ones scrolled past.
  pool_.start(QRunnable::create([this, file, side] {
                QImage image = makeThumbnail(file, side);
                QMetaObject::invokeMethod(
                    this, [this, file, image] { deliver(file, image); }, Qt::QueuedConnection);
              }),
              ++priority_);
  return {};
}

void ThumbnailCache::deliver(const QString& file, const QImage& image) {
  if (!pending_.remove(file)) return;  // cleared meanwhile
  cache_.insert(file, new QImage(image));
  Q_EMIT thumbnailReady(file);
}

void ThumbnailCache::clear() {
  pool_.clear();
  pending_.clear();
  cache_.clear();
}

void ThumbnailCache::waitForIdle() { pool_.waitForDone(); }

}  // namespace moon
