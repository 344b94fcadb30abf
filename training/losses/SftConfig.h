#pragma once

#include "core/config/Config.h"

namespace moon {

// Teacher-forced next-token loss on ground-truth traces (stage 1 cold start).
struct SftConfig {
  double weight = 0.1;  // LREM's cold start: 0.1·next-token + 1.0·InfoNCE
  // Optimiser steps at the start that train the trace alone (next-token loss,
  // no contrastive terms). LREM starts from a pretrained LM; a decoder trained
  // from scratch jointly with InfoNCE stays at unigram level on the traces
  // (token accuracy 0.25 on the demo), while alone it learns them in a few
  // hundred steps [design choice].
  int cold_start_steps = 0;
  // Also learn the traces of the batch's positives in a random view (clean
  // catalogue images, every attribute), not only the queries'.
  bool product_views = false;

  template <class V>
  void visit(V& v) {
    v.field("weight", weight, "weight of the trace cross-entropy", Range{0.0, 100.0});
    v.field("cold_start_steps", cold_start_steps, "first optimiser steps that train the trace alone (no InfoNCE)",
            Range{0, 1e12});
    v.field("product_views", product_views, "also train the traces of the positives, each in a random view");
  }
};

}  // namespace moon
