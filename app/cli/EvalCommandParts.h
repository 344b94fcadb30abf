#pragma once

// Pieces shared by `moon eval`, `moon embed` and `moon ablate`
// (EvalCommands.cpp, EmbedCommand.cpp, AblateCommand.cpp).

#include <cstddef>
#include <string>

#include "core/data/Dataset.h"

namespace CLI {
class App;
}

namespace moon::cli {

void addEmbedCommand(CLI::App& app);   // moon embed
void addAblateCommand(CLI::App& app);  // moon ablate

// The dataset in `dataDir` with `split` ("all": every split that exists),
// plus the train split when `needTrain` (prototypes). Throws ConfigError
// naming an unknown split, IoError for a missing folder.
Dataset loadDatasetForSplit(const std::string& dataDir, const std::string& split, bool needTrain);

// Progress of an evaluation or embedding stage, logged on stderr.
void printProgress(const std::string& stage, std::size_t done, std::size_t total);

}  // namespace moon::cli
