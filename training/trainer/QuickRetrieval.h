#pragma once
// The trainer's periodic validation: a quick retrieval metric on the val
// split. Queries (mm and text, up to eval.max_queries each) are searched
// against the val gallery (every product a val triplet names, its hard
// negatives included) by an exact matmul over L2-normalised embeddings.
// Candidates are embedded without traces (LREM, DESIGN.md §2); queries use
// greedy traces by default (eval.query_traces).
//
// Metrics: "val/mm->mm/R@1", "val/mm->mm/R@10", "val/t->mm/R@1", "val/t->mm/R@10"
// (and MRR), the same with <disc_emb> under "val/disc/…", and the headline
// "val/R@10" = mean R@10 of the two <emb> directions.
#include <map>
#include <memory>
#include <string>
#include <vector>
#include "core/data/Dataset.h"
#include "core/text/BpeTokenizer.h"
#include "model/MoonModel.h"
#include "training/TrainConfig.h"

namespace moon {

class TripletLoader;
class GalleryEmbedder;

inline constexpr const char* kHeadlineMetric = "val/R@10";

class QuickRetrieval {
 public:
  // Throws ConfigError when the val split has no usable query.
  QuickRetrieval(const Dataset& dataset, const TrainConfig& cfg, const BpeTokenizer& tokenizer);
  ~QuickRetrieval();
  std::map<std::string, double> evaluate(MoonModelImpl& model);
  size_t galleryItems() const { return gallery_.size(); }

 private:
  struct Direction {
    std::string name;  // "mm->mm", "t->mm"
    std::unique_ptr<TripletLoader> loader;
  };
  TrainConfig cfg_;
  int64_t vocabLimit_;
  std::vector<Product> gallery_;
  std::map<std::string, int64_t> galleryIndex_;
  std::unique_ptr<GalleryEmbedder> embedder_;
  std::vector<Direction> directions_;
};

// Rank (1 = first) of each query's positive among the gallery rows: 1 + the
// number of rows scoring strictly higher. queries [Q,E], gallery [N,E], positives [Q].
torch::Tensor positiveRanksExact(const torch::Tensor& queries, const torch::Tensor& gallery,
                                 const torch::Tensor& positives);

}  // namespace moon
