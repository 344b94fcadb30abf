#include <CLI/CLI.hpp>

#include "app/cli/Commands.h"

namespace moon::cli {

void addEvalCommands(CLI::App& app) { (void)app; }

}  // namespace moon::cli
