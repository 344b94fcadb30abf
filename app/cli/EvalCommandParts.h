#pragma once

// Pieces shared by `moon eval`, `moon embed` and `moon ablate`
// (EvalCommands.cpp, EmbedCommand.cpp, AblateCommand.cpp).

#include <cstddef>
#include <string>

#include "training/eval/CheckpointEvaluation.h"  // loadDatasetForSplit

namespace CLI {
class App;
}

namespace moon::cli {

void addEmbedCommand(CLI::App& app);   // moon embed
void addAblateCommand(CLI::App& app);  // moon ablate
void addSearchCommand(CLI::App& app);  // moon search

// Progress of an evaluation or embedding stage, logged on stderr.
void printProgress(const std::string& stage, std::size_t done, std::size_t total);

}  // namespace moon::cli
