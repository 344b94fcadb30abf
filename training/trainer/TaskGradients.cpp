#include "training/trainer/TaskGradients.h"

#include <cmath>

namespace moon {
namespace {

using Gradient = std::vector<torch::Tensor>;  // one per parameter, undefined where unreached

// Summed on the gradients' device and read once (one host sync, not one per parameter).
double dot(const Gradient& a, const Gradient& b) {
  torch::Tensor sum;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].defined() || !b[i].defined()) continue;
    const torch::Tensor term = (a[i].to(torch::kDouble) * b[i].to(torch::kDouble)).sum();
    sum = sum.defined() ? sum + term : term;
  }
  return sum.defined() ? sum.item<double>() : 0.0;
}

void addScaled(Gradient& into, const Gradient& g, double factor) {
  for (size_t i = 0; i < into.size(); ++i) {
    if (!g[i].defined()) continue;
    into[i] = into[i].defined() ? into[i] + factor * g[i] : factor * g[i];
  }
}

}  // namespace

TaskGradientStats backwardTasks(const TaskLosses& tasks, const std::vector<torch::Tensor>& params,
                                const std::string& balance, double scale) {
  std::vector<Gradient> grads;
  for (size_t t = 0; t < tasks.size(); ++t) {
    const bool last = t + 1 == tasks.size();
    grads.push_back(torch::autograd::grad({tasks[t].second}, params, {}, /*retain_graph=*/!last,
                                          /*create_graph=*/false, /*allow_unused=*/true));
  }
  TaskGradientStats stats;
  std::vector<double> norms;
  for (size_t t = 0; t < tasks.size(); ++t) {
    norms.push_back(std::sqrt(dot(grads[t], grads[t])));
    stats.norms[tasks[t].first] = norms.back();
  }
  if (tasks.size() >= 2 && norms[0] > 0 && norms[1] > 0) stats.cosine = dot(grads[0], grads[1]) / (norms[0] * norms[1]);

  std::vector<double> factor(tasks.size(), 1.0);
  if (balance == "normalize") {
    double mean = 0;
    for (double n : norms) mean += n / static_cast<double>(norms.size());
    for (size_t t = 0; t < tasks.size(); ++t) factor[t] = norms[t] > 0 ? mean / norms[t] : 0.0;
  }
  std::vector<Gradient> used = grads;
  if (balance == "pcgrad") {
    // Each task projected against every other task's original gradient.
    for (size_t t = 0; t < tasks.size(); ++t)
      for (size_t o = 0; o < tasks.size(); ++o) {
        if (o == t || norms[o] == 0) continue;
        const double d = dot(used[t], grads[o]);
        if (d < 0) addScaled(used[t], grads[o], -d / (norms[o] * norms[o]));
      }
  }
  Gradient total(params.size());
  for (size_t t = 0; t < tasks.size(); ++t) addScaled(total, used[t], factor[t] * scale);
  for (size_t i = 0; i < params.size(); ++i) {
    if (!total[i].defined()) continue;
    auto& g = params[i].mutable_grad();
    g = g.defined() ? g + total[i] : total[i].detach().clone();
  }
  return stats;
}

}  // namespace moon
