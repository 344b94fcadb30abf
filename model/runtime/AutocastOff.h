#pragma once

// Full precision inside an autocast region, for the few places where bf16
// rounding changes the result: the embedding heads and the similarity
// matrices of the contrastive losses. A bf16 cosine has about three
// significant digits; at the logit scales InfoNCE learns (up to 100) that
// is ±0.4 of noise on every logit, and the training curves diverged late in
// training (bench_precision; PERFORMANCE.md, "bf16 autocast").

#include <c10/core/DispatchKeySet.h>
#include <c10/core/impl/LocalDispatchKeySet.h>

namespace moon {

class AutocastOff {
 public:
  AutocastOff() : guard_(c10::autocast_dispatch_keyset) {}

 private:
  c10::impl::ExcludeDispatchKeyGuard guard_;
};

}  // namespace moon
