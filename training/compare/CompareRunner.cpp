#include "training/compare/CompareRunner.h"

#include <chrono>
#include <filesystem>

#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/config/Config.h"
#include "core/text/BpeTokenizer.h"
#include "core/text/DatasetTokenizer.h"
#include "model/checkpoint/ModelCheckpoint.h"
#include "model/inference/InferenceContext.h"
#include "model/inference/LoadInference.h"
#include "model/inference/ProductInput.h"
#include "model/inference/TokenizerCodec.h"
#include "training/TrainConfig.h"

namespace fs = std::filesystem;

namespace moon {
namespace {

std::string describe(const ModelConfig& c) {
  return "vision " + std::to_string(c.vision.image_size) + "px/" + std::to_string(c.vision.patch_size) + ", decoder " +
         std::to_string(c.language.layers) + "x" + std::to_string(c.language.dim) + " (" +
         std::to_string(c.language.heads) + " heads), vocabulary " + std::to_string(c.language.vocab_size) +
         (c.reasoning ? ", reasoning" : ", no reasoning") + (c.mmf.enabled ? ", MMF" : "") +
         (c.fire.enabled ? ", FIRE" : "");
}

// The tokenizer of `dir` when it has one that fits `special` and `vocab`; else nullopt.
std::optional<BpeTokenizer> fittingTokenizer(const std::string& file, const SpecialTokenIds& special, int64_t vocab) {
  if (file.empty() || !fs::is_regular_file(file)) return std::nullopt;
  try {
    auto tok = BpeTokenizer::load(file);
    if (specialTokenIdsOf(tok) == special && tok.vocabSize() <= vocab) return tok;
    log::training()->warn("{}: does not fit the checkpoint (special tokens or vocabulary)", file);
  } catch (const Error& e) {
    log::training()->warn("{}", e.what());
  }
  return std::nullopt;
}

std::string datasetTokenizerFile(const std::string& dir) {
  return dir.empty() ? std::string() : (fs::path(dir) / kDatasetTokenizerFile).string();
}

LoadedCheckpoint loadModelKind(const std::string& dir, const std::string& fallbackDatasetDir) {
  LoadedCheckpoint out;
  out.path = dir;
  out.kind = "model";
  const CheckpointInfo info = readCheckpointInfo(dir);
  out.summary = describe(info.config);
  std::string tokenizer = resolveTokenizerPath(dir, info);
  if (tokenizer.empty() &&
      fittingTokenizer(datasetTokenizerFile(fallbackDatasetDir), info.special, info.config.language.vocab_size))
    tokenizer = datasetTokenizerFile(fallbackDatasetDir);
  out.context = std::shared_ptr<InferenceContext>(loadInferenceContext(dir, torch::kCPU, tokenizer).release());
  out.tokenizerPath = tokenizer;
  return out;
}

LoadedCheckpoint loadTrainingKind(const std::string& dir, const std::string& fallbackDatasetDir) {
  LoadedCheckpoint out;
  out.path = dir;
  out.kind = "training";
  const std::string configFile = (fs::path(dir) / "config.json").string();
  const auto cfg = configFromJson<TrainConfig>(readJsonFile(configFile), configFile);
  validateModelConfig(cfg.model);
  out.summary = describe(cfg.model);
  // The trainer builds its model with the default special-token ids and the dataset's tokenizer.
  MoonModel model(cfg.model);
  loadModelWeights(dir, *model);
  TextCodec codec;
  for (const std::string& data : {cfg.data, fallbackDatasetDir}) {
    const std::string file = datasetTokenizerFile(data);
    if (auto tok = fittingTokenizer(file, model->specialTokens(), cfg.model.language.vocab_size)) {
      codec = textCodecFor(*tok);
      out.tokenizerPath = file;
      out.datasetDir = data;
      break;
    }
  }
  if (out.datasetDir.empty() && !cfg.data.empty() && fs::is_directory(cfg.data)) out.datasetDir = cfg.data;
  out.context = std::make_shared<InferenceContext>(model, codec);
  return out;
}

ProductInput productInput(const CompareInput& in, int slot) {
  ProductInput p;
  p.id = in.id.empty() ? compareSlotKey(slot) : in.id;
  if (!in.title.empty()) p.title = in.title;
  p.image = in.image;
  return p;
}

ViewResult takeView(ProductResult& r, Modality m) {
  for (auto& v : r.views)
    if (v.modality == m) return std::move(v);
  ViewResult none;
  none.modality = m;
  return none;
}

}  // namespace

LoadedCheckpoint loadCheckpointForInference(const std::string& path, const std::string& fallbackDatasetDir) {
  const std::string dir = checkpointDir(path);
  if (!fs::is_directory(dir)) throw IoError(dir + ": no such checkpoint folder");
  const auto t0 = std::chrono::steady_clock::now();
  LoadedCheckpoint out;
  if (fs::exists(fs::path(dir) / kModelInfoFile))
    out = loadModelKind(dir, fallbackDatasetDir);
  else if (fs::exists(fs::path(dir) / "config.json"))
    out = loadTrainingKind(dir, fallbackDatasetDir);
  else
    throw IoError(dir + ": not a checkpoint (neither model.json nor config.json is there)");
  log::training()->info("compare: loaded {} checkpoint {} in {:.0f} ms", out.kind, dir,
                        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  return out;
}

std::optional<ComparisonResult> runComparison(const InferenceContext& context,
                                              const std::array<CompareInput, kCompareSlots>& inputs,
                                              const CompareOptions& options, const CompareProgress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  int filled = 0;
  for (const auto& in : inputs) filled += in.empty() ? 0 : 1;
  if (filled == 0) throw Error("nothing to compare: every slot is empty");
  const auto& cfg = context.config();
  const int64_t pad = context.model()->specialTokens().pad;

  InferenceOptions mm;
  mm.views = {Modality::Multimodal};
  mm.attention = true;
  mm.generation.sampling.greedy = options.greedy;
  mm.generation.sampling.temperature = options.temperature;
  mm.generation.sampling.topP = options.topP;
  mm.generation.sampling.seed = options.seed;
  mm.generation.maxTokens = options.maxTokens;
  InferenceOptions single = mm;
  single.views = {Modality::Text, Modality::Image};
  single.attention = false;

  ComparisonResult result;
  result.options = options;
  int done = 0;
  const double steps = 2.0 * filled;
  if (progress && !progress(0.0)) return std::nullopt;
  for (int s = 0; s < kCompareSlots; ++s) {
    const auto& in = inputs[static_cast<size_t>(s)];
    auto& slot = result.slots[static_cast<size_t>(s)];
    slot.input = in;
    slot.multimodal.modality = Modality::Multimodal;
    slot.text.modality = Modality::Text;
    slot.image.modality = Modality::Image;
    if (in.empty()) continue;
    const ProductBatch batch = encodeProducts({productInput(in, s)}, context.codec(), cfg, pad);
    // The multimodal view alone, so its (sampled) trace does not depend on which other views exist.
    auto r = context.run(batch, mm);
    slot.multimodal = takeView(r.front(), Modality::Multimodal);
    if (progress && !progress(++done / steps)) return std::nullopt;
    if (!in.title.empty() && !in.image.empty()) {
      auto r2 = context.run(batch, single);
      slot.text = takeView(r2.front(), Modality::Text);
      slot.image = takeView(r2.front(), Modality::Image);
    } else {
      // A one-modality product: its multimodal view is that modality's view.
      (in.image.empty() ? slot.text : slot.image) = slot.multimodal;
      (in.image.empty() ? slot.text : slot.image).modality = in.image.empty() ? Modality::Text : Modality::Image;
      (in.image.empty() ? slot.text : slot.image).attention = {};
    }
    if (progress && !progress(++done / steps)) return std::nullopt;
  }
  result.similarity = similarityMatrix(result.slots);
  result.margins = compareMargins(result.slots);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

}  // namespace moon
