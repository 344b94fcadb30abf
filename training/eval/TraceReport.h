#pragma once

// How well the generated query traces are formed (issue #14): the share that
// closed with </think> before the length cap, and the share that also parse
// as `key: value; …` with at least one pair and no malformed piece.

#include <cstddef>
#include <string>
#include <vector>

#include "core/config/Config.h"

namespace moon {

struct TraceReport {
  std::size_t traces = 0;
  std::size_t closed = 0;    // ended with </think>
  std::size_t parsable = 0;  // closed and well formed
  double closedShare = 0.0;
  double parsableShare = 0.0;
  template <class V>
  void visit(V& v) {  // stored keys (EvaluationResult.h)
    v.field("traces", traces);
    v.field("closed", closed);
    v.field("parsable", parsable);
    v.field("closed_share", closedShare);
    v.field("parsable_share", parsableShare);
  }
};

// `texts[i]` is trace i without </think>; `closed[i]` says whether it ended
// with one. Throws FormatError when the sizes differ.
TraceReport traceReport(const std::vector<std::string>& texts, const std::vector<bool>& closed);

}  // namespace moon
