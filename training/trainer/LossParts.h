#pragma once
// What one micro-batch's objective returns: the total to backpropagate, its
// value for the logs, the detached numbers a step event carries, and the
// total split by task so their gradients can be measured and balanced
// (TaskGradients.h).
#include <torch/torch.h>
#include <map>
#include <string>
#include "training/trainer/TaskGradients.h"

namespace moon {

struct LossParts {
  torch::Tensor total;                    // scalar with gradient (data parallel: this rank's share)
  double value = 0.0;                     // the loss of the (global) batch, for logs
  std::map<std::string, double> numbers;  // "loss_emb", "acc_emb", ... (detached)
  TaskLosses tasks;                       // ("trace" | "contrastive" | "policy", weighted term), summing to `total`

  // Adds an already weighted term to the total and to its task's share.
  void add(const std::string& task, const torch::Tensor& term);
  // Adds another objective's terms, value and numbers (its numbers win on a clash).
  void merge(const LossParts& other);
};

}  // namespace moon
