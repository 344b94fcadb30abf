#include <CLI/CLI.hpp>

#include "app/cli/Commands.h"

namespace moon::cli {

void addModelCommands(CLI::App& app) { (void)app; }

}  // namespace moon::cli
