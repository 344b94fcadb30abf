#pragma once

// Case-insensitive substring search over the titles and ids of a catalogue,
// built once (off the GUI thread) so that a keystroke in the Dataset view's
// search box over a million products is one scan of a contiguous buffer
// rather than a million string conversions (issue #16: < 100 ms at 1 M).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/data/Product.h"

namespace moon {

class ProductTextIndex {
 public:
  ProductTextIndex() = default;
  explicit ProductTextIndex(const std::vector<Product>& products);

  size_t size() const { return starts_.empty() ? 0 : starts_.size() - 1; }

  // Rows, ascending, whose title or id contains `needle`. ASCII letters match
  // either case; other bytes (UTF-8 beyond ASCII) must match exactly. With
  // `within` (ascending rows, e.g. the result for a shorter needle) only those
  // rows are looked at. An empty needle matches every row (or `within`).
  std::vector<uint32_t> find(std::string_view needle, const std::vector<uint32_t>* within = nullptr) const;

 private:
  // Row r's folded "title\nid" is text_[starts_[r], starts_[r + 1] - 1); the
  // byte before the next row is '\0', which no needle contains, so a match
  // never spans two rows.
  std::string text_;
  std::vector<uint64_t> starts_;
};

}  // namespace moon
