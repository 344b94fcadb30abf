#include "model/compare/CompareRunner.h"

#include <chrono>

#include "core/base/Error.h"
#include "model/inference/InferenceContext.h"
#include "model/inference/ProductInput.h"

namespace moon {
namespace {

ProductInput productInput(const CompareInput& in, int slot) {
  ProductInput p;
  p.id = in.id.empty() ? compareSlotKey(slot) : in.id;
  if (!in.title.empty()) p.title = in.title;
  p.image = in.image;
  return p;
}

ViewResult takeView(ProductResult& r, Modality m) {
  for (auto& v : r.views)
    if (v.modality == m) return std::move(v);
  ViewResult none;
  none.modality = m;
  return none;
}

}  // namespace

std::optional<ComparisonResult> runComparison(const InferenceContext& context,
                                              const std::array<CompareInput, kCompareSlots>& inputs,
                                              const CompareOptions& options, const CompareProgress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  int filled = 0;
  for (const auto& in : inputs) filled += in.empty() ? 0 : 1;
  if (filled == 0) throw Error("nothing to compare: every slot is empty");
  const auto& cfg = context.config();
  const int64_t pad = context.model()->specialTokens().pad;

  InferenceOptions mm;
  mm.views = {Modality::Multimodal};
  mm.attention = true;
  mm.generation.sampling.greedy = options.greedy;
  mm.generation.sampling.temperature = options.temperature;
  mm.generation.sampling.topP = options.topP;
  mm.generation.sampling.seed = options.seed;
  mm.generation.maxTokens = options.maxTokens;
  InferenceOptions single = mm;
  single.views = {Modality::Text, Modality::Image};
  single.attention = false;

  ComparisonResult result;
  result.options = options;
  int done = 0;
  const double steps = 2.0 * filled;
  if (progress && !progress(0.0)) return std::nullopt;
  for (int s = 0; s < kCompareSlots; ++s) {
    const auto& in = inputs[static_cast<size_t>(s)];
    auto& slot = result.slots[static_cast<size_t>(s)];
    slot.input = in;
    slot.multimodal.modality = Modality::Multimodal;
    slot.text.modality = Modality::Text;
    slot.image.modality = Modality::Image;
    if (in.empty()) continue;
    const ProductBatch batch = encodeProducts({productInput(in, s)}, context.codec(), cfg, pad);
    // The multimodal view alone, so its (sampled) trace does not depend on which other views exist.
    auto r = context.run(batch, mm);
    slot.multimodal = takeView(r.front(), Modality::Multimodal);
    if (progress && !progress(++done / steps)) return std::nullopt;
    if (!in.title.empty() && !in.image.empty()) {
      auto r2 = context.run(batch, single);
      slot.text = takeView(r2.front(), Modality::Text);
      slot.image = takeView(r2.front(), Modality::Image);
    } else {
      // A one-modality product: its multimodal view is that modality's view.
      (in.image.empty() ? slot.text : slot.image) = slot.multimodal;
      (in.image.empty() ? slot.text : slot.image).modality = in.image.empty() ? Modality::Text : Modality::Image;
      (in.image.empty() ? slot.text : slot.image).attention = {};
    }
    if (progress && !progress(++done / steps)) return std::nullopt;
  }
  result.similarity = similarityMatrix(result.slots);
  result.margins = compareMargins(result.slots);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

}  // namespace moon
