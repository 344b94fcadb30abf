#include "core/store/SqliteConnection.h"

#include <sqlite3.h>

namespace moon {
namespace {

// Each blocking wait inside SQLite; RunStore adds its own retry loop on top.
constexpr int kBusyTimeoutMs = 5000;

}  // namespace

SqliteConnection::SqliteConnection(std::string path, bool create) : path_(std::move(path)) {
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_FULLMUTEX;
  const int rc = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw IoError(path_ + ": cannot open database: " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  try {
    exec("PRAGMA foreign_keys = ON");
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

SqliteConnection::~SqliteConnection() {
  // Statements are finalised by their owners first; close_v2 copes if not.
  sqlite3_close_v2(db_);
}

void SqliteConnection::exec(const std::string& sql) {
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) fail(rc, sql.size() > 60 ? sql.substr(0, 60) + "..." : sql);
}

int64_t SqliteConnection::lastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

int SqliteConnection::changes() const { return sqlite3_changes(db_); }

void SqliteConnection::fail(int rc, const std::string& what) const {
  const std::string message = path_ + ": " + what + ": " + sqlite3_errmsg(db_);
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) throw SqliteBusyError(message);
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
    throw FormatError(message + " (not a MOON workspace database, or a damaged one)");
  throw IoError(message);
}

}  // namespace moon
