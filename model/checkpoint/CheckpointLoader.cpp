#include "model/checkpoint/CheckpointLoader.h"

#include <chrono>
#include <filesystem>

#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/config/Config.h"
#include "core/data/DatasetLayout.h"
#include "model/checkpoint/ModelCheckpoint.h"
#include "model/inference/InferenceContext.h"
#include "model/inference/TokenizerCodec.h"
#include "model/runtime/Device.h"

namespace fs = std::filesystem;

namespace moon {
namespace {

bool isFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

std::string datasetTokenizer(const std::string& datasetDir) {
  return datasetDir.empty() ? std::string() : (fs::path(datasetDir) / kDatasetTokenizerFile).string();
}

// The tokenizer in `file` when it fits `special` and `vocab`. A tokenizer the
// user or the checkpoint names must fit (FormatError); one found beside a
// dataset may be another dataset's, so a misfit is noted and passed over.
std::optional<BpeTokenizer> tryTokenizer(const std::string& file, const SpecialTokenIds& special, int64_t vocab,
                                         bool mustFit, const std::string& checkpoint, std::vector<std::string>& notes) {
  if (file.empty()) return std::nullopt;
  if (!isFile(file)) {
    if (mustFit) throw IoError(file + ": tokenizer not found (named by " + checkpoint + ")");
    notes.push_back(file + ": not found");
    return std::nullopt;
  }
  BpeTokenizer tokenizer = BpeTokenizer::load(file);
  std::string misfit;
  if (!(specialTokenIdsOf(tokenizer) == special))
    misfit = "its special-token ids differ from the checkpoint's " + special.toJson().dump();
  else if (tokenizer.vocabSize() > vocab)
    misfit = "it has " + std::to_string(tokenizer.vocabSize()) + " tokens, more than the model's vocabulary of " +
             std::to_string(vocab);
  if (misfit.empty()) return tokenizer;
  if (mustFit) throw FormatError(file + ": does not fit " + checkpoint + ": " + misfit);
  notes.push_back(file + ": " + misfit);
  log::model()->warn("{}: does not fit {}: {}", file, checkpoint, misfit);
  return std::nullopt;
}

struct Found {
  MoonModel model{nullptr};
  std::string namedTokenizer;  // by the checkpoint itself (model.json)
  std::string runDataset;      // the run's dataset (config.json "data")
};

Found readModelKind(const std::string& dir, LoadedCheckpoint& out) {
  CheckpointInfo info = readCheckpointInfo(dir);
  Found f;
  f.model = MoonModel(info.config, info.special);
  loadModelWeights(dir, *f.model);
  f.namedTokenizer = resolveTokenizerPath(dir, info);
  out.modelConfig = info.config;
  return f;
}

Found readTrainingKind(const std::string& dir, LoadedCheckpoint& out) {
  const std::string configFile = (fs::path(dir) / kRunConfigFile).string();
  out.runConfig = readJsonFile(configFile);
  out.modelConfig = configSectionFromJson<ModelConfig>(out.runConfig, "model", configFile);
  validateModelConfig(out.modelConfig);
  const std::string stateFile = (fs::path(dir) / kTrainingStateFile).string();
  if (isFile(stateFile)) {
    const auto state = readJsonFile(stateFile);
    if (state.is_object() && state.contains("step") && state["step"].is_number_integer())
      out.step = state["step"].get<int64_t>();
  }
  Found f;
  // The trainer builds its model with the default special-token ids (a tokenizer trained by us).
  f.model = MoonModel(out.modelConfig);
  loadModelWeights(dir, *f.model);
  const auto data = out.runConfig.find("data");
  if (data != out.runConfig.end() && data->is_string()) f.runDataset = data->get<std::string>();
  return f;
}

}  // namespace

const char* checkpointKindName(CheckpointKind kind) { return kind == CheckpointKind::Model ? "model" : "training"; }

bool isCheckpointFolder(const std::string& dir) {
  const fs::path d(dir);
  return isFile(d / kModelWeightsFile) && (isFile(d / kModelInfoFile) || isFile(d / kRunConfigFile));
}

std::string describeModel(const ModelConfig& c) {
  return "vision " + std::to_string(c.vision.image_size) + "px/" + std::to_string(c.vision.patch_size) + ", decoder " +
         std::to_string(c.language.layers) + "x" + std::to_string(c.language.dim) + " (" +
         std::to_string(c.language.heads) + " heads), vocabulary " + std::to_string(c.language.vocab_size) +
         (c.reasoning ? ", reasoning" : ", no reasoning") + (c.mmf.enabled ? ", MMF" : "") +
         (c.fire.enabled ? ", FIRE" : "");
}

const BpeTokenizer& LoadedCheckpoint::requireTokenizer() const {
  if (tokenizer) return *tokenizer;
  std::string tried;
  for (const auto& n : tokenizerNotes) tried += "; " + n;
  throw ConfigError(dir + ": no tokenizer that fits this checkpoint (give the dataset folder it was trained on" +
                    (tried.empty() ? std::string(")") : ")" + tried));
}

LoadedCheckpoint loadCheckpoint(const std::string& path, const CheckpointLoadOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string dir = checkpointDir(path);
  if (!fs::is_directory(dir)) throw IoError(dir + ": no such checkpoint folder");
  const torch::Device device = resolveDevice(options.device);
  LoadedCheckpoint out;
  out.dir = dir;
  Found found;
  if (isFile(fs::path(dir) / kModelInfoFile)) {
    out.kind = CheckpointKind::Model;
    found = readModelKind(dir, out);
  } else if (isFile(fs::path(dir) / kRunConfigFile)) {
    out.kind = CheckpointKind::Training;
    if (!isFile(fs::path(dir) / kModelWeightsFile))
      throw IoError((fs::path(dir) / kModelWeightsFile).string() + ": checkpoint weights not found");
    found = readTrainingKind(dir, out);
  } else {
    throw IoError(dir + ": not a checkpoint folder (needs model.safetensors with model.json or config.json)");
  }
  out.summary = describeModel(out.modelConfig);

  const SpecialTokenIds& special = found.model->specialTokens();
  const int64_t vocab = out.modelConfig.language.vocab_size;
  struct Candidate {
    std::string file, dataset;
    bool mustFit;
  };
  const std::vector<Candidate> candidates = {
      {options.tokenizerPath, "", true},
      {found.namedTokenizer, "", true},
      {datasetTokenizer(found.runDataset), found.runDataset, false},
      {datasetTokenizer(options.fallbackDatasetDir), options.fallbackDatasetDir, false},
  };
  for (const auto& c : candidates) {
    if (auto t = tryTokenizer(c.file, special, vocab, c.mustFit, dir, out.tokenizerNotes)) {
      out.tokenizer = std::move(t);
      out.tokenizerPath = c.file;
      if (!c.dataset.empty()) out.datasetDir = c.dataset;
      break;
    }
  }
  if (out.datasetDir.empty()) out.datasetDir = found.runDataset;

  found.model->to(device);
  out.context =
      std::make_shared<InferenceContext>(found.model, out.tokenizer ? textCodecFor(*out.tokenizer) : TextCodec{});
  log::model()->info("loaded {} checkpoint {} on {} in {:.0f} ms", checkpointKindName(out.kind), dir, device.str(),
                     std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  return out;
}

}  // namespace moon
