#pragma once

// The shared synthetic catalogue (SyntheticCatalogue.h) with a workspace
// beside it, the micro config on it, and helpers to read what a run stored.

#include "SyntheticCatalogue.h"

#include <torch/torch.h>

#include <string>
#include <vector>

#include "core/store/Workspace.h"
#include "training/TrainConfig.h"
#include "training/events/TrainEvent.h"

struct TrainerFixture {
  explicit TrainerFixture(int products = 32);

  // The micro preset on this catalogue: one thread, fixed seeds, small batches.
  moon::TrainConfig microConfig(int64_t steps) const;

  moon::test::SyntheticCatalogue catalogue;
  std::string dataDir;
  std::string workspaceDir;
};

// Values of one metric of a run, by step.
std::vector<double> metricValues(moon::Workspace& ws, int64_t runId, const std::string& key);
double meanOf(const std::vector<double>& v, size_t begin, size_t end);
// Largest |a-b| / max(|b|, tiny) over every named parameter and buffer.
double maxRelativeDifference(torch::nn::Module& a, torch::nn::Module& b);
