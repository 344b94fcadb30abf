#include "core/image/ImageIo.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/base/Error.h"
#include "core/image/ImageFormat.h"

namespace moon {
namespace {

namespace fs = std::filesystem;

std::string lowerExtension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return ext;
}

cv::Mat toBgr8(cv::Mat image) {
  if (image.depth() == CV_16U) {
    cv::Mat eight;
    image.convertTo(eight, CV_8U, 1.0 / 257.0);
    image = eight;
  } else if (image.depth() != CV_8U) {
    cv::Mat eight;
    image.convertTo(eight, CV_8U, 255.0);
    image = eight;
  }
  if (image.channels() == 3) return image;
  cv::Mat bgr;
  if (image.channels() == 1) {
    cv::cvtColor(image, bgr, cv::COLOR_GRAY2BGR);
  } else if (image.channels() == 4) {
    // Transparent pixels carry arbitrary colour: composite over white.
    bgr.create(image.size(), CV_8UC3);
    for (int y = 0; y < image.rows; ++y) {
      const cv::Vec4b* src = image.ptr<cv::Vec4b>(y);
      cv::Vec3b* dst = bgr.ptr<cv::Vec3b>(y);
      for (int x = 0; x < image.cols; ++x) {
        const int a = src[x][3];
        for (int c = 0; c < 3; ++c) dst[x][c] = uchar((src[x][c] * a + 255 * (255 - a) + 127) / 255);
      }
    }
  } else {
    return cv::Mat();
  }
  return bgr;
}

}  // namespace

cv::Mat decodeImageChecked(const std::vector<uint8_t>& bytes, const std::string& name) {
  if (bytes.empty()) throw FormatError(name + ": image file is empty (0 bytes)");
  const ImageFormat format = detectImageFormat(bytes.data(), bytes.size());
  if (format == ImageFormat::Unknown)
    throw FormatError(name + ": unsupported image format (expected JPEG, PNG, BMP or WebP)");
  const std::string problem = findStructureProblem(format, bytes.data(), bytes.size());
  if (!problem.empty()) throw FormatError(name + ": " + problem);
  // A few bytes can declare a gigapixel image; refuse before the decoder allocates for it.
  if (const auto declared = declaredImageSize(format, bytes.data(), bytes.size());
      declared && declared->width * declared->height > kMaxImagePixels)
    throw FormatError(name + ": the " + imageFormatName(format) + " header declares " +
                      std::to_string(declared->width) + "x" + std::to_string(declared->height) +
                      " pixels; images over " + std::to_string(kMaxImagePixels / 1'000'000) +
                      " megapixels are refused (downscale it)");
  cv::Mat decoded;
  try {
    const cv::Mat buffer(1, int(bytes.size()), CV_8U, const_cast<uint8_t*>(bytes.data()));
    // JPEG has no alpha; IMREAD_COLOR also applies its EXIF orientation.
    const int flags = format == ImageFormat::Jpeg ? cv::IMREAD_COLOR : cv::IMREAD_UNCHANGED;
    decoded = cv::imdecode(buffer, flags);
  } catch (const cv::Exception& e) {
    throw FormatError(name + ": corrupt " + imageFormatName(format) + " image (" + e.what() + ")");
  }
  if (decoded.empty() || decoded.cols <= 0 || decoded.rows <= 0)
    throw FormatError(name + ": corrupt " + imageFormatName(format) + " image (the decoder rejected it)");
  cv::Mat bgr = toBgr8(decoded);
  if (bgr.empty())
    throw FormatError(name + ": unsupported " + imageFormatName(format) + " layout (" +
                      std::to_string(decoded.channels()) + " channels)");
  return bgr;
}

cv::Mat readImageChecked(const std::string& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) throw IoError(path + ": image file not found");
  if (!fs::is_regular_file(status)) throw IoError(path + ": not a regular file");
  const auto size = fs::file_size(path, ec);
  if (ec) throw IoError(path + ": " + ec.message());
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open: " + std::strerror(errno));
  std::vector<uint8_t> bytes(size);
  in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(size));
  if (size_t(in.gcount()) != size) throw IoError(path + ": read error (file changed while reading?)");
  return decodeImageChecked(bytes, path);
}

std::vector<uint8_t> encodeImage(const cv::Mat& image, const std::string& path, int jpegQuality) {
  const std::string ext = lowerExtension(path);
  std::vector<int> params;
  std::string encoderExt;
  if (ext == ".jpg" || ext == ".jpeg") {
    encoderExt = ".jpg";
    params = {cv::IMWRITE_JPEG_QUALITY,      std::clamp(jpegQuality, 1, 100),
              cv::IMWRITE_JPEG_PROGRESSIVE,  0,
              cv::IMWRITE_JPEG_OPTIMIZE,     0,
              cv::IMWRITE_JPEG_RST_INTERVAL, 0};
  } else if (ext == ".png") {
    encoderExt = ".png";
    params = {cv::IMWRITE_PNG_COMPRESSION, 3, cv::IMWRITE_PNG_STRATEGY, cv::IMWRITE_PNG_STRATEGY_DEFAULT};
  } else {
    throw FormatError(path + ": cannot write images of type '" + ext + "' (use .jpg or .png)");
  }
  std::vector<uint8_t> bytes;
  if (!cv::imencode(encoderExt, image, bytes, params)) throw FormatError(path + ": image encoding failed");
  return bytes;
}

void writeImageFile(const std::string& path, const cv::Mat& image, int jpegQuality) {
  const std::vector<uint8_t> bytes = encodeImage(image, path, jpegQuality);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw IoError(path + ": cannot create: " + std::strerror(errno));
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  out.flush();
  if (!out) throw IoError(path + ": write failed: " + std::strerror(errno));
}

}  // namespace moon
