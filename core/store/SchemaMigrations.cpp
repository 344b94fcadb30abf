#include "core/store/SchemaMigrations.h"

#include <string>

#include "core/base/Logging.h"
#include "core/store/SqliteConnection.h"
#include "core/store/SqliteStatement.h"

namespace moon {
namespace {

// Version 1: the first release. metric values are nullable because SQLite
// stores NaN as NULL, and a diverged loss must still be recorded.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  preset TEXT NOT NULL DEFAULT '',
  config_json TEXT NOT NULL DEFAULT '{}',
  created_at REAL NOT NULL,
  started_at REAL,
  finished_at REAL,
  host TEXT NOT NULL DEFAULT '',
  device TEXT NOT NULL DEFAULT '',
  run_dir TEXT NOT NULL DEFAULT '',
  steps_done INTEGER NOT NULL DEFAULT 0,
  steps_total INTEGER NOT NULL DEFAULT 0,
  best_metric_name TEXT NOT NULL DEFAULT '',
  best_metric REAL,
  message TEXT NOT NULL DEFAULT ''
);
CREATE TABLE metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  key TEXT NOT NULL,
  value REAL,
  wall_time REAL NOT NULL
);
CREATE INDEX metrics_run ON metrics(run_id);
CREATE TABLE checkpoints (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  path TEXT NOT NULL,
  metric REAL,
  is_best INTEGER NOT NULL DEFAULT 0,
  created_at REAL NOT NULL,
  UNIQUE (run_id, step)
);
CREATE TABLE evaluations (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  checkpoint_step INTEGER,
  split TEXT NOT NULL,
  results_json TEXT NOT NULL,
  created_at REAL NOT NULL
);
CREATE INDEX evaluations_run ON evaluations(run_id);
)sql";

// Version 2: liveness (heartbeat, pid) so a killed run can be told from a
// running one; one value per (run, key, step) so a resumed run that re-logs
// steps replaces them, and the index that makes incremental reads cheap.
constexpr const char* kVersion2 = R"sql(
ALTER TABLE runs ADD COLUMN heartbeat_at REAL;
ALTER TABLE runs ADD COLUMN pid INTEGER NOT NULL DEFAULT 0;
DELETE FROM metrics WHERE rowid NOT IN (SELECT MAX(rowid) FROM metrics GROUP BY run_id, key, step);
DROP INDEX metrics_run;
CREATE UNIQUE INDEX metrics_run_key_step ON metrics(run_id, key, step);
CREATE INDEX runs_status ON runs(status);
)sql";

// Version 3: what the trainer saw at each validation step besides scalars
// (issue #14): a few queries' sampled trace groups with their rewards and
// advantages, and cosine histograms; one JSON document per (run, step).
constexpr const char* kVersion3 = R"sql(
CREATE TABLE validation_samples (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  samples_json TEXT NOT NULL,
  created_at REAL NOT NULL,
  UNIQUE (run_id, step)
);
)sql";

int userVersion(SqliteConnection& db) {
  SqliteStatement st(db, "PRAGMA user_version");
  return st.step() ? static_cast<int>(st.columnInt(0)) : 0;
}

}  // namespace

const std::vector<SchemaMigration>& schemaMigrations() {
  static const std::vector<SchemaMigration> migrations{
      {1, "runs, metrics, checkpoints, evaluations", kVersion1},
      {2, "run heartbeat and pid; unique metric steps", kVersion2},
      {3, "validation samples (trace groups, cosine histograms)", kVersion3},
  };
  return migrations;
}

int latestSchemaVersion() { return schemaMigrations().back().version; }

int migrateSchema(SqliteConnection& db) {
  const int found = userVersion(db);
  if (found > latestSchemaVersion())
    throw IoError(db.path() + ": the workspace database has schema version " + std::to_string(found) +
                  ", newer than this program understands (" + std::to_string(latestSchemaVersion()) +
                  "); use a newer moon");
  for (const auto& m : schemaMigrations()) {
    if (m.version <= found) continue;
    if (found > 0)
      log::core()->info("{}: migrating run store to schema version {} ({})", db.path(), m.version, m.description);
    db.exec(m.sql);
  }
  // user_version takes no bound parameters; the value is our own integer.
  if (found != latestSchemaVersion()) db.exec("PRAGMA user_version = " + std::to_string(latestSchemaVersion()));
  return found;
}

}  // namespace moon
