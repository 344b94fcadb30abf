#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli/Commands.h"
#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/config/Config.h"
#include "core/image/ImageIo.h"
#include "core/text/BpeTokenizer.h"
#include "model/ModelSummary.h"
#include "model/MoonModel.h"
#include "model/checkpoint/ModelCheckpoint.h"
#include "model/inference/LoadInference.h"
#include "model/inference/ProductInput.h"
#include "model/inference/TokenizerCodec.h"
#include "model/runtime/IntraOpThreads.h"

namespace moon::cli {
namespace {

struct ConfigArgs {
  std::string preset = "tiny";
  std::string config;  // JSON file, applied over the preset
  std::vector<std::string> overrides;

  void addTo(CLI::App* cmd) {
    cmd->add_option("--preset", preset, "micro | tiny | small | base")->capture_default_str();
    cmd->add_option("--config", config, "model config JSON applied over the preset");
    cmd->add_option("--set", overrides, "override a key, e.g. --set fire.every=2 (repeatable)");
  }

  ModelConfig build() const {
    ModelConfig cfg = modelPreset(preset);
    if (!config.empty()) {
      // Keys in the file override the preset's values, like --set does.
      auto json = configToJson(cfg);
      json.merge_patch(readJsonFile(config));
      cfg = configFromJson<ModelConfig>(json, config);
    }
    applyOverrides(cfg, overrides);
    validateModelConfig(cfg);
    return cfg;
  }
};

void runSummary(const ConfigArgs& a) {
  MoonModel model(a.build());
  std::cout << "model preset " << a.preset << "\n\n" << formatModelSummary(*model);
}

struct InitArgs {
  ConfigArgs config;
  std::string out;
  std::string tokenizer;
  uint64_t seed = 0;
};

// A freshly initialised checkpoint: a starting point for smoke tests and demos.
void runInit(const InitArgs& a) {
  const ModelConfig cfg = a.config.build();
  SpecialTokenIds special;
  if (!a.tokenizer.empty()) {
    const auto tokenizer = BpeTokenizer::load(a.tokenizer);
    special = specialTokenIdsOf(tokenizer);
    if (tokenizer.vocabSize() > cfg.language.vocab_size)
      throw ConfigError(a.tokenizer + ": " + std::to_string(tokenizer.vocabSize()) +
                        " tokens do not fit language.vocab_size " + std::to_string(cfg.language.vocab_size));
  }
  torch::manual_seed(a.seed);
  MoonModel model(cfg, special);
  std::string ref;
  if (!a.tokenizer.empty()) {
    // The checkpoint folder carries its own copy, so it can be moved as a whole.
    std::filesystem::create_directories(a.out);
    std::filesystem::copy_file(a.tokenizer, std::filesystem::path(a.out) / "tokenizer.json",
                               std::filesystem::copy_options::overwrite_existing);
    ref = "tokenizer.json";
  }
  saveModelCheckpoint(a.out, *model, ref);
  std::cout << "wrote an initialised " << a.config.preset << " checkpoint to " << a.out << "\n";
}

struct InferArgs {
  std::string checkpoint;
  std::string image;
  std::string title;
  std::string tokenizer;
  std::vector<std::string> views = {"mm"};
  bool json = false;
  bool noReasoning = false;
  bool sample = false;
  double temperature = 1.0;
  double topP = 1.0;
  uint64_t seed = 0;
  int maxTokens = 0;
  int threads = 0;
  std::string device = "auto";
};

torch::Device pickDevice(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (name == "cuda") {
    if (!torch::cuda::is_available()) throw ConfigError("--device cuda: this LibTorch build or machine has no CUDA");
    return torch::kCUDA;
  }
  if (name == "auto") return torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  throw ConfigError("--device must be auto, cpu or cuda, got '" + name + "'");
}

double norm(const std::vector<float>& v) {
  double s = 0;
  for (float x : v) s += static_cast<double>(x) * x;
  return std::sqrt(s);
}

nlohmann::json viewJson(const ViewResult& v) {
  nlohmann::json j;
  j["modality"] = modalityName(v.modality);
  j["trace"] = v.traceText;
  j["trace_tokens"] = v.traceTokens;
  j["closed"] = v.traceClosed;
  j["attributes"] = v.parsed.attributes;
  j["problems"] = v.parsed.problems;
  j["embedding"] = v.embedding;
  if (!v.discEmbedding.empty()) {
    j["disc_embedding"] = v.discEmbedding;
    j["disc_cosine"] = cosineSimilarity(v.embedding, v.discEmbedding);
  }
  if (!v.gates.empty()) {
    nlohmann::json gates = nlohmann::json::object();
    for (int s = 0; s < kFusionSets; ++s) {
      std::vector<float> heads(v.gates.begin() + s * v.gateHeads, v.gates.begin() + (s + 1) * v.gateHeads);
      gates[fusionSetName(static_cast<FusionSet>(s))] = heads;
    }
    j["gates"] = gates;
  }
  return j;
}

void printView(const ViewResult& v) {
  std::cout << "view: " << modalityName(v.modality) << "\n";
  std::cout << "trace: " << (v.traceTokens.empty() && v.traceText.empty() ? "(none)" : v.traceText)
            << (v.traceTokens.empty() ? ""
                : v.traceClosed       ? "  [closed]"
                                      : "  [unclosed: hit the length limit]")
            << "\n";
  std::cout << "attributes:";
  if (v.parsed.attributes.empty()) std::cout << " (none)";
  std::cout << "\n";
  for (const auto& [k, val] : v.parsed.attributes) std::cout << "  " << k << ": " << val << "\n";
  for (const auto& p : v.parsed.problems) std::cout << "  ! " << p << "\n";
  std::cout << std::fixed << std::setprecision(4);
  std::cout << "embedding: " << v.embedding.size() << "-d, norm " << norm(v.embedding) << ", first values";
  for (size_t i = 0; i < std::min<size_t>(6, v.embedding.size()); ++i) std::cout << " " << v.embedding[i];
  std::cout << "\n";
  if (!v.discEmbedding.empty())
    std::cout << "disc_emb: cosine to <emb> " << cosineSimilarity(v.embedding, v.discEmbedding) << "\n";
  if (!v.gates.empty()) {
    std::cout << "mmf gates:";
    for (int s = 0; s < kFusionSets; ++s) {
      double sum = 0;
      for (int h = 0; h < v.gateHeads; ++h) sum += v.gates[static_cast<size_t>(s * v.gateHeads + h)];
      std::cout << " " << fusionSetName(static_cast<FusionSet>(s)) << " " << sum;
    }
    std::cout << "\n";
  }
  std::cout << std::defaultfloat;
}

void runInfer(const InferArgs& a) {
  using Clock = std::chrono::steady_clock;
  if (a.image.empty() && a.title.empty()) throw ConfigError("moon infer needs --image, --title or both");
  applyIntraOpThreads(a.threads);
  const auto t0 = Clock::now();
  const auto device = pickDevice(a.device);
  auto ctx = loadInferenceContext(a.checkpoint, device, a.tokenizer);
  const auto t1 = Clock::now();

  ProductInput input;
  input.id = "input";
  if (!a.title.empty()) input.title = a.title;
  if (!a.image.empty()) input.image = readImageChecked(a.image);
  const auto batch = encodeProducts({input}, ctx->codec(), ctx->config(), ctx->model()->specialTokens().pad);

  InferenceOptions opts;
  opts.views.clear();
  for (const auto& v : a.views) {
    const auto m = parseModality(v);
    if (!m) throw ConfigError("--views: unknown view '" + v + "' (text, image or mm)");
    opts.views.push_back(*m);
  }
  opts.reasoning = !a.noReasoning;
  opts.generation.sampling.greedy = !a.sample;
  opts.generation.sampling.temperature = a.temperature;
  opts.generation.sampling.topP = a.topP;
  opts.generation.sampling.seed = a.seed;
  opts.generation.maxTokens = a.maxTokens;
  const auto results = ctx->run(batch, opts);
  const auto t2 = Clock::now();
  const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };

  const auto& views = results.front().views;
  if (views.empty()) throw ConfigError("none of the requested views fits this input (a text view needs --title, ...)");
  if (a.json) {
    nlohmann::json out;
    out["checkpoint"] = a.checkpoint;
    out["views"] = nlohmann::json::array();
    for (const auto& v : views) out["views"].push_back(viewJson(v));
    out["timing_ms"] = {{"load", ms(t1 - t0)}, {"inference", ms(t2 - t1)}};
    // An untrained model can produce byte tokens that are not valid UTF-8: replace, never fail.
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    for (size_t i = 0; i < views.size(); ++i) {
      if (i) std::cout << "\n";
      printView(views[i]);
    }
  }
  log::app()->info("moon infer: load {:.0f} ms, inference {:.0f} ms on {}", ms(t1 - t0), ms(t2 - t1), device.str());
}

}  // namespace

void addModelCommands(CLI::App& app) {
  auto* model = app.add_subcommand("model", "Model configurations: summary, initial checkpoints");
  model->require_subcommand(1);

  auto summaryArgs = std::make_shared<ConfigArgs>();
  auto* summary = model->add_subcommand("summary", "Parameter count per block of a model configuration");
  summaryArgs->addTo(summary);
  summary->callback([summaryArgs] { runSummary(*summaryArgs); });

  auto initArgs = std::make_shared<InitArgs>();
  auto* init = model->add_subcommand("init", "Write a randomly initialised checkpoint (smoke tests, demos)");
  initArgs->config.addTo(init);
  init->add_option("--out", initArgs->out, "checkpoint folder to write")->required();
  init->add_option("--tokenizer", initArgs->tokenizer, "tokenizer.json to copy in and take special-token ids from");
  init->add_option("--seed", initArgs->seed, "initialisation seed")->capture_default_str();
  init->callback([initArgs] { runInit(*initArgs); });

  auto a = std::make_shared<InferArgs>();
  auto* infer = app.add_subcommand("infer", "Reason about one product and embed it with a trained checkpoint");
  infer->add_option("--checkpoint", a->checkpoint, "checkpoint folder (or its model.json)")->required();
  infer->add_option("--image", a->image, "product image file");
  infer->add_option("--title", a->title, "product title text");
  infer->add_option("--tokenizer", a->tokenizer, "tokenizer.json (default: the checkpoint's)");
  infer->add_option("--views", a->views, "views to run: text, image, mm (default mm)")->delimiter(',');
  infer->add_flag("--json", a->json, "print JSON");
  infer->add_flag("--no-reasoning", a->noReasoning, "embed without generating a trace");
  infer->add_flag("--sample", a->sample, "sample the trace instead of greedy decoding");
  infer->add_option("--temperature", a->temperature, "sampling temperature")->capture_default_str();
  infer->add_option("--top-p", a->topP, "nucleus sampling mass")->capture_default_str();
  infer->add_option("--seed", a->seed, "sampling seed")->capture_default_str();
  infer->add_option("--max-tokens", a->maxTokens, "trace length limit (default: the model's)");
  infer->add_option("--threads", a->threads, "LibTorch intra-op threads (0: 1 without MKL, else LibTorch's choice)");
  infer->add_option("--device", a->device, "auto | cpu | cuda")->capture_default_str();
  infer->callback([a] { runInfer(*a); });
}

}  // namespace moon::cli
