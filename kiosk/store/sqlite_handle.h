#pragma once
// Thin RAII over the SQLite C API for the kiosk store: a prepared statement that finalizes
// itself, a BEGIN IMMEDIATE transaction that rolls back unless committed, and the mapping from
// SQLite result codes to StoreErrorKind. Every error message starts with the operation and the
// file ("save draft 4 in /var/lib/tutortime/kiosk.db: database or disk is full").
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>

#include "kiosk/store/kiosk_store.h"
#include "shared/common/bytes.h"

namespace tt::kiosk::store {

class StatementCache;

// The operation in progress: which connection, what to call it in messages, and the file.
struct Op {
  sqlite3* db = nullptr;
  std::string prefix;  // e.g. "save draft 4 in /var/lib/tutortime/kiosk.db"
  std::filesystem::path file;
  StatementCache* statements = nullptr;  // the connection's prepared statements, when it keeps them

  // Throws StoreError for SQLite result code `rc` on `db`, naming this operation.
  [[noreturn]] void fail(int rc) const;
  [[noreturn]] void fail(StoreErrorKind kind, const std::string& reason) const;
};

// Maps a SQLite result code (primary or extended) and the OS errno it recorded to a kind.
StoreErrorKind kind_for_sqlite(int rc, int system_errno, const std::filesystem::path& file);
// Maps an OS errno (from open(2), rename(2), …) to a kind.
StoreErrorKind kind_for_errno(int error_number);
bool is_corruption(int rc);

// Runs SQL that returns no rows (may contain several statements).
void exec(const Op& op, const char* sql);

// Prepared statements kept for the life of a connection. Every answer a pupil gives runs the
// same four statements (BEGIN, SELECT, UPDATE, COMMIT); preparing them each time was a
// measurable share of a save (docs/benchmarks.md). Statements are keyed by their SQL text; one
// in use is taken out, so a nested use of the same SQL simply prepares a second one.
class StatementCache {
 public:
  explicit StatementCache(sqlite3* db) : db_(db) {}
  ~StatementCache();
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // A reset statement for `sql`, or nullptr with the SQLite result code in `rc`.
  sqlite3_stmt* take(std::string_view sql, int& rc);
  // Resets the statement, clears its bindings and keeps it for the next take().
  void give_back(std::string sql, sqlite3_stmt* statement);

 private:
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> idle_;
};

class Statement {
 public:
  Statement(const Op& op, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based; values are copied (SQLITE_TRANSIENT), so temporaries are safe.
  Statement& bind_int(int index, std::int64_t value);
  Statement& bind_text(int index, std::string_view value);
  Statement& bind_blob(int index, ByteView value);
  Statement& bind_null(int index);

  bool step();  // true: a row is ready; false: done. Throws StoreError on failure.
  void run();   // steps a statement that returns no rows
  void reset();

  // Columns are 0-based.
  bool is_null(int column) const;
  std::int64_t column_int(int column) const;
  std::string column_text(int column) const;
  Bytes column_blob(int column) const;

 private:
  Op op_;  // a copy, so a temporary Op is safe to pass
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;  // kept only when the statement goes back to op_.statements
};

// BEGIN IMMEDIATE (takes the write lock now, waiting up to busy_timeout, so the transaction
// cannot fail later with SQLITE_BUSY on upgrade). Rolls back in the destructor unless commit()
// succeeded; a failed write therefore leaves the previous committed state intact.
class Transaction {
 public:
  explicit Transaction(const Op& op);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Op op_;
  bool done_ = false;
};

}  // namespace tt::kiosk::store
