#pragma once
// A test hook for data-parallel training: with MOON_DIST_WEIGHTS_DIR set, each
// rank of a completed run writes its final weights (the model's parameters and
// buffers plus "logit_scale") to $MOON_DIST_WEIGHTS_DIR/rank<R>.safetensors,
// so a test can check that all ranks hold the same weights and that they match
// a single-process run. Unset (the normal case): nothing happens.
#include <string>

#include "model/MoonModel.h"
#include "training/losses/LogitScale.h"

namespace moon {

inline constexpr const char* kRankWeightsEnv = "MOON_DIST_WEIGHTS_DIR";

// The file rank `rank` writes in `dir`.
std::string rankWeightsPath(const std::string& dir, int rank);

void writeRankWeightsIfAsked(MoonModelImpl& model, LogitScaleImpl& scale, int rank);

}  // namespace moon
