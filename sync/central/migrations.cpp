#include "sync/central/migrations.h"

namespace tt::central {
namespace {

constexpr const char* kV1Sqlite = R"sql(
CREATE TABLE enrol_tokens (
  token_hash TEXT PRIMARY KEY,
  school TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  used_by_device TEXT
);
CREATE TABLE devices (
  device_id TEXT PRIMARY KEY,
  public_key BLOB NOT NULL,
  school TEXT NOT NULL,
  app_version TEXT NOT NULL,
  enrolled_at INTEGER NOT NULL,
  revoked_at INTEGER,
  last_seen INTEGER,
  last_heartbeat TEXT,
  last_heartbeat_at INTEGER
);
CREATE TABLE request_nonces (
  device_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (device_id, nonce)
);
CREATE INDEX request_nonces_by_expiry ON request_nonces (expires_at);
CREATE TABLE responses (
  response_id TEXT PRIMARY KEY,
  received_seq INTEGER NOT NULL UNIQUE,
  survey_id TEXT NOT NULL,
  survey_version INTEGER NOT NULL,
  finished_at TEXT NOT NULL,
  sealed BLOB NOT NULL,
  sha256 TEXT NOT NULL,
  device_id TEXT,
  received_at INTEGER NOT NULL
);
)sql";

// The same tables in PostgreSQL's types (BIGINT for times, BYTEA for bytes).
constexpr const char* kV1Postgresql = R"sql(
CREATE TABLE enrol_tokens (
  token_hash TEXT PRIMARY KEY,
  school TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  used_by_device TEXT
);
CREATE TABLE devices (
  device_id TEXT PRIMARY KEY,
  public_key BYTEA NOT NULL,
  school TEXT NOT NULL,
  app_version TEXT NOT NULL,
  enrolled_at BIGINT NOT NULL,
  revoked_at BIGINT,
  last_seen BIGINT,
  last_heartbeat TEXT,
  last_heartbeat_at BIGINT
);
CREATE TABLE request_nonces (
  device_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (device_id, nonce)
);
CREATE INDEX request_nonces_by_expiry ON request_nonces (expires_at);
CREATE TABLE responses (
  response_id TEXT PRIMARY KEY,
  received_seq BIGINT NOT NULL UNIQUE,
  survey_id TEXT NOT NULL,
  survey_version BIGINT NOT NULL,
  finished_at TEXT NOT NULL,
  sealed BYTEA NOT NULL,
  sha256 TEXT NOT NULL,
  device_id TEXT,
  received_at BIGINT NOT NULL
);
)sql";

constexpr const char* kV2Sqlite = R"sql(
CREATE TABLE surveys (
  survey_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  definition TEXT NOT NULL,
  signature BLOB NOT NULL,
  sha256 TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  PRIMARY KEY (survey_id, version)
);
)sql";

constexpr const char* kV2Postgresql = R"sql(
CREATE TABLE surveys (
  survey_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  definition TEXT NOT NULL,
  signature BYTEA NOT NULL,
  sha256 TEXT NOT NULL,
  published_at BIGINT NOT NULL,
  PRIMARY KEY (survey_id, version)
);
)sql";

constexpr const char* kV3Sqlite = R"sql(
CREATE TABLE rosters (
  school TEXT NOT NULL,
  version INTEGER NOT NULL,
  document TEXT NOT NULL,
  signature BLOB NOT NULL,
  sha256 TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  PRIMARY KEY (school, version)
);
)sql";

constexpr const char* kV3Postgresql = R"sql(
CREATE TABLE rosters (
  school TEXT NOT NULL,
  version BIGINT NOT NULL,
  document TEXT NOT NULL,
  signature BYTEA NOT NULL,
  sha256 TEXT NOT NULL,
  published_at BIGINT NOT NULL,
  PRIMARY KEY (school, version)
);
)sql";

constexpr Migration kMigrations[] = {
    {1, "enrolment tokens, devices, request nonces, responses", kV1Sqlite, kV1Postgresql},
    {2, "published surveys", kV2Sqlite, kV2Postgresql},
    {3, "published rosters", kV3Sqlite, kV3Postgresql},
};

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

}  // namespace tt::central
