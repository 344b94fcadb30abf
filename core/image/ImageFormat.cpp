#include "core/image/ImageFormat.h"

#include <cstring>

namespace moon {
namespace {

uint32_t be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}
uint32_t le32(const uint8_t* p) {
  return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}

uint32_t be16(const uint8_t* p) { return (uint32_t(p[0]) << 8) | uint32_t(p[1]); }
uint32_t le16(const uint8_t* p) { return uint32_t(p[0]) | (uint32_t(p[1]) << 8); }
uint32_t le24(const uint8_t* p) { return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16); }

const uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

// Walks the marker segments after SOI. Inside entropy-coded data a 0xFF byte
// is followed by 0x00 (stuffing), a restart marker or fill; anything else
// starts the next marker. Data after EOI (camera trailers) is allowed, and an
// EXIF thumbnail's EOI is skipped because it lies inside an APP1 segment.
std::string jpegProblem(const uint8_t* d, size_t n) {
  const std::string truncated = "truncated JPEG: the file ends before the end-of-image marker (FFD9)";
  size_t i = 2;
  while (true) {
    // Find the next marker (libjpeg also skips stray bytes between segments).
    while (i < n && d[i] != 0xFF) ++i;
    while (i < n && d[i] == 0xFF) ++i;
    if (i >= n) return truncated;
    const uint8_t marker = d[i++];
    if (marker == 0xD9) return "";
    if (marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) continue;
    if (i + 2 > n) return truncated;
    const size_t length = (size_t(d[i]) << 8) | d[i + 1];
    if (length < 2) return "corrupt JPEG: segment length " + std::to_string(length) + " at byte " + std::to_string(i);
    if (i + length > n) return truncated;
    i += length;
    if (marker != 0xDA) continue;
    // Entropy-coded scan data up to the next real marker.
    while (true) {
      const void* ff = i < n ? std::memchr(d + i, 0xFF, n - i) : nullptr;
      if (!ff) return truncated;
      i = size_t(static_cast<const uint8_t*>(ff) - d);
      if (i + 1 >= n) return truncated;
      const uint8_t next = d[i + 1];
      if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
        i += 2;
      } else if (next == 0xFF) {
        ++i;
      } else {
        break;  // i points at the 0xFF of the next marker
      }
    }
  }
}

std::string pngProblem(const uint8_t* d, size_t n) {
  size_t i = 8;
  while (true) {
    if (i + 8 > n) return "truncated PNG: the file ends before the IEND chunk";
    const uint32_t length = be32(d + i);
    if (length > 0x7FFFFFFFu) return "corrupt PNG: chunk length too large at byte " + std::to_string(i);
    const bool end = std::memcmp(d + i + 4, "IEND", 4) == 0;
    if (i + 12 + size_t(length) > n) return "truncated PNG: the file ends inside a chunk, before IEND";
    if (end) return "";
    i += 12 + size_t(length);
  }
}

// The first start-of-frame segment before the scan data: FFC0..FFCF except
// DHT (C4), JPG (C8) and DAC (CC); its data is precision, height, width.
std::optional<DeclaredSize> jpegSize(const uint8_t* d, size_t n) {
  size_t i = 2;
  while (true) {
    while (i < n && d[i] != 0xFF) ++i;
    while (i < n && d[i] == 0xFF) ++i;
    if (i >= n) return std::nullopt;
    const uint8_t marker = d[i++];
    if (marker == 0xD9 || marker == 0xDA) return std::nullopt;
    if (marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) continue;
    if (i + 2 > n) return std::nullopt;
    const size_t length = be16(d + i);
    const bool frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame) {
      if (length < 7 || i + 7 > n) return std::nullopt;
      return DeclaredSize{be16(d + i + 5), be16(d + i + 3)};
    }
    if (length < 2) return std::nullopt;
    i += length;
  }
}

std::optional<DeclaredSize> bmpSize(const uint8_t* d, size_t n) {
  if (n < 26) return std::nullopt;
  const uint32_t header = le32(d + 14);
  if (header == 12) return DeclaredSize{le16(d + 18), le16(d + 20)};  // OS/2 core header
  if (header < 40) return std::nullopt;
  const auto width = int32_t(le32(d + 18)), height = int32_t(le32(d + 22));  // height < 0: top-down
  auto magnitude = [](int32_t v) { return v < 0 ? uint64_t(-int64_t(v)) : uint64_t(v); };
  return DeclaredSize{magnitude(width), magnitude(height)};
}

std::optional<DeclaredSize> webpSize(const uint8_t* d, size_t n) {
  if (n < 30) return std::nullopt;
  if (std::memcmp(d + 12, "VP8 ", 4) == 0) return DeclaredSize{le16(d + 26) & 0x3FFFu, le16(d + 28) & 0x3FFFu};
  if (std::memcmp(d + 12, "VP8L", 4) == 0) {
    const uint32_t bits = le32(d + 21);
    return DeclaredSize{(bits & 0x3FFFu) + 1, ((bits >> 14) & 0x3FFFu) + 1};
  }
  if (std::memcmp(d + 12, "VP8X", 4) == 0) return DeclaredSize{le24(d + 24) + 1u, le24(d + 27) + 1u};
  return std::nullopt;
}

}  // namespace

std::optional<DeclaredSize> declaredImageSize(ImageFormat format, const uint8_t* data, size_t size) {
  switch (format) {
    case ImageFormat::Jpeg:
      return jpegSize(data, size);
    case ImageFormat::Png:
      if (size < 24 || std::memcmp(data + 12, "IHDR", 4) != 0) return std::nullopt;
      return DeclaredSize{be32(data + 16), be32(data + 20)};
    case ImageFormat::Bmp:
      return bmpSize(data, size);
    case ImageFormat::Webp:
      return webpSize(data, size);
    case ImageFormat::Unknown:
      break;
  }
  return std::nullopt;
}

const char* imageFormatName(ImageFormat f) {
  switch (f) {
    case ImageFormat::Jpeg:
      return "JPEG";
    case ImageFormat::Png:
      return "PNG";
    case ImageFormat::Bmp:
      return "BMP";
    case ImageFormat::Webp:
      return "WebP";
    case ImageFormat::Unknown:
      break;
  }
  return "unknown";
}

ImageFormat detectImageFormat(const uint8_t* data, size_t size) {
  if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return ImageFormat::Jpeg;
  if (size >= 8 && std::memcmp(data, kPngSignature, 8) == 0) return ImageFormat::Png;
  if (size >= 14 && data[0] == 'B' && data[1] == 'M') return ImageFormat::Bmp;
  if (size >= 12 && std::memcmp(data, "RIFF", 4) == 0 && std::memcmp(data + 8, "WEBP", 4) == 0)
    return ImageFormat::Webp;
  return ImageFormat::Unknown;
}

std::string findStructureProblem(ImageFormat format, const uint8_t* data, size_t size) {
  switch (format) {
    case ImageFormat::Jpeg:
      return jpegProblem(data, size);
    case ImageFormat::Png:
      return pngProblem(data, size);
    case ImageFormat::Bmp:
      if (le32(data + 2) > size) return "truncated BMP: the header announces more bytes than the file has";
      return "";
    case ImageFormat::Webp:
      if (size_t(le32(data + 4)) + 8 > size) return "truncated WebP: the header announces more bytes than the file has";
      return "";
    case ImageFormat::Unknown:
      break;
  }
  return "";
}

}  // namespace moon
