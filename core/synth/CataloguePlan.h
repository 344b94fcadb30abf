#pragma once

// Everything about a synthetic catalogue except its pixels: families of
// near-duplicate products with attributes and titles, the family split, and
// triplets whose negative is a near-duplicate that the query can tell apart.
// Planning is serial and cheap; rendering (CatalogueGenerator) is parallel.

#include <cstdint>
#include <string>
#include <vector>

#include "core/data/Product.h"
#include "core/synth/SynthOptions.h"

namespace moon::synth {

struct PlannedProduct {
  Product product;
  std::string family;  // "f0007"
  std::string split;   // "train", "val" or "test" (the family's)
  uint64_t poseSeed;   // shared by the family: near-duplicates are photographed alike
};

struct PlannedTriplet {
  std::string split;
  Triplet triplet;    // query.imagePath set for image and mm queries
  size_t positive;    // index into CataloguePlan::products
  uint64_t lookSeed;  // the query photo's look
};

struct CataloguePlan {
  std::vector<PlannedProduct> products;
  std::vector<PlannedTriplet> triplets;  // grouped by split: train, val, test
  size_t families = 0;
};

inline constexpr const char* kSplitNames[] = {"train", "val", "test"};

CataloguePlan planCatalogue(const SynthOptions& options);

// Attribute keys whose values differ between two attribute sets (keys of either).
std::vector<std::string> differingKeys(const Attributes& a, const Attributes& b);

}  // namespace moon::synth
