#pragma once

// A thin RAII owner of one sqlite3 connection (SQLite C API). Every error
// message starts with the database file's path. SQLITE_BUSY / SQLITE_LOCKED
// surface as SqliteBusyError so that RunStore can retry the whole
// transaction instead of showing "database is locked" to the user.

#include <cstdint>
#include <string>

#include "core/base/Error.h"

struct sqlite3;

namespace moon {

class SqliteBusyError : public IoError {
 public:
  using IoError::IoError;
};

class SqliteConnection {
 public:
  // Opens read-write; creates the file only when `create` is set. Sets a
  // busy timeout and turns foreign keys on.
  SqliteConnection(std::string path, bool create);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Runs SQL without parameters (schema, pragmas, BEGIN/COMMIT). Never pass
  // values that came from outside: use SqliteStatement's bind() for those.
  void exec(const std::string& sql);

  int64_t lastInsertRowId() const;
  // Rows changed by the most recent INSERT/UPDATE/DELETE.
  int changes() const;

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

  // Throws SqliteBusyError for busy/locked codes, IoError otherwise:
  // "<path>: <what>: <sqlite message>".
  [[noreturn]] void fail(int rc, const std::string& what) const;

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace moon
