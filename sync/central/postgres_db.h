#pragma once
// Thin RAII over libpq for the central server's PostgreSQL storage: a connection that
// reconnects when the server went away, parameters bound as text (bytes as binary), results
// read as text, and a transaction that rolls back unless committed. Errors are StorageError
// starting with the operation and the database, never the password:
// "store batch in postgresql://central@db.example:5432/tutortime: could not …".
#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/common/bytes.h"

namespace tt::central {

class PgParams {
 public:
  PgParams& text(std::string_view value);
  PgParams& integer(std::int64_t value);
  PgParams& bytes(ByteView value);  // sent as binary: no escaping
  PgParams& null();

 private:
  friend class PgConnection;
  std::vector<std::string> values_;
  std::vector<bool> is_null_;
  std::vector<int> formats_;  // 0 text, 1 binary
};

class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result, PQclear) {}
  int rows() const { return PQntuples(result_.get()); }
  bool is_null(int row, int column) const { return PQgetisnull(result_.get(), row, column) == 1; }
  std::string text_at(int row, int column) const;
  std::int64_t int_at(int row, int column) const;
  std::optional<std::int64_t> optional_int_at(int row, int column) const;
  Bytes bytes_at(int row, int column) const;  // a bytea column, in text results
  std::int64_t affected_rows() const;         // INSERT/UPDATE/DELETE

 private:
  friend class PgConnection;
  std::unique_ptr<PGresult, void (*)(PGresult*)> result_;
};

class PgConnection {
 public:
  // Connects to `url` (a libpq connection URI). Throws StorageError.
  explicit PgConnection(const std::string& url);
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // "postgresql://user@host:port/database" (no password: for messages and logs).
  const std::string& name() const { return name_; }

  // Runs one statement with parameters ($1, $2, …). Throws StorageError on failure.
  PgResult exec(const std::string& operation, const char* sql, const PgParams& params = {});
  // Runs SQL that may hold several statements and takes no parameters (migrations).
  void exec_script(const std::string& operation, const char* sql);
  // Reconnects if the connection was lost (a server restart); called before each operation.
  void ensure_connected(const std::string& operation);

 private:
  [[noreturn]] void fail(const std::string& operation, const char* reason) const;

  std::unique_ptr<PGconn, void (*)(PGconn*)> connection_;
  std::string name_;
};

class PgTransaction {
 public:
  PgTransaction(PgConnection& connection, std::string operation);
  ~PgTransaction();
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  void commit();

 private:
  PgConnection& connection_;
  std::string operation_;
  bool done_ = false;
};

}  // namespace tt::central
