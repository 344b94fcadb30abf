#include "core/data/ProductTextIndex.h"

#include <algorithm>
#include <cstring>

namespace moon {
namespace {

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

void appendFolded(std::string& out, const std::string& s) {
  for (char c : s) out.push_back(c == '\0' ? ' ' : fold(c));
}

}  // namespace

ProductTextIndex::ProductTextIndex(const std::vector<Product>& products) {
  size_t bytes = 0;
  for (const auto& p : products) bytes += p.title.size() + p.id.size() + 2;
  text_.reserve(bytes);
  starts_.reserve(products.size() + 1);
  for (const auto& p : products) {
    starts_.push_back(text_.size());
    appendFolded(text_, p.title);
    text_.push_back('\n');
    appendFolded(text_, p.id);
    text_.push_back('\0');
  }
  starts_.push_back(text_.size());
}

std::vector<uint32_t> ProductTextIndex::find(std::string_view needle, const std::vector<uint32_t>* within) const {
  std::string folded;
  folded.reserve(needle.size());
  for (char c : needle)
    if (c != '\0') folded.push_back(fold(c));
  std::vector<uint32_t> rows;
  const size_t n = size();
  if (folded.empty()) {
    if (within) return *within;
    rows.resize(n);
    for (size_t r = 0; r < n; ++r) rows[r] = static_cast<uint32_t>(r);
    return rows;
  }
  const char* base = text_.data();
  // glibc's memchr / memmem (SIMD; two-way for longer needles) beat
  // std::search with a Boyer-Moore-Horspool searcher by 2-3x here: needles
  // typed into a search box are short, so skips are short too.
  const auto search = [&](const char* from, const char* to) -> const char* {
    const void* hit = folded.size() == 1 ? std::memchr(from, folded[0], size_t(to - from))
                                         : memmem(from, size_t(to - from), folded.data(), folded.size());
    return hit ? static_cast<const char*>(hit) : to;
  };
  if (within) {
    // Narrowing a previous result: look only inside its rows.
    for (uint32_t r : *within) {
      const char* begin = base + starts_[r];
      const char* end = base + starts_[r + 1] - 1;
      if (search(begin, end) != end) rows.push_back(r);
    }
    return rows;
  }
  // One pass over the whole buffer: after a hit, continue at the next row.
  // Hits come in buffer order, so the row of a hit is found by moving a
  // cursor forward (amortised O(1)), not by a binary search per hit: a short
  // needle hits most rows of a million-product catalogue.
  const char* end = base + text_.size();
  const char* at = base;
  size_t row = 0;
  while (at < end) {
    const char* hit = search(at, end);
    if (hit == end) break;
    const uint64_t offset = static_cast<uint64_t>(hit - base);
    while (starts_[row + 1] <= offset) ++row;
    rows.push_back(static_cast<uint32_t>(row));
    at = base + starts_[++row];
  }
  return rows;
}

}  // namespace moon
