// Benchmark 3 of issue #9: trace generation with the KV cache
// (model/generation generateTraces) against full recomputation of the decoder
// over [prompt; trace so far] at every step, trace length 48, batch 16, tiny
// model. Both encode the images once; the ratio is of tokens per second.
//
//   bench_generation [--quick] [--threads N] [--reps 3] [--preset tiny]
//   (--threads: default 1 intra-op thread without MKL, the workbench's own policy)

#include <cstdio>

#include <torch/torch.h>

#include "BenchCommon.h"
#include "SyntheticBatch.h"
#include "model/MoonModel.h"
#include "model/attention/KVCache.h"
#include "model/generation/TraceGenerator.h"
#include "model/runtime/IntraOpThreads.h"

using namespace moon;
using namespace moon::bench;

namespace {

// Greedy decoding without a cache: every step runs the decoder over the whole
// sequence again. Returns the number of decoding steps run.
int64_t recomputeGenerate(MoonModelImpl& model, const ProductBatch& batch, int64_t steps) {
  torch::NoGradGuard noGrad;
  auto& lm = model.language();
  const auto lay = model.layout(batch, SequenceMode::Prompt);
  const auto in = model.encode(batch, lay);
  const int64_t B = lay.batch();
  auto embeds = in.embeds;
  auto valid = lay.valid;
  auto injections = in.injections;
  for (int64_t s = 0; s < steps; ++s) {
    const auto hidden =
        lm(embeds, positionsFromValid(valid), causalAllowed(valid, 0, valid.size(1)), nullptr, injections).hidden;
    // The same scores as generation (with the copy head's pointer over the prompt's title).
    const auto source = model.copySource(hidden.narrow(1, 0, lay.promptLength), lay);
    const auto next = model.traceScores(hidden.select(1, hidden.size(1) - 1), source).argmax(-1);  // [B]
    embeds = torch::cat({embeds, lm->embed(next.unsqueeze(1))}, 1);
    valid = torch::cat({valid, torch::ones({B, 1}, valid.options())}, 1);
    for (auto& inj : injections)
      if (inj.defined()) inj = torch::cat({inj, torch::zeros({B, 1, inj.size(2)}, inj.options())}, 1);
  }
  return steps;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = hasFlag(argc, argv, "--quick");
  torch::set_num_threads(std::stoi(option(argc, argv, "--threads", std::to_string(defaultIntraOpThreads()))));
  const int reps = std::stoi(option(argc, argv, "--reps", quick ? "1" : "3"));
  const std::string preset = option(argc, argv, "--preset", quick ? "micro" : "tiny");
  const int64_t B = quick ? 4 : 16, N = quick ? 8 : 48;
  auto cfg = modelPreset(preset);
  cfg.max_trace_tokens = static_cast<int>(N);  // the benchmark's trace length (not the preset's)
  torch::manual_seed(0);
  MoonModel model(cfg);
  model->eval();
  torch::manual_seed(7);
  const auto batch = syntheticProducts(cfg, B, 0, false, 0);
  GenerationOptions opts;
  opts.maxTokens = static_cast<int>(N);

  std::vector<double> kvRate, fullRate;
  int64_t kvSteps = 0;
  for (int r = 0; r < reps; ++r) {
    double t0 = now();
    const auto g = generateTraces(*model, batch, opts);
    const double tk = now() - t0;
    // Steps run = longest trace, plus the step that closed it (if any).
    kvSteps = g.lengths.max().item<int64_t>() + (g.closed.any().item<bool>() ? 1 : 0);
    kvSteps = std::max<int64_t>(1, std::min<int64_t>(kvSteps, N + 1));
    kvRate.push_back(static_cast<double>(B * kvSteps) / tk);
    t0 = now();
    const int64_t rs = recomputeGenerate(*model, batch, N);
    fullRate.push_back(static_cast<double>(B * rs) / (now() - t0));
  }
  const double kv = median(kvRate), full = median(fullRate);
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s B=%lld trace %lld: KV cache %.0f tok/s (%lld steps) vs recompute %.0f tok/s",
                preset.c_str(), static_cast<long long>(B), static_cast<long long>(N), kv,
                static_cast<long long>(kvSteps), full);
  printRatio("generation_kv_vs_recompute", kv / full, 8.0, buf);
  return 0;
}
