#pragma once

// One query as evaluated, kept with the evaluation (run store, `moon eval
// --json`), so a failure browser can sort the queries and an ablation can
// compare two models on the very same queries (PairedBootstrap.h).

#include <cstddef>
#include <string>
#include <vector>

#include "core/config/Config.h"

namespace moon {

struct QueryResult {
  std::string direction;     // "t->mm", "i->mm", "mm->mm", "t->i", "i->t"
  std::size_t index = 0;     // triplet index in the split (t/i/mm->mm), gallery product index (t->i, i->t)
  std::string positive;      // product id of the positive
  std::string negative;      // product id of the near-duplicate ("" for t->i, i->t)
  std::size_t rank = 0;      // rank of the positive with <emb> (RetrievalMetrics.h; 0 = missing)
  std::size_t discRank = 0;  // the same with <disc_emb> (0 when the model has none)
  double margin = 0.0;       // cos(q, positive) - cos(q, near-duplicate) with <emb>
  std::string trace;         // the query's generated trace, "" without
  template <class V>
  void visit(V& v) {  // stored keys
    v.field("direction", direction);
    v.field("index", index);
    v.field("positive", positive);
    v.field("negative", negative);
    v.field("rank", rank);
    v.field("disc_rank", discRank);
    v.field("margin", margin);
    v.field("trace", trace);
  }
};

}  // namespace moon
