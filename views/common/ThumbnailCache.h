#pragma once

#include <QCache>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QString>
#include <QThreadPool>

namespace moon {

// Thumbnails of image files, decoded and scaled on a worker pool and kept in
// an LRU cache, so a grid of thousands of products scrolls without decoding
// on the GUI thread. Requests for rows scrolled past are dropped when the
// queue grows; the view asks again when they come back.
class ThumbnailCache : public QObject {
  Q_OBJECT
 public:
  // `side`: longest edge in pixels; `capacity`: thumbnails kept.
  explicit ThumbnailCache(int side = 96, int capacity = 3000, QObject* parent = nullptr);
  // Drops queued work and waits for running decodes.
  ~ThumbnailCache() override;

  int side() const { return side_; }
  // The cached thumbnail, or a null image while it is being made (then
  // thumbnailReady(file) follows). A file that cannot be read yields a grey
  // placeholder image, once.
  QImage thumbnail(const QString& file);
  bool contains(const QString& file) const { return cache_.contains(file); }
  int cachedCount() const { return cache_.size(); }
  int pendingCount() const { return int(pending_.size()); }
  // Drops every cached thumbnail and queued request.
  void clear();
  // Blocks until the pool is idle (tests, batch screenshots).
  void waitForIdle();

 Q_SIGNALS:
  void thumbnailReady(const QString& file);

 private:
  void deliver(const QString& file, const QImage& image);

  int side_;
  QThreadPool pool_;
  QCache<QString, QImage> cache_;
  QSet<QString> pending_;
  int priority_ = 0;
};

}  // namespace moon
