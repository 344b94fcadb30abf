#include "TrainerFixture.h"

#include <torch/torch.h>

#include <algorithm>

namespace {

moon::SynthOptions trainerCatalogue(int products) {
  moon::SynthOptions o = moon::test::smallCatalogue(products);
  o.valFraction = 0.25;
  o.testFraction = 0.1;
  return o;
}

}  // namespace

TrainerFixture::TrainerFixture(int products)
    : catalogue(trainerCatalogue(products)), dataDir(catalogue.dataDir()), workspaceDir(catalogue.workspaceDir()) {}

moon::TrainConfig TrainerFixture::microConfig(int64_t steps) const {
  moon::TrainConfig c = moon::resolveTrainConfig("micro", "", {"data=" + dataDir, "threads=1", "seed=7"});
  c.steps = steps;
  c.schedule.warmup_steps = std::min<int>(c.schedule.warmup_steps, static_cast<int>(steps));
  c.loader.batch_size = 6;
  c.eval.every = 0;
  c.eval.batch_size = 16;
  c.eval.max_queries = 16;
  return c;
}

std::vector<double> metricValues(moon::Workspace& ws, int64_t runId, const std::string& key) {
  std::vector<double> out;
  for (const auto& p : ws.store().metrics(runId, key)) out.push_back(p.value);
  return out;
}

double meanOf(const std::vector<double>& v, size_t begin, size_t end) {
  double s = 0;
  for (size_t i = begin; i < end; ++i) s += v[i];
  return s / static_cast<double>(end - begin);
}

double maxRelativeDifference(torch::nn::Module& a, torch::nn::Module& b) {
  auto pa = a.named_parameters();
  auto pb = b.named_parameters();
  double worst = 0;
  for (const auto& item : pa) {
    const torch::Tensor& x = item.value();
    const torch::Tensor& y = pb[item.key()];
    const double denom = std::max(y.abs().max().item<double>(), 1e-12);
    worst = std::max(worst, (x - y).abs().max().item<double>() / denom);
  }
  return worst;
}
