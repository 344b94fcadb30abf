#include <CLI/CLI.hpp>

#include "app/cli/Commands.h"

namespace moon::cli {

void addTrainCommands(CLI::App& app) { (void)app; }

}  // namespace moon::cli
