#pragma once

// The tokenizer that ships with a dataset (DESIGN.md §3): byte-level BPE
// trained on the text the model reads and writes — titles, query texts and
// attribute traces — saved as <dataset>/tokenizer.json.

#include <string>

#include "core/data/Dataset.h"
#include "core/data/DatasetLayout.h"
#include "core/text/BpeTokenizer.h"

namespace moon {

inline constexpr int kDefaultDatasetVocabSize = 2048;

// Trains on every product title and trace, and on the train split's queries.
BpeTokenizer trainDatasetTokenizer(const Dataset& dataset, int vocabSize = kDefaultDatasetVocabSize);

// Loads the dataset in `dir` (no image decoding), trains, and writes
// dir/tokenizer.json atomically. Returns the tokenizer.
BpeTokenizer writeDatasetTokenizer(const std::string& dir, int vocabSize = kDefaultDatasetVocabSize);

// dir/tokenizer.json, with a message naming the dataset when it is missing.
BpeTokenizer loadDatasetTokenizer(const std::string& dir);

}  // namespace moon
