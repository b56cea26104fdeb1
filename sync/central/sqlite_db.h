#pragma once
// Thin RAII over the SQLite C API for the central server's storage: a connection with the
// server's settings, a prepared statement that finalizes itself, and a BEGIN IMMEDIATE
// transaction that rolls back unless committed. Errors are StorageError starting with the
// operation and the database: "store batch in sqlite:/srv/central.db: database or disk is full".
// (The kiosk store has its own, which maps errors to the kiosk's StoreErrorKind.)
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "shared/common/bytes.h"

namespace tt::central {

class SqliteConnection {
 public:
  // Opens (creating it with mode 0600 if missing) and sets journal_mode=WAL, synchronous=FULL
  // (a commit is on disk before it returns: a kiosk forgets a response on our word),
  // foreign_keys=ON, busy_timeout=5000, temp_store=MEMORY.
  explicit SqliteConnection(const std::filesystem::path& file);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  sqlite3* handle() const { return db_; }
  const std::string& name() const { return name_; }  // "sqlite:/path"

  [[noreturn]] void fail(const std::string& operation, int rc) const;
  void exec(const std::string& operation, const char* sql);
  std::int64_t changes() const { return sqlite3_changes64(db_); }

 private:
  sqlite3* db_ = nullptr;
  std::string name_;
};

class SqliteStatement {
 public:
  SqliteStatement(SqliteConnection& connection, std::string operation, std::string_view sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Parameters are 1-based; values are copied (SQLITE_TRANSIENT).
  SqliteStatement& bind(int index, std::int64_t value);
  SqliteStatement& bind(int index, std::string_view value);
  SqliteStatement& bind(int index, ByteView value);
  SqliteStatement& bind_null(int index);

  bool step();   // true: a row is ready; false: done
  void run();    // for statements that return no rows
  void reset();  // for the next use: rewinds and clears the bindings

  // Columns are 0-based.
  bool is_null(int column) const;
  std::int64_t int_at(int column) const;
  std::string text_at(int column) const;
  Bytes blob_at(int column) const;

 private:
  void check(int rc) const;

  SqliteConnection& connection_;
  std::string operation_;
  sqlite3_stmt* statement_ = nullptr;
};

class SqliteTransaction {
 public:
  SqliteTransaction(SqliteConnection& connection, std::string operation);
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  void commit();

 private:
  SqliteConnection& connection_;
  std::string operation_;
  bool done_ = false;
};

}  // namespace tt::central
