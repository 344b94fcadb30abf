// .npy embedding exports a user may load back (and numpy files handed in).
#include <vector>

#include "FuzzScratch.h"
#include "FuzzTargets.h"
#include "core/base/Error.h"
#include "core/tensorio/Npy.h"

namespace moon::fuzz {

bool fuzzNpy(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  TensorRecord record;
  try {
    record = parseNpy(bytes, "fuzz.npy");
  } catch (const Error&) {
    return false;
  }
  for (int64_t d : record.shape)
    if (d < 0) violated("negative dimension accepted");
  if (record.data.size() != record.expectedBytes()) violated("data size is not shape x dtype");
  if (record.data.size() > size) violated("more data than the file holds");

  const std::string path = scratchDir() + "/roundtrip.npy";
  try {
    writeNpy(path, record.dtype, record.shape, record.data.data());
  } catch (const Error& e) {
    violated(std::string("an accepted array cannot be written back: ") + e.what());
  }
  const TensorRecord again = readNpy(path);
  if (again.dtype != record.dtype || again.shape != record.shape || again.data != record.data)
    violated("round trip changed the array");
  return true;
}

}  // namespace moon::fuzz
