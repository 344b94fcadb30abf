// bf16 autocast on the CPU (issue #16): is it faster, and does training
// follow the same loss curve? Three measurements, fp32 against bf16 autocast
// in the same process, alternating:
//   1. the stage-1 training step (as bench_train; autocast around the
//      forward and loss, as the trainer's TrainConfig::autocast does);
//   2. inference: embedding a batch of multimodal products (no gradient);
//   3. the loss curve over --curve-steps (200) steps from the same initial
//      weights, cycling a pool of four synthetic batches so there is
//      something to learn: the largest and the final relative gap.
//
//   bench_precision [--quick] [--presets micro,tiny] [--threads N] [--curve-steps 200] [--curve-preset micro]

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "BenchCommon.h"
#include "TrainStepSetup.h"
#include "model/runtime/Bf16Autocast.h"
#include "model/runtime/IntraOpThreads.h"

using namespace moon;
using namespace moon::bench;

namespace {

double step(TrainStepSetup& s, const TripletBatch& batch, bool bf16) {
  s.optimizer->zero_grad();
  LossParts parts;
  {
    Bf16Autocast autocast(bf16, torch::kCPU);
    parts = stageOneLoss(*s.model, *s.scale, batch, s.cfg);
  }
  parts.total.backward();
  torch::nn::utils::clip_grad_norm_(s.params, s.cfg.optim.grad_clip);
  s.optimizer->step();
  return parts.total.item<double>();
}

template <class Fn>
double secondsPerCall(Fn&& fn, int calls) {
  const double t0 = now();
  for (int i = 0; i < calls; ++i) fn();
  return (now() - t0) / calls;
}

TripletBatch poolBatch(const TrainConfig& cfg, int k) {
  torch::manual_seed(1000 + k);
  const int64_t B = cfg.loader.batch_size, T = cfg.model.max_trace_tokens;
  TripletBatch t;
  t.query = syntheticProducts(cfg.model, B, 0, false, T);
  t.positive = syntheticProducts(cfg.model, B, 1, true, T);
  t.negative = syntheticProducts(cfg.model, B, 1, true, T);
  t.queryModality = torch::arange(B, torch::kLong) % 3;
  return t;
}

void speed(const std::string& preset, bool quick) {
  const int calls = quick ? 1 : (preset == "micro" ? 10 : 3), reps = quick ? 1 : 5;
  auto fp32 = makeTrainStepSetup(trainPreset(preset));
  auto bf16 = makeTrainStepSetup(trainPreset(preset));
  step(*fp32, fp32->batch, false);  // warm-up: allocations, AdamW state
  step(*bf16, bf16->batch, true);
  std::vector<double> tf, tb;
  for (int r = 0; r < reps; ++r) {
    tf.push_back(secondsPerCall([&] { step(*fp32, fp32->batch, false); }, calls));
    tb.push_back(secondsPerCall([&] { step(*bf16, bf16->batch, true); }, calls));
  }
  const double B = static_cast<double>(fp32->cfg.loader.batch_size);
  char buf[256];
  std::snprintf(buf, sizeof buf, "train step %s: fp32 %.1f ms, bf16 autocast %.1f ms (%.2f vs %.2f samples/s)",
                preset.c_str(), 1000 * median(tf), 1000 * median(tb), B / median(tf), B / median(tb));
  printRatio("bf16_train_speedup_" + preset, median(tf) / median(tb), 0.0, buf);

  // Inference: the candidates' forward (embeddings, no traces), no gradient.
  fp32->model->eval();
  torch::NoGradGuard noGrad;
  const auto products = fp32->batch.positive;
  auto forward = [&](bool on) {
    Bf16Autocast autocast(on, torch::kCPU);
    ForwardOptions options;
    options.traceLogits = false;
    (void)fp32->model->forward(products, options).embedding.sum().item<double>();
  };
  forward(false);
  forward(true);
  std::vector<double> ef, eb;
  for (int r = 0; r < reps; ++r) {
    ef.push_back(secondsPerCall([&] { forward(false); }, calls));
    eb.push_back(secondsPerCall([&] { forward(true); }, calls));
  }
  std::snprintf(buf, sizeof buf, "embedding %lld products %s: fp32 %.1f ms, bf16 autocast %.1f ms",
                static_cast<long long>(products.size()), preset.c_str(), 1000 * median(ef), 1000 * median(eb));
  printRatio("bf16_embed_speedup_" + preset, median(ef) / median(eb), 0.0, buf);
}

void curve(const std::string& preset, int steps) {
  auto fp32 = makeTrainStepSetup(trainPreset(preset));
  auto bf16 = makeTrainStepSetup(trainPreset(preset));  // the same seed: the same initial weights
  std::vector<TripletBatch> pool;
  for (int k = 0; k < 4; ++k) pool.push_back(poolBatch(fp32->cfg, k));
  double worst = 0, worstStep = 0, tf = 0, tb = 0;
  std::vector<double> lf, lb;
  for (int i = 0; i < steps; ++i) {
    const auto& batch = pool[static_cast<size_t>(i) % pool.size()];
    double t0 = now();
    lf.push_back(step(*fp32, batch, false));
    tf += now() - t0;
    t0 = now();
    lb.push_back(step(*bf16, batch, true));
    tb += now() - t0;
    const double gap = std::abs(lb.back() - lf.back()) / std::abs(lf.back());
    if (gap > worst) {
      worst = gap;
      worstStep = i;
    }
  }
  // The curves' last 20 steps (five passes over the pool), averaged.
  const size_t tail = std::min<size_t>(20, lf.size());
  double mf = 0, mb = 0;
  for (size_t i = lf.size() - tail; i < lf.size(); ++i) {
    mf += lf[i] / tail;
    mb += lb[i] / tail;
  }
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "%s, %d steps: loss %.4f -> %.4f (fp32) and %.4f -> %.4f (bf16); mean of the last %zu steps %.4f vs "
                "%.4f; largest step gap %.2f%% at step %.0f; %.1f s vs %.1f s",
                preset.c_str(), steps, lf.front(), lf.back(), lb.front(), lb.back(), tail, mf, mb, 100 * worst,
                worstStep, tf, tb);
  printFigure("bf16_curve_gap_" + preset, std::abs(mb - mf) / std::abs(mf), buf);
  std::ostringstream points;
  for (size_t i = 0; i < lf.size(); i += std::max<size_t>(1, lf.size() / 10))
    points << " " << i << ":" << lf[i] << "/" << lb[i];
  printInfo("bf16_curve_points_" + preset, "step:fp32/bf16" + points.str());
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = hasFlag(argc, argv, "--quick");
  const int threads = std::stoi(option(argc, argv, "--threads", std::to_string(defaultIntraOpThreads())));
  torch::set_num_threads(threads);
  printInfo("precision", "threads " + std::to_string(torch::get_num_threads()));
  std::stringstream list(option(argc, argv, "--presets", quick ? "micro" : "micro,tiny"));
  for (std::string preset; std::getline(list, preset, ',');) speed(preset, quick);
  curve(option(argc, argv, "--curve-preset", "micro"),
        std::stoi(option(argc, argv, "--curve-steps", quick ? "3" : "200")));
  return 0;
}
