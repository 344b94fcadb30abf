#pragma once

// Writes a synthetic fine-grained catalogue as a dataset folder (format:
// README.md "Dataset format"): products.jsonl, train/val/test.jsonl, images/ (gallery
// JPEGs) and images/queries/ (query photos), plus synth.json with the options.

#include <cstddef>
#include <functional>
#include <map>
#include <string>

#include "core/synth/SynthOptions.h"

namespace moon {

// Called on the calling thread with (products rendered, products total);
// return false to cancel.
using SynthProgress = std::function<bool(size_t done, size_t total)>;

struct SynthSummary {
  size_t products = 0;
  size_t families = 0;
  size_t categories = 0;
  std::map<std::string, size_t> triplets;  // per split
  size_t images = 0;
  double seconds = 0;
  bool cancelled = false;  // nothing is left in outDir then
};

// `outDir` must be absent or empty (existing data is never overwritten).
// Throws ConfigError for bad options or a non-empty outDir, IoError when
// writing fails (what was written is removed again).
SynthSummary generateCatalogue(const std::string& outDir, const SynthOptions& options,
                               const SynthProgress& progress = {});

}  // namespace moon
