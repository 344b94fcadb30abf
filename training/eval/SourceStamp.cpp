#include "training/eval/SourceStamp.h"

#include <filesystem>

#include "model/checkpoint/ModelCheckpoint.h"

namespace moon {
namespace fs = std::filesystem;

std::string checkpointSourceStamp(const std::string& checkpointDir, const std::string& dataDir) {
  const fs::path weights = fs::path(checkpointDir) / kModelWeightsFile;
  std::error_code ec;
  const auto size = fs::file_size(weights, ec);
  const auto time = fs::last_write_time(weights, ec).time_since_epoch().count();
  return std::to_string(size) + ":" + std::to_string(time) + ":" + fs::weakly_canonical(dataDir, ec).string();
}

}  // namespace moon
