#include "sync/central/postgres_db.h"

#include "sync/central/storage.h"

namespace tt::central {

namespace {

// libpq's messages end with a newline; a log line must not.
std::string one_line(const char* message) {
  std::string out = message != nullptr ? message : "unknown error";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  for (char& c : out) {
    if (c == '\n') c = ' ';
  }
  return out;
}

std::string describe(PGconn* connection) {
  std::string host = PQhost(connection) != nullptr ? PQhost(connection) : "";
  if (!host.empty() && host.front() == '/') host = "[" + host + "]";  // a Unix socket directory
  return std::string("postgresql://") + PQuser(connection) + "@" + host + ":" + PQport(connection) + "/" +
         PQdb(connection);
}

}  // namespace

PgParams& PgParams::text(std::string_view value) {
  values_.emplace_back(value);
  is_null_.push_back(false);
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::integer(std::int64_t value) {
  return text(std::to_string(value));
}

PgParams& PgParams::bytes(ByteView value) {
  values_.emplace_back(reinterpret_cast<const char*>(value.data()), value.size());
  is_null_.push_back(false);
  formats_.push_back(1);
  return *this;
}

PgParams& PgParams::null() {
  values_.emplace_back();
  is_null_.push_back(true);
  formats_.push_back(0);
  return *this;
}

std::string PgResult::text_at(int row, int column) const {
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::int64_t PgResult::int_at(int row, int column) const {
  return std::stoll(text_at(row, column));
}

std::optional<std::int64_t> PgResult::optional_int_at(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return int_at(row, column);
}

Bytes PgResult::bytes_at(int row, int column) const {
  std::size_t length = 0;
  unsigned char* raw =
      PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row, column)), &length);
  if (raw == nullptr) throw StorageError("read a bytea column: out of memory");
  Bytes out(raw, raw + length);
  PQfreemem(raw);
  return out;
}

std::int64_t PgResult::affected_rows() const {
  const char* count = PQcmdTuples(result_.get());
  return count == nullptr || *count == '\0' ? 0 : std::stoll(count);
}

PgConnection::PgConnection(const std::string& url) : connection_(PQconnectdb(url.c_str()), PQfinish) {
  if (!connection_) throw StorageError("open postgresql://…: out of memory");
  if (PQstatus(connection_.get()) != CONNECTION_OK) {
    // The message names the host and user, never the password.
    throw StorageError("open postgresql://…: " + one_line(PQerrorMessage(connection_.get())));
  }
  name_ = describe(connection_.get());
  // Warnings such as "there is already a transaction in progress" are not for our log.
  PgResult quiet(PQexec(connection_.get(), "SET client_min_messages = error"));
}

void PgConnection::fail(const std::string& operation, const char* reason) const {
  throw StorageError(operation + " in " + name_ + ": " + one_line(reason));
}

void PgConnection::ensure_connected(const std::string& operation) {
  if (PQstatus(connection_.get()) == CONNECTION_OK) return;
  PQreset(connection_.get());
  if (PQstatus(connection_.get()) != CONNECTION_OK) fail(operation, PQerrorMessage(connection_.get()));
}

PgResult PgConnection::exec(const std::string& operation, const char* sql, const PgParams& params) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  for (std::size_t i = 0; i < params.values_.size(); ++i) {
    values.push_back(params.is_null_[i] ? nullptr : params.values_[i].data());
    lengths.push_back(static_cast<int>(params.values_[i].size()));
  }
  PgResult result(PQexecParams(connection_.get(), sql, static_cast<int>(values.size()), nullptr, values.data(),
                               lengths.data(), params.formats_.data(), 0));
  ExecStatusType status = PQresultStatus(result.result_.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    fail(operation, PQerrorMessage(connection_.get()));
  }
  return result;
}

void PgConnection::exec_script(const std::string& operation, const char* sql) {
  PgResult result(PQexec(connection_.get(), sql));
  ExecStatusType status = PQresultStatus(result.result_.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(operation, PQerrorMessage(connection_.get()));
}

PgTransaction::PgTransaction(PgConnection& connection, std::string operation)
    : connection_(connection), operation_(std::move(operation)) {
  connection_.ensure_connected(operation_);
  connection_.exec(operation_, "BEGIN");
}

PgTransaction::~PgTransaction() {
  if (done_) return;
  try {
    connection_.exec(operation_, "ROLLBACK");
  } catch (const std::exception&) {
    // A lost connection has rolled back by itself.
  }
}

void PgTransaction::commit() {
  connection_.exec(operation_, "COMMIT");
  done_ = true;
}

}  // namespace tt::central
