#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "app/cli/EvalCommandParts.h"
#include "core/base/Error.h"
#include "core/store/Workspace.h"
#include "training/ablation/Ablation.h"
#include "training/eval/TextTable.h"
#include "training/trainer/StopSignal.h"

namespace moon::cli {
namespace {
namespace fs = std::filesystem;

struct AblateArgs {
  std::string workspace;
  std::string data;
  std::string preset = "tiny";
  int64_t steps = 0;
  std::vector<std::string> overrides;
  std::string out;
  std::string split = "test";
  std::string queryTraces = "greedy";
  std::size_t maxQueries = 0;
};

void runAblate(const AblateArgs& a) {
  AblationOptions o;
  o.preset = a.preset;
  o.data = a.data;
  o.steps = a.steps;
  o.overrides = a.overrides;
  o.evaluation.split = a.split;
  o.evaluation.queryTraces = parseTraceMode(a.queryTraces, "--query-traces");
  o.evaluation.maxQueries = a.maxQueries;
  o.evaluation.progress = printProgress;
  o.log = [](const std::string& line) { std::cerr << line << "\n" << std::flush; };
  if (!fs::is_regular_file(fs::path(a.data) / (a.split + ".jsonl")))
    throw ConfigError("--split " + a.split + ": unknown split, " + a.data + " has no " + a.split + ".jsonl");

  Workspace ws = Workspace::open(a.workspace, true);
  const fs::path out = a.out.empty() ? ws.exportsDir() / "ablation" : fs::path(a.out);
  fs::create_directories(out);
  installStopSignalHandlers();
  const AblationOutcome result = runAblation(ws, o);

  const std::string md = (out / "ablation.md").string(), csv = (out / "ablation.csv").string();
  writeAblationTables(result.rows, md, csv);
  std::cout << formatAblationMarkdown(result.rows) << "\n";
  TextTable times({"variant", "run", "train", "eval"},
                  {TextTable::Align::Left, TextTable::Align::Right, TextTable::Align::Right, TextTable::Align::Right});
  for (std::size_t i = 0; i < result.rows.size(); ++i)
    times.addRow({result.rows[i].variant, std::to_string(result.runIds[i]), formatDuration(result.rows[i].trainSeconds),
                  formatDuration(result.evalSeconds[i])});
  std::cout << "wall time per variant (" << a.steps << " steps each, preset " << a.preset << ", split " << a.split
            << "):\n"
            << times.toText(2) << "\nwrote " << md << " and " << csv << "\n";
}

}  // namespace

void addAblateCommand(CLI::App& app) {
  auto a = std::make_shared<AblateArgs>();
  auto* ablate = app.add_subcommand("ablate",
                                    "Train and evaluate full MOON3.0, -MMF, -FIRE, -RL and -reasoning on the same "
                                    "data and budget; write the table as Markdown and CSV");
  ablate->add_option("--workspace", a->workspace, "workspace folder (created when missing)")->required();
  ablate->add_option("--data", a->data, "dataset folder")->required();
  ablate->add_option("--preset", a->preset, "micro | tiny | small | base")->capture_default_str();
  ablate->add_option("--steps", a->steps, "optimiser steps per variant")->required();
  ablate->add_option("--set", a->overrides, "override a key for every variant (repeatable)");
  ablate->add_option("--out", a->out,
                     "folder for ablation.md and ablation.csv (default: <workspace>/exports/ablation)");
  ablate->add_option("--split", a->split, "split to evaluate on")->capture_default_str();
  ablate->add_option("--query-traces", a->queryTraces, "greedy | target | none")->capture_default_str();
  ablate->add_option("--max-queries", a->maxQueries, "evaluation queries per direction (0 = all)")
      ->capture_default_str();
  ablate->callback([a] { runAblate(*a); });
}

}  // namespace moon::cli
