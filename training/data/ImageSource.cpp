#include "training/data/ImageSource.h"

#include <filesystem>

#include <opencv2/imgcodecs.hpp>

#include "core/base/Logging.h"

namespace moon {

ImageSource::ImageSource(std::string root) : root_(std::move(root)) {}

std::string ImageSource::resolve(const std::string& path) const {
  const std::filesystem::path p(path);
  return p.is_absolute() || root_.empty() ? path : (std::filesystem::path(root_) / p).string();
}

std::optional<cv::Mat> ImageSource::read(const std::string& path) {
  const std::string file = resolve(path);
  {
    std::lock_guard lock(mutex_);
    if (badFiles_.count(file)) return std::nullopt;
  }
  std::string reason;
  cv::Mat image = decode(file, reason);
  if (!image.empty()) return image;
  std::lock_guard lock(mutex_);
  if (badFiles_.insert(file).second)
    log::training()->warn("{}: {}; the samples using it are replaced or shown without image", file, reason);
  return std::nullopt;
}

cv::Mat ImageSource::decode(const std::string& file, std::string& reason) {
  cv::Mat image;
  try {
    if (!std::filesystem::is_regular_file(file)) {
      reason = "file is missing";
    } else {
      image = cv::imread(file, cv::IMREAD_COLOR);
      if (image.empty()) reason = "not a readable image (corrupt, truncated or empty)";
    }
  } catch (const std::exception& e) {  // OpenCV decoders throw on some malformed files
    image.release();
    reason = e.what();
  }
  return image;
}

int64_t ImageSource::badFileCount() const {
  std::lock_guard lock(mutex_);
  return int64_t(badFiles_.size());
}

}  // namespace moon
