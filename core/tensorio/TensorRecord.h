#pragma once

// A named tensor as raw little-endian bytes in C (row-major) order: what a
// tensor file holds. Conversion to and from torch::Tensor lives in model/.

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensorio/DType.h"

namespace moon {

struct TensorRecord {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;  // empty = scalar (one element)
  std::vector<uint8_t> data;   // numel() * dtypeSize(dtype) bytes

  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
  }
  size_t expectedBytes() const { return static_cast<size_t>(numel()) * dtypeSize(dtype); }
};

}  // namespace moon
