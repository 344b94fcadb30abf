#pragma once

// GPT-2's bytes_to_unicode mapping, used by every byte-level BPE vocabulary
// (GPT-2, Qwen, ours): each of the 256 bytes gets a printable code point so
// that any byte string, including invalid UTF-8, has a text form that can be
// a JSON key. Printable Latin-1 bytes map to themselves; the rest (controls,
// space, 0x7F-0xA0, 0xAD) to U+0100 onwards, e.g. ' ' -> 'Ġ', '\n' -> 'Ċ'.

#include <optional>
#include <string>
#include <string_view>

namespace moon::byte_level {

// Raw bytes -> the vocabulary form (UTF-8 of the mapped code points).
std::string toVocabForm(std::string_view bytes);

// The vocabulary form -> raw bytes; nullopt when `text` is not valid UTF-8 or
// holds a character that is not one of the 256 mapped ones.
std::optional<std::string> fromVocabForm(std::string_view text);

}  // namespace moon::byte_level
