#pragma once

// The loader settings to evaluate or embed with a checkpoint (`moon eval`,
// `moon embed`, the GUI's embedding views).

#include "model/checkpoint/CheckpointLoader.h"
#include "training/data/LoaderConfig.h"

namespace moon {

// A training checkpoint's own "loader" section (image size, token limits)
// with the batch size of its "eval" section; a model checkpoint gets the
// loader defaults fitted to its model. `batchSize` > 0 replaces the batch
// size. Throws ConfigError naming the run's config file and key.
LoaderConfig loaderConfigFor(const LoadedCheckpoint& checkpoint, int batchSize = 0);

}  // namespace moon
