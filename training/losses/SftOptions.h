#pragma once

#include "core/config/Config.h"

namespace moon {

// Teacher-forced next-token loss on ground-truth traces (stage 1 cold start).
struct SftOptions {
  double weight = 0.1;  // LREM's cold start: 0.1·next-token + 1.0·InfoNCE

  template <class V>
  void visit(V& v) {
    v.field("weight", weight, "weight of the trace cross-entropy", Range{0.0, 100.0});
  }
};

}  // namespace moon
