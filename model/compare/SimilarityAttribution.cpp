#include "model/compare/SimilarityAttribution.h"

#include <torch/torch.h>

#include <algorithm>
#include <numeric>

#include "core/base/Error.h"
#include "model/attention/KVCache.h"
#include "model/generation/TraceGenerator.h"
#include "model/inference/InferenceContext.h"
#include "model/inference/ProductInput.h"
#include "model/sequence/SequenceLayout.h"

namespace moon {
namespace {

struct Prepared {
  ProductBatch batch;
  std::vector<int64_t> trace;
  std::string traceText;
};

ProductBatch encodeOne(const InferenceContext& context, const CompareInput& in) {
  if (in.empty()) throw Error("attribution needs a title or an image on both sides");
  ProductInput p;
  p.id = in.id;
  if (!in.title.empty()) p.title = in.title;
  p.image = in.image;
  return encodeProducts({p}, context.codec(), context.config(), context.model()->specialTokens().pad);
}

void setTrace(ProductBatch& batch, const std::vector<int64_t>& ids) {
  batch.traceIds = ids.empty() ? torch::zeros({1, 0}, torch::kLong)
                               : torch::tensor(ids, torch::kLong).reshape({1, int64_t(ids.size())});
  batch.traceLengths = torch::tensor({int64_t(ids.size())}, torch::kLong);
}

// The product with the trace it is embedded after: the greedy one, or `trace` when given.
Prepared prepare(const InferenceContext& context, const CompareInput& in, const std::optional<std::string>& trace,
                 int maxTraceTokens) {
  Prepared p;
  p.batch = encodeOne(context, in);
  MoonModelImpl& model = *context.model();
  if (!model.config().reasoning) return p;
  if (trace) {
    if (!context.codec().encode) throw Error("this checkpoint has no tokenizer to encode an edited trace");
    p.trace = context.codec().encode(*trace);
    const int cap = maxTraceTokens > 0 ? maxTraceTokens : model.config().max_trace_tokens;
    if (int(p.trace.size()) > cap) p.trace.resize(std::size_t(cap));
    p.traceText = *trace;
  } else {
    torch::NoGradGuard noGrad;
    GenerationOptions g;
    g.maxTokens = maxTraceTokens;
    g.vocabLimit = context.codec().vocabSize;
    const GenerationResult r = generateTraces(model, p.batch, g);
    const int64_t n = r.lengths[0].item<int64_t>();
    const auto tokens = r.tokens.to(torch::kCPU);
    for (int64_t i = 0; i < n; ++i) p.trace.push_back(tokens[0][i].item<int64_t>());
    p.traceText = context.codec().decode ? context.codec().decode(p.trace) : std::string();
  }
  setTrace(p.batch, p.trace);
  return p;
}

struct Embedded {
  torch::Tensor embedding;    // [E]
  torch::Tensor tokenInputs;  // [1,L,D] leaf (when asked)
  SequenceLayout layout;
};

// forward()'s <emb> path, teacher-forced, with the decoder's input embeddings
// made a leaf when `tokenLeaf` (test_similarity_attribution checks it equals
// forward()).
Embedded embedTeacherForced(MoonModelImpl& model, const ProductBatch& batch, bool tokenLeaf) {
  Embedded out;
  out.layout = model.layout(batch, SequenceMode::TeacherForced);
  const SequenceLayout& lay = out.layout;
  EncodedInputs inputs = model.encode(batch, lay);
  if (tokenLeaf) {
    inputs.embeds = inputs.embeds.detach().requires_grad_(true);
    out.tokenInputs = inputs.embeds;
  }
  const auto allowed = causalAllowed(lay.valid, 0, lay.length());
  auto lm = model.language()->forward(inputs.embeds, lay.positions, allowed, nullptr, inputs.injections, false);
  const auto embState = gatherColumns(lm.hidden, lay.embColumn);
  const int64_t B = lay.batch(), Lp = lay.promptLength, Lr = lay.traceColumns;
  torch::Tensor reasoning, mask;
  if (model.config().reasoning) {
    reasoning = lm.hidden.narrow(1, Lp, Lr);
    const auto cols = torch::arange(Lr, lay.traceLengths.options()).unsqueeze(0);
    mask = cols < lay.traceLengths.unsqueeze(1);
  } else {
    reasoning = torch::zeros({B, 0, lm.hidden.size(2)}, lm.hidden.options());
    mask = torch::zeros({B, 0}, lay.valid.options());
  }
  out.embedding = model.embed(embState, inputs, batch, reasoning, mask, nullptr)[0];
  return out;
}

float cosine(const torch::Tensor& a, const torch::Tensor& b) { return (a * b).sum().item<float>(); }

// |grad × input| of [3,S,S] pixels pooled on a side x side grid.
std::vector<float> poolPatches(const torch::Tensor& attribution, int side) {
  const auto a = attribution.abs().sum(0).unsqueeze(0).unsqueeze(0);  // [1,1,S,S]
  const auto pooled = torch::adaptive_avg_pool2d(a, {side, side}).reshape({side * side}).to(torch::kFloat).contiguous();
  std::vector<float> out(pooled.data_ptr<float>(), pooled.data_ptr<float>() + pooled.numel());
  const float top = *std::max_element(out.begin(), out.end());
  if (top > 0)
    for (float& v : out) v /= top;
  return out;
}

// The image with the given patches (of a side x side grid) set to mid-grey,
// 0 in the model's [-1, 1] scale: the baseline gradient × input measures
// against, so a removed patch carries no input (a mean colour would carry
// the rest of the picture's into it).
torch::Tensor withoutPatches(const torch::Tensor& image, const std::vector<int>& patches, int side) {
  torch::Tensor out = image.clone();
  const int64_t S = image.size(-1);
  for (int p : patches) {
    const int64_t r = p / side, c = p % side;
    const int64_t y0 = r * S / side, y1 = (r + 1) * S / side, x0 = c * S / side, x1 = (c + 1) * S / side;
    out.narrow(2, y0, y1 - y0).narrow(3, x0, x1 - x0).zero_();
  }
  return out;
}

}  // namespace

SimilarityAttribution attributeSimilarity(const InferenceContext& context, const CompareInput& query,
                                          const CompareInput& candidate, const AttributionOptions& options) {
  MoonModelImpl& model = *context.model();
  const Prepared q = prepare(context, query, options.queryTrace, options.maxTraceTokens);
  const Prepared c = prepare(context, candidate, std::nullopt, options.maxTraceTokens);
  SimilarityAttribution out;
  out.queryTrace = q.traceText;
  out.candidateTrace = c.traceText;
  out.removedShare = options.removedShare;

  // Tokens: the query's decoder inputs as a leaf, the candidate fixed.
  torch::Tensor candidateEmbedding;
  {
    torch::NoGradGuard noGrad;
    candidateEmbedding = embedTeacherForced(model, c.batch, false).embedding;
  }
  torch::Tensor queryEmbedding;
  {
    torch::AutoGradMode grad(true);
    Embedded e = embedTeacherForced(model, q.batch, true);
    const auto cos = (e.embedding * candidateEmbedding).sum();
    const auto g = torch::autograd::grad({cos}, {e.tokenInputs})[0];
    out.cosine = cos.item<float>();
    queryEmbedding = e.embedding.detach();
    const auto scores = (g * e.tokenInputs.detach()).sum(-1)[0].to(torch::kCPU);  // [L]
    const auto ids = e.layout.ids[0].to(torch::kCPU);
    const auto title = e.layout.titleColumns[0].to(torch::kCPU);
    const int64_t Lp = e.layout.promptLength;
    for (int64_t col = 0; col < Lp; ++col)
      if (title[col].item<bool>())
        out.queryTokens.push_back({context.tokenLabel(ids[col].item<int64_t>()), false, scores[col].item<float>()});
    for (std::size_t i = 0; i < q.trace.size() && Lp + int64_t(i) < scores.size(0); ++i)
      out.queryTokens.push_back({context.tokenLabel(q.trace[i]), true, scores[Lp + int64_t(i)].item<float>()});
  }

  // Image: the candidate's pixels, the query fixed.
  const bool hasImage = c.batch.hasImage[0].item<bool>();
  if (hasImage) {
    const int side = model.config().mergedGridSize();
    out.gridSide = side;
    torch::Tensor pixels = c.batch.images.detach().clone().requires_grad_(true);
    {
      torch::AutoGradMode grad(true);
      ProductBatch b = c.batch;
      b.images = pixels;
      const auto cos = (embedTeacherForced(model, b, false).embedding * queryEmbedding).sum();
      const auto g = torch::autograd::grad({cos}, {pixels})[0];
      out.patches = poolPatches((g * pixels.detach())[0], side);
    }
    // Faithfulness: remove the top and the bottom share.
    std::vector<int> order(out.patches.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return out.patches[std::size_t(a)] > out.patches[std::size_t(b)]; });
    const std::size_t k = std::max<std::size_t>(1, std::size_t(options.removedShare * double(order.size()) + 0.5));
    const std::vector<int> most(order.begin(), order.begin() + std::ptrdiff_t(std::min(k, order.size())));
    const std::vector<int> least(order.end() - std::ptrdiff_t(std::min(k, order.size())), order.end());
    torch::NoGradGuard noGrad;
    for (auto [patches, target] :
         {std::pair{&most, &out.cosineWithoutMost}, std::pair{&least, &out.cosineWithoutLeast}}) {
      ProductBatch b = c.batch;
      b.images = withoutPatches(c.batch.images, *patches, side);
      *target = cosine(embedTeacherForced(model, b, false).embedding, queryEmbedding);
    }
  }
  return out;
}

nlohmann::json attributionToJson(const SimilarityAttribution& a) {
  nlohmann::json tokens = nlohmann::json::array();
  for (const TokenAttribution& t : a.queryTokens)
    tokens.push_back({{"text", t.text}, {"in_trace", t.inTrace}, {"score", t.score}});
  return {{"cosine", a.cosine},
          {"query_trace", a.queryTrace},
          {"candidate_trace", a.candidateTrace},
          {"grid_side", a.gridSide},
          {"patches", a.patches},
          {"query_tokens", tokens},
          {"faithfulness",
           {{"removed_share", a.removedShare},
            {"cosine_without_most", a.cosineWithoutMost},
            {"cosine_without_least", a.cosineWithoutLeast}}}};
}

std::vector<float> embedAfterTrace(const InferenceContext& context, const CompareInput& query, const std::string& trace,
                                   int maxTraceTokens) {
  const Prepared q = prepare(context, query, trace, maxTraceTokens);
  torch::NoGradGuard noGrad;
  const auto e =
      embedTeacherForced(*context.model(), q.batch, false).embedding.to(torch::kCPU, torch::kFloat).contiguous();
  return std::vector<float>(e.data_ptr<float>(), e.data_ptr<float>() + e.numel());
}

}  // namespace moon
