#pragma once

// Reads dataset images at batch time. A file that cannot be read (missing,
// truncated, not an image) is reported once by name, remembered so it is not
// retried, and counted; the caller decides what replaces it. Thread-safe.

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>

#include <opencv2/core.hpp>

namespace moon {

class ImageSource {
 public:
  // Relative paths are resolved against `root` (the dataset folder).
  explicit ImageSource(std::string root);

  // 8-bit BGR image, or nullopt when the file is unusable.
  std::optional<cv::Mat> read(const std::string& path);

  std::string resolve(const std::string& path) const;

  // Decodes `file` without remembering anything (a user's own input, which
  // they may fix and retry); on failure returns an empty image and sets `reason`.
  static cv::Mat decode(const std::string& file, std::string& reason);
  int64_t badFileCount() const;

 private:
  std::string root_;
  mutable std::mutex mutex_;
  std::unordered_set<std::string> badFiles_;  // guarded by mutex_
};

}  // namespace moon
