#pragma once
// Everything a training run needs, as one config struct (core/config/Config.h):
// the model, the loader, the optimiser, the schedule, every loss term,
// evaluation and checkpointing. Presets give sensible values per model size:
//   micro  tests (seconds on one core)
//   tiny   the CPU demo
//   small, base  GPUs
// The resolved config is what a run stores (run store + runs/<id>/config.json)
// and what `--resume` rebuilds the run from.
#include <cstdint>
#include <string>
#include <vector>
#include "core/config/Config.h"
#include "model/config/ModelConfig.h"
#include "training/data/LoaderConfig.h"
#include "training/eval/EvalConfig.h"
#include "training/losses/ContrastiveConfig.h"
#include "training/losses/GrpoConfig.h"
#include "training/losses/SftConfig.h"
#include "training/schedule/ScheduleConfig.h"

namespace moon {

struct OptimConfig {
  double lr = 1e-3;
  double weight_decay = 0.01;  // decoupled (AdamW); never applied to the temperature
  std::vector<double> betas = {0.9, 0.999};
  double eps = 1e-8;
  double grad_clip = 1.0;  // max global gradient norm; 0 = off
  int accumulation = 1;    // micro-batches per optimiser step
  // How the trace and contrastive tasks' gradients combine (TaskGradients.h).
  std::string task_balance = "sum";
  template <class V>
  void visit(V& v) {
    v.field("lr", lr, "peak learning rate", Range{0.0, 10.0});
    v.field("weight_decay", weight_decay, "AdamW decoupled weight decay", Range{0.0, 10.0});
    v.field("betas", betas, "AdamW (beta1, beta2)", Range{0.0, 0.999999});
    v.field("eps", eps, "AdamW epsilon", Range{1e-12, 1.0});
    v.field("grad_clip", grad_clip, "max global gradient norm (0 = off)", Range{0.0, 1e9});
    v.field("accumulation", accumulation, "micro-batches accumulated per optimiser step", Range{1, 4096});
    v.field("task_balance", task_balance, "how the tasks' gradients combine: sum, normalize or pcgrad",
            Choices{{"sum", "normalize", "pcgrad"}});
  }
};

// Stage 2 (RL). Off by default: stage 1 alone is the cold start.
struct GrpoStageConfig {
  bool enabled = false;
  int64_t start_step = 0;  // optimiser step at which stage 2 begins
  double lr_scale = 0.05;  // stage-2 lr = stage-1 schedule × lr_scale (10–50× lower, DESIGN.md §2)
  int queries = 4;         // queries per RL step (from the head of the training batch)
  // What of stage 1 stage 2 keeps next to the policy loss (and its InfoNCE on
  // the sampled traces): "none"; "contrastive" (<emb>, <disc_emb>, alignment
  // over the whole batch); "joint" (those and the next-token loss on the
  // target traces). With "none" stage 2 trains retrieval only through the G
  // sampled rows at weight_contrastive [README "Training recipe"].
  std::string keep_stage_one = "none";
  GrpoConfig options;
  template <class V>
  void visit(V& v) {
    v.field("enabled", enabled, "run stage 2 (GRPO) from start_step on");
    v.field("start_step", start_step, "first optimiser step of stage 2", Range{0, 1e12});
    v.field("lr_scale", lr_scale, "stage-2 learning rate as a share of the schedule", Range{0.0, 10.0});
    v.field("queries", queries, "queries per RL step", Range{1, 65536});
    v.field("keep_stage_one", keep_stage_one, "stage-1 terms kept in stage 2: none, contrastive or joint",
            Choices{{"none", "contrastive", "joint"}});
    options.visit(v);
  }
};

struct CheckpointConfig {
  int every = 500;    // optimiser steps between checkpoints; 0 = only at the end
  int keep_last = 3;  // the best one is kept on top of these
  template <class V>
  void visit(V& v) {
    v.field("every", every, "optimiser steps between checkpoints (0 = only at the end)", Range{0, 1e9});
    v.field("keep_last", keep_last, "most recent checkpoints kept (plus the best)", Range{1, 1e6});
  }
};

struct TrainConfig {
  std::string preset = "micro";  // model preset the run started from (informational)
  std::string data;              // dataset folder
  ModelConfig model;
  LoaderConfig loader;
  OptimConfig optim;
  ScheduleConfig schedule;
  ContrastiveConfig contrastive;
  SftConfig sft;
  GrpoStageConfig grpo;
  EvalConfig eval;
  CheckpointConfig checkpoint;
  // Stage-1 stages in order (training/trainer/Curriculum.h), "name:steps,...,name".
  std::string curriculum = "joint";
  int64_t steps = 1000;  // optimiser steps
  int64_t seed = 0;
  std::string device = "auto";  // "cpu", "cuda", "auto" (CUDA when available)
  int threads = 0;              // torch intra-op threads; 0 = LibTorch's default
  // bf16 autocast of the training forward: "auto" uses it only where it was
  // measured faster with the same loss curve (PERFORMANCE.md, "bf16 autocast").
  std::string autocast = "auto";
  template <class V>
  void visit(V& v) {
    v.field("preset", preset, "model preset the run started from");
    v.field("data", data, "dataset folder (products.jsonl, train/val.jsonl, tokenizer.json)");
    v.section("model", model);
    v.section("loader", loader);
    v.section("optim", optim);
    v.section("schedule", schedule);
    v.section("contrastive", contrastive);
    v.section("sft", sft);
    v.section("grpo", grpo);
    v.section("eval", eval);
    v.section("checkpoint", checkpoint);
    v.field("curriculum", curriculum,
            "stage-1 stages in order, name:steps,...,name (contrastive, trace, joint; the last runs to the end)");
    v.field("steps", steps, "optimiser steps of the run", Range{1, 1e12});
    v.field("seed", seed, "seed of torch and of the loader", Range{0, 9.0e15});
    v.field("device", device, "compute device", Choices{{"auto", "cpu", "cuda"}});
    v.field("threads", threads, "torch intra-op threads (0: 1 without MKL, else LibTorch's default)", Range{0, 1024});
    v.field("autocast", autocast, "bf16 autocast of the training forward (auto: where measured faster)",
            Choices{{"auto", "off", "bf16"}});
  }
};

// The presets: "micro", "tiny", "small", "base" (model preset + hyper-parameters).
// Throws ConfigError for an unknown name.
TrainConfig trainPreset(const std::string& name);

// The share of its budget a preset's stage 2 takes when turned on (from its
// grpo.start_step; half when the preset sets none within its steps), and the
// first stage-2 step of a run of `steps` with that share: so a run with more
// or fewer steps (the New Run form, moon ablate) keeps the measured share.
double presetGrpoShare(const std::string& preset);
int64_t grpoStartStep(int64_t steps, double share);

// Throws ConfigError naming the key when values do not fit together
// (model sizes, betas, loader sizes against the model).
void validateTrainConfig(const TrainConfig& cfg);

// Copies what the loader must share with the model (image size, trace cap)
// and the run seed into the loader section.
void syncLoaderWithModel(TrainConfig& cfg);

// Preset (or a config file over a preset), then `key=value` overrides, then
// syncLoaderWithModel and validation. `configFile` may be empty.
TrainConfig resolveTrainConfig(const std::string& preset, const std::string& configFile,
                               const std::vector<std::string>& overrides);

}  // namespace moon
