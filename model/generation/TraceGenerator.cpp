#include "model/generation/TraceGenerator.h"

#include <vector>

#include "core/base/Error.h"
#include "model/attention/KVCache.h"

namespace moon {
namespace {

std::vector<int64_t> bannedTokens(const MoonModelImpl& model, int64_t vocabLimit) {
  const auto& sp = model.specialTokens();
  std::vector<int64_t> banned;
  for (int64_t id : sp.all())
    if (id != sp.thinkEnd) banned.push_back(id);
  const int64_t V = model.config().language.vocab_size;
  if (vocabLimit > 0)
    for (int64_t id = vocabLimit; id < V; ++id)
      if (id != sp.thinkEnd) banned.push_back(id);
  return banned;
}

}  // namespace

GenerationResult generateTraces(MoonModelImpl& model, const ProductBatch& batch, const GenerationOptions& options) {
  const auto& cfg = model.config();
  if (!cfg.reasoning) throw Error("this model has reasoning off: it generates no traces");
  if (options.maxTokens > cfg.max_trace_tokens)
    throw Error("trace limit " + std::to_string(options.maxTokens) + " exceeds the model's max_trace_tokens " +
                std::to_string(cfg.max_trace_tokens) + " (the embedding pass would cut the trace)");
  const int64_t N = options.maxTokens > 0 ? options.maxTokens : cfg.max_trace_tokens;
  torch::NoGradGuard noGrad;
  TokenSampler sampler(options.sampling, bannedTokens(model, options.vocabLimit));
  const auto& sp = model.specialTokens();
  auto& lm = model.language();

  const auto lay = model.layout(batch, SequenceMode::Prompt);
  const auto in = model.encode(batch, lay);
  const int64_t B = lay.batch(), Lp = lay.promptLength;
  KVCache cache(cfg.language.layers, B, cfg.language.kv_heads, lm->headDim(), Lp + N + 1, in.embeds.options());
  auto step = cache.begin(lay.valid);
  auto hidden = lm(in.embeds, step.positions, step.allowed, &cache, in.injections).hidden;
  cache.commit();
  const CopySource source = model.copySource(hidden, lay);
  torch::Tensor copied;  // [B,V] copied probability mass of the current step (copy head only)
  auto logits = model.traceScores(hidden.select(1, Lp - 1), source, &copied);  // <think> predicts the first trace token

  std::vector<std::vector<int64_t>> tokens(static_cast<size_t>(B));
  std::vector<std::vector<double>> logProbs(static_cast<size_t>(B));
  std::vector<std::vector<float>> copyShares(static_cast<size_t>(B));
  std::vector<char> active(static_cast<size_t>(B), 1), closed(static_cast<size_t>(B), 0);
  std::vector<torch::Tensor> stepLogits;
  for (int64_t s = 0; s <= N; ++s) {
    if (options.returnLogits) stepLogits.push_back(logits);
    const auto next = sampler.choose(logits);
    const auto chosen = next.unsqueeze(1);
    // Row 0: each row's chosen token's log-probability. Row 1, with a copy
    // head: its copied mass over its whole probability (the scores are then
    // the mixture's log-probabilities). One host copy for both.
    auto perToken = torch::log_softmax(logits, -1).gather(1, chosen).squeeze(1).to(torch::kDouble).unsqueeze(0);
    if (copied.defined()) {
      const auto share = copied.gather(1, chosen).squeeze(1) / logits.gather(1, chosen).squeeze(1).exp();
      perToken = torch::cat({perToken, share.clamp(0.0, 1.0).to(torch::kDouble).unsqueeze(0)});
    }
    const auto nextCpu = next.to(torch::kCPU).contiguous();
    const auto perTokenCpu = perToken.to(torch::kCPU).contiguous();
    const auto nextA = nextCpu.accessor<int64_t, 1>();
    const auto perTokenA = perTokenCpu.accessor<double, 2>();
    std::vector<char> feed(static_cast<size_t>(B), 0);
    bool any = false;
    for (int64_t b = 0; b < B; ++b) {
      const auto i = static_cast<size_t>(b);
      if (!active[i]) continue;
      if (nextA[b] == sp.thinkEnd) {
        closed[i] = 1;
        active[i] = 0;
        logProbs[i].push_back(perTokenA[0][b]);
      } else if (s == N) {
        active[i] = 0;  // over the limit: the token is dropped, the trace stays unclosed
      } else {
        tokens[i].push_back(nextA[b]);
        logProbs[i].push_back(perTokenA[0][b]);
        if (copied.defined()) copyShares[i].push_back(static_cast<float>(perTokenA[1][b]));
        feed[i] = 1;
        any = true;
      }
    }
    if (!any) break;
    const auto feedMask = torch::from_blob(feed.data(), {B}, torch::kInt8).to(next.device(), torch::kBool);
    const auto feedIds = torch::where(feedMask, next, torch::full_like(next, sp.pad)).unsqueeze(1);
    step = cache.begin(feedMask.unsqueeze(1));
    hidden = lm(lm->embed(feedIds), step.positions, step.allowed, &cache).hidden;
    cache.commit();
    logits = model.traceScores(hidden.select(1, 0), source, &copied);
  }

  int64_t T = 0;
  for (const auto& t : tokens) T = std::max<int64_t>(T, static_cast<int64_t>(t.size()));
  auto tok = torch::full({B, T}, sp.pad, torch::kLong);
  auto len = torch::zeros({B}, torch::kLong);
  auto clo = torch::zeros({B}, torch::kBool);
  auto lps = torch::zeros({B, T + 1}, torch::kDouble);
  auto lpm = torch::zeros({B, T + 1}, torch::kBool);
  auto shares = torch::zeros({B, T}, torch::kFloat);
  auto sharesA = shares.accessor<float, 2>();
  auto tokA = tok.accessor<int64_t, 2>();
  auto lenA = len.accessor<int64_t, 1>();
  auto cloA = clo.accessor<bool, 1>();
  auto lpsA = lps.accessor<double, 2>();
  auto lpmA = lpm.accessor<bool, 2>();
  for (int64_t b = 0; b < B; ++b) {
    const auto i = static_cast<size_t>(b);
    lenA[b] = static_cast<int64_t>(tokens[i].size());
    cloA[b] = closed[i] != 0;
    for (size_t t = 0; t < tokens[i].size(); ++t) tokA[b][static_cast<int64_t>(t)] = tokens[i][t];
    for (size_t t = 0; t < copyShares[i].size(); ++t) sharesA[b][static_cast<int64_t>(t)] = copyShares[i][t];
    for (size_t t = 0; t < logProbs[i].size(); ++t) {
      lpsA[b][static_cast<int64_t>(t)] = logProbs[i][t];
      lpmA[b][static_cast<int64_t>(t)] = true;
    }
  }
  const auto device = model.device();
  GenerationResult r;
  r.tokens = tok.to(device);
  r.lengths = len.to(device);
  r.closed = clo.to(device);
  r.logProbs = lps.to(device, model.dtype());
  r.logProbMask = lpm.to(device);
  if (options.returnLogits) r.logits = torch::stack(stepLogits, 1);
  if (copied.defined()) r.copyShare = shares.to(device);
  return r;
}

ProductBatch withTraces(const ProductBatch& batch, const GenerationResult& traces) {
  ProductBatch out = batch;
  out.traceIds = traces.tokens;
  out.traceLengths = traces.lengths;
  return out;
}

}  // namespace moon
