// A training config file (`moon train --config F`, a run's config.json on
// --resume): read over a preset, checked key by key, then validated.
#include <string>

#include "FuzzScratch.h"
#include "FuzzTargets.h"
#include "core/base/Error.h"
#include "training/TrainConfig.h"

namespace moon::fuzz {

bool fuzzTrainConfig(const uint8_t* data, size_t size) {
  const std::string path = writeScratchFile("config.json", std::string(reinterpret_cast<const char*>(data), size));
  TrainConfig cfg;
  try {
    cfg = resolveTrainConfig("micro", path, {});
  } catch (const Error& e) {
    if (std::string(e.what()).empty()) violated("an error without a message");
    return false;
  }
  // What a run stores must read back to the same config (resume depends on it).
  const nlohmann::json stored = configToJson(cfg);
  TrainConfig again;
  try {
    again = configFromJson<TrainConfig>(stored, "stored config");
    validateTrainConfig(again);
  } catch (const Error& e) {
    violated(std::string("an accepted config does not read back: ") + e.what());
  }
  if (configToJson(again) != stored) violated("config changed on its round trip: " + stored.dump());
  return true;
}

}  // namespace moon::fuzz
