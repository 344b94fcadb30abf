// Product and query images go through decodeImageChecked() (OpenCV behind a
// structure check of our own).
#include <string>
#include <vector>

#include "FuzzTargets.h"
#include "core/base/Error.h"
#include "core/image/ImageFormat.h"
#include "core/image/ImageIo.h"

namespace moon::fuzz {

bool fuzzImage(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  cv::Mat image;
  try {
    image = decodeImageChecked(bytes, "fuzz-image");
  } catch (const Error&) {
    return false;
  }
  if (image.empty() || image.type() != CV_8UC3) violated("an accepted image is not 8-bit BGR");
  // The size read from the header (what the pixel limit is checked on) is the
  // size that decodes; a JPEG's EXIF orientation may swap the two.
  const ImageFormat format = detectImageFormat(data, size);
  if (const auto declared = declaredImageSize(format, data, size)) {
    const auto w = uint64_t(image.cols), h = uint64_t(image.rows);
    const bool same = w == declared->width && h == declared->height;
    const bool rotated = format == ImageFormat::Jpeg && w == declared->height && h == declared->width;
    if (!same && !rotated)
      violated("the header declares " + std::to_string(declared->width) + "x" + std::to_string(declared->height) +
               " but " + std::to_string(w) + "x" + std::to_string(h) + " decoded");
  }
  return true;
}

}  // namespace moon::fuzz
