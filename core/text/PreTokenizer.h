#pragma once

// Splits text into the pieces BPE merges may not cross, with a PCRE2 regex in
// UTF + UCP mode (Unicode letter/number/space classes), the way Hugging Face's
// Split pre-tokenizer does with behaviour "Isolated": matches and the gaps
// between them are both pieces, so the pieces always concatenate back to the
// input. Bytes that are not well-formed UTF-8 never reach PCRE2: each run of
// them becomes a piece of its own.
//
// Thread-safe: the compiled pattern is shared and read-only.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace moon {

class PreTokenizer {
 public:
  // GPT-4 (cl100k) style: contractions, letters with one leading non-letter,
  // numbers of 1-3 digits, punctuation runs, newlines, whitespace. Qwen2's
  // tokenizer.json uses the same pattern with single digits (\p{N}).
  static constexpr const char* kDefaultPattern =
      R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
  // GPT-2's pattern, used by a bare ByteLevel pre-tokenizer with use_regex.
  static constexpr const char* kGpt2Pattern =
      R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

  // Throws FormatError naming the problem and its offset when `pattern` does
  // not compile. An empty pattern splits nothing (only invalid UTF-8 runs).
  explicit PreTokenizer(std::string pattern = kDefaultPattern);

  // Views into `text`, in order, non-empty, concatenating to `text`.
  std::vector<std::string_view> split(std::string_view text) const;

  const std::string& pattern() const { return pattern_; }

 private:
  struct Compiled;
  void splitValid(std::string_view text, std::vector<std::string_view>& out) const;

  std::string pattern_;
  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace moon
