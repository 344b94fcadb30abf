#pragma once

// A prepared statement (RAII: finalised on destruction) with typed binding
// and column access. Parameters are 1-based, as in SQLite:
//
//   SqliteStatement st(db, "SELECT value FROM metrics WHERE run_id = ? AND key = ?");
//   st.bindAll(runId, key);
//   while (st.step()) use(st.columnDouble(0));

#include <cstdint>
#include <optional>
#include <string>

struct sqlite3_stmt;

namespace moon {

class SqliteConnection;

class SqliteStatement {
 public:
  SqliteStatement(SqliteConnection& db, const char* sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  void bind(int index, int64_t value);
  void bind(int index, int value) { bind(index, static_cast<int64_t>(value)); }
  void bind(int index, bool value) { bind(index, static_cast<int64_t>(value)); }
  void bind(int index, double value);  // NaN is stored as NULL by SQLite
  void bind(int index, const std::string& value);
  void bind(int index, const char* value) { bind(index, std::string(value)); }
  void bindNull(int index);
  template <class T>
  void bind(int index, const std::optional<T>& value) {
    if (value)
      bind(index, *value);
    else
      bindNull(index);
  }

  // Binds the arguments to parameters 1, 2, 3, ...
  template <class... Args>
  void bindAll(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
  }

  // True when a row is ready; false when the statement is done.
  bool step();
  // Steps a statement that returns no rows.
  void run();
  // Clears the result and bindings so the statement can be run again.
  void reset();

  bool isNull(int column) const;
  int64_t columnInt(int column) const;
  double columnDouble(int column) const;  // NULL reads as NaN
  std::string columnText(int column) const;
  std::optional<int64_t> columnOptionalInt(int column) const;
  std::optional<double> columnOptionalDouble(int column) const;

 private:
  SqliteConnection& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace moon
