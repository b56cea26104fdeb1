#pragma once
// The floor the server's ingest rate is measured against: the same rows, in the same batches,
// inserted straight into the same kind of database with the server's own schema (its
// migrations), one transaction per batch, on one connection as the server uses — no HTTP, no
// TLS, no JSON, no signature, no duplicate check. SQLite: a file with WAL and synchronous=FULL,
// as the server opens it; PostgreSQL: libpq, on the same server the benchmark's central uses.
// With `remember_nonce`, each batch's transaction also makes the server's other writes: the
// replay check's request_nonces row and the device's last_seen, so the same writes and the
// same one durable commit per batch as the server — what is left between the two is HTTP, TLS,
// JSON, signatures and the server's own work.
#include <libpq-fe.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "shared/common/error.h"
#include "shared/protocol/batch.h"
#include "shared/protocol/digest.h"
#include "sync/central/migrations.h"

namespace tt::bench {

struct BareRow {
  const protocol::SealedUpload* upload;
  std::string sha256;
};
using BareBatch = std::vector<BareRow>;

inline std::vector<BareBatch> bare_batches_of(const std::vector<std::vector<protocol::SealedUpload>>& batches) {
  std::vector<BareBatch> out;
  for (const auto& batch : batches) {
    BareBatch rows;
    for (const auto& upload : batch) rows.push_back({&upload, protocol::sha256_hex(upload.sealed)});
    out.push_back(std::move(rows));
  }
  return out;
}

inline std::int64_t bare_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Seconds to insert every batch into a new SQLite file at `file`.
inline double bare_sqlite_insert(const std::filesystem::path& file, const std::vector<BareBatch>& batches,
                                 bool remember_nonce = false) {
  sqlite3* db = nullptr;
  if (sqlite3_open(file.c_str(), &db) != SQLITE_OK) throw Error("bench: open " + file.string());
  auto exec = [&](const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message != nullptr ? message : "?";
      sqlite3_free(message);
      throw Error("bench: sqlite: " + text);
    }
  };
  exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY");
  for (const auto& migration : central::migrations()) exec(migration.sqlite_sql);
  exec(
      "INSERT INTO devices (device_id, public_key, school, app_version, enrolled_at) "
      "VALUES ('00000000000000000000000000000000', x'00', 'Hillside Academy', '0.1.0', 0)");
  sqlite3_stmt* nonce = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO request_nonces (device_id, nonce, expires_at) VALUES (?, ?, ?)", -1, &nonce,
                     nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO responses (response_id, received_seq, survey_id, survey_version, finished_at, "
                     "sealed, sha256, device_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)",
                     -1, &insert, nullptr);
  std::int64_t seq = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (const BareBatch& batch : batches) {
    std::int64_t now = bare_now();
    exec("BEGIN IMMEDIATE");
    if (remember_nonce) {
      std::string id = batch.front().upload->response_id;  // unique, as a nonce is
      sqlite3_bind_text(nonce, 1, "00000000000000000000000000000000", -1, SQLITE_STATIC);
      sqlite3_bind_text(nonce, 2, id.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_int64(nonce, 3, now + 300);
      if (sqlite3_step(nonce) != SQLITE_DONE) throw Error(std::string("bench: nonce: ") + sqlite3_errmsg(db));
      sqlite3_reset(nonce);
      exec(("UPDATE devices SET last_seen = " + std::to_string(now)).c_str());
    }
    for (const BareRow& row : batch) {
      const auto& u = *row.upload;
      sqlite3_bind_text(insert, 1, u.response_id.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_int64(insert, 2, ++seq);
      sqlite3_bind_text(insert, 3, u.survey_id.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_int64(insert, 4, u.survey_version);
      sqlite3_bind_text(insert, 5, u.finished_at.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_blob(insert, 6, u.sealed.data(), static_cast<int>(u.sealed.size()), SQLITE_STATIC);
      sqlite3_bind_text(insert, 7, row.sha256.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_int64(insert, 8, now);
      if (sqlite3_step(insert) != SQLITE_DONE) throw Error(std::string("bench: insert: ") + sqlite3_errmsg(db));
      sqlite3_reset(insert);
    }
    exec("COMMIT");
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  sqlite3_finalize(insert);
  sqlite3_finalize(nonce);
  sqlite3_close(db);
  return seconds;
}

class PgSession {
 public:
  explicit PgSession(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) throw Error(std::string("bench: PostgreSQL: ") + PQerrorMessage(conn_));
  }
  ~PgSession() { PQfinish(conn_); }
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  void exec(const std::string& sql) { check(PQexec(conn_, sql.c_str()), sql); }
  PGconn* get() { return conn_; }
  void check(PGresult* result, const std::string& what) {
    ExecStatusType status = PQresultStatus(result);
    PQclear(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      throw Error("bench: PostgreSQL " + what.substr(0, 40) + ": " + PQerrorMessage(conn_));
  }

 private:
  PGconn* conn_;
};

// The URI of database `name` on the server whose Unix socket is in `socket_dir`.
inline std::string postgres_url(const std::filesystem::path& socket_dir, const std::string& name) {
  return "postgresql:///" + name + "?host=" + socket_dir.string() + "&user=postgres";
}

// A new empty database on that server; returns its name.
inline std::string create_postgres_database(const std::filesystem::path& socket_dir, const std::string& name) {
  PgSession admin(postgres_url(socket_dir, "postgres"));
  admin.exec("CREATE DATABASE " + name);
  return name;
}

// Seconds to insert every batch into database `url` (new, empty).
inline double bare_postgres_insert(const std::string& url, const std::vector<BareBatch>& batches,
                                   bool remember_nonce = false) {
  PgSession db(url);
  for (const auto& migration : central::migrations()) db.exec(migration.postgresql_sql);
  db.exec(
      "INSERT INTO devices (device_id, public_key, school, app_version, enrolled_at) "
      "VALUES ('00000000000000000000000000000000', '\\x00', 'Hillside Academy', '0.1.0', 0)");
  std::int64_t seq = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (const BareBatch& batch : batches) {
    std::string now = std::to_string(bare_now());
    db.exec("BEGIN");
    if (remember_nonce) {
      db.exec(
          "INSERT INTO request_nonces (device_id, nonce, expires_at) VALUES "
          "('00000000000000000000000000000000', '" +
          batch.front().upload->response_id + "', " + now + ")");
      db.exec("UPDATE devices SET last_seen = " + now);
    }
    // The batch's rows in one multi-row INSERT, the fewest round trips plain SQL allows.
    std::string sql =
        "INSERT INTO responses (response_id, received_seq, survey_id, survey_version, finished_at, sealed, sha256, "
        "device_id, received_at) VALUES ";
    std::vector<std::string> texts;  // the parameters' text; reserved, so never moved under `values`
    texts.reserve(batch.size() * 2);
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
    for (const BareRow& row : batch) {
      const auto& u = *row.upload;
      sql += values.empty() ? "(" : ", (";
      for (int c = 1; c <= 8; ++c) {
        sql += (c > 1 ? ", $" : "$") + std::to_string(values.size() + static_cast<std::size_t>(c));
        if (c == 7) sql += ", NULL";  // device_id
      }
      sql += ')';
      texts.push_back(std::to_string(++seq));
      texts.push_back(std::to_string(u.survey_version));
      const std::string& seq_text = texts[texts.size() - 2];
      const std::string& version = texts.back();
      const char* row_values[8] = {u.response_id.c_str(), seq_text.c_str(),
                                   u.survey_id.c_str(),   version.c_str(),
                                   u.finished_at.c_str(), reinterpret_cast<const char*>(u.sealed.data()),
                                   row.sha256.c_str(),    now.c_str()};
      for (int c = 0; c < 8; ++c) {
        values.push_back(row_values[c]);
        lengths.push_back(c == 5 ? static_cast<int>(u.sealed.size()) : 0);
        formats.push_back(c == 5 ? 1 : 0);  // the blob in binary
      }
    }
    db.check(PQexecParams(db.get(), sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                          lengths.data(), formats.data(), 0),
             "insert");
    db.exec("COMMIT");
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace tt::bench
