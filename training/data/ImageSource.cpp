#include "training/data/ImageSource.h"

#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/data/DatasetPaths.h"
#include "core/image/ImageIo.h"

namespace moon {

namespace fs = std::filesystem;

ImageSource::ImageSource(std::string root) : root_(std::move(root)) {
  if (root_.empty()) return;
  std::error_code ec;
  canonicalRoot_ = fs::canonical(root_, ec);
  if (ec || !fs::is_directory(canonicalRoot_)) throw IoError(root_ + ": dataset folder not found");
}

std::string ImageSource::resolve(const std::string& path) const {
  const fs::path p(path);
  return p.is_absolute() || root_.empty() ? path : (fs::path(root_) / p).string();
}

std::optional<cv::Mat> ImageSource::read(const std::string& path) {
  const std::string file = resolve(path);
  {
    std::lock_guard lock(mutex_);
    if (badFiles_.count(file)) return std::nullopt;
  }
  std::string problem;
  try {
    // Dataset paths are checked against the folder again here: products may
    // come from somewhere other than Dataset::load.
    const bool checkInside = !root_.empty() && !fs::path(path).is_absolute();
    return readImageChecked(checkInside ? resolveDatasetImage(canonicalRoot_, path, "image").string() : file);
  } catch (const Error& e) {
    problem = e.what();
  } catch (const cv::Exception& e) {
    problem = e.what();
  }
  std::lock_guard lock(mutex_);
  if (badFiles_.insert(file).second)
    log::training()->warn("{}: {}; the samples using it are replaced or shown without image", file, problem);
  return std::nullopt;
}

int64_t ImageSource::badFileCount() const {
  std::lock_guard lock(mutex_);
  return int64_t(badFiles_.size());
}

}  // namespace moon
