#include <CLI/CLI.hpp>

#include <iostream>

#include "app/cli/Commands.h"
#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "model/BuildInfo.h"
#include "model/runtime/AllocatorPolicy.h"

int main(int argc, char** argv) {
  moon::keepFreedMemoryForReuse();  // training, evaluation and embedding reuse large blocks
  CLI::App app{"moon — train, evaluate and inspect MOON3.0-style product embedding models"};
  app.set_version_flag("--version", [] { return moon::versionReport("moon"); });
  app.require_subcommand(1);
  moon::cli::addWorkspaceCommands(app);
  moon::cli::addDataCommands(app);
  moon::cli::addModelCommands(app);
  moon::cli::addTrainCommands(app);
  moon::cli::addEvalCommands(app);
  moon::cli::addCompletionCommand(app);
  try {
    moon::initLogging();
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::cerr << "moon: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
