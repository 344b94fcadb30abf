#include "training/trainer/TrainingState.h"

#include "core/base/Error.h"
#include "model/checkpoint/ModelCheckpoint.h"
#include "training/checkpoint/OptimizerState.h"

namespace moon {
namespace {

NamedTensors namedModelTensors(torch::nn::Module& m) {
  NamedTensors out;
  for (const auto& p : m.named_parameters()) out.emplace_back(p.key(), p.value());
  for (const auto& b : m.named_buffers()) out.emplace_back(b.key(), b.value());
  return out;
}

const torch::Tensor* findTensor(const NamedTensors& tensors, const std::string& name) {
  for (const auto& [n, t] : tensors)
    if (n == name) return &t;
  return nullptr;
}

constexpr const char* kReferencePrefix = "reference/";

}  // namespace

TrainingState::TrainingState(const TrainConfig& config, const torch::Device& device)
    : schedule(config.schedule, config.optim.lr, config.steps), config_(config), device_(device) {
  torch::manual_seed(static_cast<uint64_t>(config.seed));
  model = MoonModel(config.model);
  model->to(device);
  scale = LogitScale(config.contrastive.temperature);
  scale->to(device);
  model->train();

  // Group 0: the network, with weight decay; group 1: the temperature, without.
  std::vector<torch::Tensor> network;
  for (const auto& p : model->named_parameters()) {
    params.emplace_back(p.key(), p.value());
    network.push_back(p.value());
  }
  const auto& o = config.optim;
  auto options = [&](double weightDecay) {
    return std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(o.lr)
                                                            .betas(std::make_tuple(o.betas[0], o.betas[1]))
                                                            .eps(o.eps)
                                                            .weight_decay(weightDecay));
  };
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(network, options(o.weight_decay));
  if (scale->logScale.requires_grad()) {
    params.emplace_back("logit_scale", scale->logScale);
    groups.emplace_back(std::vector<torch::Tensor>{scale->logScale}, options(0.0));
  }
  optimizer = std::make_unique<torch::optim::AdamW>(groups, torch::optim::AdamWOptions(o.lr));
}

NamedTensors TrainingState::modelTensors() { return namedModelTensors(*model); }

void TrainingState::makeReference() {
  // Building a module draws initial weights from the global generator: keep its state.
  const torch::Tensor rng = cpuRngState();
  reference = MoonModel(config_.model);
  setCpuRngState(rng);
  reference->to(device_);
  loadNamedTensors(namedModelTensors(*reference), namedModelTensors(*model), "stage-1 model");
  reference->eval();
  for (auto& p : reference->parameters()) p.set_requires_grad(false);
}

void TrainingState::setLearningRate(double lr) {
  for (auto& g : optimizer->param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
}

CheckpointContents TrainingState::checkpointContents(const DataPosition& data) {
  CheckpointContents c;
  c.model = modelTensors();
  c.trainer = adamWStateTensors(*optimizer, params);
  c.trainer.emplace_back("logit_scale", scale->logScale);
  c.trainer.emplace_back("rng/cpu", cpuRngState());
  if (reference)
    for (const auto& [n, t] : namedModelTensors(*reference)) c.trainer.emplace_back(kReferencePrefix + n, t);
  c.config = configToJson(config_);
  counters.schedule = schedule.state();
  counters.data = data;
  c.state = counters;
  return c;
}

void TrainingState::restore(const std::filesystem::path& dir) {
  const CheckpointContents c = readCheckpoint(dir);
  const std::string origin = dir.string();
  loadNamedTensors(modelTensors(), c.model, origin + "/" + kModelWeightsFile);
  const std::string trainerFile = origin + "/" + kTrainerStateFile;
  const torch::Tensor* ls = findTensor(c.trainer, "logit_scale");
  if (!ls) throw FormatError(trainerFile + ": tensor 'logit_scale' is missing");
  loadNamedTensors({{"logit_scale", scale->logScale}}, {{"logit_scale", *ls}}, trainerFile);
  loadAdamWState(*optimizer, params, c.trainer, trainerFile);
  if (!c.model.empty() && findTensor(c.trainer, kReferencePrefix + c.model.front().first)) {
    makeReference();
    NamedTensors saved;
    const std::string prefix = kReferencePrefix;
    for (const auto& [n, t] : c.trainer)
      if (n.rfind(prefix, 0) == 0) saved.emplace_back(n.substr(prefix.size()), t);
    loadNamedTensors(namedModelTensors(*reference), saved, trainerFile);
  }
  if (const torch::Tensor* rng = findTensor(c.trainer, "rng/cpu")) setCpuRngState(*rng);
  counters = c.state;
  schedule.loadState(counters.schedule);
}

}  // namespace moon
