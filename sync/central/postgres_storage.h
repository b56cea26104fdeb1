#pragma once
// Storage on PostgreSQL, for when one machine is not enough: several tutortime-central processes
// may share one database. The same tables and migrations as SQLite (migrations.h) and the same
// contract (storage.h, proven by tests/central/storage_contract.h on a real server).
//
// How the invariants hold with several processes writing at once:
//  1. store_batch() takes LOCK TABLE responses IN SHARE ROW EXCLUSIVE MODE, which conflicts
//     with itself: batches are written one at a time across all processes (readers carry on),
//     so the look-up and the insert of an id cannot be split by another writer.
//  2. enrol_device() reads the token row FOR UPDATE.
//  4. accept_request_nonce() inserts ON CONFLICT DO NOTHING on the (device, nonce) key.
//     store_signed_batch() does that first, then takes the table lock: the holder of the lock
//     waits for nothing else, so servers sharing the database cannot deadlock.
//  5. received_seq is assigned under that same lock, so sequence order is commit order: a page
//     read while a batch is being written can never be overtaken by a lower sequence later.
// Migrations run in one transaction under an advisory lock, so two servers starting together
// do not both apply them.
//
// One connection, serialised by a mutex, as for SQLite; a pool is the next step if needed.
#include <mutex>
#include <string>

#include "sync/central/postgres_db.h"
#include "sync/central/storage.h"

namespace tt::central {

class PostgresStorage : public Storage {
 public:
  // Connects to `url` (postgresql://user:password@host:port/database?…) and migrates.
  explicit PostgresStorage(const std::string& url);

  std::string describe() const override { return connection_.name(); }
  void add_enrol_token(const EnrolTokenRecord& token) override;
  EnrolResult enrol_device(std::string_view token_hash, const NewDevice& device, UnixSeconds now) override;
  std::optional<DeviceRecord> find_device(std::string_view device_id) override;
  std::vector<DeviceRecord> list_devices() override;
  std::optional<UnixSeconds> revoke_device(std::string_view device_id, UnixSeconds now) override;
  bool accept_request_nonce(std::string_view device_id, std::string_view nonce, UnixSeconds expires_at,
                            UnixSeconds now) override;
  void record_heartbeat(std::string_view device_id, std::string_view heartbeat_json, std::string_view app_version,
                        UnixSeconds now) override;
  std::optional<std::vector<StoreOutcome>> store_signed_batch(std::string_view device_id, const RequestNonce* nonce,
                                                              std::span<const protocol::SealedUpload> uploads,
                                                              UnixSeconds received_at) override;
  std::vector<StoredResponse> responses_after(std::int64_t after_seq, std::size_t limit) override;
  std::int64_t response_count() override;
  PublishOutcome publish_survey(const PublishedSurvey& survey) override;
  std::vector<PublishedSurvey> latest_surveys() override;
  PublishOutcome publish_roster(const PublishedRoster& roster) override;
  std::optional<PublishedRoster> latest_roster(std::string_view school) override;

 private:
  void migrate();
  std::optional<DeviceRecord> find_device_locked(std::string_view device_id);
  // Invariant 7 for either table of signed documents.
  PublishOutcome publish_signed(const SignedDocumentTable& table, const SignedDocument& document);
  // accept_request_nonce()'s work inside a transaction the caller holds; false when remembered.
  bool accept_nonce_locked(const std::string& operation, std::string_view device_id, std::string_view nonce,
                           UnixSeconds expires_at, UnixSeconds now);

  std::mutex mutex_;
  PgConnection connection_;
};

}  // namespace tt::central
