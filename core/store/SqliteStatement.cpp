#include "core/store/SqliteStatement.h"

#include <limits>

#include <sqlite3.h>

#include "core/store/SqliteConnection.h"

namespace moon {

SqliteStatement::SqliteStatement(SqliteConnection& db, const char* sql) : db_(db) {
  const int rc = sqlite3_prepare_v2(db_.handle(), sql, -1, &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    db_.fail(rc, "cannot prepare statement");
  }
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

void SqliteStatement::bind(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) db_.fail(rc, "cannot bind parameter " + std::to_string(index));
}

void SqliteStatement::bind(int index, double value) {
  const int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) db_.fail(rc, "cannot bind parameter " + std::to_string(index));
}

void SqliteStatement::bind(int index, const std::string& value) {
  const int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) db_.fail(rc, "cannot bind parameter " + std::to_string(index));
}

void SqliteStatement::bindNull(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) db_.fail(rc, "cannot bind parameter " + std::to_string(index));
}

bool SqliteStatement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(stmt_);  // leaves the statement reusable after an error
  db_.fail(rc, "query failed");
}

void SqliteStatement::run() {
  while (step()) {
  }
}

void SqliteStatement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool SqliteStatement::isNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

int64_t SqliteStatement::columnInt(int column) const { return sqlite3_column_int64(stmt_, column); }

double SqliteStatement::columnDouble(int column) const {
  return isNull(column) ? std::numeric_limits<double>::quiet_NaN() : sqlite3_column_double(stmt_, column);
}

std::string SqliteStatement::columnText(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (!text) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<int64_t> SqliteStatement::columnOptionalInt(int column) const {
  if (isNull(column)) return std::nullopt;
  return columnInt(column);
}

std::optional<double> SqliteStatement::columnOptionalDouble(int column) const {
  if (isNull(column)) return std::nullopt;
  return sqlite3_column_double(stmt_, column);
}

}  // namespace moon
