#pragma once

// Reading and writing image files with errors that name the file. Every
// image the project decodes goes through readImageChecked(), so a dataset
// with a broken file fails loudly instead of training on gray pixels.

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace moon {

// Larger images are refused from their header, before decoding: a product
// photo never needs more, and a corrupt or hostile header must not make the
// decoder allocate gigabytes.
inline constexpr uint64_t kMaxImagePixels = 64'000'000;

// Returns an 8-bit, 3-channel BGR image. Grayscale is expanded, an alpha
// channel is composited over white, 16-bit is scaled to 8-bit, and a JPEG's
// EXIF orientation is applied.
// Throws IoError (missing, unreadable, not a regular file) or FormatError
// (0 bytes, unsupported format, truncated, corrupt, over kMaxImagePixels); the message starts with
// the path.
cv::Mat readImageChecked(const std::string& path);

// The same for bytes already in memory; `name` is used in messages.
cv::Mat decodeImageChecked(const std::vector<uint8_t>& bytes, const std::string& name);

// Encodes with fixed encoder settings (baseline JPEG, no optimisation, no
// restart markers; PNG compression 3) so the same pixels give the same bytes.
// The format follows the extension of `path`: .jpg/.jpeg or .png.
std::vector<uint8_t> encodeImage(const cv::Mat& image, const std::string& path, int jpegQuality = 92);

// encodeImage() and write; throws IoError.
void writeImageFile(const std::string& path, const cv::Mat& image, int jpegQuality = 92);

}  // namespace moon
