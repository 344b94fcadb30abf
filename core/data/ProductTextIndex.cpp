#include "core/data/ProductTextIndex.h"

#include <algorithm>
#include <functional>

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
  const std::boyer_moore_horspool_searcher searcher(folded.begin(), folded.end());
  const char* base = text_.data();
  if (within) {
    // Narrowing a previous result: look only inside its rows.
    for (uint32_t r : *within) {
      const char* begin = base + starts_[r];
      const char* end = base + starts_[r + 1] - 1;
      if (std::search(begin, end, searcher) != end) rows.push_back(r);
    }
    return rows;
  }
  // One pass over the whole buffer: after a hit, continue at the next row.
  const char* end = base + text_.size();
  const char* at = base;
  while (at < end) {
    const char* hit = std::search(at, end, searcher);
    if (hit == end) break;
    const uint64_t offset = static_cast<uint64_t>(hit - base);
    const auto next = std::upper_bound(starts_.begin(), starts_.end(), offset);
    rows.push_back(static_cast<uint32_t>(next - starts_.begin() - 1));
    at = base + *next;
  }
  return rows;
}

}  // namespace moon
