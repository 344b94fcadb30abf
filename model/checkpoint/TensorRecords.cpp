#include "model/checkpoint/TensorRecords.h"

#include <cstring>
#include <set>
#include <sstream>

#include "core/base/Error.h"

namespace moon {
namespace {

std::string shapeText(const std::vector<int64_t>& shape) {
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < shape.size(); ++i) os << (i ? "," : "") << shape[i];
  os << "]";
  return os.str();
}

// Parameters and buffers under one name space, as state_dict() would list them.
std::vector<std::pair<std::string, torch::Tensor>> stateOf(const torch::nn::Module& module) {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto& p : module.named_parameters()) out.emplace_back(p.key(), p.value());
  for (const auto& b : module.named_buffers()) out.emplace_back(b.key(), b.value());
  return out;
}

}  // namespace

torch::ScalarType scalarTypeOf(DType dtype) {
  switch (dtype) {
    case DType::F64:
      return torch::kDouble;
    case DType::F32:
      return torch::kFloat;
    case DType::F16:
      return torch::kHalf;
    case DType::BF16:
      return torch::kBFloat16;
    case DType::I64:
      return torch::kLong;
    case DType::I32:
      return torch::kInt;
    case DType::I16:
      return torch::kShort;
    case DType::I8:
      return torch::kChar;
    case DType::U8:
      return torch::kByte;
    case DType::BOOL:
      return torch::kBool;
  }
  return torch::kFloat;
}

DType dtypeOf(torch::ScalarType type) {
  switch (type) {
    case torch::kDouble:
      return DType::F64;
    case torch::kFloat:
      return DType::F32;
    case torch::kHalf:
      return DType::F16;
    case torch::kBFloat16:
      return DType::BF16;
    case torch::kLong:
      return DType::I64;
    case torch::kInt:
      return DType::I32;
    case torch::kShort:
      return DType::I16;
    case torch::kChar:
      return DType::I8;
    case torch::kByte:
      return DType::U8;
    case torch::kBool:
      return DType::BOOL;
    default:
      throw Error(std::string("tensor type ") + c10::toString(type) + " cannot be stored in a tensor file");
  }
}

TensorRecord tensorToRecord(const std::string& name, const torch::Tensor& tensor) {
  const auto cpu = tensor.detach().to(torch::kCPU).contiguous();
  TensorRecord r;
  r.name = name;
  r.dtype = dtypeOf(cpu.scalar_type());
  r.shape = cpu.sizes().vec();
  r.data.resize(static_cast<size_t>(cpu.numel()) * cpu.element_size());
  if (!r.data.empty()) std::memcpy(r.data.data(), cpu.data_ptr(), r.data.size());
  return r;
}

torch::Tensor recordToTensor(const TensorRecord& record) {
  auto t = torch::empty(record.shape, torch::TensorOptions().dtype(scalarTypeOf(record.dtype)));
  if (record.data.size() != static_cast<size_t>(t.numel()) * t.element_size())
    throw FormatError("tensor '" + record.name + "': " + std::to_string(record.data.size()) + " bytes do not fit " +
                      dtypeName(record.dtype) + " " + shapeText(record.shape));
  if (!record.data.empty()) std::memcpy(t.data_ptr(), record.data.data(), record.data.size());
  return t;
}

std::vector<TensorRecord> moduleRecords(const torch::nn::Module& module) {
  std::vector<TensorRecord> out;
  for (const auto& [name, tensor] : stateOf(module)) out.push_back(tensorToRecord(name, tensor));
  return out;
}

void loadModuleRecords(torch::nn::Module& module, const SafetensorsFile& file, const std::string& origin) {
  const auto state = stateOf(module);
  std::vector<std::string> problems;
  std::set<std::string> expected;
  for (const auto& [name, tensor] : state) {
    expected.insert(name);
    const TensorRecord* r = file.find(name);
    if (!r) {
      problems.push_back("missing tensor '" + name + "' (expected " + dtypeName(dtypeOf(tensor.scalar_type())) + " " +
                         shapeText(tensor.sizes().vec()) + ")");
      continue;
    }
    if (r->shape != tensor.sizes().vec())
      problems.push_back("tensor '" + name + "' has shape " + shapeText(r->shape) + ", the model expects " +
                         shapeText(tensor.sizes().vec()));
    if (r->dtype != dtypeOf(tensor.scalar_type()))
      problems.push_back("tensor '" + name + "' has dtype " + dtypeName(r->dtype) + ", the model expects " +
                         dtypeName(dtypeOf(tensor.scalar_type())));
  }
  for (const auto& r : file.tensors())
    if (!expected.count(r.name))
      problems.push_back("unexpected tensor '" + r.name + "' (" + dtypeName(r.dtype) + " " + shapeText(r.shape) + ")");
  if (!problems.empty()) {
    std::string message = origin + ": checkpoint does not match the model (" + std::to_string(problems.size()) +
                          (problems.size() == 1 ? " problem):" : " problems):");
    for (const auto& p : problems) message += "\n  " + p;
    throw FormatError(message);
  }
  torch::NoGradGuard noGrad;
  for (const auto& [name, tensor] : state) {
    auto t = tensor;  // shares storage with the module's tensor
    t.copy_(recordToTensor(*file.find(name)));
  }
}

}  // namespace moon
