#pragma once

// NumPy .npy files (format version 1.0 written; 1.0, 2.0 and 3.0 read):
// little-endian, C order. Embedding exports use it (TensorBoard projector,
// numpy.load). NumPy has no bfloat16, so BF16 cannot be written.

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensorio/TensorRecord.h"

namespace moon {

// Writes atomically (AtomicFile); the header is padded so the data starts at
// a multiple of 64 bytes. `data` holds numel(shape) * dtypeSize(dtype) bytes.
// Throws FormatError for BF16 or a negative dimension, IoError on write failure.
void writeNpy(const std::string& path, DType dtype, const std::vector<int64_t>& shape, const void* data);

// Reads a little-endian, C-order .npy of one of our dtypes into a record with
// an empty name. Anything else (big-endian, Fortran order, object arrays,
// truncated data, malformed header) throws FormatError naming the file.
TensorRecord readNpy(const std::string& path);
// The same for bytes already in memory; `origin` names them in errors.
TensorRecord parseNpy(const std::vector<uint8_t>& bytes, const std::string& origin);

}  // namespace moon
