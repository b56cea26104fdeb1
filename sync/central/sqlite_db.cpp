#include "sync/central/sqlite_db.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sync/central/storage.h"

namespace tt::central {

namespace {

// SQLite creates a new database with the process umask; create it first so it is 0600 from the
// start (its -wal and -shm files then take the same mode).
void create_private_file(const std::filesystem::path& file) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
  } else if (errno != EEXIST) {
    throw StorageError("open sqlite:" + file.string() + ": cannot create it: " + std::strerror(errno));
  }
}

}  // namespace

SqliteConnection::SqliteConnection(const std::filesystem::path& file) : name_("sqlite:" + file.string()) {
  create_private_file(file);
  int rc = sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string reason = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw StorageError("open " + name_ + ": " + reason);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, 5000);
  try {
    exec("open", "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY");
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

SqliteConnection::~SqliteConnection() {
  sqlite3_close(db_);
}

void SqliteConnection::fail(const std::string& operation, int rc) const {
  std::string reason = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  throw StorageError(operation + " in " + name_ + ": " + reason);
}

void SqliteConnection::exec(const std::string& operation, const char* sql) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) fail(operation, rc);
}

SqliteStatement::SqliteStatement(SqliteConnection& connection, std::string operation, std::string_view sql)
    : connection_(connection), operation_(std::move(operation)) {
  int rc = sqlite3_prepare_v2(connection_.handle(), sql.data(), static_cast<int>(sql.size()), &statement_, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(statement_);
    statement_ = nullptr;
    connection_.fail(operation_, rc);
  }
}

SqliteStatement::~SqliteStatement() {
  sqlite3_finalize(statement_);
}

void SqliteStatement::check(int rc) const {
  if (rc != SQLITE_OK) connection_.fail(operation_, rc);
}

SqliteStatement& SqliteStatement::bind(int index, std::int64_t value) {
  check(sqlite3_bind_int64(statement_, index, value));
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::string_view value) {
  check(sqlite3_bind_text64(statement_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, ByteView value) {
  static const std::uint8_t empty = 0;  // a zero-length blob is still a blob, not NULL
  check(sqlite3_bind_blob64(statement_, index, value.empty() ? &empty : value.data(), value.size(), SQLITE_TRANSIENT));
  return *this;
}

SqliteStatement& SqliteStatement::bind_null(int index) {
  check(sqlite3_bind_null(statement_, index));
  return *this;
}

bool SqliteStatement::step() {
  int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  connection_.fail(operation_, rc);
}

void SqliteStatement::run() {
  while (step()) {
  }
}

void SqliteStatement::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

bool SqliteStatement::is_null(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::int64_t SqliteStatement::int_at(int column) const {
  return sqlite3_column_int64(statement_, column);
}

std::string SqliteStatement::text_at(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_, column);
  int size = sqlite3_column_bytes(statement_, column);
  return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text), size);
}

Bytes SqliteStatement::blob_at(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(statement_, column));
  int size = sqlite3_column_bytes(statement_, column);
  return data == nullptr ? Bytes() : Bytes(data, data + size);
}

SqliteTransaction::SqliteTransaction(SqliteConnection& connection, std::string operation)
    : connection_(connection), operation_(std::move(operation)) {
  // IMMEDIATE takes the write lock now (waiting up to busy_timeout), so the transaction cannot
  // fail later on the upgrade from reader to writer.
  connection_.exec(operation_, "BEGIN IMMEDIATE");
}

SqliteTransaction::~SqliteTransaction() {
  // After some errors (SQLITE_FULL, SQLITE_IOERR) SQLite has rolled back by itself already.
  if (!done_ && sqlite3_get_autocommit(connection_.handle()) == 0) {
    sqlite3_exec(connection_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void SqliteTransaction::commit() {
  connection_.exec(operation_, "COMMIT");
  done_ = true;
}

}  // namespace tt::central
