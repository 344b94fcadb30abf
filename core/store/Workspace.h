#pragma once

// A workspace is a folder holding everything about a set of runs:
//
//   <root>/moon.db                 run store (RunStore)
//   <root>/runs/<id>/config.json   a run's resolved configuration
//   <root>/runs/<id>/train.log     its log (openRunLogFile)
//   <root>/runs/<id>/events.jsonl  its event stream
//   <root>/runs/<id>/checkpoints/  its checkpoints
//   <root>/exports/                embeddings, figures, tables
//   <root>/datasets/<name>/        datasets the GUI lists (datasets/demo: the built-in catalogue)
//
// Runs started from the GUI and from a shell land in the same place, so each
// front end sees the other's runs.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/store/RunStore.h"

namespace moon {

class Workspace {
 public:
  static constexpr const char* kDatabaseName = "moon.db";
  static constexpr const char* kRunsDir = "runs";
  static constexpr const char* kExportsDir = "exports";
  static constexpr const char* kDatasetsDir = "datasets";
  static constexpr const char* kDemoDataset = "demo";  // under datasets/

  // Opens the workspace in `dir`. With `create`, makes the folder and its
  // layout when missing (and is a no-op for an existing workspace); without,
  // throws IoError when `dir` holds no moon.db.
  static Workspace open(const std::string& dir, bool create = false);
  // True when `dir` holds a moon.db.
  static bool exists(const std::string& dir);

  Workspace(Workspace&&) noexcept;
  Workspace& operator=(Workspace&&) noexcept;
  ~Workspace();

  const std::filesystem::path& root() const { return root_; }
  RunStore& store() { return *store_; }
  const RunStore& store() const { return *store_; }

  std::filesystem::path databasePath() const { return root_ / kDatabaseName; }
  std::filesystem::path runsDir() const { return root_ / kRunsDir; }
  std::filesystem::path exportsDir() const { return root_ / kExportsDir; }
  std::filesystem::path datasetsDir() const { return root_ / kDatasetsDir; }
  std::filesystem::path runDir(int64_t runId) const;
  std::filesystem::path configPath(int64_t runId) const { return runDir(runId) / "config.json"; }
  std::filesystem::path logPath(int64_t runId) const { return runDir(runId) / "train.log"; }
  std::filesystem::path eventsPath(int64_t runId) const { return runDir(runId) / "events.jsonl"; }
  std::filesystem::path checkpointsDir(int64_t runId) const { return runDir(runId) / "checkpoints"; }

  // Records the run, creates runs/<id>/ with checkpoints/, writes config.json
  // (run.configJson, atomically) and stores the folder in the record.
  // Returns the new run id.
  int64_t createRun(RunRecord run);

  // Removes the run from the store, then its folder, and nothing outside it:
  // the folder is runs/<id> computed from the id, checked to resolve inside
  // runs/, and symbolic links in it are removed, never followed. A run still
  // running (its process alive on this host, or on another host) is refused
  // with Error unless `force`. Returns false when there was no such run.
  bool deleteRun(int64_t runId, bool force = false);

 private:
  Workspace(std::filesystem::path root, std::unique_ptr<RunStore> store);

  std::filesystem::path root_;
  std::unique_ptr<RunStore> store_;
};

}  // namespace moon
