#include "training/eval/EvalCheckpoint.h"

#include <cstdio>

#include "core/base/Error.h"
#include "core/config/Config.h"
#include "core/text/DatasetTokenizer.h"
#include "model/checkpoint/ModelCheckpoint.h"
#include "model/inference/TokenizerCodec.h"

namespace moon {
namespace fs = std::filesystem;

int64_t findRun(const RunStore& store, const std::string& run) {
  if (run.empty()) throw ConfigError("--run: no run given (an id or a run name)");
  const auto runs = store.listRuns();
  const bool numeric = run.find_first_not_of("0123456789") == std::string::npos;
  if (numeric) {
    const int64_t id = std::stoll(run);
    if (store.run(id)) return id;
  }
  for (auto it = runs.rbegin(); it != runs.rend(); ++it)
    if (it->name == run) return it->id;
  throw ConfigError("--run " + run + ": no run with that " + (numeric ? "id or name" : "name") + " in " + store.path() +
                    " (`moon runs list` shows them)");
}

RunCheckpoint selectRunCheckpoint(const Workspace& workspace, int64_t runId, std::optional<int64_t> step) {
  const auto run = workspace.store().run(runId);
  if (!run) throw ConfigError("run " + std::to_string(runId) + ": no such run in " + workspace.store().path());
  const fs::path runDir = workspace.runDir(runId);
  const auto all = workspace.store().checkpoints(runId);
  const std::string who = "run " + std::to_string(runId) + " (" + run->name + ")";
  if (all.empty()) throw ConfigError(who + " has no checkpoint yet");
  auto exists = [&](const CheckpointRecord& c) { return fs::is_regular_file(runDir / c.path / "config.json"); };
  RunCheckpoint out;
  out.runId = runId;
  out.runName = run->name;
  if (step) {
    std::string steps;
    for (const auto& c : all) {
      if (c.step == *step) {
        if (!exists(c))
          throw IoError((runDir / c.path).string() + ": checkpoint folder of step " + std::to_string(*step) +
                        " is missing");
        out.step = c.step;
        out.dir = runDir / c.path;
        out.why = "requested";
        return out;
      }
      steps += (steps.empty() ? "" : ", ") + std::to_string(c.step);
    }
    throw ConfigError("--checkpoint " + std::to_string(*step) + ": " + who +
                      " has no checkpoint at that step (it has " + steps + ")");
  }
  for (const auto& c : all)
    if (c.isBest && exists(c)) {
      out.step = c.step;
      out.dir = runDir / c.path;
      char buf[64];
      std::snprintf(buf, sizeof buf, " = %.4f", c.metric.value_or(0.0));
      out.why = "best (" + (run->bestMetricName.empty() ? std::string("validation metric") : run->bestMetricName) +
                (c.metric ? std::string(buf) : std::string()) + ")";
      return out;
    }
  for (auto it = all.rbegin(); it != all.rend(); ++it)
    if (exists(*it)) {
      out.step = it->step;
      out.dir = runDir / it->path;
      out.why = "latest";
      return out;
    }
  throw IoError(who + ": every recorded checkpoint folder under " + runDir.string() + " is missing");
}

LoadedCheckpoint loadCheckpointForEval(const fs::path& path, const torch::Device& device) {
  const fs::path dir = checkpointDir(path.string());
  if (!fs::is_directory(dir)) throw IoError(dir.string() + ": no such checkpoint folder");
  LoadedCheckpoint out;
  out.dir = dir.string();
  if (fs::is_regular_file(dir / kModelInfoFile)) {
    CheckpointInfo info;
    out.model = loadModelCheckpoint(dir.string(), device, &info);
    out.config.model = info.config;
    out.config.preset = "";
    syncLoaderWithModel(out.config);
    out.tokenizerPath = resolveTokenizerPath(dir.string(), info);
    return out;
  }
  const fs::path configFile = dir / "config.json";
  if (!fs::is_regular_file(configFile) || !fs::is_regular_file(dir / kModelWeightsFile))
    throw IoError(dir.string() + ": not a checkpoint folder (needs model.safetensors with config.json or model.json)");
  out.config = configFromJson<TrainConfig>(readJsonFile(configFile.string()), configFile.string());
  validateModelConfig(out.config.model);
  // (training/checkpoint/Checkpoint.h cannot be included beside model/checkpoint: both name kModelWeightsFile.)
  if (fs::is_regular_file(dir / "state.json")) {
    const auto state = readJsonFile((dir / "state.json").string());
    if (state.is_object() && state.contains("step") && state["step"].is_number_integer())
      out.step = state["step"].get<int64_t>();
  }
  // The trainer builds its model with the default special-token ids (a tokenizer trained by us).
  out.model = MoonModel(out.config.model);
  loadModelWeights(dir.string(), *out.model);
  out.model->to(device);
  out.model->eval();
  if (!out.config.data.empty()) out.tokenizerPath = (fs::path(out.config.data) / kDatasetTokenizerFile).string();
  return out;
}

BpeTokenizer tokenizerForCheckpoint(const LoadedCheckpoint& checkpoint, const std::string& dataDir) {
  std::string path = checkpoint.tokenizerPath;
  if (path.empty() || !fs::is_regular_file(path)) {
    if (dataDir.empty())
      throw ConfigError(checkpoint.dir + ": the checkpoint names no tokenizer that exists; give --data DIR");
    path = (fs::path(dataDir) / kDatasetTokenizerFile).string();
  }
  if (!fs::is_regular_file(path)) throw IoError(path + ": tokenizer not found");
  BpeTokenizer tokenizer = BpeTokenizer::load(path);
  if (!(specialTokenIdsOf(tokenizer) == checkpoint.model->specialTokens()))
    throw FormatError(path + ": the tokenizer's special-token ids differ from the checkpoint's (" + checkpoint.dir +
                      ")");
  if (tokenizer.vocabSize() > checkpoint.model->config().language.vocab_size)
    throw FormatError(path + ": the tokenizer has " + std::to_string(tokenizer.vocabSize()) +
                      " tokens, more than the model's vocabulary of " +
                      std::to_string(checkpoint.model->config().language.vocab_size) + " (" + checkpoint.dir + ")");
  return tokenizer;
}

torch::Device evalDevice(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (name == "cuda") {
    if (!torch::cuda::is_available()) throw ConfigError("--device cuda: this LibTorch build or machine has no CUDA");
    return torch::Device(torch::kCUDA, 0);
  }
  if (name == "auto") return torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
  throw ConfigError("--device must be auto, cpu or cuda, got '" + name + "'");
}

}  // namespace moon
