#pragma once
// The contract every Storage backend passes (sync/central/storage.h, invariants 1–6), as a
// typed test suite: a backend's test file defines a Backend type with
//   static std::unique_ptr<Storage> open(const std::filesystem::path& scratch_dir);
//   static std::optional<std::string> unavailable();  // why it cannot run here (the test skips)
// (the same directory again must reopen the same data) and instantiates the suite:
//   INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StorageContract, SqliteBackend);
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <thread>

#include "shared/crypto/ed25519.h"
#include "shared/crypto/random.h"
#include "shared/protocol/digest.h"
#include "shared/protocol/enrol_token.h"
#include "sync/central/storage.h"

namespace tt::central::testing {

namespace fs = std::filesystem;
using protocol::SealedUpload;
using protocol::UploadStatus;

inline SealedUpload make_upload(std::size_t size = 120) {
  return SealedUpload{crypto::random_id128(), "y7-baseline", 1, "2026-12-04T14:07Z", crypto::random_bytes(size)};
}

template <typename Backend>
class StorageContract : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/tutortime-storage-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    if (auto why = Backend::unavailable()) GTEST_SKIP() << *why;
    storage_ = Backend::open(dir_);
  }
  void TearDown() override {
    storage_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void reopen() {
    storage_.reset();
    storage_ = Backend::open(dir_);
  }

  // A device enrolled with a fresh token; returns its id.
  std::string enrolled_device(const std::string& school = "Hillside Academy") {
    std::string hash = protocol::enrol_token_hash(crypto::random_id128());
    storage_->add_enrol_token({hash, school, 1000, 1000 + 3600});
    std::string id = crypto::random_id128();
    EXPECT_EQ(storage_->enrol_device(hash, {id, crypto::ed25519_generate().public_key, "0.1.0"}, 1001).outcome,
              EnrolOutcome::Enrolled);
    return id;
  }

  std::vector<UploadStatus> statuses(const std::vector<StoreOutcome>& outcomes) {
    std::vector<UploadStatus> out;
    for (const StoreOutcome& o : outcomes) out.push_back(o.status);
    return out;
  }

  fs::path dir_;
  std::unique_ptr<Storage> storage_;
};

TYPED_TEST_SUITE_P(StorageContract);

TYPED_TEST_P(StorageContract, EnrolsADeviceOnceWithAToken) {
  Storage& s = *this->storage_;
  std::string hash = protocol::enrol_token_hash("7KQ4M2XD9RTB");
  s.add_enrol_token({hash, "Hillside Academy", 1000, 5000});
  Bytes key = crypto::ed25519_generate().public_key;
  EnrolResult first = s.enrol_device(hash, {"3f2a9b1c0d4e5f60718293a4b5c6d7e8", key, "0.1.0"}, 2000);
  EXPECT_EQ(first.outcome, EnrolOutcome::Enrolled);
  EXPECT_EQ(first.school, "Hillside Academy");
  auto device = s.find_device("3f2a9b1c0d4e5f60718293a4b5c6d7e8");
  ASSERT_TRUE(device);
  EXPECT_EQ(device->public_key, key);
  EXPECT_EQ(device->school, "Hillside Academy");
  EXPECT_EQ(device->app_version, "0.1.0");
  EXPECT_EQ(device->enrolled_at, 2000);
  EXPECT_FALSE(device->revoked_at);
  EXPECT_FALSE(device->last_seen);

  // Invariant 2: never twice.
  EXPECT_EQ(s.enrol_device(hash, {crypto::random_id128(), key, "0.1.0"}, 2001).outcome, EnrolOutcome::TokenUsed);
  EXPECT_EQ(s.list_devices().size(), 1u);
}

TYPED_TEST_P(StorageContract, RefusesUnknownAndExpiredTokensChangingNothing) {
  Storage& s = *this->storage_;
  Bytes key = crypto::ed25519_generate().public_key;
  EXPECT_EQ(s.enrol_device(protocol::enrol_token_hash("NOPE"), {crypto::random_id128(), key, ""}, 10).outcome,
            EnrolOutcome::UnknownToken);
  std::string hash = protocol::enrol_token_hash("EXPIRING");
  s.add_enrol_token({hash, "Hillside", 1000, 5000});
  EXPECT_EQ(s.enrol_device(hash, {crypto::random_id128(), key, ""}, 5000).outcome, EnrolOutcome::TokenExpired);
  EXPECT_EQ(s.enrol_device(hash, {crypto::random_id128(), key, ""}, 9000).outcome, EnrolOutcome::TokenExpired);
  EXPECT_TRUE(s.list_devices().empty());
  // Still unused: the expired refusals did not use it up (nor would they have enrolled).
  EXPECT_EQ(s.enrol_device(hash, {crypto::random_id128(), key, ""}, 4999).outcome, EnrolOutcome::Enrolled);
  EXPECT_THROW(s.add_enrol_token({hash, "again", 1, 2}), StorageError);
}

TYPED_TEST_P(StorageContract, RacingEnrolmentsWithOneTokenEnrolOne) {
  Storage& s = *this->storage_;
  std::string hash = protocol::enrol_token_hash("RACE");
  s.add_enrol_token({hash, "Hillside", 1000, 5000});
  std::atomic<int> enrolled{0}, used{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto r = s.enrol_device(hash, {crypto::random_id128(), crypto::ed25519_generate().public_key, ""}, 2000);
      (r.outcome == EnrolOutcome::Enrolled ? enrolled : used)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(enrolled, 1);
  EXPECT_EQ(used, 7);
  EXPECT_EQ(s.list_devices().size(), 1u);
}

TYPED_TEST_P(StorageContract, StoresEachResponseExactlyOnce) {
  Storage& s = *this->storage_;
  std::string device = this->enrolled_device();
  std::vector<SealedUpload> batch = {make_upload(), make_upload(), make_upload()};
  auto first = s.store_batch(device, batch, 3000);
  EXPECT_THAT(this->statuses(first), ::testing::Each(UploadStatus::Stored));
  EXPECT_EQ(s.response_count(), 3);

  // The same batch again (a retry after a lost reply): all duplicates, nothing added.
  auto again = s.store_batch(device, batch, 3001);
  EXPECT_THAT(this->statuses(again), ::testing::Each(UploadStatus::Duplicate));
  EXPECT_EQ(s.response_count(), 3);

  // One id with other bytes: a conflict, kept out, the stored bytes untouched.
  SealedUpload impostor = batch[1];
  impostor.sealed[0] ^= 1;
  SealedUpload fresh = make_upload();
  auto mixed = s.store_batch(device, std::vector<SealedUpload>{impostor, fresh, batch[2]}, 3002);
  ASSERT_EQ(mixed.size(), 3u);
  EXPECT_EQ(mixed[0].status, UploadStatus::Rejected);
  EXPECT_EQ(mixed[0].reason, kConflictReason);
  EXPECT_EQ(mixed[1].status, UploadStatus::Stored);
  EXPECT_EQ(mixed[2].status, UploadStatus::Duplicate);
  EXPECT_EQ(s.response_count(), 4);
  auto all = s.responses_after(0, 100);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[1].upload, batch[1]);
  EXPECT_EQ(all[1].sha256, protocol::sha256_hex(batch[1].sealed));
}

TYPED_TEST_P(StorageContract, TheSameIdTwiceInOneBatch) {
  Storage& s = *this->storage_;
  std::string device = this->enrolled_device();
  SealedUpload u = make_upload();
  SealedUpload other = u;
  other.sealed.back() ^= 1;
  auto outcomes = s.store_batch(device, std::vector<SealedUpload>{u, u, other}, 3000);
  EXPECT_THAT(this->statuses(outcomes),
              ::testing::ElementsAre(UploadStatus::Stored, UploadStatus::Duplicate, UploadStatus::Rejected));
  EXPECT_EQ(s.response_count(), 1);
}

TYPED_TEST_P(StorageContract, KeepsWhatItStores) {
  Storage& s = *this->storage_;
  std::string device = this->enrolled_device();
  SealedUpload u = make_upload(5000);
  u.survey_id = "y7-resurvey";
  u.survey_version = 3;
  s.store_batch(device, std::vector<SealedUpload>{u}, 4242);
  this->reopen();
  auto all = this->storage_->responses_after(0, 10);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].upload, u);
  EXPECT_EQ(all[0].device_id, device);
  EXPECT_EQ(all[0].received_at, 4242);
  EXPECT_EQ(all[0].received_seq, 1);
  EXPECT_TRUE(this->storage_->find_device(device));
}

TYPED_TEST_P(StorageContract, ExportPagesInReceiptOrderWithoutGapsOrRepeats) {
  Storage& s = *this->storage_;
  std::string device = this->enrolled_device();
  std::vector<std::string> sent;
  for (int b = 0; b < 5; ++b) {
    std::vector<SealedUpload> batch;
    for (int i = 0; i < 7; ++i) {
      batch.push_back(make_upload(60));
      sent.push_back(batch.back().response_id);
    }
    s.store_batch(device, batch, 5000 + b);
  }
  std::vector<std::string> read;
  std::int64_t after = 0;
  for (;;) {
    auto page = s.responses_after(after, 4);
    if (page.empty()) break;
    EXPECT_LE(page.size(), 4u);
    for (const auto& r : page) {
      EXPECT_GT(r.received_seq, after);
      after = r.received_seq;
      read.push_back(r.upload.response_id);
    }
  }
  EXPECT_EQ(read, sent);
}

TYPED_TEST_P(StorageContract, RemembersANonceOnce) {
  Storage& s = *this->storage_;
  std::string a = this->enrolled_device();
  std::string b = this->enrolled_device();
  const std::string nonce = "00112233445566778899aabbccddeeff";
  EXPECT_TRUE(s.accept_request_nonce(a, nonce, 2600, 2000));
  EXPECT_FALSE(s.accept_request_nonce(a, nonce, 2600, 2001)) << "a replay";
  EXPECT_TRUE(s.accept_request_nonce(b, nonce, 2600, 2001)) << "another device's nonces are its own";
  EXPECT_EQ(s.find_device(a)->last_seen, 2000) << "a refused replay changes nothing";
  EXPECT_FALSE(s.accept_request_nonce(a, nonce, 2600, 2600)) << "still remembered at its expiry";
  EXPECT_TRUE(s.accept_request_nonce(a, nonce, 3300, 2601)) << "forgotten after it";
  EXPECT_EQ(s.find_device(a)->last_seen, 2601);
}

TYPED_TEST_P(StorageContract, ABatchAndItsRequestNonceAreOneTransaction) {
  Storage& s = *this->storage_;
  std::string device = this->enrolled_device();
  const std::string nonce = "ffeeddccbbaa99887766554433221100";
  // More rows than one PostgreSQL statement takes (1,000), so the split is exercised too.
  std::vector<SealedUpload> batch;
  for (int i = 0; i < 1203; ++i) batch.push_back(make_upload(40));
  RequestNonce first{nonce, 2600, 2000};
  auto outcomes = s.store_signed_batch(device, &first, batch, 2000);
  ASSERT_TRUE(outcomes);
  ASSERT_EQ(outcomes->size(), batch.size());
  for (const StoreOutcome& o : *outcomes) EXPECT_EQ(o.status, UploadStatus::Stored);
  EXPECT_EQ(s.response_count(), 1203);
  EXPECT_EQ(s.find_device(device)->last_seen, 2000);
  EXPECT_FALSE(s.accept_request_nonce(device, nonce, 2600, 2001)) << "the batch's nonce is remembered";

  // The same request again (a replay, with one more response): refused whole, nothing stored.
  batch.push_back(make_upload(40));
  RequestNonce replay{nonce, 2600, 2002};
  EXPECT_FALSE(s.store_signed_batch(device, &replay, batch, 2002));
  EXPECT_EQ(s.response_count(), 1203);
  EXPECT_EQ(s.find_device(device)->last_seen, 2000) << "a refused replay changes nothing";

  // A fresh nonce: the earlier ones are duplicates, the new one stored, and the order is kept.
  RequestNonce fresh{"0123456789abcdef0123456789abcdef", 2700, 2100};
  outcomes = s.store_signed_batch(device, &fresh, batch, 2100);
  ASSERT_TRUE(outcomes);
  EXPECT_EQ(outcomes->front().status, UploadStatus::Duplicate);
  EXPECT_EQ(outcomes->back().status, UploadStatus::Stored);
  auto page = s.responses_after(0, 2000);
  ASSERT_EQ(page.size(), 1204u);
  for (std::size_t i = 0; i < page.size(); ++i) {
    EXPECT_EQ(page[i].upload.response_id, batch[i].response_id) << i;
    EXPECT_EQ(page[i].upload.sealed, batch[i].sealed) << i;
  }
  // An empty batch still spends its nonce.
  RequestNonce empty{"aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb", 2800, 2200};
  EXPECT_TRUE(s.store_signed_batch(device, &empty, std::vector<SealedUpload>{}, 2200));
  EXPECT_FALSE(s.store_signed_batch(device, &empty, std::vector<SealedUpload>{}, 2201));
}

TYPED_TEST_P(StorageContract, RevokesAndKeepsTheFirstTime) {
  Storage& s = *this->storage_;
  std::string device = this->enrolled_device();
  EXPECT_FALSE(s.revoke_device(crypto::random_id128(), 10));
  EXPECT_EQ(s.revoke_device(device, 7000), 7000);
  EXPECT_EQ(s.revoke_device(device, 8000), 7000);
  EXPECT_EQ(s.find_device(device)->revoked_at, 7000);
}

TYPED_TEST_P(StorageContract, KeepsTheLastHeartbeat) {
  Storage& s = *this->storage_;
  std::string device = this->enrolled_device();
  s.record_heartbeat(device, R"({"responses_waiting":3})", "0.1.1", 9000);
  s.record_heartbeat(device, R"({"responses_waiting":0})", "0.1.2", 9100);
  auto d = s.find_device(device);
  EXPECT_EQ(d->last_heartbeat_json, R"({"responses_waiting":0})");
  EXPECT_EQ(d->last_heartbeat_at, 9100);
  EXPECT_EQ(d->last_seen, 9100);
  EXPECT_EQ(d->app_version, "0.1.2");
}

TYPED_TEST_P(StorageContract, ConcurrentUploadsOfTheSameResponsesStoreEachOnce) {
  Storage& s = *this->storage_;
  std::vector<std::string> devices = {this->enrolled_device(), this->enrolled_device(), this->enrolled_device()};
  std::vector<SealedUpload> batch;
  for (int i = 0; i < 50; ++i) batch.push_back(make_upload(80));
  std::atomic<int> stored{0}, duplicate{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (const StoreOutcome& o : s.store_batch(devices[t % 3], batch, 10000 + t)) {
        (o.status == UploadStatus::Stored ? stored : o.status == UploadStatus::Duplicate ? duplicate : other)++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(stored, 50);
  EXPECT_EQ(duplicate, 250);
  EXPECT_EQ(other, 0);
  EXPECT_EQ(s.response_count(), 50);
}

TYPED_TEST_P(StorageContract, PublishesASurveyVersionOnceAndKeepsTheFirstBytes) {
  Storage& s = *this->storage_;
  PublishedSurvey v1{"y7-baseline", 1, R"({"id": "y7-baseline", "version": 1})", crypto::random_bytes(64), 5000};
  EXPECT_EQ(s.publish_survey(v1), PublishOutcome::Published);
  PublishedSurvey later = v1;
  later.published_at = 6000;
  EXPECT_EQ(s.publish_survey(later), PublishOutcome::AlreadyPublished);
  PublishedSurvey changed = v1;
  changed.definition += " ";
  EXPECT_EQ(s.publish_survey(changed), PublishOutcome::Conflict);
  this->reopen();
  std::vector<PublishedSurvey> latest = this->storage_->latest_surveys();
  ASSERT_EQ(latest.size(), 1u);
  EXPECT_EQ(latest[0], v1) << "the first bytes and time stay";
}

TYPED_TEST_P(StorageContract, HandsOutTheLatestVersionOfEachSurvey) {
  Storage& s = *this->storage_;
  EXPECT_TRUE(s.latest_surveys().empty());
  auto survey = [](const std::string& id, std::int64_t version) {
    return PublishedSurvey{id, version, "{\"id\": \"" + id + "\", \"v\": " + std::to_string(version) + "}",
                           crypto::random_bytes(64), 1000 + version};
  };
  for (const auto& p :
       {survey("who5", 1), survey("y7-baseline", 3), survey("y7-baseline", 1), survey("y7-baseline", 2)}) {
    ASSERT_EQ(s.publish_survey(p), PublishOutcome::Published);
  }
  std::vector<PublishedSurvey> latest = s.latest_surveys();
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest[0].survey_id, "who5");
  EXPECT_EQ(latest[1].survey_id, "y7-baseline");
  EXPECT_EQ(latest[1].version, 3);
  EXPECT_EQ(latest[1].definition, survey("y7-baseline", 3).definition);
}

TYPED_TEST_P(StorageContract, ImportedResponsesHaveNoDeviceAndAreDeduplicatedLikeUploads) {
  Storage& s = *this->storage_;
  std::string device = this->enrolled_device();
  SealedUpload u = make_upload();
  ASSERT_EQ(s.store_batch(device, std::vector<SealedUpload>{u}, 2000).at(0).status, UploadStatus::Stored);
  SealedUpload rescued = make_upload();
  std::vector<SealedUpload> imported = {u, rescued};
  std::vector<StoreOutcome> outcomes = s.store_batch("", imported, 3000);
  EXPECT_EQ(outcomes.at(0).status, UploadStatus::Duplicate) << "uploaded, then imported: once";
  EXPECT_EQ(outcomes.at(1).status, UploadStatus::Stored);
  std::vector<StoredResponse> all = s.responses_after(0, 10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].device_id, device);
  EXPECT_EQ(all[1].device_id, "");
  EXPECT_EQ(all[1].upload, rescued);
}

TYPED_TEST_P(StorageContract, PublishesARosterVersionOnceAndHandsOutTheSchoolsLatest) {
  Storage& s = *this->storage_;
  auto roster = [](const std::string& school, std::int64_t version, const std::string& groups) {
    return PublishedRoster{school, version, "{\"school\": \"" + school + "\", \"groups\": " + groups + "}",
                           Bytes(64, static_cast<std::uint8_t>(version)), 100 + version};
  };
  EXPECT_FALSE(s.latest_roster("Hillside Academy"));
  EXPECT_EQ(s.publish_roster(roster("Hillside Academy", 2, "[7A, 7B]")), PublishOutcome::Published);
  EXPECT_EQ(s.publish_roster(roster("Hillside Academy", 1, "[7A]")), PublishOutcome::Published);
  EXPECT_EQ(s.publish_roster(roster("Riverside School", 5, "[7R]")), PublishOutcome::Published);
  EXPECT_EQ(s.publish_roster(roster("Hillside Academy", 2, "[7A, 7B]")), PublishOutcome::AlreadyPublished);
  EXPECT_EQ(s.publish_roster(roster("Hillside Academy", 2, "[7A, 7C]")), PublishOutcome::Conflict);
  this->reopen();
  auto latest = this->storage_->latest_roster("Hillside Academy");
  ASSERT_TRUE(latest);
  EXPECT_EQ(*latest, roster("Hillside Academy", 2, "[7A, 7B]")) << "the highest version, its first bytes";
  EXPECT_EQ(this->storage_->latest_roster("Riverside School")->version, 5);
  EXPECT_FALSE(this->storage_->latest_roster("Hillside"));
}

REGISTER_TYPED_TEST_SUITE_P(
    StorageContract, ABatchAndItsRequestNonceAreOneTransaction, PublishesASurveyVersionOnceAndKeepsTheFirstBytes,
    PublishesARosterVersionOnceAndHandsOutTheSchoolsLatest, HandsOutTheLatestVersionOfEachSurvey,
    ImportedResponsesHaveNoDeviceAndAreDeduplicatedLikeUploads, EnrolsADeviceOnceWithAToken,
    RefusesUnknownAndExpiredTokensChangingNothing, RacingEnrolmentsWithOneTokenEnrolOne, StoresEachResponseExactlyOnce,
    TheSameIdTwiceInOneBatch, KeepsWhatItStores, ExportPagesInReceiptOrderWithoutGapsOrRepeats, RemembersANonceOnce,
    RevokesAndKeepsTheFirstTime, KeepsTheLastHeartbeat, ConcurrentUploadsOfTheSameResponsesStoreEachOnce);

}  // namespace tt::central::testing
