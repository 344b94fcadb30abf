#include "core/store/Workspace.h"

#include <system_error>

#include "core/base/AtomicFile.h"
#include "core/base/Error.h"
#include "core/base/Logging.h"

namespace fs = std::filesystem;

namespace moon {
namespace {

void makeFolder(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IoError(dir.string() + ": cannot create folder: " + ec.message());
  if (!fs::is_directory(dir)) throw IoError(dir.string() + ": exists and is not a folder");
}

// True when `child` is `parent` itself or lies below it (both canonical).
bool isInside(const fs::path& child, const fs::path& parent) {
  auto c = child.begin();
  for (auto p = parent.begin(); p != parent.end(); ++p, ++c)
    if (c == child.end() || *p != *c) return false;
  return true;
}

}  // namespace

Workspace::Workspace(fs::path root, std::unique_ptr<RunStore> store)
    : root_(std::move(root)), store_(std::move(store)) {}
Workspace::Workspace(Workspace&&) noexcept = default;
Workspace& Workspace::operator=(Workspace&&) noexcept = default;
Workspace::~Workspace() = default;

bool Workspace::exists(const std::string& dir) {
  std::error_code ec;
  return fs::is_regular_file(fs::path(dir) / kDatabaseName, ec);
}

Workspace Workspace::open(const std::string& dir, bool create) {
  if (dir.empty()) throw IoError("workspace folder name is empty");
  const fs::path root = fs::absolute(dir).lexically_normal();
  if (!create && !exists(root.string())) {
    std::error_code ec;
    if (!fs::exists(root, ec)) throw IoError(dir + ": no such workspace folder");
    throw IoError(dir + ": not a MOON workspace (no " + kDatabaseName + "); create one with `moon workspace init " +
                  dir + "`");
  }
  if (create) {
    makeFolder(root);
    makeFolder(root / kRunsDir);
    makeFolder(root / kExportsDir);
  }
  auto store = std::make_unique<RunStore>((root / kDatabaseName).string(), create);
  return Workspace(root, std::move(store));
}

fs::path Workspace::runDir(int64_t runId) const { return runsDir() / std::to_string(runId); }

int64_t Workspace::createRun(RunRecord run) {
  run.runDir.clear();
  const int64_t id = store_->createRun(run);
  try {
    makeFolder(checkpointsDir(id));
    writeFileAtomically(configPath(id).string(), run.configJson);
    store_->setRunDir(id, fs::path(kRunsDir) / std::to_string(id));
  } catch (...) {
    // No half-made run: forget the row (the folder may stay; it holds nothing of value).
    store_->deleteRun(id);
    throw;
  }
  return id;
}

bool Workspace::deleteRun(int64_t runId, bool force) {
  const auto run = store_->run(runId);
  if (!run) return false;
  if (run->status == RunStatus::Running && !force) {
    store_->markDeadRunsInterrupted();
    const auto now = store_->run(runId);
    if (now && now->status == RunStatus::Running)
      throw Error(store_->path() + ": run " + std::to_string(runId) + " is still running (pid " +
                  std::to_string(now->pid) + " on " + now->host + "); stop it before deleting it");
  }
  store_->deleteRun(runId);

  const fs::path dir = runDir(runId);
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(dir, ec))) return true;
  if (fs::is_symlink(fs::symlink_status(dir, ec))) {
    fs::remove(dir, ec);  // the link only, never what it points to
  } else {
    std::error_code runsError, dirError;
    const fs::path runs = fs::canonical(runsDir(), runsError);
    const fs::path resolved = fs::canonical(dir, dirError);
    if (runsError || dirError || !isInside(resolved, runs) || resolved == runs)
      throw IoError(dir.string() + ": refusing to delete a run folder that resolves outside " + runsDir().string());
    fs::remove_all(resolved, ec);
  }
  if (ec)
    throw IoError(dir.string() + ": run " + std::to_string(runId) +
                  " was deleted but its folder could not be: " + ec.message());
  log::core()->info("deleted run {} and {}", runId, dir.string());
  return true;
}

}  // namespace moon
