#pragma once

// Element types of tensors stored in files (safetensors, .npy). The names are
// the safetensors spellings ("F32", "BF16", ...). Data is little-endian.

#include <cstddef>
#include <optional>
#include <string>

namespace moon {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL };

// Bytes per element.
size_t dtypeSize(DType dtype);
// "F64", "F32", ..., "BOOL".
const char* dtypeName(DType dtype);
// Inverse of dtypeName (exact, case-sensitive); nullopt for anything else.
std::optional<DType> parseDType(const std::string& name);

}  // namespace moon
