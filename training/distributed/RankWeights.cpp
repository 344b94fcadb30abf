#include "training/distributed/RankWeights.h"

#include <cstdlib>
#include <filesystem>

#include "core/tensorio/Safetensors.h"
#include "model/checkpoint/TensorRecords.h"

namespace moon {

std::string rankWeightsPath(const std::string& dir, int rank) {
  return (std::filesystem::path(dir) / ("rank" + std::to_string(rank) + ".safetensors")).string();
}

void writeRankWeightsIfAsked(MoonModelImpl& model, LogitScaleImpl& scale, int rank) {
  const char* dir = std::getenv(kRankWeightsEnv);
  if (!dir || !*dir) return;
  std::filesystem::create_directories(dir);
  std::vector<TensorRecord> records = moduleRecords(model);
  records.push_back(tensorToRecord("logit_scale", scale.logScale));
  writeSafetensors(rankWeightsPath(dir, rank), records);
}

}  // namespace moon
