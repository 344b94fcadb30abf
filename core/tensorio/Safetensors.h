#pragma once

// Reading and writing the safetensors format
// (https://github.com/huggingface/safetensors):
//
//   [8 bytes: header length N, little-endian u64]
//   [N bytes: JSON header, padded with spaces]
//   [data buffer]
//
// The header maps each tensor name to {"dtype", "shape", "data_offsets":
// [begin, end]} (offsets relative to the data buffer) and may hold a
// "__metadata__" map of strings. Checkpoints and embedding exports use it.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/tensorio/TensorRecord.h"

namespace moon {

// Writes `tensors` atomically (AtomicFile). Tensors are laid out largest
// element size first, then by name, so each one starts aligned to its element
// size; the header is padded to a multiple of 8 bytes. Throws FormatError
// (naming the file and tensor) for an empty, duplicate or reserved name, a
// negative dimension or a data size that does not match shape × dtype;
// IoError when the file cannot be written.
void writeSafetensors(const std::string& path, const std::vector<TensorRecord>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

// A whole safetensors file read into memory (our files are < 100 MB).
class SafetensorsFile {
 public:
  // Validates the header strictly (as the reference implementation does):
  // truncated file, header length beyond the file, bad JSON, missing or
  // wrongly typed fields, unknown dtype, negative dimension, offsets out of
  // range, overlapping or leaving gaps, and a byte range that does not match
  // shape × dtype ("dtype mismatch") each throw FormatError naming the file.
  static SafetensorsFile read(const std::string& path);
  // The same checks on bytes already in memory; `origin` names them in errors.
  static SafetensorsFile parse(const std::vector<uint8_t>& bytes, const std::string& origin);

  // In file order (ascending data offset).
  const std::vector<TensorRecord>& tensors() const { return tensors_; }
  // nullptr when absent.
  const TensorRecord* find(const std::string& name) const;
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

 private:
  std::vector<TensorRecord> tensors_;
  std::map<std::string, size_t> index_;
  std::map<std::string, std::string> metadata_;
};

}  // namespace moon
