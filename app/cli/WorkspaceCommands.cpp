// moon workspace init DIR          create a workspace (moon.db, runs/, exports/)
// moon workspace runs DIR [--json] list its runs

#include <CLI/CLI.hpp>

#include <algorithm>
#include <ctime>
#include <iostream>
#include <memory>

#include "app/cli/Commands.h"
#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/store/Workspace.h"

namespace moon::cli {
namespace {

struct WorkspaceArgs {
  std::string dir;
  bool json = false;
};

std::string formatTime(double seconds) {
  if (seconds <= 0) return "-";
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm local{};
  localtime_r(&t, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &local);
  return text;
}

std::string formatBest(const RunRecord& r) {
  if (!r.bestMetric) return "-";
  char value[32];
  std::snprintf(value, sizeof value, "%.4g", *r.bestMetric);
  return r.bestMetricName + "=" + value;
}

std::string clip(const std::string& s, size_t width) { return s.size() <= width ? s : s.substr(0, width - 3) + "..."; }

// A plain text table: one header row, columns padded to their widest cell.
void printTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(widths[c] - row[c].size() + 2, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);  // an empty last cell leaves no trailing spaces
    out << line << "\n";
  }
}

void initWorkspace(const WorkspaceArgs& args) {
  const bool existed = Workspace::exists(args.dir);
  const Workspace ws = Workspace::open(args.dir, /*create=*/true);
  std::cout << (existed ? "Workspace already exists: " : "Created workspace: ") << ws.root().string() << "\n";
}

void listRuns(const WorkspaceArgs& args) {
  Workspace ws = Workspace::open(args.dir);
  try {
    ws.store().markDeadRunsInterrupted();  // a killed run should not be listed as running
  } catch (const Error& e) {
    log::app()->warn("could not check for interrupted runs: {}", e.what());
  }
  const auto runs = ws.store().listRuns();

  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : runs) out.push_back(toJson(r));
    std::cout << out.dump(2) << "\n";
    return;
  }
  if (runs.empty()) {
    std::cout << "No runs in " << ws.root().string() << " yet.\n";
    return;
  }
  std::vector<std::vector<std::string>> rows{{"ID", "NAME", "STATUS", "PRESET", "STEPS", "BEST", "CREATED", "MESSAGE"}};
  for (const auto& r : runs)
    rows.push_back({std::to_string(r.id), clip(r.name, 32), runStatusName(r.status), r.preset.empty() ? "-" : r.preset,
                    std::to_string(r.stepsDone) + "/" + std::to_string(r.stepsTotal), formatBest(r),
                    formatTime(r.createdAt), clip(r.message, 60)});
  printTable(std::cout, rows);
}

}  // namespace

void addWorkspaceCommands(CLI::App& app) {
  auto* group = app.add_subcommand("workspace", "Create a workspace and list its runs");
  group->require_subcommand(1);
  auto args = std::make_shared<WorkspaceArgs>();

  auto* init = group->add_subcommand("init", "Create a workspace folder (moon.db, runs/, exports/)");
  init->add_option("DIR", args->dir, "Workspace folder (created if missing)")->required();
  init->callback([args] { initWorkspace(*args); });

  auto* runs = group->add_subcommand("runs", "List the runs of a workspace");
  runs->add_option("DIR", args->dir, "Workspace folder")->required();
  runs->add_flag("--json", args->json, "Print the runs as a JSON array (every field)");
  runs->callback([args] { listRuns(*args); });
}

}  // namespace moon::cli
