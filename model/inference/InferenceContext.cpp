#include "model/inference/InferenceContext.h"

#include "core/base/Error.h"
#include "core/text/SpecialTokens.h"
#include "model/inference/BatchViews.h"

namespace moon {
namespace {

std::vector<float> toFloats(const torch::Tensor& t) {
  const auto c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
  return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

}  // namespace

InferenceContext::InferenceContext(MoonModel model, TextCodec codec)
    : model_(std::move(model)), codec_(std::move(codec)) {
  model_->eval();
}

std::string InferenceContext::tokenLabel(int64_t id) const {
  const auto special = model_->specialTokens().all();
  for (size_t i = 0; i < special.size(); ++i)
    if (special[i] == id) return std::string(special::kAll[i]);
  if (codec_.tokenText) return codec_.tokenText(id);
  return "#" + std::to_string(id);
}

std::vector<ProductResult> InferenceContext::run(const ProductBatch& batch, const InferenceOptions& options) const {
  torch::NoGradGuard noGrad;
  auto& model = *model_.ptr();  // forward is non-const in LibTorch; the weights are not changed
  const auto& cfg = model_->config();
  const auto& sp = model_->specialTokens();
  checkProductBatch(batch, cfg);
  const int64_t B = batch.size();
  std::vector<ProductResult> results(static_cast<size_t>(B));
  for (int64_t b = 0; b < B; ++b)
    results[static_cast<size_t>(b)].id =
        static_cast<size_t>(b) < batch.ids.size() ? batch.ids[static_cast<size_t>(b)] : "";

  // Every (product, view) becomes one row of a single padded batch.
  std::vector<ProductBatch> parts;
  std::vector<std::pair<int64_t, Modality>> rowOwner;
  for (Modality m : options.views) {
    std::vector<int64_t> rows;
    for (int64_t b = 0; b < B; ++b)
      if (viewAvailable(batch, b, m)) rows.push_back(b);
    if (rows.empty()) continue;
    parts.push_back(selectRows(modalityView(batch, m), rows));
    for (int64_t r : rows) rowOwner.emplace_back(r, m);
  }
  if (parts.empty()) return results;
  auto all = concatBatches(parts, sp.pad);
  all.traceLengths = torch::zeros({all.size()}, torch::kLong);

  const bool think = options.reasoning && cfg.reasoning;
  GenerationResult gen;
  if (think) {
    auto genOptions = options.generation;
    if (genOptions.vocabLimit == 0) genOptions.vocabLimit = codec_.vocabSize;
    gen = generateTraces(model, all, genOptions);
    all = withTraces(all, gen);
  }
  ForwardOptions fo;
  fo.attention = options.attention;
  fo.traceLogits = false;
  const auto out = model.forward(all, fo);
  const auto& lay = out.layout;

  const auto embedding = out.embedding.to(torch::kCPU, torch::kFloat);
  const auto disc = out.discEmbedding.defined() ? out.discEmbedding.to(torch::kCPU, torch::kFloat) : torch::Tensor();
  const auto gates = out.gates.defined() ? out.gates.to(torch::kCPU, torch::kFloat) : torch::Tensor();
  const auto tokens = think ? gen.tokens.to(torch::kCPU) : torch::Tensor();
  const auto lengths = think ? gen.lengths.to(torch::kCPU) : torch::Tensor();
  const auto closed = think ? gen.closed.to(torch::kCPU) : torch::Tensor();
  const auto copyShare = think && gen.copyShare.defined() ? gen.copyShare.to(torch::kCPU) : torch::Tensor();
  const auto ids = lay.ids.to(torch::kCPU);
  const auto valid = lay.valid.to(torch::kCPU);
  const auto patch = lay.imagePatch.to(torch::kCPU);
  const auto embCol = lay.embColumn.to(torch::kCPU);

  for (size_t r = 0; r < rowOwner.size(); ++r) {
    const auto row = static_cast<int64_t>(r);
    ViewResult v;
    v.modality = rowOwner[r].second;
    if (think) {
      const int64_t n = lengths[row].item<int64_t>();
      std::vector<int64_t> trace(static_cast<size_t>(n));
      for (int64_t t = 0; t < n; ++t) trace[static_cast<size_t>(t)] = tokens[row][t].item<int64_t>();
      v.traceTokens.assign(trace.begin(), trace.end());
      v.traceClosed = closed[row].item<bool>();
      if (copyShare.defined()) v.traceCopyShare = toFloats(copyShare[row].narrow(0, 0, n));
      if (codec_.decode) {
        v.traceText = codec_.decode(trace);
      } else {
        for (int64_t id : trace) v.traceText += (v.traceText.empty() ? "" : " ") + tokenLabel(id);
      }
      v.parsed = parseTrace(v.traceText);
    }
    v.embedding = toFloats(embedding[row]);
    if (disc.defined()) v.discEmbedding = toFloats(disc[row]);
    if (gates.defined()) {
      v.gateHeads = static_cast<int>(gates.size(2));
      v.gates = toFloats(gates[row]);
    }
    if (options.attention) {
      auto& a = v.attention;
      const auto keyCols = valid[row].nonzero().squeeze(1);
      const int64_t first = lay.promptLength, last = embCol[row].item<int64_t>();
      const auto queryCols = torch::arange(first, last + 1, torch::kLong);
      std::vector<torch::Tensor> perLayer;
      for (const auto& layer : out.attention)
        perLayer.push_back(
            layer[row].to(torch::kCPU, torch::kFloat).index_select(1, queryCols).index_select(2, keyCols));
      a.weights = toFloats(torch::stack(perLayer));
      a.layers = static_cast<int>(perLayer.size());
      a.heads = static_cast<int>(perLayer.front().size(0));
      a.queries = static_cast<int>(queryCols.size(0));
      a.keys = static_cast<int>(keyCols.size(0));
      for (int64_t q = first; q <= last; ++q) a.queryLabels.push_back(tokenLabel(ids[row][q].item<int64_t>()));
      int patchIndex = 0;
      const int side = cfg.mergedGridSize();
      for (int64_t k = 0; k < a.keys; ++k) {
        const int64_t col = keyCols[k].item<int64_t>();
        if (patch[row][col].item<bool>()) {
          a.imageKeys.push_back(static_cast<int>(k));
          a.keyLabels.push_back("patch " + std::to_string(patchIndex / side) + "," + std::to_string(patchIndex % side));
          ++patchIndex;
        } else {
          a.keyLabels.push_back(tokenLabel(ids[row][col].item<int64_t>()));
        }
      }
      a.gridSide = a.imageKeys.empty() ? 0 : side;
    }
    results[static_cast<size_t>(rowOwner[r].first)].views.push_back(std::move(v));
  }
  return results;
}

}  // namespace moon
