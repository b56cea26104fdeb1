#include "sync/central/sqlite_storage.h"

#include <ctime>

#include "shared/protocol/digest.h"
#include "sync/central/migrations.h"

namespace tt::central {

using protocol::SealedUpload;
using protocol::UploadStatus;

namespace {

constexpr const char* kDeviceColumns =
    "device_id, public_key, school, app_version, enrolled_at, revoked_at, last_seen, last_heartbeat, "
    "last_heartbeat_at";

std::optional<std::int64_t> optional_int(const SqliteStatement& s, int column) {
  if (s.is_null(column)) return std::nullopt;
  return s.int_at(column);
}

DeviceRecord read_device(const SqliteStatement& s) {
  DeviceRecord d;
  d.device_id = s.text_at(0);
  d.public_key = s.blob_at(1);
  d.school = s.text_at(2);
  d.app_version = s.text_at(3);
  d.enrolled_at = s.int_at(4);
  d.revoked_at = optional_int(s, 5);
  d.last_seen = optional_int(s, 6);
  if (!s.is_null(7)) d.last_heartbeat_json = s.text_at(7);
  d.last_heartbeat_at = optional_int(s, 8);
  return d;
}

}  // namespace

SqliteStorage::SqliteStorage(const std::filesystem::path& file) : connection_(file) {
  migrate();
}

void SqliteStorage::migrate() {
  std::lock_guard lock(mutex_);
  const std::string operation = "migrate";
  connection_.exec(operation, kCreateMigrationsTable);
  for (const Migration& m : migrations()) {
    SqliteTransaction transaction(connection_, operation);
    SqliteStatement newest(connection_, operation, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    newest.step();
    std::int64_t applied = newest.int_at(0);
    if (applied > kLatestSchemaVersion) {
      throw StorageError(operation + " " + connection_.name() + ": the database is at schema version " +
                         std::to_string(applied) + ", from a newer tutortime-central (this one knows up to " +
                         std::to_string(kLatestSchemaVersion) + "); it is left untouched");
    }
    if (applied >= m.version) continue;
    connection_.exec(operation + " to version " + std::to_string(m.version), m.sqlite_sql);
    SqliteStatement record(connection_, operation,
                           "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)");
    record.bind(1, std::int64_t{m.version}).bind(2, std::string_view(m.description));
    record.bind(3, static_cast<std::int64_t>(std::time(nullptr))).run();
    transaction.commit();
  }
}

void SqliteStorage::add_enrol_token(const EnrolTokenRecord& token) {
  std::lock_guard lock(mutex_);
  SqliteStatement s(connection_, "add enrolment token",
                    "INSERT INTO enrol_tokens (token_hash, school, created_at, expires_at) VALUES (?, ?, ?, ?)");
  s.bind(1, token.token_hash).bind(2, token.school).bind(3, token.created_at).bind(4, token.expires_at).run();
}

EnrolResult SqliteStorage::enrol_device(std::string_view token_hash, const NewDevice& device, UnixSeconds now) {
  std::lock_guard lock(mutex_);
  const std::string operation = "enrol device";
  SqliteTransaction transaction(connection_, operation);
  SqliteStatement token(connection_, operation,
                        "SELECT school, expires_at, used_at FROM enrol_tokens WHERE token_hash = ?");
  token.bind(1, token_hash);
  if (!token.step()) return {EnrolOutcome::UnknownToken, {}};
  EnrolResult result{EnrolOutcome::Enrolled, token.text_at(0)};
  if (!token.is_null(2)) return {EnrolOutcome::TokenUsed, {}};
  if (token.int_at(1) <= now) return {EnrolOutcome::TokenExpired, {}};
  SqliteStatement use(
      connection_, operation,
      "UPDATE enrol_tokens SET used_at = ?, used_by_device = ? WHERE token_hash = ? AND used_at IS NULL");
  use.bind(1, now).bind(2, device.device_id).bind(3, token_hash).run();
  SqliteStatement add(connection_, operation,
                      "INSERT INTO devices (device_id, public_key, school, app_version, enrolled_at) "
                      "VALUES (?, ?, ?, ?, ?)");
  add.bind(1, device.device_id).bind(2, ByteView(device.public_key)).bind(3, result.school);
  add.bind(4, device.app_version).bind(5, now).run();
  transaction.commit();
  return result;
}

std::optional<DeviceRecord> SqliteStorage::find_device_locked(std::string_view device_id) {
  SqliteStatement s(connection_, "find device",
                    std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE device_id = ?");
  s.bind(1, device_id);
  if (!s.step()) return std::nullopt;
  return read_device(s);
}

std::optional<DeviceRecord> SqliteStorage::find_device(std::string_view device_id) {
  std::lock_guard lock(mutex_);
  return find_device_locked(device_id);
}

std::vector<DeviceRecord> SqliteStorage::list_devices() {
  std::lock_guard lock(mutex_);
  SqliteStatement s(connection_, "list devices",
                    std::string("SELECT ") + kDeviceColumns + " FROM devices ORDER BY enrolled_at, device_id");
  std::vector<DeviceRecord> out;
  while (s.step()) out.push_back(read_device(s));
  return out;
}

std::optional<UnixSeconds> SqliteStorage::revoke_device(std::string_view device_id, UnixSeconds now) {
  std::lock_guard lock(mutex_);
  const std::string operation = "revoke device";
  SqliteTransaction transaction(connection_, operation);
  SqliteStatement revoke(connection_, operation,
                         "UPDATE devices SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL");
  revoke.bind(1, now).bind(2, device_id).run();
  auto device = find_device_locked(device_id);
  transaction.commit();
  if (!device) return std::nullopt;
  return device->revoked_at;
}

bool SqliteStorage::accept_request_nonce(std::string_view device_id, std::string_view nonce, UnixSeconds expires_at,
                                         UnixSeconds now) {
  std::lock_guard lock(mutex_);
  const std::string operation = "accept request nonce";
  SqliteTransaction transaction(connection_, operation);
  if (!accept_nonce_locked(operation, device_id, nonce, expires_at, now)) return false;  // rolls back
  transaction.commit();
  return true;
}

bool SqliteStorage::accept_nonce_locked(const std::string& operation, std::string_view device_id,
                                        std::string_view nonce, UnixSeconds expires_at, UnixSeconds now) {
  SqliteStatement forget(connection_, operation, "DELETE FROM request_nonces WHERE expires_at < ?");
  forget.bind(1, now).run();
  SqliteStatement remember(connection_, operation,
                           "INSERT INTO request_nonces (device_id, nonce, expires_at) VALUES (?, ?, ?) "
                           "ON CONFLICT (device_id, nonce) DO NOTHING");
  remember.bind(1, device_id).bind(2, nonce).bind(3, expires_at).run();
  if (connection_.changes() == 0) return false;
  SqliteStatement seen(connection_, operation, "UPDATE devices SET last_seen = ? WHERE device_id = ?");
  seen.bind(1, now).bind(2, device_id).run();
  return true;
}

void SqliteStorage::record_heartbeat(std::string_view device_id, std::string_view heartbeat_json,
                                     std::string_view app_version, UnixSeconds now) {
  std::lock_guard lock(mutex_);
  SqliteStatement s(connection_, "record heartbeat",
                    "UPDATE devices SET last_heartbeat = ?, last_heartbeat_at = ?, app_version = ?, last_seen = ? "
                    "WHERE device_id = ?");
  s.bind(1, heartbeat_json).bind(2, now).bind(3, app_version).bind(4, now).bind(5, device_id).run();
}

std::optional<std::vector<StoreOutcome>> SqliteStorage::store_signed_batch(std::string_view device_id,
                                                                           const RequestNonce* nonce,
                                                                           std::span<const SealedUpload> uploads,
                                                                           UnixSeconds received_at) {
  std::lock_guard lock(mutex_);
  const std::string operation = "store batch";
  std::vector<StoreOutcome> outcomes;
  outcomes.reserve(uploads.size());
  SqliteTransaction transaction(connection_, operation);
  if (nonce && !accept_nonce_locked(operation, device_id, nonce->nonce, nonce->expires_at, nonce->now)) {
    return std::nullopt;  // a replay: the transaction rolls back
  }
  SqliteStatement next_seq(connection_, operation, "SELECT COALESCE(MAX(received_seq), 0) FROM responses");
  next_seq.step();
  std::int64_t seq = next_seq.int_at(0);
  // The write lock is held from BEGIN IMMEDIATE, so nothing can come between the look-up and
  // the insert.
  SqliteStatement find(connection_, operation, "SELECT sha256 FROM responses WHERE response_id = ?");
  SqliteStatement insert(connection_, operation,
                         "INSERT INTO responses (response_id, received_seq, survey_id, survey_version, finished_at, "
                         "sealed, sha256, device_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const SealedUpload& u : uploads) {
    std::string digest = protocol::sha256_hex(u.sealed);
    find.bind(1, u.response_id);
    bool exists = find.step();
    std::string stored_digest = exists ? find.text_at(0) : std::string();
    find.reset();
    if (exists) {
      outcomes.push_back(stored_digest == digest ? StoreOutcome{UploadStatus::Duplicate, {}}
                                                 : StoreOutcome{UploadStatus::Rejected, kConflictReason});
      continue;
    }
    insert.bind(1, u.response_id).bind(2, ++seq).bind(3, u.survey_id).bind(4, u.survey_version);
    insert.bind(5, u.finished_at).bind(6, ByteView(u.sealed)).bind(7, digest);
    if (device_id.empty()) {
      insert.bind_null(8);
    } else {
      insert.bind(8, device_id);
    }
    insert.bind(9, received_at).run();
    insert.reset();
    outcomes.push_back({UploadStatus::Stored, {}});
  }
  transaction.commit();
  return outcomes;
}

std::vector<StoredResponse> SqliteStorage::responses_after(std::int64_t after_seq, std::size_t limit) {
  std::lock_guard lock(mutex_);
  SqliteStatement s(connection_, "export responses",
                    "SELECT received_seq, response_id, survey_id, survey_version, finished_at, sealed, sha256, "
                    "device_id, received_at FROM responses WHERE received_seq > ? ORDER BY received_seq LIMIT ?");
  s.bind(1, after_seq).bind(2, static_cast<std::int64_t>(limit));
  std::vector<StoredResponse> out;
  while (s.step()) {
    StoredResponse r;
    r.received_seq = s.int_at(0);
    r.upload = SealedUpload{s.text_at(1), s.text_at(2), s.int_at(3), s.text_at(4), s.blob_at(5)};
    r.sha256 = s.text_at(6);
    r.device_id = s.is_null(7) ? std::string() : s.text_at(7);
    r.received_at = s.int_at(8);
    out.push_back(std::move(r));
  }
  return out;
}

std::int64_t SqliteStorage::response_count() {
  std::lock_guard lock(mutex_);
  SqliteStatement s(connection_, "count responses", "SELECT COUNT(*) FROM responses");
  s.step();
  return s.int_at(0);
}

}  // namespace tt::central

namespace tt::central {

PublishOutcome SqliteStorage::publish_signed(const SignedDocumentTable& t, const SignedDocument& d) {
  std::lock_guard lock(mutex_);
  std::string digest = protocol::sha256_hex(as_bytes(d.document));
  SqliteTransaction transaction(connection_, t.operation);
  SqliteStatement find(
      connection_, t.operation,
      std::string("SELECT sha256 FROM ") + t.table + " WHERE " + t.key_column + " = ? AND version = ?");
  find.bind(1, d.key).bind(2, d.version);
  if (find.step()) return find.text_at(0) == digest ? PublishOutcome::AlreadyPublished : PublishOutcome::Conflict;
  SqliteStatement insert(connection_, t.operation,
                         std::string("INSERT INTO ") + t.table + " (" + t.key_column + ", version, " +
                             t.document_column + ", signature, sha256, published_at) VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, d.key).bind(2, d.version).bind(3, d.document);
  insert.bind(4, d.signature).bind(5, digest).bind(6, d.published_at).run();
  transaction.commit();
  return PublishOutcome::Published;
}

PublishOutcome SqliteStorage::publish_survey(const PublishedSurvey& survey) {
  return publish_signed(kSurveysTable,
                        {survey.survey_id, survey.version, survey.definition, survey.signature, survey.published_at});
}

std::vector<PublishedSurvey> SqliteStorage::latest_surveys() {
  std::lock_guard lock(mutex_);
  SqliteStatement s(connection_, "list published surveys",
                    "SELECT survey_id, version, definition, signature, published_at FROM surveys AS s "
                    "WHERE version = (SELECT MAX(version) FROM surveys AS t WHERE t.survey_id = s.survey_id) "
                    "ORDER BY survey_id");
  std::vector<PublishedSurvey> out;
  while (s.step()) out.push_back({s.text_at(0), s.int_at(1), s.text_at(2), s.blob_at(3), s.int_at(4)});
  return out;
}

}  // namespace tt::central

namespace tt::central {

PublishOutcome SqliteStorage::publish_roster(const PublishedRoster& roster) {
  return publish_signed(kRostersTable,
                        {roster.school, roster.version, roster.document, roster.signature, roster.published_at});
}

std::optional<PublishedRoster> SqliteStorage::latest_roster(std::string_view school) {
  std::lock_guard lock(mutex_);
  SqliteStatement s(connection_, "find roster",
                    "SELECT school, version, document, signature, published_at FROM rosters WHERE school = ? "
                    "ORDER BY version DESC LIMIT 1");
  s.bind(1, school);
  if (!s.step()) return std::nullopt;
  return PublishedRoster{s.text_at(0), s.int_at(1), s.text_at(2), s.blob_at(3), s.int_at(4)};
}

}  // namespace tt::central
