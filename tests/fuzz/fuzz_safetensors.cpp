// Safetensors checkpoints and embedding exports: the header is JSON the file
// itself sizes, so a hostile length or offset must be refused before use.
#include <vector>

#include "FuzzScratch.h"
#include "FuzzTargets.h"
#include "core/base/Error.h"
#include "core/tensorio/Safetensors.h"

namespace moon::fuzz {

bool fuzzSafetensors(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  SafetensorsFile file;
  try {
    file = SafetensorsFile::parse(bytes, "fuzz.safetensors");
  } catch (const Error&) {
    return false;
  }
  size_t total = 0;
  for (const TensorRecord& t : file.tensors()) {
    if (t.data.size() != t.expectedBytes())
      violated("tensor '" + t.name + "' has a byte count that is not shape x dtype");
    if (file.find(t.name) != &t) violated("find('" + t.name + "') does not return the tensor");
    total += t.data.size();
  }
  if (total > size) violated("the tensors hold more bytes than the file");

  // What we accept we can write, and reading it back gives the same tensors.
  std::vector<TensorRecord> records(file.tensors().begin(), file.tensors().end());
  const std::string path = scratchDir() + "/roundtrip.safetensors";
  try {
    writeSafetensors(path, records, file.metadata());
  } catch (const Error& e) {
    violated(std::string("an accepted file cannot be written back: ") + e.what());
  }
  const SafetensorsFile again = SafetensorsFile::read(path);
  if (again.tensors().size() != records.size() || again.metadata() != file.metadata())
    violated("round trip changed the tensor count or metadata");
  for (const TensorRecord& t : records) {
    const TensorRecord* back = again.find(t.name);
    if (!back || back->dtype != t.dtype || back->shape != t.shape || back->data != t.data)
      violated("round trip changed tensor '" + t.name + "'");
  }
  return true;
}

}  // namespace moon::fuzz
