#pragma once

// Zero-shot evaluation of a model on one split of a dataset (DESIGN.md §4):
//
//   Evaluator evaluator(dataset, tokenizer, loaderConfig);
//   EvaluationOutcome o = evaluator.evaluate(*model, options);
//   o.result.formatTable();
//
// What is measured, and on what:
//   * gallery = every product a triplet of the split names (positives and
//     their near-duplicate negatives), embedded multimodal (candidates
//     without traces by default, LREM);
//   * t->mm, i->mm, mm->mm: the split's queries of that modality (queries
//     use greedy traces by default) against the gallery; FAISS exact inner
//     product; a positive the gallery lacks counts as a miss;
//   * t->i, i->t: each gallery product's title view (query) against the
//     image views of the gallery products, and the reverse; the positive is
//     the same product;
//   * near-duplicate: every query above, positive vs negative (cosine);
//   * category coarse/fine: nearest class prototype, prototypes from the
//     train split's products (multimodal, same traces as the gallery),
//     scored on the gallery products (families never cross splits);
//   * attributes: the queries' greedy traces (parseTrace) against their
//     labelled attributes; left out when traces are not generated.

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/data/Dataset.h"
#include "core/text/BpeTokenizer.h"
#include "model/MoonModel.h"
#include "training/data/LoaderConfig.h"
#include "training/eval/EvaluationResult.h"
#include "training/eval/GalleryEmbedder.h"

namespace moon {

struct EvaluatorOptions {
  std::string split = "test";
  TraceMode queryTraces = TraceMode::Greedy;
  TraceMode galleryTraces = TraceMode::None;
  std::size_t maxQueries = 0;  // per direction; 0 = all
  bool classification = true;  // needs the train split in the dataset
  // Stage ("gallery mm", "queries text", ...) and items done / total of it.
  std::function<void(const std::string& stage, std::size_t done, std::size_t total)> progress;
  const std::atomic<bool>* cancel = nullptr;  // raise to stop: evaluate() throws Cancelled
};

struct EvaluationTiming {
  double totalSeconds = 0.0;
  std::vector<std::pair<std::string, double>> stages;  // in order
};

struct EvaluationOutcome {
  EvaluationResult result;
  EvaluationTiming timing;
  std::string split;
  std::size_t galleryItems = 0;
  std::size_t queries = 0;
  TraceMode queryTraces = TraceMode::None;  // what was used (None for a model without reasoning)
  TraceMode galleryTraces = TraceMode::None;

  // result.toJson() plus "split", "gallery_items", "queries", "query_traces",
  // "gallery_traces" and "timing" {"total_s", "stages": {name: s}}: what the
  // run store keeps (EvaluationResult::fromJson reads it back).
  nlohmann::json toJson() const;
};

// What evaluation embeds with: items (gallery products, or a split's queries
// as queryItems() makes them) in one modality. A model through
// GalleryEmbedder, or known vectors in the planted-answer tests.
using ItemEmbedder = std::function<EmbeddedItems(const std::vector<Product>& items, const EmbedOptions& options)>;

class Evaluator {
 public:
  // `loader` gives batch size, workers, image size and token limits (a run's
  // loader section); the dataset must hold the split to evaluate.
  Evaluator(const Dataset& dataset, BpeTokenizer tokenizer, const LoaderConfig& loader);

  // Throws ConfigError for an unknown or empty split, Cancelled when the
  // cancel flag is raised, moon::Error for other user errors.
  EvaluationOutcome evaluate(MoonModelImpl& model, const EvaluatorOptions& options) const;

  // The same with any embedder; `reasoning` says whether it writes traces.
  EvaluationOutcome evaluate(const ItemEmbedder& embedder, bool reasoning, const EvaluatorOptions& options) const;

 private:
  const Dataset& dataset_;
  GalleryEmbedder embedder_;
};

}  // namespace moon
