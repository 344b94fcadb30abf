#include "training/trainer/TrainingStep.h"

#include <chrono>
#include <cmath>
#include <limits>

#include "model/runtime/Bf16Autocast.h"
#include "model/runtime/CpuFeatures.h"
#include "training/data/TripletLoader.h"
#include "training/events/TrainEvent.h"
#include "training/trainer/GradientSync.h"
#include "training/trainer/StageOneLoss.h"
#include "training/trainer/StageTwoLoss.h"
#include "training/trainer/TaskGradients.h"
#include "training/trainer/TrainingState.h"

namespace moon {
namespace {

StageOneTerms termsOf(Stage stage) {
  if (stage == Stage::TraceWarmup) return StageOneTerms::TraceOnly;
  if (stage == Stage::Contrastive) return StageOneTerms::Contrastive;
  return StageOneTerms::All;
}

std::string nonFiniteMessage(double value, int64_t step, const GradientSync& sync, const LossParts& parts) {
  std::string detail;
  for (const auto& [k, v] : parts.numbers)
    if (k.rfind("loss_", 0) == 0) detail += " " + k + "=" + std::to_string(v);
  return "non-finite loss (" + std::to_string(value) + ") at step " + std::to_string(step) +
         (sync.distributed() ? " on rank " + std::to_string(sync.rank()) : "") + ";" + detail;
}

}  // namespace

// Measured on an AVX-512 BF16 CPU (PERFORMANCE.md, "bf16 autocast";
// bench_precision): a tiny step (decoder 192 wide) 1.3-1.5x faster with the
// same loss curve, once the embedding heads and similarities stay in fp32
// (AutocastOff.h); a micro step (64 wide) 0.9x, the casts costing more than
// the GEMMs gain; a CPU without the instructions emulates bf16.
bool trainsInBf16(const TrainConfig& cfg, const torch::Device& device) {
  if (cfg.autocast == "off") return false;
  if (cfg.autocast == "bf16") return true;
  if (device.is_cuda()) return true;
  return cpuHasNativeBf16() && cfg.model.language.dim >= kAutocastMinWidth;
}

StepOutcome runTrainingStep(const StepContext& c, const StagePlan& plan, const std::function<bool()>& stopRequested) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  TrainingState& s = c.state;
  const TrainConfig& cfg = c.config;
  const int64_t step = s.counters.step;
  if (plan.stage == Stage::Reinforce && !s.reference) s.makeReference();
  const double lr = s.schedule.lr() * plan.lrScale;
  s.setLearningRate(lr);
  s.optimizer->zero_grad();

  StepOutcome out;
  std::map<std::string, double>& sums = out.numbers;
  const int accumulation = cfg.optim.accumulation;
  DistributedContext* dist = c.sync.context();
  std::vector<torch::Tensor> params;
  for (const auto& [n, p] : s.params) params.push_back(p);
  for (int a = 0; a < accumulation; ++a) {
    const TripletBatch batch = c.loader.next();
    out.samples += batch.query.size() * c.sync.worldSize();
    // Ranks sample different traces for their different queries.
    const uint64_t seed = static_cast<uint64_t>(cfg.seed) * 1000003u + static_cast<uint64_t>(step * accumulation + a) +
                          static_cast<uint64_t>(c.sync.rank()) * 0x9E3779B97F4A7C15ull;
    LossParts parts;
    {
      Bf16Autocast autocast(trainsInBf16(cfg, s.model->device()), s.model->device());
      const int64_t vocab = c.tokenizer.vocabSize();
      if (plan.stage == Stage::Reinforce) {
        parts = stageTwoLoss(*s.model, *s.reference, *s.scale, batch, cfg, c.tokenizer, seed, dist);
        if (cfg.grpo.keep_stage_one != "none") {
          const auto kept = cfg.grpo.keep_stage_one == "joint" ? StageOneTerms::All : StageOneTerms::Contrastive;
          parts.merge(stageOneLoss(*s.model, *s.scale, batch, cfg, dist, kept, vocab));
        }
      } else {
        parts = stageOneLoss(*s.model, *s.scale, batch, cfg, dist, termsOf(plan.stage), vocab);
      }
    }
    torch::Tensor loss = parts.total / static_cast<double>(accumulation);
    if (c.alterLoss) c.alterLoss(step, loss);
    const double local = loss.item<double>() * accumulation;
    // Data parallel, `total` is only this rank's share; `value` is the global loss.
    const double value = dist ? parts.value : local;
    if (!std::isfinite(local) || !std::isfinite(value)) {
      // Not thrown at once: the other ranks are in the same collectives and learn it at the agreement below.
      if (out.nonFinite.empty())
        out.nonFinite = nonFiniteMessage(std::isfinite(local) ? value : local, step + 1, c.sync, parts);
      if (!dist) break;
      continue;
    }
    if (cfg.optim.task_balance == "sum" || parts.tasks.size() < 2) {
      loss.backward();
    } else {
      // Data parallel, each rank balances its own share before the gradients are summed.
      const TaskGradientStats stats = backwardTasks(parts.tasks, params, cfg.optim.task_balance, 1.0 / accumulation);
      for (const auto& [task, norm] : stats.norms) sums["grad_norm_" + task] += norm;
      sums["grad_cos_tasks"] += stats.cosine;
    }
    sums[event_key::kLoss] += value;
    for (const auto& [k, v] : parts.numbers) sums[k] += v;
  }
  for (auto& [k, v] : sums) v /= accumulation;
  bool anyNonFinite = !out.nonFinite.empty();
  std::tie(out.stop, anyNonFinite) = c.sync.reduceGradients(s.params, stopRequested(), anyNonFinite);
  if (anyNonFinite) {
    if (out.nonFinite.empty())
      out.nonFinite = "non-finite loss at step " + std::to_string(step + 1) + " on another rank (see its log)";
    return out;
  }

  const double gradNorm = torch::nn::utils::clip_grad_norm_(
      params, cfg.optim.grad_clip > 0 ? cfg.optim.grad_clip : std::numeric_limits<double>::infinity());
  s.optimizer->step();
  s.schedule.advance();
  ++s.counters.step;
  s.counters.samples += out.samples;

  out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  sums[event_key::kLr] = lr;
  sums[event_key::kTemperature] = s.scale->temperature();
  sums[event_key::kGradNorm] = gradNorm;
  sums[event_key::kSamplesPerS] = out.samples / std::max(out.seconds, 1e-9);
  sums[event_key::kEpoch] = static_cast<double>(c.loader.position().epoch);
  sums[event_key::kStage] = plan.index;
  return out;
}

}  // namespace moon
