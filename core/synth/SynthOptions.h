#pragma once

#include <cstdint>
#include <string>

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
  // The same for the test split alone; 0 = queriesPerProduct. More test
  // queries (each a new photo or title of a test product) narrow the
  // confidence interval on test recall without taking training data away.
  int testQueriesPerProduct = 0;
  int threads = 0;  // rendering threads; 0 = one per hardware thread

  // Throws ConfigError naming the offending option.
  void validate() const;
  int queriesFor(const std::string& split) const;

  // The built-in demo catalogue (the workbench's first launch, `moon data
  // synth` without options): the defaults above with three queries per
  // product, and enough test queries that a 95 % interval on test mean R@10
  // is a few points wide (issue #14).
  static SynthOptions demo();
};

}  // namespace moon
