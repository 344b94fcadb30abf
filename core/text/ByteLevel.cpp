#include "core/text/ByteLevel.h"

#include <array>

#include "core/text/Utf8.h"

namespace moon::byte_level {
namespace {

struct Tables {
  std::array<char32_t, 256> byteToCodePoint{};
  std::array<int, 324> codePointToByte{};  // every mapped code point is < 256 + 68

  Tables() {
    codePointToByte.fill(-1);
    int extra = 0;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      const char32_t cp = printable ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + extra++);
      byteToCodePoint[b] = cp;
      codePointToByte[cp] = b;
    }
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

}  // namespace

std::string toVocabForm(std::string_view bytes) {
  const Tables& t = tables();
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) utf8::append(out, t.byteToCodePoint[static_cast<unsigned char>(c)]);
  return out;
}

std::optional<std::string> fromVocabForm(std::string_view text) {
  const Tables& t = tables();
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    const size_t len = utf8::sequenceLength(text, pos);
    if (len == 0 || len > 2) return std::nullopt;  // mapped code points are all below U+0800
    char32_t cp = static_cast<unsigned char>(text[pos]);
    if (len == 2) cp = ((cp & 0x1F) << 6) | (static_cast<unsigned char>(text[pos + 1]) & 0x3F);
    if (cp >= t.codePointToByte.size() || t.codePointToByte[cp] < 0) return std::nullopt;
    out += static_cast<char>(t.codePointToByte[cp]);
    pos += len;
  }
  return out;
}

}  // namespace moon::byte_level
