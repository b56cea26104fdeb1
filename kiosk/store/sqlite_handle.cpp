#include "kiosk/store/sqlite_handle.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tt::kiosk::store {
namespace {

bool directory_writable(const std::filesystem::path& file) {
  std::filesystem::path dir = file.parent_path();
  return ::faccessat(AT_FDCWD, dir.empty() ? "." : dir.c_str(), W_OK, AT_EACCESS) == 0;
}

}  // namespace

StoreErrorKind kind_for_errno(int error_number) {
  switch (error_number) {
    case ENOSPC:
    case EDQUOT: return StoreErrorKind::DiskFull;
    case EACCES:
    case EPERM:
    case EROFS: return StoreErrorKind::ReadOnly;
    default: return StoreErrorKind::Io;
  }
}

bool is_corruption(int rc) {
  int primary = rc & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

StoreErrorKind kind_for_sqlite(int rc, int system_errno, const std::filesystem::path& file) {
  switch (rc & 0xff) {
    case SQLITE_FULL: return StoreErrorKind::DiskFull;
    case SQLITE_READONLY:
    case SQLITE_PERM: return StoreErrorKind::ReadOnly;
    case SQLITE_CANTOPEN:
      if (kind_for_errno(system_errno) == StoreErrorKind::ReadOnly || !directory_writable(file)) {
        return StoreErrorKind::ReadOnly;
      }
      return StoreErrorKind::Io;
    case SQLITE_IOERR: return kind_for_errno(system_errno);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return StoreErrorKind::Corrupt;
    default: return StoreErrorKind::Io;
  }
}

void Op::fail(int rc) const {
  int system_errno = db != nullptr ? sqlite3_system_errno(db) : 0;
  std::string reason = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  int primary = rc & 0xff;
  if ((primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_FULL) && system_errno != 0) {
    reason += std::string(" (") + std::strerror(system_errno) + ")";
  }
  throw StoreError(kind_for_sqlite(rc, system_errno, file), prefix + ": " + reason);
}

void Op::fail(StoreErrorKind kind, const std::string& reason) const {
  throw StoreError(kind, prefix + ": " + reason);
}

void exec(const Op& op, const char* sql) {
  int rc = sqlite3_exec(op.db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) op.fail(rc);
}

StatementCache::~StatementCache() {
  for (auto& [sql, statement] : idle_) sqlite3_finalize(statement);
}

sqlite3_stmt* StatementCache::take(std::string_view sql, int& rc) {
  auto it = idle_.find(std::string(sql));
  if (it != idle_.end()) {
    sqlite3_stmt* statement = it->second;
    idle_.erase(it);
    rc = SQLITE_OK;
    return statement;
  }
  sqlite3_stmt* statement = nullptr;
  rc =
      sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(statement);
    return nullptr;
  }
  return statement;
}

void StatementCache::give_back(std::string sql, sqlite3_stmt* statement) {
  sqlite3_reset(statement);
  sqlite3_clear_bindings(statement);
  auto [it, inserted] = idle_.emplace(std::move(sql), statement);
  if (!inserted) sqlite3_finalize(statement);  // a second copy from a nested use
}

Statement::Statement(const Op& op, std::string_view sql) : op_(op) {
  int rc = SQLITE_OK;
  if (op_.statements != nullptr) {
    stmt_ = op_.statements->take(sql, rc);
    if (stmt_ != nullptr) sql_ = std::string(sql);
  } else {
    rc = sqlite3_prepare_v2(op_.db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  }
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    op_.fail(rc);
  }
}

Statement::~Statement() {
  if (stmt_ != nullptr && op_.statements != nullptr) {
    op_.statements->give_back(std::move(sql_), stmt_);
  } else {
    sqlite3_finalize(stmt_);
  }
}

Statement& Statement::bind_int(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) op_.fail(rc);
  return *this;
}

Statement& Statement::bind_text(int index, std::string_view value) {
  int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) op_.fail(rc);
  return *this;
}

Statement& Statement::bind_blob(int index, ByteView value) {
  // A zero-length blob must still be a blob, not NULL: pass a non-null pointer.
  static const std::uint8_t empty = 0;
  const void* data = value.empty() ? &empty : value.data();
  int rc = sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) op_.fail(rc);
  return *this;
}

Statement& Statement::bind_null(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) op_.fail(rc);
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  op_.fail(rc);
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::column_text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text), size);
}

Bytes Statement::column_blob(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  int size = sqlite3_column_bytes(stmt_, column);
  return data == nullptr ? Bytes() : Bytes(data, data + size);
}

Transaction::Transaction(const Op& op) : op_(op) {
  Statement(op_, "BEGIN IMMEDIATE").run();
}

Transaction::~Transaction() {
  // After some errors (SQLITE_FULL, SQLITE_IOERR) SQLite has already rolled back by itself.
  if (!done_ && sqlite3_get_autocommit(op_.db) == 0) {
    sqlite3_exec(op_.db, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::commit() {
  Statement(op_, "COMMIT").run();
  done_ = true;
}

}  // namespace tt::kiosk::store
