#pragma once
// What the central server keeps, behind one interface so that SQLite (the embedded default) and
// PostgreSQL (where one machine is not enough) are interchangeable: both apply the same numbered
// migrations (migrations.h) and pass the same contract tests (tests/central/storage_contract.h).
//
// Invariants every backend keeps (each proven by a contract test):
//  1. A response id is stored at most once. store_batch() runs one transaction per batch: an id
//     already stored with the same bytes is Duplicate, with other bytes Rejected (a conflict)
//     and the stored bytes are untouched; the others are Stored. A failure stores none of it.
//  2. An enrolment token is used at most once: enrol_device() marks it used and adds the device
//     in one transaction, so two kiosks racing with one token cannot both enrol.
//  3. Only the SHA-256 of a token is kept, never the token.
//  4. accept_request_nonce() returns true at most once for a (device, nonce) pair while it is
//     remembered, which is until `expires_at`; it forgets nonces whose time has passed.
//  5. Responses are exported in the order they were received (received_seq), and paging by it
//     never skips or repeats one.
//  6. Nothing here can open a response: the analysis private key never reaches the server.
//  7. A survey (id, version) is published at most once: publish_survey() with the same bytes
//     again is AlreadyPublished, with other bytes Conflict, and the first bytes stay. The same
//     holds for a roster's (school, version).
//
// Every method is safe to call from several threads at once. Errors: StorageError naming the
// operation and the database (never a token, key or response's contents).
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shared/common/bytes.h"
#include "shared/common/error.h"
#include "shared/protocol/batch.h"

namespace tt::central {

using UnixSeconds = std::int64_t;

class StorageError : public Error {
 public:
  using Error::Error;
};

struct EnrolTokenRecord {
  std::string token_hash;  // enrol_token_hash() of the canonical token
  std::string school;
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;
};

struct NewDevice {
  std::string device_id;
  Bytes public_key;  // raw Ed25519
  std::string app_version;
};

enum class EnrolOutcome { Enrolled, UnknownToken, TokenUsed, TokenExpired };

struct EnrolResult {
  EnrolOutcome outcome = EnrolOutcome::UnknownToken;
  std::string school;  // when Enrolled
};

struct DeviceRecord {
  std::string device_id;
  Bytes public_key;
  std::string school;
  std::string app_version;
  UnixSeconds enrolled_at = 0;
  std::optional<UnixSeconds> revoked_at;
  std::optional<UnixSeconds> last_seen;
  std::optional<std::string> last_heartbeat_json;  // as record_heartbeat() was given it
  std::optional<UnixSeconds> last_heartbeat_at;
};

// A stored response, as the export reads it.
struct StoredResponse {
  std::int64_t received_seq = 0;
  protocol::SealedUpload upload;
  std::string sha256;     // hex, of upload.sealed
  std::string device_id;  // empty when not uploaded by a device
  UnixSeconds received_at = 0;
};

// The replay check of the signed request that carries a batch (invariant 4), made in the
// batch's own transaction.
struct RequestNonce {
  std::string nonce;
  UnixSeconds expires_at = 0;
  UnixSeconds now = 0;
};

struct StoreOutcome {
  protocol::UploadStatus status = protocol::UploadStatus::Rejected;
  std::string reason;  // for Rejected
};

// A signed survey as published (the endpoint verified it before storing it).
struct PublishedSurvey {
  std::string survey_id;
  std::int64_t version = 0;
  std::string definition;  // the signed bytes, verbatim
  Bytes signature;         // detached Ed25519, 64 bytes
  UnixSeconds published_at = 0;
  bool operator==(const PublishedSurvey&) const = default;
};

enum class PublishOutcome { Published, AlreadyPublished, Conflict };

// A table of signed documents published once per (key, version): surveys and rosters, whose
// publishing the backends share. The names are constants of ours, never input.
struct SignedDocumentTable {
  const char* operation;        // for errors: "publish survey"
  const char* table;            // "surveys"
  const char* key_column;       // "survey_id"
  const char* document_column;  // "definition"
};
inline constexpr SignedDocumentTable kSurveysTable{"publish survey", "surveys", "survey_id", "definition"};
inline constexpr SignedDocumentTable kRostersTable{"publish roster", "rosters", "school", "document"};

// One signed document to publish in such a table.
struct SignedDocument {
  std::string_view key;
  std::int64_t version = 0;
  std::string_view document;
  ByteView signature;
  UnixSeconds published_at = 0;
};

// A signed roster as published (shared/protocol/roster.h; verified before storing).
struct PublishedRoster {
  std::string school;
  std::int64_t version = 0;
  std::string document;  // the signed bytes, verbatim
  Bytes signature;
  UnixSeconds published_at = 0;
  bool operator==(const PublishedRoster&) const = default;
};

inline constexpr const char* kConflictReason = "conflict: different contents for an id already stored";

class Storage {
 public:
  virtual ~Storage() = default;

  // "sqlite:/var/lib/tutortime-central/central.db" (no password: for messages and logs).
  virtual std::string describe() const = 0;

  // Adds a token. Throws StorageError if one with this hash exists.
  virtual void add_enrol_token(const EnrolTokenRecord& token) = 0;
  // Invariant 2: uses the token (unknown, used or expired at `now` → that outcome, nothing
  // changes) and registers the device with the token's school, in one transaction.
  virtual EnrolResult enrol_device(std::string_view token_hash, const NewDevice& device, UnixSeconds now) = 0;

  virtual std::optional<DeviceRecord> find_device(std::string_view device_id) = 0;
  // All devices, by enrolment time.
  virtual std::vector<DeviceRecord> list_devices() = 0;
  // Marks the device revoked at `now`; a device already revoked keeps its first time. Returns
  // the revocation time, or nullopt for an unknown device.
  virtual std::optional<UnixSeconds> revoke_device(std::string_view device_id, UnixSeconds now) = 0;

  // Invariant 4: remembers (device, nonce) until `expires_at` and sets the device's last_seen
  // to `now`; false (and nothing changes) when the pair is remembered already.
  virtual bool accept_request_nonce(std::string_view device_id, std::string_view nonce, UnixSeconds expires_at,
                                    UnixSeconds now) = 0;
  // Keeps the heartbeat (JSON text) and its time, and the app version it names.
  virtual void record_heartbeat(std::string_view device_id, std::string_view heartbeat_json,
                                std::string_view app_version, UnixSeconds now) = 0;

  // Invariant 1. One outcome per upload, in order; `device_id` must be an enrolled device (or
  // empty for an import). When `nonce` is given it is first accepted exactly as
  // accept_request_nonce() would, in the same transaction, so that an upload costs one durable
  // commit; if it was remembered already, nullopt is returned and nothing changes.
  virtual std::optional<std::vector<StoreOutcome>> store_signed_batch(std::string_view device_id,
                                                                      const RequestNonce* nonce,
                                                                      std::span<const protocol::SealedUpload> uploads,
                                                                      UnixSeconds received_at) = 0;
  // store_signed_batch() without a nonce.
  std::vector<StoreOutcome> store_batch(std::string_view device_id, std::span<const protocol::SealedUpload> uploads,
                                        UnixSeconds received_at) {
    return *store_signed_batch(device_id, nullptr, uploads, received_at);
  }
  // Invariant 5: up to `limit` responses with received_seq > `after_seq`, in that order.
  virtual std::vector<StoredResponse> responses_after(std::int64_t after_seq, std::size_t limit) = 0;
  virtual std::int64_t response_count() = 0;

  // Invariant 7. `survey.published_at` is kept only when it is Published.
  virtual PublishOutcome publish_survey(const PublishedSurvey& survey) = 0;
  // The highest version of each published survey id, by id.
  virtual std::vector<PublishedSurvey> latest_surveys() = 0;

  // Invariant 7, for rosters.
  virtual PublishOutcome publish_roster(const PublishedRoster& roster) = 0;
  // The highest version of `school`'s roster, or nullopt when it has none.
  virtual std::optional<PublishedRoster> latest_roster(std::string_view school) = 0;
};

// Opens the storage a URL names, applying migrations: "sqlite:PATH" (created if missing, mode
// 0600) or "postgresql://user:password@host:port/database" (a libpq connection URI; the
// database must exist). Throws StorageError for an unknown scheme, a database that cannot be
// reached, or one from a newer tutortime-central; messages never hold the password.
std::unique_ptr<Storage> open_storage(const std::string& url);

}  // namespace tt::central
