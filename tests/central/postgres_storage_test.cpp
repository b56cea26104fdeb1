// The storage contract on a real PostgreSQL, and what only several writers on one server can
// show: two connections (as two tutortime-central processes would have) storing the same
// batches at once store each response once, and the export order holds.
#include "sync/central/postgres_storage.h"

#include "tests/central/postgres_test_server.h"
#include "tests/central/storage_contract.h"

namespace tt::central::testing {

struct PostgresBackend {
  static std::optional<std::string> unavailable() {
    std::string why;
    if (!postgres_admin_url(why)) return why;
    return std::nullopt;
  }
  // The database made for `dir` on its first open, the same one after.
  static std::unique_ptr<Storage> open(const fs::path& dir) {
    fs::path file = dir / "postgres-url";
    if (!fs::exists(file)) {
      std::string why;
      std::ofstream(file) << create_test_database(*postgres_admin_url(why));
    }
    std::ifstream in(file);
    std::string url;
    std::getline(in, url);
    return open_storage(url);
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, StorageContract, PostgresBackend);

class PostgresStorageTest : public StorageContract<PostgresBackend> {
 protected:
  std::string url() const {
    std::ifstream in(dir_ / "postgres-url");
    std::string u;
    std::getline(in, u);
    return u;
  }
};

TEST_F(PostgresStorageTest, TwoWritersStoreEachResponseOnceAndKeepTheOrder) {
  auto other = open_storage(url());  // a second connection, as a second server process has
  std::string device = enrolled_device();
  std::vector<SealedUpload> batch;
  for (int i = 0; i < 40; ++i) batch.push_back(make_upload(90));
  std::atomic<int> stored{0}, duplicate{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    Storage& s = t % 2 == 0 ? *storage_ : *other;
    threads.emplace_back([&, t, &s = s] {
      // Each writer sends the batch in its own order of chunks.
      for (int round = 0; round < 4; ++round) {
        int chunk = (round + t) % 4;
        std::vector<SealedUpload> part(batch.begin() + chunk * 10, batch.begin() + chunk * 10 + 10);
        try {
          for (const StoreOutcome& o : s.store_batch(device, part, 100 + t)) {
            (o.status == UploadStatus::Stored ? stored : duplicate)++;
          }
        } catch (const StorageError&) {
          ++failed;  // e.g. a unique violation: two writers were not kept apart
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(stored, 40);
  EXPECT_EQ(duplicate, 200);
  auto all = storage_->responses_after(0, 1000);
  ASSERT_EQ(all.size(), 40u);
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].received_seq, static_cast<std::int64_t>(i + 1));
}

TEST_F(PostgresStorageTest, TwoServersRacingWithOneTokenEnrolOne) {
  std::vector<std::unique_ptr<Storage>> servers;
  for (int i = 0; i < 4; ++i) servers.push_back(open_storage(url()));
  std::string hash = protocol::enrol_token_hash("RACE");
  storage_->add_enrol_token({hash, "Hillside", 1000, 5000});
  std::atomic<int> enrolled{0}, failed{0};
  std::vector<std::thread> threads;
  for (auto& server : servers) {
    threads.emplace_back([&, &s = *server] {
      try {
        auto r = s.enrol_device(hash, {crypto::random_id128(), crypto::ed25519_generate().public_key, ""}, 2000);
        if (r.outcome == EnrolOutcome::Enrolled) ++enrolled;
      } catch (const StorageError&) {
        ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(enrolled, 1);
  EXPECT_EQ(storage_->list_devices().size(), 1u);
}

TEST_F(PostgresStorageTest, RefusesADatabaseFromANewerServer) {
  storage_.reset();
  {
    PGconn* c = PQconnectdb(url().c_str());
    PQclear(PQexec(c, "INSERT INTO schema_migrations (version, description, applied_at) VALUES (99, 'future', 0)"));
    PQfinish(c);
  }
  try {
    open_storage(url());
    FAIL() << "opened";
  } catch (const StorageError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("schema version 99, from a newer tutortime-central"));
  }
}

TEST_F(PostgresStorageTest, NamesTheDatabaseAndNeverThePassword) {
  EXPECT_THAT(storage_->describe(), ::testing::StartsWith("postgresql://"));
  std::string why;
  std::string missing = with_database(*postgres_admin_url(why), "tt_does_not_exist") + "&password=hunter2secret";
  try {
    open_storage(missing);
    FAIL() << "opened";
  } catch (const StorageError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("tt_does_not_exist"));
    EXPECT_THAT(e.what(), ::testing::Not(::testing::HasSubstr("hunter2secret")));
  }
}

}  // namespace tt::central::testing
