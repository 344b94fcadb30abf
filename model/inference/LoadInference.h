#pragma once

#include <memory>
#include <string>

#include <torch/torch.h>

#include "model/checkpoint/ModelCheckpoint.h"
#include "model/inference/InferenceContext.h"

namespace moon {

// An InferenceContext for a checkpoint: the weights on `device` and, when the
// checkpoint names one (or `tokenizerPath` is given), its tokenizer. Throws
// FormatError when the tokenizer's special-token ids or vocabulary do not fit
// the model.
std::unique_ptr<InferenceContext> loadInferenceContext(const std::string& checkpointPath,
                                                       const torch::Device& device = torch::kCPU,
                                                       const std::string& tokenizerPath = "");

}  // namespace moon
