#include "views/runs/MetricGroups.h"

#include "training/events/TrainEvent.h"

namespace moon {
namespace {

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string trainKey(const char* name) { return std::string("train/") + name; }

}  // namespace

std::string metricGroup(const std::string& key) {
  if (startsWith(key, "val/")) return "Validation";
  if (key == trainKey(event_key::kLoss) || startsWith(key, "train/loss_")) return "Losses";
  if (key == trainKey(event_key::kRewardMean) || key == trainKey(event_key::kRewardStd) ||
      startsWith(key, "train/reward"))
    return "Reward";
  if (key == trainKey(event_key::kKl) || key == trainKey(event_key::kClipFraction)) return "KL";
  if (key == trainKey(event_key::kLr)) return "Learning rate";
  if (key == trainKey(event_key::kSamplesPerS)) return "Throughput";
  return "Other";
}

const std::vector<std::string>& metricGroupOrder() {
  static const std::vector<std::string> order{"Losses",     "Reward",     "KL",   "Learning rate",
                                              "Throughput", "Validation", "Other"};
  return order;
}

bool metricShownByDefault(const std::string& key) {
  const std::string group = metricGroup(key);
  // The total and the main terms; the finer loss parts are a click away in the picker.
  if (group == "Losses")
    return key == "train/loss" || key == "train/loss_emb" || key == "train/loss_sft" || key == "train/loss_policy";
  if (group == "Reward" || group == "KL" || group == "Learning rate" || group == "Throughput") return true;
  if (group == "Validation") return endsWith(key, "/R@10") && !startsWith(key, "val/disc/");
  return false;
}

}  // namespace moon
