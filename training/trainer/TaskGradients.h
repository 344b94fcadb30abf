#pragma once
// Backward of an objective made of several tasks (the trace loss and the
// contrastive terms of the joint stage), each task's gradient computed on its
// own so the two can be measured and balanced before they are added
// (config key optim.task_balance):
//   sum        the plain sum (one backward of the total, as before)
//   normalize  each task's gradient scaled to the mean of the tasks' norms, so
//              no task sets the step alone
//   pcgrad     where two tasks' gradients conflict (negative dot product),
//              each loses its component along the other (Yu et al. 2020,
//              "Gradient Surgery for Multi-Task Learning")
// The measurements (each task's norm, the cosine between the first two) are
// the numbers a researcher reads to see whether the tasks fight.
#include <torch/torch.h>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace moon {

using TaskLosses = std::vector<std::pair<std::string, torch::Tensor>>;  // name, scalar with gradient

struct TaskGradientStats {
  std::map<std::string, double> norms;  // per task, before balancing
  double cosine = 0.0;                  // between the first two tasks' gradients
};

// Adds `scale` times the balanced gradient of the tasks into each parameter's
// .grad. Parameters a task does not reach get nothing from it.
TaskGradientStats backwardTasks(const TaskLosses& tasks, const std::vector<torch::Tensor>& params,
                                const std::string& balance, double scale);

}  // namespace moon
