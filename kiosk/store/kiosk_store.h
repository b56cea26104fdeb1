#pragma once
// The kiosk's local store: one SQLite file, DATA_DIR/kiosk.db, shared by the pupil UI and the
// uploader (WAL allows one writer and readers in several processes).
//
// Invariants (each is proven by a test in tests/store/ or the crash test):
//  1. No plaintext answer, pupil code or name is ever written: drafts are AEAD ciphertext under
//     the device storage key, finished responses are HPKE-sealed by the caller before they
//     arrive here. secure_delete is on, temp_store is memory, and nothing sensitive is indexed.
//  2. A call that saves returns only after its commit is durable (WAL, synchronous=FULL).
//  3. A draft's associated data binds its row id, survey id and schema version, so a ciphertext
//     moved to another row, another survey or another schema fails to open.
//  4. finish_draft() inserts the sealed response into the outbox and deletes the draft in one
//     transaction: after a crash there is either the draft or the sealed response, never both
//     and never neither.
//  5. A sealed response leaves the outbox only when the server acknowledged it: after
//     mark_acknowledged() named it and purge_acknowledged() ran, or when forget_acknowledged()
//     named it (both in one transaction).
//  6. Nothing is ever deleted to recover from an error: a corrupt database file is renamed aside
//     (kiosk.db.corrupt-<UTC time>, with its -wal and -shm) and a new one started; a wrong storage
//     key or a newer schema is refused with the file untouched.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shared/common/bytes.h"
#include "shared/common/error.h"
#include "shared/crypto/secret.h"

struct sqlite3;

namespace tt::kiosk {

namespace store {
class StatementCache;
}

// Why a store operation failed, for callers that react differently (the UI shows a message and
// keeps the pupil's answers in memory; the CLI maps these to exit codes).
enum class StoreErrorKind {
  NotSetUp,     // no storage key / database: run `tutortime-kiosk setup`
  WrongKey,     // the storage key does not open this database
  NewerSchema,  // the database was written by a newer Tutortime
  DiskFull,     // SQLITE_FULL or ENOSPC
  ReadOnly,     // the directory or file cannot be written
  Corrupt,      // a draft or record failed authentication or is malformed
  NotFound,     // no such draft / survey / setting
  Io,           // any other SQLite or OS failure
};

class StoreError : public Error {
 public:
  StoreError(StoreErrorKind kind, const std::string& message) : Error(message), kind_(kind) {}
  StoreErrorKind kind() const { return kind_; }

 private:
  StoreErrorKind kind_;
};

using DraftId = std::int64_t;
using UnixSeconds = std::int64_t;

struct DraftInfo {  // the plaintext columns of a draft row (no answers)
  DraftId id = 0;
  std::string response_id;
  std::string survey_id;
  std::int64_t survey_version = 0;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

struct SealedResponse {     // an outbox row; `sealed` is enc || ciphertext (docs/sealed-response.md)
  std::string response_id;  // 32 hex digits, chosen on the kiosk
  std::string survey_id;
  std::int64_t survey_version = 0;
  Bytes sealed;
  UnixSeconds finished_at = 0;
  std::optional<UnixSeconds> acknowledged_at;
};

struct OutboxSummary {
  std::int64_t waiting = 0;  // not yet acknowledged
  std::int64_t waiting_bytes = 0;
  std::optional<UnixSeconds> oldest_waiting_finished_at;
  std::int64_t acknowledged_not_purged = 0;
};

struct InstalledSurvey {
  std::string survey_id;
  std::int64_t version = 0;
  std::string definition_json;  // the signed bytes, verbatim
  Bytes signature;              // detached Ed25519 signature over definition_json
  UnixSeconds installed_at = 0;
};

// What open() had to do, for the caller to report (e.g. "the database was corrupt and was moved
// to …; a new one was started").
struct OpenReport {
  bool created = false;
  std::optional<std::filesystem::path> moved_aside;  // set when a corrupt file was renamed
  std::string corruption_reason;
  int migrated_from_schema = 0;  // 0 when no migration ran
};

class KioskStore {
 public:
  static constexpr int kSchemaVersion = 1;
  static constexpr const char* kDatabaseFileName = "kiosk.db";
  static constexpr const char* kStorageKeyFileName = "storage.key";

  // Creates DATA_DIR (mode 0700) if needed, a fresh 32-byte storage key file (0600) and the
  // database. Throws StoreError if a storage key already exists (never replaces a key: that would
  // orphan every draft).
  static std::unique_ptr<KioskStore> create(const std::filesystem::path& data_dir);
  // Opens an existing store. Throws StoreError(NotSetUp) if there is none. If the key file is
  // there but kiosk.db is not, a new database is started (report->created). Refuses a key file
  // that group or others may access, or that is not 32 bytes.
  static std::unique_ptr<KioskStore> open(const std::filesystem::path& data_dir, OpenReport* report = nullptr);
  // For tests: open with an explicit storage key instead of the key file.
  static std::unique_ptr<KioskStore> open_with_key(const std::filesystem::path& data_dir, crypto::SecretBytes key,
                                                   OpenReport* report = nullptr);
  ~KioskStore();
  KioskStore(const KioskStore&) = delete;
  KioskStore& operator=(const KioskStore&) = delete;

  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::filesystem::path database_path() const { return data_dir_ / kDatabaseFileName; }

  // Device settings (non-secret: device id, public keys as PEM, configuration).
  void set_setting(const std::string& key, const std::string& value);
  std::optional<std::string> setting(const std::string& key) const;

  // Surveys: a signed survey is stored verbatim; verification happens before install().
  // Installing an (id, version) again is a no-op when identical and refused when different.
  // installed_surveys() lists every installed version, by id, the newest version of each first.
  void install_survey(const InstalledSurvey& survey);
  std::vector<InstalledSurvey> installed_surveys() const;  // newest version of each id first
  std::optional<InstalledSurvey> survey(const std::string& survey_id,
                                        std::optional<std::int64_t> version = std::nullopt) const;
  // The newest installed version of a survey (an index look-up, no definition read).
  std::optional<std::int64_t> newest_survey_version(const std::string& survey_id) const;

  // Drafts. `plaintext` is the flow's serialised state; it is encrypted before it is written.
  // save/load/delete/finish of an id that does not exist throw StoreError(NotFound);
  // create_draft refuses a response id that already has a draft or is in the outbox.
  // One KioskStore is used by one thread at a time (several processes may each open one).
  DraftId create_draft(const std::string& response_id, const std::string& survey_id, std::int64_t survey_version,
                       ByteView plaintext);
  void save_draft(DraftId id, ByteView plaintext);   // durable when it returns
  crypto::SecretBytes load_draft(DraftId id) const;  // throws StoreError(Corrupt) on tamper
  std::vector<DraftInfo> drafts() const;
  std::optional<DraftInfo> draft_info(DraftId id) const;
  void delete_draft(DraftId id);
  // Deletes drafts not updated since `cutoff` (abandoned), returns how many.
  std::int64_t discard_drafts_older_than(UnixSeconds cutoff);

  // Inserts `response` into the outbox and deletes the draft, in one transaction. An empty
  // response_id / survey_id, a zero survey_version or finished_at are taken from the draft (and
  // the clock); given ones must match the draft. If the response is already in the outbox it
  // throws and the draft is kept.
  void finish_draft(DraftId id, const SealedResponse& response);

  // The outbox, oldest first, bounded in count and in total bytes (at least one row is returned
  // when any is waiting, even if it alone exceeds max_bytes; max_count 0 counts as 1). Bytes
  // are the sizes of `sealed`; the first row that does not fit ends the batch.
  std::vector<SealedResponse> outbox_waiting(std::size_t max_count, std::size_t max_bytes) const;
  std::vector<SealedResponse> outbox_all() const;
  std::optional<SealedResponse> outbox_entry(const std::string& response_id) const;
  // Marks acknowledged, durably; unknown ids are ignored. Returns how many rows changed.
  std::int64_t mark_acknowledged(const std::vector<std::string>& response_ids);
  std::int64_t purge_acknowledged();
  // Forgets the named responses, which the server acknowledged, and any marked acknowledged
  // before, in one durable transaction (one commit where mark + purge take two). Unknown ids
  // are ignored. Returns how many rows were deleted.
  std::int64_t forget_acknowledged(const std::vector<std::string>& response_ids);
  OutboxSummary outbox_summary() const;

  // PRAGMA integrity_check: "ok" or the problems it lists.
  std::string integrity_check() const;

  // The clock is injectable so tests can age drafts. Defaults to the system clock.
  void set_clock_for_tests(std::function<UnixSeconds()> clock);

  // Test hooks. Both act on this store's own connection, because these settings are per
  // connection: PRAGMA max_page_count (to simulate a full disk: writes past it fail with
  // DiskFull) and reading one PRAGMA's value as text (`name` is letters and '_' only).
  void set_max_page_count_for_tests(std::int64_t pages);
  std::string pragma_for_tests(const std::string& name) const;

 private:
  KioskStore(std::filesystem::path data_dir, sqlite3* db, crypto::SecretBytes key);
  struct Impl;
  std::filesystem::path data_dir_;
  sqlite3* db_ = nullptr;
  crypto::SecretBytes storage_key_;
  std::function<UnixSeconds()> clock_;
  std::unique_ptr<store::StatementCache> statements_;  // finalized before the connection closes
};

}  // namespace tt::kiosk
