#pragma once

#include <string>
#include <vector>

#include "model/MoonModel.h"

namespace moon {

struct BlockParameters {
  std::string block;  // "vision.blocks", "language.layers", "fire", "mmf", ...
  int64_t count = 0;  // trainable scalars
};

// Parameters grouped by block, in registration order.
std::vector<BlockParameters> parameterCounts(MoonModelImpl& model);

// A human-readable table: the blocks, the total and the sequence geometry.
std::string formatModelSummary(MoonModelImpl& model);

}  // namespace moon
