#include "training/eval/CheckpointLoaderConfig.h"

#include <filesystem>

#include "model/checkpoint/ModelCheckpoint.h"
#include "training/eval/EvalConfig.h"

namespace moon {

LoaderConfig loaderConfigFor(const LoadedCheckpoint& checkpoint, int batchSize) {
  LoaderConfig loader;
  EvalConfig eval;
  if (checkpoint.kind == CheckpointKind::Training) {
    const std::string file = (std::filesystem::path(checkpoint.dir) / kRunConfigFile).string();
    loader = configSectionFromJson<LoaderConfig>(checkpoint.runConfig, "loader", file);
    eval = configSectionFromJson<EvalConfig>(checkpoint.runConfig, "eval", file);
  } else {
    loader.image_size = checkpoint.modelConfig.vision.image_size;
    loader.max_trace_tokens = checkpoint.modelConfig.max_trace_tokens;
  }
  loader.batch_size = batchSize > 0 ? batchSize : eval.batch_size;
  return loader;
}

}  // namespace moon
