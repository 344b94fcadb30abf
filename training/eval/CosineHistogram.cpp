#include "training/eval/CosineHistogram.h"

#include <algorithm>
#include <cmath>

namespace moon {

CosineHistogram CosineHistogram::of(const std::vector<float>& values, int bins, double low, double high) {
  CosineHistogram h;
  h.low = low;
  h.high = high;
  h.counts.assign(static_cast<std::size_t>(std::max(1, bins)), 0);
  const double width = h.binWidth();
  const auto last = static_cast<int64_t>(h.counts.size()) - 1;
  double sum = 0.0;
  for (float v : values) {
    if (!std::isfinite(v)) continue;
    const auto bin = static_cast<int64_t>(std::floor((v - low) / width));
    ++h.counts[static_cast<std::size_t>(std::clamp<int64_t>(bin, 0, last))];
    sum += v;
    ++h.total;
  }
  h.mean = h.total > 0 ? sum / static_cast<double>(h.total) : 0.0;
  return h;
}

double CosineHistogram::binWidth() const {
  return (high - low) / static_cast<double>(std::max<std::size_t>(1, counts.size()));
}

double CosineHistogram::binCentre(std::size_t bin) const { return low + (static_cast<double>(bin) + 0.5) * binWidth(); }

}  // namespace moon
