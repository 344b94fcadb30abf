#pragma once

// Just enough UTF-8 for the tokenizer: finding well-formed sequences (so
// PCRE2 can match with PCRE2_NO_UTF_CHECK) and writing code points.

#include <cstddef>
#include <string>
#include <string_view>

namespace moon::utf8 {

// Byte length of the well-formed UTF-8 sequence starting at `pos` (RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF), or 0 when the
// bytes there do not start one.
size_t sequenceLength(std::string_view text, size_t pos);

// True when the whole of `text` is well-formed UTF-8.
bool isValid(std::string_view text);

void append(std::string& out, char32_t codePoint);

// `text` with every byte that does not start a well-formed sequence replaced
// by U+FFFD, as Hugging Face's decode(errors="replace") shows a generation
// cut inside a character. The tokenizer's own decode keeps the raw bytes so
// it round-trips; reports and JSON need text.
std::string lossy(std::string_view text);

}  // namespace moon::utf8
