#pragma once

// The trainer's periodic validation (ValidationRetrieval.h): the "eval"
// section of a run's configuration. Also what `moon eval` and `moon embed`
// take their default batch size from.

#include <string>

#include "core/config/Config.h"

namespace moon {

struct EvalConfig {
  int every = 100;        // optimiser steps between validations; 0 = only at the end
  int max_queries = 200;  // per direction (mm->mm, t->mm)
  int batch_size = 32;
  std::string query_traces = "greedy";  // "greedy": generated; "target": ground truth (fast); "none": empty
  bool at_start = false;                // also validate the untrained model at step 0 (the curve's baseline)
  // Val mm queries whose traces are sampled (GRPO's group size and sampling)
  // at every validation, stored with their rewards and advantages for the
  // Runs view's trace groups; 0 = none.
  int trace_groups = 4;
  template <class V>
  void visit(V& v) {
    v.field("every", every, "optimiser steps between validations (0 = only at the end)", Range{0, 1e9});
    v.field("at_start", at_start, "validate the untrained model at step 0 too (a new run only)");
    v.field("max_queries", max_queries, "validation queries per direction", Range{1, 1e7});
    v.field("batch_size", batch_size, "batch size of validation forwards", Range{1, 65536});
    v.field("query_traces", query_traces, "traces of validation queries", Choices{{"greedy", "target", "none"}});
    v.field("trace_groups", trace_groups, "val queries whose sampled trace groups are stored per validation",
            Range{0, 64});
  }
};

}  // namespace moon
