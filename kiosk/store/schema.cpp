#include "kiosk/store/schema.h"

#include <iterator>
#include <optional>
#include <vector>

#include "kiosk/store/draft_crypto.h"
#include "shared/crypto/aead.h"

namespace tt::kiosk::store {
namespace {

constexpr int kCurrent = KioskStore::kSchemaVersion;

// ---- Migrations -------------------------------------------------------------------------
// Each step brings the schema from to_version - 1 to to_version. To add version 2: write
// migrate_to_2() (ALTER TABLE …), append {2, &migrate_to_2} and bump kSchemaVersion. migrate()
// runs the steps and re-encrypts the drafts for the new version's associated data.

void migrate_to_1(const Op& op) {
  // STRICT tables (SQLite 3.37+) refuse values of the wrong type. No column holds plaintext
  // answers: drafts.ciphertext is AEAD under the storage key, outbox.sealed is HPKE-sealed.
  exec(op, R"sql(
    CREATE TABLE meta(
      key TEXT PRIMARY KEY NOT NULL,
      value BLOB NOT NULL
    ) STRICT;
    CREATE TABLE settings(
      key TEXT PRIMARY KEY NOT NULL,
      value TEXT NOT NULL
    ) STRICT;
    CREATE TABLE surveys(
      survey_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      definition TEXT NOT NULL,
      signature BLOB NOT NULL,
      installed_at INTEGER NOT NULL,
      PRIMARY KEY(survey_id, version)
    ) STRICT;
    CREATE TABLE drafts(
      id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so a row id names one draft ever
      response_id TEXT NOT NULL UNIQUE,
      survey_id TEXT NOT NULL,
      survey_version INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      nonce BLOB NOT NULL,
      ciphertext BLOB NOT NULL
    ) STRICT;
    CREATE TABLE outbox(
      response_id TEXT PRIMARY KEY NOT NULL,
      survey_id TEXT NOT NULL,
      survey_version INTEGER NOT NULL,
      sealed BLOB NOT NULL,
      finished_at INTEGER NOT NULL,
      acknowledged_at INTEGER
    ) STRICT;
  )sql");
}

struct Migration {
  int to_version;
  void (*apply)(const Op&);
};

constexpr Migration kMigrations[] = {
    {1, &migrate_to_1},
};

constexpr bool migrations_are_consecutive() {
  int expected = 1;
  for (const Migration& m : kMigrations) {
    if (m.to_version != expected++) return false;
  }
  return expected - 1 == kCurrent;
}
static_assert(migrations_are_consecutive(), "kMigrations must list versions 1..kSchemaVersion in order");

// ---- Reads ------------------------------------------------------------------------------

std::int64_t read_int(const Op& op, const char* sql) {
  Statement st(op, sql);
  if (!st.step()) op.fail(StoreErrorKind::Io, std::string("no result from ") + sql);
  return st.column_int(0);
}

std::string quick_check(const Op& op) {
  Statement st(op, "PRAGMA quick_check(20)");
  std::string result;
  while (st.step()) {
    if (!result.empty()) result += "; ";
    result += st.column_text(0);
  }
  return result;
}

std::optional<Bytes> read_key_check(const Op& op) {
  Statement st(op, "SELECT value FROM meta WHERE key = ?");
  st.bind_text(1, kKeyCheckName);
  if (!st.step()) return std::nullopt;
  return st.column_blob(0);
}

[[noreturn]] void fail_newer(const Op& op, std::int64_t version) {
  op.fail(StoreErrorKind::NewerSchema, "the database has schema version " + std::to_string(version) +
                                           ", but this Tutortime understands versions up to " +
                                           std::to_string(kCurrent) +
                                           "; install the newer Tutortime (the file was not changed)");
}

void check_key(const Op& op, ByteView storage_key, const std::optional<Bytes>& check) {
  if (!check || check->size() != crypto::kAeadNonceSize + crypto::kAeadTagSize) {
    op.fail(StoreErrorKind::Corrupt, "the database has no valid storage key check value (the file was not changed)");
  }
  if (!key_check_matches(storage_key, *check)) {
    op.fail(StoreErrorKind::WrongKey,
            "the storage key does not open this database: it was created with another key "
            "(the file was not changed)");
  }
}

void set_db_config(const Op& op, int setting, int value) {
  int rc = sqlite3_db_config(op.db, setting, value, nullptr);
  if (rc != SQLITE_OK) op.fail(rc);
}

}  // namespace

void configure_connection(const Op& op) {
  int rc = sqlite3_busy_timeout(op.db, 5000);
  if (rc != SQLITE_OK) op.fail(rc);
  set_db_config(op, SQLITE_DBCONFIG_DEFENSIVE, 1);
  set_db_config(op, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1);
  exec(op,
       "PRAGMA synchronous = FULL;"
       "PRAGMA secure_delete = ON;"
       "PRAGMA temp_store = MEMORY;"
       "PRAGMA foreign_keys = ON;"
       "PRAGMA trusted_schema = OFF;"
       "PRAGMA query_only = ON;");
}

void enable_writes(const Op& op) {
  exec(op, "PRAGMA query_only = OFF");
  Statement st(op, "PRAGMA journal_mode = WAL");
  std::string mode = st.step() ? st.column_text(0) : std::string();
  if (mode != "wal") op.fail(StoreErrorKind::Io, "cannot switch to WAL journaling (journal mode is '" + mode + "')");
  set_db_config(op, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0);
}

Verification verify_before_writing(const Op& op, ByteView storage_key) {
  Verification v;
  std::int64_t tables = 0;
  std::string integrity;
  std::optional<Bytes> check;
  try {
    // Preparing a PRAGMA already reads the file's header and schema, so a file that is not
    // SQLite fails here (SQLITE_NOTADB) or in the reads below.
    configure_connection(op);
    std::int64_t version = read_int(op, "PRAGMA user_version");
    if (version > kCurrent) fail_newer(op, version);
    if (version < 0) op.fail(StoreErrorKind::Corrupt, "negative schema version " + std::to_string(version));
    v.user_version = static_cast<int>(version);
    if (v.user_version == 0) {
      tables = read_int(op, "SELECT count(*) FROM sqlite_schema");
    } else {
      integrity = quick_check(op);
      if (integrity == "ok") check = read_key_check(op);
    }
  } catch (const StoreError& e) {
    if (e.kind() != StoreErrorKind::Corrupt) throw;
    v.state = Verification::State::Corrupt;
    v.corruption_reason = e.what();
    return v;
  }
  if (v.user_version == 0) {
    if (tables != 0) {
      op.fail(StoreErrorKind::Corrupt,
              "the file is not a Tutortime database: it has tables but no schema version (it was not changed)");
    }
    v.state = Verification::State::Fresh;
    return v;
  }
  if (integrity != "ok") {
    v.state = Verification::State::Corrupt;
    v.corruption_reason = op.prefix + ": PRAGMA quick_check: " + integrity;
    return v;
  }
  check_key(op, storage_key, check);
  v.state = Verification::State::Current;
  return v;
}

int migrate(const Op& op, ByteView storage_key, int from_version) {
  if (from_version == kCurrent) return from_version;
  Transaction tx(op);
  // Another process may have created or migrated the file before we held the write lock.
  std::int64_t current = read_int(op, "PRAGMA user_version");
  if (current > kCurrent) fail_newer(op, current);
  if (current == kCurrent) {
    tx.commit();
    check_key(op, storage_key, read_key_check(op));
    return kCurrent;
  }
  for (const Migration& m : kMigrations) {
    if (m.to_version > current) m.apply(op);
  }
  if (current == 0) {
    Statement st(op, "INSERT INTO meta(key, value) VALUES(?, ?)");
    st.bind_text(1, kKeyCheckName).bind_blob(2, make_key_check(storage_key)).run();
  } else {
    reseal_drafts(op, storage_key, static_cast<int>(current), kCurrent);
  }
  exec(op, ("PRAGMA user_version = " + std::to_string(kCurrent)).c_str());
  tx.commit();
  return static_cast<int>(current);
}

void reseal_drafts(const Op& op, ByteView storage_key, int from_schema, int to_schema) {
  struct Row {
    DraftBinding binding;
    Bytes nonce;
    Bytes ciphertext;
  };
  std::vector<Row> rows;
  {
    Statement st(op, "SELECT id, survey_id, survey_version, response_id, nonce, ciphertext FROM drafts");
    while (st.step()) {
      rows.push_back(
          Row{DraftBinding{from_schema, st.column_int(0), st.column_text(1), st.column_int(2), st.column_text(3)},
              st.column_blob(4), st.column_blob(5)});
    }
  }
  Statement update(op, "UPDATE drafts SET nonce = ?, ciphertext = ? WHERE id = ?");
  for (Row& row : rows) {
    crypto::SecretBytes plaintext;
    try {
      plaintext = open_draft(storage_key, row.binding, row.nonce, row.ciphertext);
    } catch (const crypto::AuthenticationError&) {
      continue;  // already unreadable: leave it exactly as it is (load_draft reports it)
    }
    row.binding.schema_version = to_schema;
    SealedDraft sealed = seal_draft(storage_key, row.binding, plaintext.view());
    update.bind_blob(1, sealed.nonce).bind_blob(2, sealed.ciphertext).bind_int(3, row.binding.id).run();
    update.reset();
  }
}

}  // namespace tt::kiosk::store
