#pragma once

// Relative-error comparison for the training_parts tests.

#include <algorithm>
#include <cmath>

namespace moon::test {

inline double relativeError(double actual, double expected) {
  return std::fabs(actual - expected) / std::max(std::fabs(expected), 1e-12);
}

inline bool close(double actual, double expected, double tolerance = 1e-6) {
  return std::fabs(actual - expected) <= tolerance * std::max(std::fabs(expected), 1e-12) ||
         std::fabs(actual - expected) <= 1e-12;
}

}  // namespace moon::test
