#pragma once

// Which chart a metric key belongs to. The trainer stores step metrics as
// "train/<event key>" (training/events/TrainEvent.h) and validation metrics
// as "val/..."; each group is one chart of the Runs view.

#include <string>
#include <vector>

namespace moon {

// "Losses", "Reward", "KL", "Learning rate", "Throughput", "Validation", "Other".
std::string metricGroup(const std::string& key);
// The groups in display order.
const std::vector<std::string>& metricGroupOrder();
// Whether the key is shown by default (the total loss, reward mean, KL, lr,
// samples/s, headline R@10s); the picker can add the rest.
bool metricShownByDefault(const std::string& key);

}  // namespace moon
