#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/Commands.h"
#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/image/ImageIo.h"
#include "model/checkpoint/CheckpointLoader.h"
#include "model/inference/InferenceContext.h"
#include "model/inference/ProductInput.h"
#include "model/runtime/IntraOpThreads.h"

namespace moon::cli {
namespace {

struct InferArgs {
  std::string checkpoint;
  std::string image;
  std::string title;
  std::string tokenizer;
  std::string data;
  std::vector<std::string> views = {"mm"};
  bool json = false;
  bool noReasoning = false;
  bool sample = false;
  bool attention = false;
  double temperature = 1.0;
  double topP = 1.0;
  uint64_t seed = 0;
  int maxTokens = 0;
  int threads = 0;
  std::string device = "auto";
};

double norm(const std::vector<float>& v) {
  double s = 0;
  for (float x : v) s += static_cast<double>(x) * x;
  return std::sqrt(s);
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
  if (!v.attention.empty() && v.attention.gridSide > 0) {
    // Where the trace looks: the share of each layer's attention (mean over
    // heads and trace tokens) that lands on the image patches.
    std::cout << "attention on the image per layer:";
    for (int l = 0; l < v.attention.layers; ++l) {
      double sum = 0;
      for (int h = 0; h < v.attention.heads; ++h)
        for (int q = 0; q < v.attention.queries; ++q) sum += v.attention.imageShare(l, h, q);
      std::cout << " " << sum / std::max(1, v.attention.heads * v.attention.queries);
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
  CheckpointLoadOptions load;
  load.device = a.device;
  load.tokenizerPath = a.tokenizer;
  load.fallbackDatasetDir = a.data;
  const LoadedCheckpoint loaded = loadCheckpoint(a.checkpoint, load);
  const InferenceContext& ctx = *loaded.context;
  if (!a.title.empty() && !loaded.tokenizer) loaded.requireTokenizer();  // a title needs one: say which were tried
  const auto t1 = Clock::now();

  ProductInput input;
  input.id = "input";
  if (!a.title.empty()) input.title = a.title;
  if (!a.image.empty()) input.image = readImageChecked(a.image);
  const auto batch = encodeProducts({input}, ctx.codec(), ctx.config(), ctx.model()->specialTokens().pad);

  InferenceOptions opts;
  opts.views.clear();
  for (const auto& v : a.views) {
    const auto m = parseModality(v);
    if (!m) throw ConfigError("--views: unknown view '" + v + "' (text, image or mm)");
    opts.views.push_back(*m);
  }
  opts.reasoning = !a.noReasoning;
  opts.attention = a.attention;
  opts.generation.sampling.greedy = !a.sample;
  opts.generation.sampling.temperature = a.temperature;
  opts.generation.sampling.topP = a.topP;
  opts.generation.sampling.seed = a.seed;
  opts.generation.maxTokens = a.maxTokens;
  const auto results = ctx.run(batch, opts);
  const auto t2 = Clock::now();
  const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };

  const auto& views = results.front().views;
  if (views.empty()) throw ConfigError("none of the requested views fits this input (a text view needs --title, ...)");
  if (a.json) {
    nlohmann::json out;
    out["checkpoint"] = loaded.dir;
    out["kind"] = checkpointKindName(loaded.kind);
    out["views"] = nlohmann::json::array();
    for (const auto& v : views) out["views"].push_back(viewResultToJson(v, /*embeddings=*/true));
    out["timing_ms"] = {{"load", ms(t1 - t0)}, {"inference", ms(t2 - t1)}};
    // An untrained model can produce byte tokens that are not valid UTF-8: replace, never fail.
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    for (size_t i = 0; i < views.size(); ++i) {
      if (i) std::cout << "\n";
      printView(views[i]);
    }
  }
  log::app()->info("moon infer: load {:.0f} ms, inference {:.0f} ms on {}", ms(t1 - t0), ms(t2 - t1),
                   ctx.model()->device().str());
}

}  // namespace

void addInferCommand(CLI::App& app) {
  auto a = std::make_shared<InferArgs>();
  auto* infer = app.add_subcommand("infer", "Reason about one product and embed it with a trained checkpoint");
  infer
      ->add_option("--checkpoint", a->checkpoint,
                   "checkpoint folder: a model checkpoint or a run's checkpoints/step-N (or its model.json)")
      ->required();
  infer->add_option("--image", a->image, "product image file");
  infer->add_option("--title", a->title, "product title text");
  infer->add_option("--tokenizer", a->tokenizer,
                    "tokenizer.json (default: the checkpoint's, else its run's dataset's)");
  infer->add_option("--data", a->data, "dataset folder whose tokenizer to use when the checkpoint names none");
  infer->add_option("--views", a->views, "views to run: text, image, mm (default mm)")->delimiter(',');
  infer->add_flag("--json", a->json, "print JSON");
  infer->add_flag("--no-reasoning", a->noReasoning, "embed without generating a trace");
  infer->add_flag("--sample", a->sample, "sample the trace instead of greedy decoding");
  infer->add_flag("--attention", a->attention, "also print the share of attention on the image per decoder layer");
  infer->add_option("--temperature", a->temperature, "sampling temperature")->capture_default_str();
  infer->add_option("--top-p", a->topP, "nucleus sampling mass")->capture_default_str();
  infer->add_option("--seed", a->seed, "sampling seed")->capture_default_str();
  infer->add_option("--max-tokens", a->maxTokens, "trace length limit (default: the model's)");
  infer->add_option("--threads", a->threads, "LibTorch intra-op threads (0: 1 without MKL, else LibTorch's choice)");
  infer->add_option("--device", a->device, "auto | cpu | cuda")->capture_default_str();
  infer->callback([a] { runInfer(*a); });
}

}  // namespace moon::cli
