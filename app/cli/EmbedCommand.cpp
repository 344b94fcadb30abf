#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <optional>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "app/cli/EvalCommandParts.h"
#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/store/RunCheckpoints.h"
#include "core/store/Workspace.h"
#include "model/checkpoint/CheckpointLoader.h"
#include "model/inference/InferenceContext.h"
#include "model/runtime/IntraOpThreads.h"
#include "training/eval/CheckpointLoaderConfig.h"
#include "training/eval/EmbeddingExport.h"
#include "training/eval/GalleryEmbedder.h"
#include "training/eval/ResumableEmbedding.h"
#include "training/eval/SourceStamp.h"

namespace moon::cli {
namespace {
namespace fs = std::filesystem;

struct EmbedArgs {
  std::string checkpoint;  // a folder, or a step with --workspace/--run
  std::string workspace;
  std::string run;
  std::string data;
  std::string split = "all";
  std::string modality = "mm";
  std::string out;
  std::string metadata;
  std::string format;
  std::string traces = "none";
  int batchSize = 0;
  std::string device = "auto";
  int threads = 0;
  std::size_t chunk = 0;  // products per resumable chunk; 0: ResumableEmbedOptions' default
};

std::string formatFor(const EmbedArgs& a) {
  if (!a.format.empty()) {
    if (a.format != "npy" && a.format != "safetensors" && a.format != "csv")
      throw ConfigError("--format " + a.format + ": unknown format (npy, safetensors or csv)");
    return a.format;
  }
  const std::string ext = fs::path(a.out).extension().string();
  if (ext == ".safetensors") return "safetensors";
  if (ext == ".csv") return "csv";
  return "npy";
}

void runEmbed(const EmbedArgs& a) {
  applyIntraOpThreads(a.threads);
  const auto modality = parseModality(a.modality);
  if (!modality) throw ConfigError("--modality " + a.modality + ": unknown modality (text, image or mm)");
  const TraceMode traces = parseTraceMode(a.traces, "--traces");
  const std::string format = formatFor(a);

  fs::path dir;
  std::string source;
  if (!a.workspace.empty()) {
    if (a.run.empty()) throw ConfigError("--workspace needs --run R (and optionally --checkpoint STEP)");
    std::optional<int64_t> step;
    if (!a.checkpoint.empty()) {
      if (a.checkpoint.find_first_not_of("0123456789") != std::string::npos)
        throw ConfigError("--checkpoint " + a.checkpoint + ": with --workspace it is a step number");
      step = std::stoll(a.checkpoint);
    }
    Workspace ws = Workspace::open(a.workspace);
    const RunCheckpoint cp = selectRunCheckpoint(ws, findRun(ws.store(), a.run), step);
    dir = cp.dir;
    source = "run " + std::to_string(cp.runId) + " (" + cp.runName + "), checkpoint step " + std::to_string(cp.step) +
             " [" + cp.why + "]";
  } else {
    if (a.checkpoint.empty()) throw ConfigError("moon embed: give --checkpoint DIR, or --workspace W --run R");
    if (!a.run.empty()) throw ConfigError("--run needs --workspace W");
    dir = a.checkpoint;
    source = "checkpoint " + dir.string();
  }
  CheckpointLoadOptions load;
  load.device = a.device;
  load.fallbackDatasetDir = a.data;
  const LoadedCheckpoint loaded = loadCheckpoint(dir.string(), load);
  const std::string data = a.data.empty() ? loaded.datasetDir : a.data;
  const Dataset dataset = loadDatasetForSplit(data, a.split, false);
  const std::vector<Product> products =
      a.split == "all" ? dataset.products() : productsOf(dataset.split(a.split), dataset.products());

  GalleryEmbedder embedder(loaderConfigFor(loaded, a.batchSize), dataset.dir(), loaded.requireTokenizer());
  EmbedOptions options;
  options.modality = *modality;
  options.traces = traces;
  const std::string stage = std::string("embed ") + modalityName(*modality);
  options.progress = [&](std::size_t done, std::size_t total) { printProgress(stage, done, total); };
  // In chunks under <out>.partial/, so an interrupted run resumes (ResumableEmbedding.h).
  ResumableEmbedOptions resumable;
  resumable.folder = a.out + ".partial";
  resumable.fingerprint = nlohmann::json{
      {"source", checkpointSourceStamp(loaded.dir, dataset.dir())},
      {"checkpoint", loaded.dir},
      {"split", a.split},
      {"modality", modalityName(*modality)},
      {"traces", traceModeName(traces)},
      {"batch",
       embedder.batchSize()}}.dump();
  if (a.chunk > 0) resumable.chunkItems = a.chunk;
  const ResumableEmbedResult run = embedResumable(embedder, *loaded.context->model(), products, options, resumable);
  if (run.resumedChunks > 0)
    std::cout << "resumed: " << run.resumedChunks << " of " << run.chunks << " chunks were already in "
              << resumable.folder << "\n";
  const EmbeddedItems& e = run.items;
  if (e.embeddings.rows == 0)
    throw FormatError(data + ": none of the " + std::to_string(products.size()) + " products can be shown as " +
                      modalityName(*modality));

  if (format == "npy") {
    writeEmbeddingsNpy(a.out, e.embeddings);
  } else if (format == "csv") {
    writeEmbeddingsCsv(a.out, e.embeddings, e.ids);
  } else {
    writeEmbeddingsSafetensors(a.out, e.embeddings, e.ids,
                               {{"checkpoint", loaded.dir},
                                {"modality", modalityName(*modality)},
                                {"traces", traceModeName(e.traceMode)},
                                {"split", a.split}});
  }
  std::error_code removeError;
  std::filesystem::remove_all(resumable.folder, removeError);  // the output is whole: the chunks are not needed
  if (!a.metadata.empty()) {
    std::vector<ItemMetadata> items;
    for (std::size_t i : e.itemIndex) items.push_back(itemMetadata(products[i]));
    writeProjectorMetadata(a.metadata, items);
  }
  std::cout << source << "\n"
            << "embedded " << e.embeddings.rows << " x " << e.embeddings.dim << " (" << modalityName(*modality)
            << ", traces " << traceModeName(e.traceMode) << ", split " << a.split << ")";
  if (e.skipped)
    std::cout << "; " << e.skipped << " products without a " << modalityName(*modality) << " view left out";
  std::cout << "\nwrote " << a.out << " (" << format << ")";
  if (!a.metadata.empty()) std::cout << " and " << a.metadata;
  std::cout << "\n";
}

}  // namespace

void addEmbedCommand(CLI::App& app) {
  auto a = std::make_shared<EmbedArgs>();
  auto* embed = app.add_subcommand("embed", "Export product embeddings (.npy/safetensors/CSV + projector TSV)");
  embed->add_option("--checkpoint", a->checkpoint,
                    "checkpoint folder; with --workspace/--run a step (default: best, else latest)");
  embed->add_option("--workspace", a->workspace, "workspace folder (with --run)");
  embed->add_option("--run", a->run, "run id or name (with --workspace)");
  embed->add_option("--data", a->data, "dataset folder (default: the checkpoint's)");
  embed->add_option("--split", a->split, "products of this split's triplets, or all")->capture_default_str();
  embed->add_option("--modality", a->modality, "text | image | mm")->capture_default_str();
  embed->add_option("--out", a->out, "embeddings file")->required();
  embed->add_option("--metadata", a->metadata, "TensorBoard projector metadata TSV");
  embed->add_option("--format", a->format, "npy | safetensors | csv (default: from --out's extension, else npy)");
  embed->add_option("--traces", a->traces, "none | target | greedy")->capture_default_str();
  embed->add_option("--batch-size", a->batchSize, "products per forward (default: the run's eval batch size)");
  embed->add_option("--device", a->device, "auto | cpu | cuda")->capture_default_str();
  embed->add_option("--threads", a->threads, "LibTorch intra-op threads (0: 1 without MKL, else LibTorch's choice)");
  embed->add_option("--chunk", a->chunk,
                    "products per chunk saved under OUT.partial/ while embedding; a rerun after an interruption "
                    "resumes from them (default 8192)");
  embed->callback([a] { runEmbed(*a); });
}

}  // namespace moon::cli
