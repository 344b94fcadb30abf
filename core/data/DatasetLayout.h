#pragma once

// The names of a dataset folder's files (README "Dataset format"): spelled
// here once, for the reader, the writer, the tokenizer, the GUI's scans and
// the command line.
//
//   <dataset>/products.jsonl   the gallery
//   <dataset>/<split>.jsonl    triplets: train, val, test
//   <dataset>/images/          image files
//   <dataset>/tokenizer.json   the BPE tokenizer
//   <dataset>/synth.json       options of a synthetic catalogue

#include <array>
#include <string>

namespace moon {

inline constexpr const char* kProductsFile = "products.jsonl";
inline constexpr const char* kDatasetTokenizerFile = "tokenizer.json";
inline constexpr const char* kSynthOptionsFile = "synth.json";
inline constexpr const char* kImagesDir = "images";
inline constexpr std::array<const char*, 3> kStandardSplits = {"train", "val", "test"};

// "<split>.jsonl".
inline std::string splitFileName(const std::string& split) { return split + ".jsonl"; }

}  // namespace moon
