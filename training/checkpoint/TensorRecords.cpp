#include "training/checkpoint/TensorRecords.h"

#include <cstring>

#include "core/base/Error.h"

namespace moon {
namespace {

DType toDType(torch::ScalarType t, const std::string& name) {
  switch (t) {
    case torch::kFloat64:
      return DType::F64;
    case torch::kFloat32:
      return DType::F32;
    case torch::kFloat16:
      return DType::F16;
    case torch::kBFloat16:
      return DType::BF16;
    case torch::kInt64:
      return DType::I64;
    case torch::kInt32:
      return DType::I32;
    case torch::kInt16:
      return DType::I16;
    case torch::kInt8:
      return DType::I8;
    case torch::kUInt8:
      return DType::U8;
    case torch::kBool:
      return DType::BOOL;
    default:
      throw FormatError("tensor '" + name + "': dtype " + std::string(c10::toString(t)) + " cannot be saved");
  }
}

torch::ScalarType toScalarType(DType t) {
  switch (t) {
    case DType::F64:
      return torch::kFloat64;
    case DType::F32:
      return torch::kFloat32;
    case DType::F16:
      return torch::kFloat16;
    case DType::BF16:
      return torch::kBFloat16;
    case DType::I64:
      return torch::kInt64;
    case DType::I32:
      return torch::kInt32;
    case DType::I16:
      return torch::kInt16;
    case DType::I8:
      return torch::kInt8;
    case DType::U8:
      return torch::kUInt8;
    case DType::BOOL:
      return torch::kBool;
  }
  return torch::kFloat32;
}

}  // namespace

TensorRecord toTensorRecord(const std::string& name, const torch::Tensor& tensor) {
  TensorRecord r;
  r.name = name;
  r.dtype = toDType(tensor.scalar_type(), name);
  const torch::Tensor t = tensor.detach().to(torch::kCPU).contiguous();
  r.shape.assign(t.sizes().begin(), t.sizes().end());
  const size_t bytes = static_cast<size_t>(t.numel()) * t.element_size();
  r.data.resize(bytes);
  if (bytes > 0) std::memcpy(r.data.data(), t.data_ptr(), bytes);
  return r;
}

torch::Tensor fromTensorRecord(const TensorRecord& record) {
  torch::Tensor t = torch::empty(record.shape, torch::TensorOptions().dtype(toScalarType(record.dtype)));
  if (!record.data.empty()) std::memcpy(t.data_ptr(), record.data.data(), record.data.size());
  return t;
}

}  // namespace moon
