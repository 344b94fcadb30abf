#include "model/checkpoint/ModelCheckpoint.h"

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>

#include "core/base/AtomicFile.h"
#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/tensorio/Safetensors.h"
#include "model/checkpoint/TensorRecords.h"

namespace fs = std::filesystem;

namespace moon {
namespace {

constexpr const char* kFormat = "moon-model";
constexpr int kVersion = 1;

// model.json as read (core/config/Config.h): every key required but the
// special-token ids (older files lack them: the defaults) and the tokenizer.
// The model config is read as a configuration (defaults for keys an older
// writer did not know, unknown keys refused).
struct ModelInfoFile {
  std::string format;
  int version = 0;
  nlohmann::json config;
  std::optional<SpecialTokenIds> special;
  std::optional<std::string> tokenizer;
  template <class V>
  void visit(V& v) {
    v.field("format", format);
    v.field("version", version);
    v.field("config", config);
    v.optionalSection("special_tokens", special);
    v.field("tokenizer", tokenizer);
  }
};

}  // namespace

std::string checkpointDir(const std::string& path) {
  const fs::path p(path);
  if (p.filename() == kModelInfoFile || p.filename() == kModelWeightsFile) return p.parent_path().string();
  return p.string();
}

void saveModelCheckpoint(const std::string& dir, MoonModelImpl& model, const std::string& tokenizerRef) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IoError(dir + ": cannot create checkpoint folder: " + ec.message());
  ModelInfoFile file{kFormat, kVersion, configToJson(model.config()), model.specialTokens(), tokenizerRef};
  const nlohmann::json info = configToJson(file);
  // The weights file describes itself too, so it can be read on its own.
  const std::map<std::string, std::string> metadata = {{"format", kFormat}, {"moon", info.dump()}};
  writeSafetensors((fs::path(dir) / kModelWeightsFile).string(), moduleRecords(model), metadata);
  writeFileAtomically((fs::path(dir) / kModelInfoFile).string(), info.dump(2) + "\n");
}

CheckpointInfo readCheckpointInfo(const std::string& path) {
  const std::string file = (fs::path(checkpointDir(path)) / kModelInfoFile).string();
  const auto json = readJsonFile(file);
  if (!json.is_object() || json.value("format", "") != kFormat)
    throw FormatError(file + ": not a MOON model checkpoint (\"format\" is not \"" + kFormat + "\")");
  const auto read = recordFromJson<ModelInfoFile>(json, file);
  if (read.version < 1 || read.version > kVersion)
    throw FormatError(file + ": unsupported checkpoint version " + std::to_string(read.version));
  // The model's own keys are a configuration: unknown ones are refused, as in a config file.
  CheckpointInfo info;
  info.config = configSectionFromJson<ModelConfig>(json, "config", file);
  validateModelConfig(info.config);
  info.special = read.special.value_or(SpecialTokenIds{});
  info.tokenizer = read.tokenizer.value_or("");
  return info;
}

void loadModelWeights(const std::string& path, MoonModelImpl& model) {
  const std::string file = (fs::path(checkpointDir(path)) / kModelWeightsFile).string();
  if (!fs::exists(file)) throw IoError(file + ": checkpoint weights not found");
  loadModuleRecords(model, SafetensorsFile::read(file), file);
}

MoonModel loadModelCheckpoint(const std::string& path, const torch::Device& device, CheckpointInfo* infoOut) {
  using Clock = std::chrono::steady_clock;
  const auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  const auto t0 = Clock::now();
  const auto info = readCheckpointInfo(path);
  MoonModel model(info.config, info.special);
  const auto t1 = Clock::now();
  loadModelWeights(path, *model);
  const auto t2 = Clock::now();
  model->to(device);
  log::model()->info("loaded model checkpoint {} on {} (build {:.0f} ms, weights {:.0f} ms)", checkpointDir(path),
                     device.str(), ms(t1 - t0), ms(t2 - t1));
  if (infoOut) *infoOut = info;
  return model;
}

std::string resolveTokenizerPath(const std::string& checkpointPath, const CheckpointInfo& info) {
  if (info.tokenizer.empty()) return {};
  const fs::path p(info.tokenizer);
  if (p.is_absolute()) return p.string();
  return (fs::path(checkpointDir(checkpointPath)) / p).lexically_normal().string();
}

}  // namespace moon
