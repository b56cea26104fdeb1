#pragma once
// The central server's schema, as numbered migrations applied in order and recorded in the
// table schema_migrations (version, description, applied_at). Each migration has its SQL for
// each backend's dialect; the tables, columns and keys are the same in both. A database whose
// newest migration is beyond kLatestSchemaVersion is from a newer tutortime-central and is
// refused, untouched.
//
// Tables (version 1):
//   enrol_tokens    token_hash (PK, hex SHA-256 of the token: the token itself is never kept),
//                   school, created_at, expires_at, used_at, used_by_device
//   devices         device_id (PK), public_key (raw Ed25519), school, app_version, enrolled_at,
//                   revoked_at, last_seen, last_heartbeat (JSON text), last_heartbeat_at
//   request_nonces  (device_id, nonce) PK, expires_at: the replay window's memory
//   responses       response_id (PK: exactly once), received_seq (UNIQUE: export order),
//                   survey_id, survey_version, finished_at, sealed (the blob), sha256 (hex),
//                   device_id (NULL when not uploaded by a device), received_at
// Version 2:
//   surveys         (survey_id, version) PK, definition (the signed JSON text, verbatim),
//                   signature (detached Ed25519), sha256 (hex, of definition), published_at
// Version 3:
//   rosters         (school, version) PK, document (the signed roster JSON, verbatim: tutor
//                   groups only, never a name), signature, sha256, published_at
// Times are Unix seconds. No column holds a plaintext answer, a token or a private key.
#include <span>

namespace tt::central {

struct Migration {
  int version;
  const char* description;
  const char* sqlite_sql;
  const char* postgresql_sql;
};

inline constexpr int kLatestSchemaVersion = 3;

std::span<const Migration> migrations();

// The bookkeeping table, the same in both dialects.
inline constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)";

}  // namespace tt::central
