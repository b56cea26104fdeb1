#include "sync/central/postgres_storage.h"

#include <ctime>
#include <unordered_map>

#include "shared/protocol/digest.h"
#include "sync/central/migrations.h"

namespace tt::central {

using protocol::SealedUpload;
using protocol::UploadStatus;

namespace {

constexpr const char* kDeviceColumns =
    "device_id, public_key, school, app_version, enrolled_at, revoked_at, last_seen, last_heartbeat, "
    "last_heartbeat_at";

// Any constant will do, as long as every tutortime-central uses the same one.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7170617)";

DeviceRecord read_device(const PgResult& r, int row) {
  DeviceRecord d;
  d.device_id = r.text_at(row, 0);
  d.public_key = r.bytes_at(row, 1);
  d.school = r.text_at(row, 2);
  d.app_version = r.text_at(row, 3);
  d.enrolled_at = r.int_at(row, 4);
  d.revoked_at = r.optional_int_at(row, 5);
  d.last_seen = r.optional_int_at(row, 6);
  if (!r.is_null(row, 7)) d.last_heartbeat_json = r.text_at(row, 7);
  d.last_heartbeat_at = r.optional_int_at(row, 8);
  return d;
}

}  // namespace

PostgresStorage::PostgresStorage(const std::string& url) : connection_(url) {
  migrate();
}

void PostgresStorage::migrate() {
  std::lock_guard lock(mutex_);
  const std::string operation = "migrate";
  PgTransaction transaction(connection_, operation);
  connection_.exec(operation, kMigrationLock);
  connection_.exec(operation, kCreateMigrationsTable);
  std::int64_t applied =
      connection_.exec(operation, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").int_at(0, 0);
  if (applied > kLatestSchemaVersion) {
    throw StorageError(operation + " " + connection_.name() + ": the database is at schema version " +
                       std::to_string(applied) + ", from a newer tutortime-central (this one knows up to " +
                       std::to_string(kLatestSchemaVersion) + "); it is left untouched");
  }
  for (const Migration& m : migrations()) {
    if (m.version <= applied) continue;
    connection_.exec_script(operation + " to version " + std::to_string(m.version), m.postgresql_sql);
    connection_.exec(operation, "INSERT INTO schema_migrations (version, description, applied_at) VALUES ($1, $2, $3)",
                     PgParams().integer(m.version).text(m.description).integer(std::time(nullptr)));
  }
  // Nonces of devices that went quiet are pruned here; active devices prune their own.
  connection_.exec(operation, "DELETE FROM request_nonces WHERE expires_at < $1",
                   PgParams().integer(std::time(nullptr)));
  transaction.commit();
}

void PostgresStorage::add_enrol_token(const EnrolTokenRecord& token) {
  std::lock_guard lock(mutex_);
  connection_.ensure_connected("add enrolment token");
  connection_.exec(
      "add enrolment token",
      "INSERT INTO enrol_tokens (token_hash, school, created_at, expires_at) VALUES ($1, $2, $3, $4)",
      PgParams().text(token.token_hash).text(token.school).integer(token.created_at).integer(token.expires_at));
}

EnrolResult PostgresStorage::enrol_device(std::string_view token_hash, const NewDevice& device, UnixSeconds now) {
  std::lock_guard lock(mutex_);
  const std::string operation = "enrol device";
  PgTransaction transaction(connection_, operation);
  PgResult token = connection_.exec(
      operation, "SELECT school, expires_at, used_at FROM enrol_tokens WHERE token_hash = $1 FOR UPDATE",
      PgParams().text(token_hash));
  if (token.rows() == 0) return {EnrolOutcome::UnknownToken, {}};
  if (!token.is_null(0, 2)) return {EnrolOutcome::TokenUsed, {}};
  if (token.int_at(0, 1) <= now) return {EnrolOutcome::TokenExpired, {}};
  EnrolResult result{EnrolOutcome::Enrolled, token.text_at(0, 0)};
  connection_.exec(operation, "UPDATE enrol_tokens SET used_at = $1, used_by_device = $2 WHERE token_hash = $3",
                   PgParams().integer(now).text(device.device_id).text(token_hash));
  connection_.exec(operation,
                   "INSERT INTO devices (device_id, public_key, school, app_version, enrolled_at) "
                   "VALUES ($1, $2, $3, $4, $5)",
                   PgParams()
                       .text(device.device_id)
                       .bytes(device.public_key)
                       .text(result.school)
                       .text(device.app_version)
                       .integer(now));
  transaction.commit();
  return result;
}

std::optional<DeviceRecord> PostgresStorage::find_device_locked(std::string_view device_id) {
  PgResult r = connection_.exec(
      "find device", (std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE device_id = $1").c_str(),
      PgParams().text(device_id));
  if (r.rows() == 0) return std::nullopt;
  return read_device(r, 0);
}

std::optional<DeviceRecord> PostgresStorage::find_device(std::string_view device_id) {
  std::lock_guard lock(mutex_);
  connection_.ensure_connected("find device");
  return find_device_locked(device_id);
}

std::vector<DeviceRecord> PostgresStorage::list_devices() {
  std::lock_guard lock(mutex_);
  connection_.ensure_connected("list devices");
  PgResult r = connection_.exec(
      "list devices",
      (std::string("SELECT ") + kDeviceColumns + " FROM devices ORDER BY enrolled_at, device_id").c_str());
  std::vector<DeviceRecord> out;
  for (int row = 0; row < r.rows(); ++row) out.push_back(read_device(r, row));
  return out;
}

std::optional<UnixSeconds> PostgresStorage::revoke_device(std::string_view device_id, UnixSeconds now) {
  std::lock_guard lock(mutex_);
  const std::string operation = "revoke device";
  PgTransaction transaction(connection_, operation);
  connection_.exec(operation, "UPDATE devices SET revoked_at = $1 WHERE device_id = $2 AND revoked_at IS NULL",
                   PgParams().integer(now).text(device_id));
  auto device = find_device_locked(device_id);
  transaction.commit();
  if (!device) return std::nullopt;
  return device->revoked_at;
}

bool PostgresStorage::accept_request_nonce(std::string_view device_id, std::string_view nonce, UnixSeconds expires_at,
                                           UnixSeconds now) {
  std::lock_guard lock(mutex_);
  const std::string operation = "accept request nonce";
  PgTransaction transaction(connection_, operation);
  if (!accept_nonce_locked(operation, device_id, nonce, expires_at, now)) return false;  // rolls back
  transaction.commit();
  return true;
}

bool PostgresStorage::accept_nonce_locked(const std::string& operation, std::string_view device_id,
                                          std::string_view nonce, UnixSeconds expires_at, UnixSeconds now) {
  // Only this device's rows: two servers pruning everyone's at once could deadlock.
  connection_.exec(operation, "DELETE FROM request_nonces WHERE device_id = $1 AND expires_at < $2",
                   PgParams().text(device_id).integer(now));
  PgResult inserted = connection_.exec(operation,
                                       "INSERT INTO request_nonces (device_id, nonce, expires_at) VALUES ($1, $2, $3) "
                                       "ON CONFLICT (device_id, nonce) DO NOTHING",
                                       PgParams().text(device_id).text(nonce).integer(expires_at));
  if (inserted.affected_rows() == 0) return false;
  connection_.exec(operation, "UPDATE devices SET last_seen = $1 WHERE device_id = $2",
                   PgParams().integer(now).text(device_id));
  return true;
}

void PostgresStorage::record_heartbeat(std::string_view device_id, std::string_view heartbeat_json,
                                       std::string_view app_version, UnixSeconds now) {
  std::lock_guard lock(mutex_);
  connection_.ensure_connected("record heartbeat");
  connection_.exec("record heartbeat",
                   "UPDATE devices SET last_heartbeat = $1, last_heartbeat_at = $2, app_version = $3, last_seen = $2 "
                   "WHERE device_id = $4",
                   PgParams().text(heartbeat_json).integer(now).text(app_version).text(device_id));
}

std::optional<std::vector<StoreOutcome>> PostgresStorage::store_signed_batch(std::string_view device_id,
                                                                             const RequestNonce* nonce,
                                                                             std::span<const SealedUpload> uploads,
                                                                             UnixSeconds received_at) {
  std::lock_guard lock(mutex_);
  const std::string operation = "store batch";
  std::vector<StoreOutcome> outcomes;
  outcomes.reserve(uploads.size());
  PgTransaction transaction(connection_, operation);
  // The nonce before the table lock: whoever holds the lock then needs no other lock, so two
  // servers cannot deadlock (see the header).
  if (nonce && !accept_nonce_locked(operation, device_id, nonce->nonce, nonce->expires_at, nonce->now)) {
    return std::nullopt;  // a replay: the transaction rolls back
  }
  if (uploads.empty()) {
    transaction.commit();
    return outcomes;
  }
  connection_.exec(operation, "LOCK TABLE responses IN SHARE ROW EXCLUSIVE MODE");
  std::int64_t seq = connection_.exec(operation, "SELECT COALESCE(MAX(received_seq), 0) FROM responses").int_at(0, 0);
  // One look-up for the whole batch (ids are hex, safe in an array literal), then the ids this
  // batch itself adds.
  std::string ids = "{";
  for (const SealedUpload& u : uploads) {
    if (ids.size() > 1) ids += ',';
    ids += u.response_id;
  }
  ids += "}";
  PgResult found = connection_.exec(operation, "SELECT response_id, sha256 FROM responses WHERE response_id = ANY($1)",
                                    PgParams().text(ids));
  std::unordered_map<std::string, std::string> stored;
  for (int row = 0; row < found.rows(); ++row) stored.emplace(found.text_at(row, 0), found.text_at(row, 1));
  // The new rows go in multi-row INSERTs: one round trip for a batch, not one per row. A
  // statement takes at most kRowsPerInsert rows (9 parameters each; libpq allows 65,535).
  constexpr int kRowsPerInsert = 1000;
  const std::string insert_head =
      "INSERT INTO responses (response_id, received_seq, survey_id, survey_version, finished_at, sealed, sha256, "
      "device_id, received_at) VALUES ";
  std::string insert = insert_head;
  PgParams params;
  int rows = 0;
  auto flush = [&] {
    if (rows == 0) return;
    connection_.exec(operation, insert.c_str(), params);
    insert = insert_head;
    params = PgParams();
    rows = 0;
  };
  for (const SealedUpload& u : uploads) {
    std::string digest = protocol::sha256_hex(u.sealed);
    auto it = stored.find(u.response_id);
    if (it != stored.end()) {
      outcomes.push_back(it->second == digest ? StoreOutcome{UploadStatus::Duplicate, {}}
                                              : StoreOutcome{UploadStatus::Rejected, kConflictReason});
      continue;
    }
    insert += rows == 0 ? "(" : ", (";
    for (int column = 1; column <= 9; ++column) {
      if (column > 1) insert += ", ";
      insert += '$' + std::to_string(rows * 9 + column);
    }
    insert += ')';
    params.text(u.response_id).integer(++seq).text(u.survey_id).integer(u.survey_version).text(u.finished_at);
    params.bytes(u.sealed).text(digest);
    if (device_id.empty()) {
      params.null();
    } else {
      params.text(device_id);
    }
    params.integer(received_at);
    stored.emplace(u.response_id, std::move(digest));
    outcomes.push_back({UploadStatus::Stored, {}});
    if (++rows == kRowsPerInsert) flush();
  }
  flush();
  transaction.commit();
  return outcomes;
}

std::vector<StoredResponse> PostgresStorage::responses_after(std::int64_t after_seq, std::size_t limit) {
  std::lock_guard lock(mutex_);
  connection_.ensure_connected("export responses");
  PgResult r = connection_.exec(
      "export responses",
      "SELECT received_seq, response_id, survey_id, survey_version, finished_at, sealed, sha256, device_id, "
      "received_at FROM responses WHERE received_seq > $1 ORDER BY received_seq LIMIT $2",
      PgParams().integer(after_seq).integer(static_cast<std::int64_t>(limit)));
  std::vector<StoredResponse> out;
  for (int row = 0; row < r.rows(); ++row) {
    StoredResponse s;
    s.received_seq = r.int_at(row, 0);
    s.upload =
        SealedUpload{r.text_at(row, 1), r.text_at(row, 2), r.int_at(row, 3), r.text_at(row, 4), r.bytes_at(row, 5)};
    s.sha256 = r.text_at(row, 6);
    s.device_id = r.is_null(row, 7) ? std::string() : r.text_at(row, 7);
    s.received_at = r.int_at(row, 8);
    out.push_back(std::move(s));
  }
  return out;
}

std::int64_t PostgresStorage::response_count() {
  std::lock_guard lock(mutex_);
  connection_.ensure_connected("count responses");
  return connection_.exec("count responses", "SELECT COUNT(*) FROM responses").int_at(0, 0);
}

}  // namespace tt::central

namespace tt::central {

PublishOutcome PostgresStorage::publish_signed(const SignedDocumentTable& t, const SignedDocument& d) {
  std::lock_guard lock(mutex_);
  std::string digest = protocol::sha256_hex(as_bytes(d.document));
  PgTransaction transaction(connection_, t.operation);
  // ON CONFLICT: two servers publishing the same version at once cannot both insert it.
  std::string insert = std::string("INSERT INTO ") + t.table + " (" + t.key_column + ", version, " + t.document_column +
                       ", signature, sha256, published_at) VALUES ($1, $2, $3, $4, $5, $6) " + "ON CONFLICT (" +
                       t.key_column + ", version) DO NOTHING";
  PgResult inserted = connection_.exec(t.operation, insert.c_str(),
                                       PgParams()
                                           .text(d.key)
                                           .integer(d.version)
                                           .text(d.document)
                                           .bytes(d.signature)
                                           .text(digest)
                                           .integer(d.published_at));
  if (inserted.affected_rows() == 1) {
    transaction.commit();
    return PublishOutcome::Published;
  }
  std::string find = std::string("SELECT sha256 FROM ") + t.table + " WHERE " + t.key_column + " = $1 AND version = $2";
  PgResult existing = connection_.exec(t.operation, find.c_str(), PgParams().text(d.key).integer(d.version));
  transaction.commit();
  return existing.rows() == 1 && existing.text_at(0, 0) == digest ? PublishOutcome::AlreadyPublished
                                                                  : PublishOutcome::Conflict;
}

PublishOutcome PostgresStorage::publish_survey(const PublishedSurvey& survey) {
  return publish_signed(kSurveysTable,
                        {survey.survey_id, survey.version, survey.definition, survey.signature, survey.published_at});
}

std::vector<PublishedSurvey> PostgresStorage::latest_surveys() {
  std::lock_guard lock(mutex_);
  connection_.ensure_connected("list published surveys");
  PgResult r = connection_.exec(
      "list published surveys",
      "SELECT survey_id, version, definition, signature, published_at FROM surveys AS s "
      "WHERE version = (SELECT MAX(version) FROM surveys AS t WHERE t.survey_id = s.survey_id) ORDER BY survey_id");
  std::vector<PublishedSurvey> out;
  for (int row = 0; row < r.rows(); ++row) {
    out.push_back({r.text_at(row, 0), r.int_at(row, 1), r.text_at(row, 2), r.bytes_at(row, 3), r.int_at(row, 4)});
  }
  return out;
}

}  // namespace tt::central

namespace tt::central {

PublishOutcome PostgresStorage::publish_roster(const PublishedRoster& roster) {
  return publish_signed(kRostersTable,
                        {roster.school, roster.version, roster.document, roster.signature, roster.published_at});
}

std::optional<PublishedRoster> PostgresStorage::latest_roster(std::string_view school) {
  std::lock_guard lock(mutex_);
  connection_.ensure_connected("find roster");
  PgResult r = connection_.exec("find roster",
                                "SELECT school, version, document, signature, published_at FROM rosters "
                                "WHERE school = $1 ORDER BY version DESC LIMIT 1",
                                PgParams().text(school));
  if (r.rows() == 0) return std::nullopt;
  return PublishedRoster{r.text_at(0, 0), r.int_at(0, 1), r.text_at(0, 2), r.bytes_at(0, 3), r.int_at(0, 4)};
}

}  // namespace tt::central
