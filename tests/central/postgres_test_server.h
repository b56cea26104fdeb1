#pragma once
// The PostgreSQL server the tests may use: $TUTORTIME_TEST_POSTGRESQL_URL (a libpq URI of a
// server where the test may create databases), else the private one CTest starts
// (postgres_cluster.sh, its URI in TUTORTIME_TEST_POSTGRESQL_DIR/url). Each test gets a new,
// empty database of its own.
#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>

#include "shared/crypto/random.h"

namespace tt::central::testing {

// The admin URI, or nullopt with the reason in `why`.
inline std::optional<std::string> postgres_admin_url(std::string& why) {
  if (const char* url = std::getenv("TUTORTIME_TEST_POSTGRESQL_URL"); url != nullptr && *url != '\0') return url;
  std::filesystem::path file = std::filesystem::path(TUTORTIME_TEST_POSTGRESQL_DIR) / "url";
  std::ifstream in(file);
  std::string url;
  if (!std::getline(in, url) || url.empty()) {
    why =
        "no PostgreSQL to test against: run through ctest (which starts one with tests/central/postgres_cluster.sh "
        "when PostgreSQL's server is installed), or set TUTORTIME_TEST_POSTGRESQL_URL";
    return std::nullopt;
  }
  return url;
}

// `admin_url` with its database replaced by `database`, as a URI open_storage() takes.
inline std::string with_database(const std::string& admin_url, const std::string& database) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(admin_url.c_str(), &error);
  if (options == nullptr) {
    std::string message = error != nullptr ? error : "cannot parse";
    PQfreemem(error);
    throw std::runtime_error("TUTORTIME_TEST_POSTGRESQL_URL: " + message);
  }
  std::string query;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || std::string(o->keyword) == "dbname") continue;
    query += (query.empty() ? "?" : "&") + std::string(o->keyword) + "=" + o->val;
  }
  PQconninfoFree(options);
  return "postgresql:///" + database + query;
}

// A new empty database; returns its URI.
inline std::string create_test_database(const std::string& admin_url) {
  std::string database = "tt_" + crypto::random_id128().substr(0, 16);
  PGconn* admin = PQconnectdb(admin_url.c_str());
  if (PQstatus(admin) != CONNECTION_OK) {
    std::string message = PQerrorMessage(admin);
    PQfinish(admin);
    throw std::runtime_error("connect to the test PostgreSQL: " + message);
  }
  PGresult* result = PQexec(admin, ("CREATE DATABASE " + database).c_str());
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  std::string message = PQerrorMessage(admin);
  PQclear(result);
  PQfinish(admin);
  if (!ok) throw std::runtime_error("create a test database: " + message);
  return with_database(admin_url, database);
}

}  // namespace tt::central::testing
