#pragma once

// One stage-1 training step as the trainer takes it (model, temperature,
// AdamW with the temperature in its own group without decay, global gradient
// clipping), on the synthetic batch: bench_train times it, test_peer_parity
// checks the Python peer computes the same losses from the same weights.

#include <memory>
#include <vector>

#include <torch/torch.h>

#include "SyntheticBatch.h"
#include "model/MoonModel.h"
#include "model/runtime/AllocatorPolicy.h"
#include "training/TrainConfig.h"
#include "training/losses/LogitScale.h"
#include "training/trainer/StageOneLoss.h"

namespace moon::bench {

struct TrainStepSetup {
  TrainConfig cfg;
  MoonModel model{nullptr};
  LogitScale scale{nullptr};
  std::unique_ptr<torch::optim::AdamW> optimizer;
  std::vector<torch::Tensor> params;  // the model's, then the temperature
  TripletBatch batch;
};

inline std::unique_ptr<TrainStepSetup> makeTrainStepSetup(const TrainConfig& cfg) {
  keepFreedMemoryForReuse();  // as the trainer does
  auto s = std::make_unique<TrainStepSetup>();
  s->cfg = cfg;
  // The peer (python/moon_peer.py) embeds each query after its target trace,
  // sums the tasks and has no copy head; the presets' own-trace InfoNCE would
  // add a greedy decode the peer does not run.
  s->cfg.contrastive.query_traces = "target";
  s->cfg.optim.task_balance = "sum";
  s->cfg.model.language.copy_head = false;
  torch::manual_seed(0);
  s->model = MoonModel(s->cfg.model);
  s->model->train();
  s->scale = LogitScale(s->cfg.contrastive.temperature);
  const auto& o = s->cfg.optim;
  auto opts = [&](double wd) {
    return std::make_unique<torch::optim::AdamWOptions>(
        torch::optim::AdamWOptions(o.lr).betas(std::make_tuple(o.betas[0], o.betas[1])).eps(o.eps).weight_decay(wd));
  };
  std::vector<torch::optim::OptimizerParamGroup> groups;
  s->params = s->model->parameters();
  groups.emplace_back(s->params, opts(o.weight_decay));
  groups.emplace_back(std::vector<torch::Tensor>{s->scale->logScale}, opts(0.0));
  s->params.push_back(s->scale->logScale);
  s->optimizer = std::make_unique<torch::optim::AdamW>(groups, torch::optim::AdamWOptions(o.lr));
  s->batch = syntheticTriplets(s->cfg.model, s->cfg.loader.batch_size, s->cfg.model.max_trace_tokens);
  return s;
}

// Returns the loss before the update.
inline double trainStep(TrainStepSetup& s) {
  s.optimizer->zero_grad();
  auto parts = stageOneLoss(*s.model, *s.scale, s.batch, s.cfg);
  parts.total.backward();
  if (s.cfg.optim.grad_clip > 0) torch::nn::utils::clip_grad_norm_(s.params, s.cfg.optim.grad_clip);
  s.optimizer->step();
  return parts.total.item<double>();
}

}  // namespace moon::bench
