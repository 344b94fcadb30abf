#pragma once

// A dataset triplet as the three Compare slots: the query as the shopper
// gave it (its modality's title and/or photo, its labelled attributes), the
// ground truth and the near-duplicate as catalogue products (title, image,
// all their attributes).

#include <array>
#include <string>
#include <vector>

#include "core/data/Dataset.h"
#include "model/compare/ComparisonResult.h"

namespace moon {

struct TripletInputs {
  std::array<CompareInput, kCompareSlots> slots;
  // What could not be filled (an unreadable image, a product missing from
  // the catalogue), one message each naming the file or id; the rest is filled.
  std::vector<std::string> problems;
};

// Throws ConfigError when the dataset has no such split or `index` is out of
// its range (the message gives the range).
TripletInputs tripletInputs(const Dataset& dataset, const std::string& split, int index);

// Three catalogue products as the slots (query, ground truth, near-duplicate),
// each with its title, image and attributes: any pairing a user picks (the
// Embeddings view's "compare these"). An id the catalogue lacks, or an empty
// one, leaves its slot empty with a problem naming it.
TripletInputs productInputs(const Dataset& dataset, const std::array<std::string, kCompareSlots>& ids);

}  // namespace moon
