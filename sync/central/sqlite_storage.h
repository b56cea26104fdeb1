#pragma once
// The embedded storage: one SQLite file (WAL, synchronous=FULL). One connection, serialised by
// a mutex: SQLite has one writer at a time anyway, and every write here is short. (Readers on
// connections of their own are the next step if exports ever hold up uploads.)
#include <filesystem>
#include <mutex>

#include "sync/central/sqlite_db.h"
#include "sync/central/storage.h"

namespace tt::central {

class SqliteStorage : public Storage {
 public:
  // Opens or creates `file` and applies the migrations (migrations.h).
  explicit SqliteStorage(const std::filesystem::path& file);

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
  SqliteConnection connection_;
};

}  // namespace tt::central
