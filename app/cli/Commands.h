#pragma once

// Each group of `moon` subcommands lives in its own file and registers itself
// here. A subcommand's callback reports user errors by throwing moon::Error;
// main() prints them as "moon: error: …" and exits with status 1.

#include <string>

namespace CLI {
class App;
}

namespace moon::cli {

void addWorkspaceCommands(CLI::App& app);  // moon workspace …
void addDataCommands(CLI::App& app);       // moon data synth|check|sheet
void addModelCommands(CLI::App& app);      // moon model summary|init, moon infer
void addInferCommand(CLI::App& app);       // moon infer (InferCommand.cpp)
void addTrainCommands(CLI::App& app);      // moon train
void addEvalCommands(CLI::App& app);       // moon eval, moon embed, moon ablate
// moon completion bash: generated from `app` as registered, so add it last.
void addCompletionCommand(CLI::App& app);

// The bash completion script for `root`'s subcommands and options (CompletionCommand.cpp).
std::string bashCompletionScript(const CLI::App& root);

}  // namespace moon::cli
