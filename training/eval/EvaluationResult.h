#pragma once

// Everything one evaluation of a checkpoint measured (DESIGN.md §4), as a
// value type: stored as JSON in the run store, printed as a table, and one
// row of the ablation table. A section that was not evaluated (attributes
// when reasoning is off, say) is empty, not zero.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "training/eval/AttributeAccuracy.h"
#include "training/eval/NearDuplicate.h"
#include "training/eval/PairedBootstrap.h"
#include "training/eval/PrototypeClassifier.h"
#include "training/eval/QueryResult.h"
#include "training/eval/RetrievalMetrics.h"
#include "training/eval/TraceReport.h"

namespace moon {

struct EvaluationResult {
  std::vector<RetrievalReport> retrieval;  // one per direction, in kRetrievalDirections order when complete
  std::optional<NearDuplicateReport> nearDuplicate;
  std::optional<ClassificationReport> coarseCategory;
  std::optional<ClassificationReport> fineCategory;
  std::optional<AttributeReport> attributes;
  // The same model's <disc_emb>, taken before any trace ("does thinking at
  // inference help this very model?"); empty when the model has none.
  std::vector<RetrievalReport> discRetrieval;
  std::optional<NearDuplicateReport> discNearDuplicate;
  std::optional<TraceReport> traces;  // the queries' generated traces
  std::vector<QueryResult> perQuery;  // every query of every direction, in evaluation order

  // nullptr when that direction was not evaluated.
  const RetrievalReport* findRetrieval(const std::string& name) const;
  // Mean Recall@10 over the directions that had queries; empty when none had.
  std::optional<double> meanRecallAt10() const;
  std::optional<double> meanDiscRecallAt10() const;
  // The 95 % bootstrap interval of meanRecallAt10() over perQuery
  // (PairedBootstrap.h: positives resampled, 1,000 draws); empty without
  // per-query results.
  std::optional<BootstrapInterval> meanRecallAt10Interval() const;
  // What thinking at inference does for this model: mean R@10 of <emb>
  // (after the greedy trace) minus that of <disc_emb> (before it) over the
  // same queries, with its 95 % paired bootstrap interval; empty without
  // per-query results or without <disc_emb>.
  std::optional<BootstrapInterval> thinkingGainInterval() const;

  // Schema (fractions in [0,1], counts as integers):
  //   {"retrieval": [{"name", "queries", "missing", "gallery", "recall@1",
  //                   "recall@5", "recall@10", "mrr"}, ...],
  //    "mean_recall@10": number|null,
  //    "mean_recall@10_ci95": [low, high]|null (derived; not read back),
  //    "thinking_gain@10": number|null, "thinking_gain@10_ci95": [low, high]|null
  //      (<emb> minus <disc_emb> mean R@10, paired; derived; not read back),
  //    "near_duplicate": {"triplets", "skipped", "wins", "accuracy",
  //                       "mean_margin"}|null,
  //    "category": {"coarse": {...}|null, "fine": {...}|null} with
  //                {"items", "correct", "unseen", "classes", "accuracy"},
  //    "attributes": {"items", "labelled", "correct", "unlabelled_predictions",
  //                   "micro", "macro", "per_key": [{"key", "labelled",
  //                   "correct", "accuracy"}, ...]}|null,
  //    "disc_retrieval": [...], "mean_disc_recall@10", "disc_near_duplicate",
  //    "traces": {"traces", "closed", "parsable", "closed_share",
  //               "parsable_share"}|null, "per_query": [QueryResult, ...]}
  nlohmann::json toJson() const;
  // Reads toJson()'s output back (other keys beside it are ignored); throws
  // FormatError naming the missing or mistyped key.
  static EvaluationResult fromJson(const nlohmann::json& json);

  // The stored keys, for toJson/fromJson ("category" nests coarse and fine).
  template <class V>
  void visit(V& v) {
    v.list("retrieval", retrieval);
    v.optionalSection("near_duplicate", nearDuplicate);
    CategorySections category{coarseCategory, fineCategory};
    v.section("category", category);
    v.optionalSection("attributes", attributes);
    v.list("disc_retrieval", discRetrieval);
    v.optionalSection("disc_near_duplicate", discNearDuplicate);
    v.optionalSection("traces", traces);
    v.list("per_query", perQuery);
  }

 private:
  struct CategorySections {
    std::optional<ClassificationReport>& coarse;
    std::optional<ClassificationReport>& fine;
    template <class V>
    void visit(V& v) {
      v.optionalSection("coarse", coarse);
      v.optionalSection("fine", fine);
    }
  };

 public:
  // Aligned plain-text sections for a terminal, ending in '\n'.
  std::string formatTable() const;
};

// "87.5" for 0.875: the one-decimal percentage used by the tables.
std::string formatPercent(double fraction);
// "+1.6" for 0.016, "-0.3" for -0.003: a difference in percentage points.
std::string signedPercentPoints(double fraction);

}  // namespace moon
