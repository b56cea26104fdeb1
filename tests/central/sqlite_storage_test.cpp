// The storage contract on SQLite, and what only SQLite can show: a failed batch stores none of
// it, a token is never in the file, the file's settings and mode, a newer schema refused.
#include "sync/central/sqlite_storage.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include "sync/central/migrations.h"
#include "tests/central/storage_contract.h"

namespace tt::central::testing {

struct SqliteBackend {
  static std::optional<std::string> unavailable() { return std::nullopt; }
  static std::unique_ptr<Storage> open(const fs::path& dir) {
    return open_storage("sqlite:" + (dir / "central.db").string());
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StorageContract, SqliteBackend);

class SqliteStorageTest : public StorageContract<SqliteBackend> {
 protected:
  fs::path file() const { return dir_ / "central.db"; }

  // A second connection behind the storage's back, as an operator with sqlite3 would have.
  void sql(const std::string& statement) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file().c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char* error = nullptr;
    int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }
  std::string query_text(const std::string& statement) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(file().c_str(), &db), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, statement.c_str(), -1, &s, nullptr), SQLITE_OK);
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
  }
};

TEST_F(SqliteStorageTest, AFailingBatchStoresNoneOfIt) {
  std::string device = enrolled_device();
  // The third insert fails inside the transaction.
  sql("CREATE TRIGGER fail_third BEFORE INSERT ON responses WHEN NEW.received_seq = 3 "
      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  std::vector<SealedUpload> batch = {make_upload(), make_upload(), make_upload(), make_upload()};
  try {
    storage_->store_batch(device, batch, 100);
    FAIL() << "the batch was stored";
  } catch (const StorageError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("store batch in sqlite:"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("injected failure"));
  }
  EXPECT_EQ(storage_->response_count(), 0);
  sql("DROP TRIGGER fail_third");
  EXPECT_THAT(statuses(storage_->store_batch(device, batch, 101)), ::testing::Each(UploadStatus::Stored));
}

TEST_F(SqliteStorageTest, KeepsOnlyTheHashOfAToken) {
  const std::string token = "7KQ4M2XD9RTB";
  storage_->add_enrol_token({protocol::enrol_token_hash(token), "Hillside", 1, 100000});
  storage_.reset();  // checkpoints the WAL into the file
  Bytes contents;
  for (const char* suffix : {"", "-wal"}) {
    fs::path f = file().string() + suffix;
    if (!fs::exists(f)) continue;
    std::ifstream in(f, std::ios::binary);
    contents.insert(contents.end(), std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::string text(contents.begin(), contents.end());
  EXPECT_EQ(text.find(token), std::string::npos);
  EXPECT_NE(text.find(protocol::enrol_token_hash(token)), std::string::npos);
}

TEST_F(SqliteStorageTest, TheFileIsPrivateDurableAndWal) {
  struct stat info {};
  ASSERT_EQ(::stat(file().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(query_text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(query_text("SELECT group_concat(version) FROM schema_migrations"), "1,2,3");
  reopen();
  EXPECT_EQ(query_text("SELECT count(*) FROM schema_migrations"), "3") << "migrations run once";
}

TEST_F(SqliteStorageTest, RefusesADatabaseFromANewerServer) {
  storage_.reset();
  sql("INSERT INTO schema_migrations (version, description, applied_at) VALUES (99, 'from the future', 0)");
  try {
    open_storage("sqlite:" + file().string());
    FAIL() << "opened";
  } catch (const StorageError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("schema version 99, from a newer tutortime-central"));
  }
  EXPECT_EQ(query_text("SELECT count(*) FROM schema_migrations"), "4") << "left untouched";
}

TEST(StorageOpen, NamesWhatItCannotOpen) {
  try {
    open_storage("postgresql://central:secret@127.0.0.1:1/tutortime?connect_timeout=2");
    FAIL();
  } catch (const StorageError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("open postgresql://…: connection to server at \"127.0.0.1\""));
    EXPECT_THAT(e.what(), ::testing::Not(::testing::HasSubstr("secret"))) << "never echo a password";
  }
  EXPECT_THROW(open_storage("mysql://x"), StorageError);
  EXPECT_THROW(open_storage("sqlite:"), StorageError);
  EXPECT_THROW(open_storage("sqlite:/nonexistent-dir/x/central.db"), StorageError);
}

}  // namespace tt::central::testing
