#pragma once

// Recognises an encoded image by its signature and checks that the file is
// complete. OpenCV decodes a truncated JPEG without complaint (the missing
// part comes out gray), so completeness is checked on the byte structure:
// a JPEG's marker segments must run up to the EOI marker, a PNG's chunks up
// to IEND.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace moon {

enum class ImageFormat { Unknown, Jpeg, Png, Bmp, Webp };

const char* imageFormatName(ImageFormat f);  // "JPEG", "PNG", ...

ImageFormat detectImageFormat(const uint8_t* data, size_t size);

// Empty when the structure is complete, else why not ("truncated JPEG: no
// EOI marker (file ends inside the image data)"). Unknown formats return "".
std::string findStructureProblem(ImageFormat format, const uint8_t* data, size_t size);

// Width and height as the header declares them, read without decoding (JPEG
// SOF, PNG IHDR, BMP info header, WebP VP8/VP8L/VP8X), so a small file that
// claims a huge image is refused before a decoder allocates for it. nullopt
// when the header does not say.
struct DeclaredSize {
  uint64_t width = 0;
  uint64_t height = 0;
};
std::optional<DeclaredSize> declaredImageSize(ImageFormat format, const uint8_t* data, size_t size);

}  // namespace moon
