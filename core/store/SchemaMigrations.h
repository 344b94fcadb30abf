#pragma once

// The run store's schema history. The database records its version in
// PRAGMA user_version; opening it applies, in one transaction, every
// migration newer than that. Migrations are append-only: never edit a
// released one, add the next version instead (tests/core pin version 1).

#include <vector>

namespace moon {

class SqliteConnection;

struct SchemaMigration {
  int version;              // the schema version after this step
  const char* description;  // for the log
  const char* sql;          // one or more statements
};

// Ordered by version, starting at 1, without gaps.
const std::vector<SchemaMigration>& schemaMigrations();
int latestSchemaVersion();

// Brings `db` up to the latest version inside the caller's write transaction.
// Throws IoError naming the file when the database is newer than this program.
// Returns the version found before migrating (0 for a new database).
int migrateSchema(SqliteConnection& db);

}  // namespace moon
