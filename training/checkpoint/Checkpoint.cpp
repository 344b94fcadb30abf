#include "training/checkpoint/Checkpoint.h"

#include <cstdio>
#include <unordered_map>

#include "core/base/AtomicFile.h"
#include "core/base/Error.h"
#include "core/config/Config.h"
#include "core/store/RunStore.h"
#include "core/tensorio/Safetensors.h"
#include "model/checkpoint/TensorRecords.h"

namespace moon {
namespace fs = std::filesystem;
namespace {

void writeTensors(const fs::path& path, const NamedTensors& tensors) {
  std::vector<TensorRecord> records;
  records.reserve(tensors.size());
  for (const auto& [name, t] : tensors) records.push_back(tensorToRecord(name, t));
  writeSafetensors(path.string(), records);
}

NamedTensors readTensors(const fs::path& path) {
  const SafetensorsFile file = SafetensorsFile::read(path.string());
  NamedTensors out;
  for (const auto& r : file.tensors()) out.emplace_back(r.name, recordToTensor(r));
  return out;
}

}  // namespace

nlohmann::json TrainerState::toJson() const { return configToJson(*this); }

TrainerState TrainerState::fromJson(const nlohmann::json& j, const std::string& origin) {
  return recordFromJson<TrainerState>(j, origin);
}

void writeCheckpoint(const fs::path& dir, const CheckpointContents& contents) {
  const fs::path tmp = dir.string() + ".tmp";
  std::error_code ec;
  fs::remove_all(tmp, ec);
  if (!fs::create_directories(tmp, ec) && ec)
    throw IoError(tmp.string() + ": cannot create checkpoint folder: " + ec.message());
  writeTensors(tmp / kModelWeightsFile, contents.model);
  writeTensors(tmp / kTrainerStateFile, contents.trainer);
  writeFileAtomically((tmp / kTrainingStateFile).string(), contents.state.toJson().dump(2) + "\n");
  writeFileAtomically((tmp / kRunConfigFile).string(), contents.config.dump(2) + "\n");
  // rename() cannot replace a non-empty folder: move the old one aside first.
  const fs::path old = dir.string() + ".old";
  fs::remove_all(old, ec);
  if (fs::exists(dir)) fs::rename(dir, old, ec);
  fs::rename(tmp, dir, ec);
  if (ec) throw IoError(dir.string() + ": cannot move the checkpoint into place: " + ec.message());
  fs::remove_all(old, ec);
}

CheckpointContents readCheckpoint(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw IoError(dir.string() + ": no such checkpoint folder");
  CheckpointContents c;
  c.model = readTensors(dir / kModelWeightsFile);
  c.trainer = readTensors(dir / kTrainerStateFile);
  c.state =
      TrainerState::fromJson(readJsonFile((dir / kTrainingStateFile).string()), (dir / kTrainingStateFile).string());
  c.config = readJsonFile((dir / kRunConfigFile).string());
  return c;
}

void loadNamedTensors(const NamedTensors& targets, const NamedTensors& saved, const std::string& origin) {
  std::unordered_map<std::string, const torch::Tensor*> byName;
  for (const auto& [name, t] : saved) byName[name] = &t;
  torch::NoGradGuard noGrad;
  for (const auto& [name, target] : targets) {
    auto it = byName.find(name);
    if (it == byName.end()) throw FormatError(origin + ": tensor '" + name + "' is missing");
    if (it->second->sizes() != target.sizes())
      throw FormatError(origin + ": tensor '" + name + "' has shape " + c10::str(it->second->sizes()) +
                        ", the model expects " + c10::str(target.sizes()));
    target.copy_(*it->second);
  }
}

std::string checkpointDirName(int64_t step) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "step-%08lld", static_cast<long long>(step));
  return buf;
}

}  // namespace moon

namespace moon {

std::vector<int64_t> pruneCheckpoints(RunStore& store, int64_t runId, const fs::path& runDir, int keepLast) {
  const auto all = store.checkpoints(runId);  // by step
  std::vector<int64_t> removed;
  const size_t keepFrom = all.size() > static_cast<size_t>(keepLast) ? all.size() - keepLast : 0;
  for (size_t i = 0; i < keepFrom; ++i) {
    if (all[i].isBest) continue;
    std::error_code ec;
    fs::remove_all(runDir / all[i].path, ec);
    store.removeCheckpoint(runId, all[i].step);
    removed.push_back(all[i].step);
  }
  return removed;
}

std::optional<fs::path> latestCheckpoint(const RunStore& store, int64_t runId, const fs::path& runDir) {
  const auto all = store.checkpoints(runId);
  for (auto it = all.rbegin(); it != all.rend(); ++it)
    if (fs::is_regular_file(runDir / it->path / kTrainingStateFile)) return runDir / it->path;
  return std::nullopt;
}

}  // namespace moon
