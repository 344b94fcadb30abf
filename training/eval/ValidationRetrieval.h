#pragma once
// The trainer's periodic validation: a quick retrieval measurement on the val
// split. Queries (mm and text, up to eval.max_queries each) are searched
// against the val gallery (every product a val triplet names, its hard
// negatives included), with the same embedding path and rank convention as
// `moon eval` (GalleryEmbedder, RetrievalMetrics). Candidates are embedded
// without traces (LREM, DESIGN.md §2); queries use greedy traces by default
// (eval.query_traces).
//
// Metrics: "val/mm->mm/R@1", "val/mm->mm/R@10", "val/mm->mm/MRR" and the
// same for "t->mm", the same with <disc_emb> under "val/disc/…", and the
// headline "val/R@10" = mean R@10 of the <emb> directions. With greedy query
// traces also how well the model reasons (issue #14): "val/traces/closed" and
// "val/traces/parsable" (shares of the query traces), "val/attr/acc" (micro
// attribute accuracy of the traces against the queries' labels) and
// "val/attr/color" (colour only: the attribute a title rarely gives away, so
// the one that says whether the trace reads the image). And the near-duplicate
// discrimination of the mm queries: "val/near_dup/acc" and "val/near_dup/margin".
//
// Beside the scalars (issue #14): cosineHistograms() of the last evaluate()'s
// mm->mm queries to their positive, near-duplicate and every other gallery
// product, and sampleQueryTraces(), which samples several traces for a few
// fixed mm queries and ranks each query's positive in the last evaluate()'s
// gallery after each (the trainer turns them into GRPO-style trace groups).
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include "core/data/Dataset.h"
#include "core/text/BpeTokenizer.h"
#include "model/MoonModel.h"
#include "model/generation/TokenSampler.h"
#include "training/data/LoaderConfig.h"
#include "training/eval/CosineHistogram.h"
#include "training/eval/EvalConfig.h"

namespace moon {

class GalleryEmbedder;
struct EmbeddedItems;

// One val query's sampled traces, each with the rank of its positive.
struct SampledQueryTraces {
  std::size_t triplet = 0;  // index among the direction's validation queries
  Product query;            // as an item: title, image, labelled attributes
  std::string positive;     // product id
  std::vector<std::string> traces;
  std::vector<bool> closed;
  std::vector<int> tokens;
  std::vector<int> ranks;  // 1-based rank of the positive among galleryItems() (0: not embedded)
};

inline constexpr const char* kHeadlineMetric = "val/R@10";

class ValidationRetrieval {
 public:
  // Throws ConfigError when the val split has no usable query.
  ValidationRetrieval(const Dataset& dataset, const LoaderConfig& loader, const EvalConfig& eval,
                      const BpeTokenizer& tokenizer);
  ~ValidationRetrieval();
  std::map<std::string, double> evaluate(MoonModelImpl& model);
  size_t galleryItems() const { return gallery_.size(); }

  // "positive", "near_duplicate", "other"; empty before evaluate() or without mm queries.
  const std::map<std::string, CosineHistogram>& cosineHistograms() const { return cosines_; }
  // The first `queries` mm queries, each embedded `perQuery` times after a
  // trace sampled with `sampling` (the seed decides them all), ranked against
  // the gallery of the last evaluate(). Empty before it, for a model without
  // reasoning, or without mm queries.
  std::vector<SampledQueryTraces> sampleQueryTraces(MoonModelImpl& model, int queries, int perQuery,
                                                    const SamplingOptions& sampling, int maxTokens) const;

 private:
  struct Direction {
    std::string name;  // "mm->mm", "t->mm"
    Modality modality;
    std::vector<Product> queries;
    std::vector<std::string> positiveIds;
    std::vector<std::string> negativeIds;
    std::vector<Attributes> labels;  // the queries' attributes, for the trace metrics
  };
  static void addNearDuplicate(std::map<std::string, double>& out, const EmbeddedItems& queries, const Direction& dir,
                               const EmbeddedItems& gallery);
  EvalConfig eval_;
  std::vector<Product> gallery_;
  std::unique_ptr<GalleryEmbedder> embedder_;
  std::vector<Direction> directions_;
  std::unique_ptr<EmbeddedItems> lastGallery_;
  std::map<std::string, CosineHistogram> cosines_;
};

}  // namespace moon
