#pragma once

// Conversion between torch tensors and the file records of
// core/tensorio (safetensors), and loading a module's state from records
// with a complete report of what does not match.

#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/tensorio/Safetensors.h"
#include "core/tensorio/TensorRecord.h"

namespace moon {

// A contiguous little-endian CPU copy of `tensor`.
TensorRecord tensorToRecord(const std::string& name, const torch::Tensor& tensor);
// A CPU tensor owning a copy of the record's bytes.
torch::Tensor recordToTensor(const TensorRecord& record);

torch::ScalarType scalarTypeOf(DType dtype);
DType dtypeOf(torch::ScalarType type);  // throws Error for types files cannot hold

// Parameters then buffers of `module`, by their dotted names.
std::vector<TensorRecord> moduleRecords(const torch::nn::Module& module);

// Copies `file`'s tensors into `module`'s parameters and buffers (on their
// devices). Every problem is collected first — missing tensors, unexpected
// tensors, wrong shapes, wrong dtypes — and reported together in one
// FormatError naming `origin`; the module is only written when there are none.
void loadModuleRecords(torch::nn::Module& module, const SafetensorsFile& file, const std::string& origin);

}  // namespace moon
