#pragma once

// A query and two candidates (ground truth, near-duplicate) run through a
// model side by side (DESIGN.md §5 "Compare"), as plain values: no Qt, no
// tensors, so a result crosses from a worker thread to the GUI, into a JSON
// export and into tests unchanged. runComparison (CompareRunner.h) fills it.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "core/data/Product.h"
#include "model/inference/InferenceResult.h"

namespace moon {

inline constexpr int kCompareSlots = 3;  // query, ground truth, near-duplicate
enum CompareSlot { kQuerySlot = 0, kGroundTruthSlot = 1, kNearDuplicateSlot = 2 };

const char* compareSlotKey(int slot);    // "query", "ground_truth", "near_duplicate"
const char* compareSlotTitle(int slot);  // "Query", "Ground truth", "Near-duplicate"

// What goes into one slot: a dataset product or the user's own image and/or title.
struct CompareInput {
  std::string id;                   // product id; empty for the user's own input
  std::string title;                // empty: no text
  cv::Mat image;                    // 8-bit BGR; empty: no image
  std::string imagePath;            // where the image came from (for the export)
  std::optional<Attributes> truth;  // the known attributes, when there are any
  bool empty() const { return title.empty() && image.empty(); }
};

struct CompareOptions {
  bool greedy = true;
  double temperature = 1.0;  // sampling only
  double topP = 1.0;         // sampling only
  uint64_t seed = 0;         // sampling only
  int maxTokens = 0;         // 0: the model's max_trace_tokens
};

struct CompareSlotResult {
  CompareInput input;
  ViewResult multimodal;  // trace, attributes, embedding, MMF gates, attention: what the slot shows
  ViewResult text;        // title only (empty embedding without a title)
  ViewResult image;       // image only (empty embedding without an image)

  // The result of one modality's view.
  const ViewResult& view(Modality m) const;
  // Empty when the slot cannot show that modality.
  const std::vector<float>& embedding(Modality m) const { return view(m).embedding; }
  // <disc_emb> of that modality's view; empty also when the model has none.
  const std::vector<float>& discEmbedding(Modality m) const { return view(m).discEmbedding; }
};

// Cosine similarities between every (slot, modality) embedding: rows and
// columns are slot-major, (query text, query image, query mm, ground truth
// text, ...). NaN where either embedding is missing.
struct SimilarityMatrix {
  int size = 0;
  std::vector<std::string> labels;  // "query/text", ..., size of them
  std::vector<float> values;        // size*size, row-major
  float at(int row, int column) const { return values[static_cast<size_t>(row * size + column)]; }
  static int index(int slot, Modality m) { return slot * 3 + static_cast<int>(m); }
};

// The triplet margin Δ = sim(q, ground truth) − sim(q, near-duplicate) for a
// query presented in `queryModality` against multimodal candidates (the
// t→mm, i→mm and mm→mm retrieval directions). NaN values when the query lacks that modality.
struct CompareMargin {
  Modality queryModality = Modality::Multimodal;
  float positive = 0;
  float negative = 0;
  float margin = 0;
  bool valid() const { return positive == positive && negative == negative; }
  // The same with <disc_emb> on both sides, the model's embedding before any
  // trace: "does thinking help this very model?" NaN without <disc_emb>.
  float discPositive = 0;
  float discNegative = 0;
  float discMargin = 0;
  bool discValid() const { return discPositive == discPositive && discNegative == discNegative; }
};

struct ComparisonResult {
  std::array<CompareSlotResult, kCompareSlots> slots;
  SimilarityMatrix similarity;
  std::vector<CompareMargin> margins;  // text, image, mm query
  CompareOptions options;
  std::string checkpoint;  // what the model came from
  double seconds = 0;

  const CompareMargin* margin(Modality queryModality) const;
};

SimilarityMatrix similarityMatrix(const std::array<CompareSlotResult, kCompareSlots>& slots);
std::vector<CompareMargin> compareMargins(const std::array<CompareSlotResult, kCompareSlots>& slots);

// One attribute across the slots: predicted values (from the traces) and
// known values; `differs[s]` says candidate s predicts something other than
// the query (false for the query itself and when either side is missing).
struct AttributeRow {
  std::string key;
  std::array<std::optional<std::string>, kCompareSlots> predicted;
  std::array<std::optional<std::string>, kCompareSlots> truth;
  std::array<bool, kCompareSlots> differs{};
};
// Keys of every predicted and known attribute, sorted.
std::vector<AttributeRow> attributeRows(const ComparisonResult& result);

// The numbers of a comparison: per slot the input, trace, attributes, gates;
// the similarity matrix and the margins. Keys: "checkpoint", "options",
// "slots", "attributes", "similarity", "margins" (NaN becomes null).
nlohmann::json comparisonToJson(const ComparisonResult& result);
// comparisonToJson as indented text. A generated trace can hold bytes that
// are not UTF-8 (a byte-level tokenizer decodes whatever was sampled): they
// become U+FFFD instead of failing the export.
std::string comparisonJsonText(const ComparisonResult& result);

}  // namespace moon
