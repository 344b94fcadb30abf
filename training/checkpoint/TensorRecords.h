#pragma once
// torch::Tensor <-> TensorRecord (core/tensorio) for checkpoint files.
#include <torch/torch.h>
#include <string>
#include "core/tensorio/TensorRecord.h"

namespace moon {

// A contiguous CPU copy of `tensor`'s bytes. Throws FormatError for a dtype
// safetensors cannot hold.
TensorRecord toTensorRecord(const std::string& name, const torch::Tensor& tensor);

// A new CPU tensor owning a copy of the record's bytes.
torch::Tensor fromTensorRecord(const TensorRecord& record);

}  // namespace moon
