#pragma once

#include <cstdint>

namespace moon {

// Parameters of the synthetic fine-grained catalogue. Same options, same
// bytes: the output depends on nothing else (not on the thread count).
struct SynthOptions {
  int products = 2000;  // gallery products (>= 12)
  uint64_t seed = 1;
  int imageSize = 96;  // square images, pixels (32..1024)
  int minFamily = 3;   // products per family of near-duplicates
  int maxFamily = 5;
  double valFraction = 0.1;   // of the families
  double testFraction = 0.1;  // of the families
  int queriesPerProduct = 1;  // triplets with each product as the positive
  int threads = 0;            // rendering threads; 0 = one per hardware thread

  // Throws ConfigError naming the offending option.
  void validate() const;
};

}  // namespace moon
