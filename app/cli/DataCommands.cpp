#include <CLI/CLI.hpp>

#include "app/cli/Commands.h"

namespace moon::cli {

void addDataCommands(CLI::App& app) { (void)app; }

}  // namespace moon::cli
