#pragma once

// A histogram of cosine similarities over fixed, equal-width bins: what the
// trainer stores per validation step for positives, near-duplicates and other
// gallery products (training/events/ValidationSamples.h) and the Runs view
// draws. Plain values.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace moon {

struct CosineHistogram {
  double low = -1.0;
  double high = 1.0;
  std::vector<int64_t> counts;  // equal-width bins of [low, high]
  int64_t total = 0;            // finite values counted
  double mean = 0.0;            // of the finite values

  // Values outside [low, high] land in the end bins; non-finite ones are left out.
  static CosineHistogram of(const std::vector<float>& values, int bins = 80, double low = -1.0, double high = 1.0);
  double binWidth() const;
  double binCentre(std::size_t bin) const;
};

}  // namespace moon
