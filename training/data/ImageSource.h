#pragma once

// Reads dataset images at batch time. A file that cannot be used (missing,
// empty, truncated, corrupt, or a path leading outside the dataset folder)
// is reported once by name, remembered so it is not retried, and counted;
// the caller decides what replaces it. Thread-safe.

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>

#include <opencv2/core.hpp>

namespace moon {

class ImageSource {
 public:
  // Relative paths are resolved against `root`, the dataset folder (empty:
  // the working directory, without the inside-the-folder check). Throws
  // IoError when `root` does not exist.
  explicit ImageSource(std::string root);

  // 8-bit BGR image (core/image readImageChecked), or nullopt when unusable.
  std::optional<cv::Mat> read(const std::string& path);

  // `path` joined to the dataset folder when relative.
  std::string resolve(const std::string& path) const;
  int64_t badFileCount() const;

 private:
  std::string root_;
  std::filesystem::path canonicalRoot_;
  mutable std::mutex mutex_;
  std::unordered_set<std::string> badFiles_;  // guarded by mutex_
};

}  // namespace moon
