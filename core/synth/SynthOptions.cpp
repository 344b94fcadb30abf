#include "core/synth/SynthOptions.h"

#include <string>

#include "core/base/Error.h"

namespace moon {
namespace {

void check(bool ok, const std::string& message) {
  if (!ok) throw ConfigError("synthetic catalogue: " + message);
}

}  // namespace

void SynthOptions::validate() const {
  check(products >= 12, "products must be at least 12, got " + std::to_string(products));
  check(products <= 10'000'000, "products must be at most 10000000, got " + std::to_string(products));
  check(imageSize >= 32 && imageSize <= 1024, "image size must be in [32, 1024], got " + std::to_string(imageSize));
  check(minFamily >= 2, "minFamily must be at least 2, got " + std::to_string(minFamily));
  check(maxFamily >= minFamily, "maxFamily must be at least minFamily");
  check(maxFamily <= 6, "maxFamily must be at most 6 (a family varies one attribute per member)");
  check(valFraction >= 0 && valFraction < 0.5, "valFraction must be in [0, 0.5)");
  check(testFraction >= 0 && testFraction < 0.5, "testFraction must be in [0, 0.5)");
  check(queriesPerProduct >= 1 && queriesPerProduct <= 16, "queriesPerProduct must be in [1, 16]");
  check(testQueriesPerProduct >= 0 && testQueriesPerProduct <= 16,
        "testQueriesPerProduct must be in [0, 16] (0: as queriesPerProduct)");
  check(threads >= 0, "threads must be >= 0");
}

int SynthOptions::queriesFor(const std::string& split) const {
  return split == "test" && testQueriesPerProduct > 0 ? testQueriesPerProduct : queriesPerProduct;
}

SynthOptions SynthOptions::demo() {
  SynthOptions o;
  // Three training queries (photos and titles) per product: with one, the
  // tiny preset saw each of 1,604 triplets ten times and over-fitted them
  // (README "Training recipe", H1).
  o.queriesPerProduct = 3;
  // ~1,000 test triplets on 2,000 products (~200 in test): see the README's
  // Results for the interval this gives.
  o.testQueriesPerProduct = 5;
  return o;
}

}  // namespace moon
