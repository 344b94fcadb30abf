#include "training/trainer/LossParts.h"

namespace moon {

void LossParts::add(const std::string& task, const torch::Tensor& term) {
  total = total.defined() ? total + term : term;
  for (auto& [name, loss] : tasks)
    if (name == task) {
      loss = loss + term;
      return;
    }
  tasks.emplace_back(task, term);
}

void LossParts::merge(const LossParts& other) {
  for (const auto& [task, term] : other.tasks) add(task, term);
  value += other.value;
  for (const auto& [k, v] : other.numbers) numbers[k] = v;
}

}  // namespace moon
