#define PCRE2_CODE_UNIT_WIDTH 8
#include "core/text/PreTokenizer.h"

#include <pcre2.h>

#include "core/base/Error.h"
#include "core/text/Utf8.h"

namespace moon {

struct PreTokenizer::Compiled {
  pcre2_code* code = nullptr;
  ~Compiled() { pcre2_code_free(code); }
};

namespace {

std::string pcre2Message(int errorCode) {
  PCRE2_UCHAR buffer[256];
  if (pcre2_get_error_message(errorCode, buffer, sizeof(buffer)) < 0) return "error " + std::to_string(errorCode);
  return reinterpret_cast<const char*>(buffer);
}

struct MatchData {
  explicit MatchData(const pcre2_code* code) : data(pcre2_match_data_create_from_pattern(code, nullptr)) {
    if (!data) throw std::bad_alloc();
  }
  ~MatchData() { pcre2_match_data_free(data); }
  MatchData(const MatchData&) = delete;
  MatchData& operator=(const MatchData&) = delete;
  pcre2_match_data* data;
};

}  // namespace

PreTokenizer::PreTokenizer(std::string pattern) : pattern_(std::move(pattern)) {
  if (pattern_.empty()) return;
  int errorCode = 0;
  PCRE2_SIZE errorOffset = 0;
  auto compiled = std::make_shared<Compiled>();
  compiled->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern_.data()), pattern_.size(), PCRE2_UTF | PCRE2_UCP,
                                 &errorCode, &errorOffset, nullptr);
  if (!compiled->code)
    throw FormatError("pre-tokenizer regex does not compile at offset " + std::to_string(errorOffset) + ": " +
                      pcre2Message(errorCode));
  // JIT is only a speed-up; pcre2_match falls back to the interpreter without it.
  pcre2_jit_compile(compiled->code, PCRE2_JIT_COMPLETE);
  compiled_ = std::move(compiled);
}

std::vector<std::string_view> PreTokenizer::split(std::string_view text) const {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t validEnd = pos;
    for (size_t len; (len = utf8::sequenceLength(text, validEnd)) > 0;) validEnd += len;
    if (validEnd > pos) splitValid(text.substr(pos, validEnd - pos), out);
    size_t invalidEnd = validEnd;
    while (invalidEnd < text.size() && utf8::sequenceLength(text, invalidEnd) == 0) ++invalidEnd;
    if (invalidEnd > validEnd) out.push_back(text.substr(validEnd, invalidEnd - validEnd));
    pos = invalidEnd;
  }
  return out;
}

// `text` is well-formed UTF-8 (checked by split), hence PCRE2_NO_UTF_CHECK.
void PreTokenizer::splitValid(std::string_view text, std::vector<std::string_view>& out) const {
  if (!compiled_) {
    out.push_back(text);
    return;
  }
  MatchData match(compiled_->code);
  const auto subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  size_t gapStart = 0;  // start of text not yet emitted
  size_t searchFrom = 0;
  while (searchFrom < text.size()) {
    const int rc =
        pcre2_match(compiled_->code, subject, text.size(), searchFrom, PCRE2_NO_UTF_CHECK, match.data, nullptr);
    if (rc < 0) break;  // no match, or a matching limit hit: the rest becomes one piece below
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(match.data);
    const size_t begin = ov[0], end = ov[1];
    if (end <= begin || begin < searchFrom) {
      // An empty match (or \K trickery) must not stall the scan: step one character.
      const size_t at = begin < searchFrom ? searchFrom : begin;
      if (at >= text.size()) break;
      searchFrom = at + utf8::sequenceLength(text, at);
      continue;
    }
    if (begin > gapStart) out.push_back(text.substr(gapStart, begin - gapStart));
    out.push_back(text.substr(begin, end - begin));
    gapStart = searchFrom = end;
  }
  if (gapStart < text.size()) out.push_back(text.substr(gapStart));
}

}  // namespace moon
