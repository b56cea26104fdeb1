// The store's confidentiality and integrity: a wrong key is refused, tampered or moved
// ciphertexts are detected, no plaintext reaches any file, and the PRAGMAs are as promised.
#include <algorithm>
#include <functional>

#include "kiosk/store/schema.h"
#include "tests/store/store_test_support.h"

namespace tt::kiosk::testing {
namespace {

using StoreSecurityTest = StoreTest;

const std::string kResponseA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const std::string kResponseB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

TEST_F(StoreSecurityTest, WrongKeyIsRefusedAndTheFileIsUnchanged) {
  {
    auto store = KioskStore::create(dir_);
    store->create_draft(kResponseA, "wellbeing", 1, as_bytes("answers"));
  }
  FileSnapshot before = snapshot(db_file());
  ASSERT_GT(before.size, 0);
  std::string message = expect_store_error(
      StoreErrorKind::WrongKey, [&] { KioskStore::open_with_key(dir_, crypto::SecretBytes(Bytes(32, 0x42))); });
  EXPECT_NE(message.find(db_file().string()), std::string::npos) << message;
  EXPECT_EQ(snapshot(db_file()), before);
  auto store = KioskStore::open(dir_);  // the right key still opens it
  EXPECT_EQ(text_of(store->load_draft(store->drafts().at(0).id)), "answers");
}

TEST_F(StoreSecurityTest, TamperedCiphertextIsCorrupt) {
  DraftId id = 0;
  {
    auto store = KioskStore::create(dir_);
    id = store->create_draft(kResponseA, "wellbeing", 1, as_bytes("answers"));
  }
  {
    RawDb raw(db_file());
    Bytes ciphertext = raw.blob("SELECT ciphertext FROM drafts WHERE id = " + std::to_string(id));
    ASSERT_FALSE(ciphertext.empty());
    ciphertext[0] ^= 0x01;
    raw.set_blob("UPDATE drafts SET ciphertext = ? WHERE id = " + std::to_string(id), ciphertext);
  }
  auto store = KioskStore::open(dir_);
  std::string message = expect_store_error(StoreErrorKind::Corrupt, [&] { store->load_draft(id); });
  EXPECT_NE(message.find("draft " + std::to_string(id) + " failed authentication"), std::string::npos) << message;
  EXPECT_NE(message.find(db_file().string()), std::string::npos) << message;
}

TEST_F(StoreSecurityTest, CiphertextCopiedToAnotherRowIsCorrupt) {
  DraftId a = 0, b = 0;
  {
    auto store = KioskStore::create(dir_);
    a = store->create_draft(kResponseA, "wellbeing", 1, as_bytes("answers of pupil A"));
    b = store->create_draft(kResponseB, "wellbeing", 1, as_bytes("answers of pupil B"));
  }
  {
    RawDb raw(db_file());
    raw.exec("UPDATE drafts SET (nonce, ciphertext) = (SELECT nonce, ciphertext FROM drafts WHERE id = " +
             std::to_string(a) + ") WHERE id = " + std::to_string(b));
    ASSERT_EQ(raw.blob("SELECT ciphertext FROM drafts WHERE id = " + std::to_string(b)),
              raw.blob("SELECT ciphertext FROM drafts WHERE id = " + std::to_string(a)));
  }
  auto store = KioskStore::open(dir_);
  EXPECT_EQ(text_of(store->load_draft(a)), "answers of pupil A");
  expect_store_error(StoreErrorKind::Corrupt, [&] { store->load_draft(b); });
}

TEST_F(StoreSecurityTest, RowMovedToAnotherIdIsCorrupt) {
  DraftId a = 0;
  {
    auto store = KioskStore::create(dir_);
    a = store->create_draft(kResponseA, "wellbeing", 1, as_bytes("answers"));
  }
  {
    RawDb raw(db_file());
    raw.exec("UPDATE drafts SET id = 1000 WHERE id = " + std::to_string(a));
  }
  auto store = KioskStore::open(dir_);
  ASSERT_TRUE(store->draft_info(1000));
  expect_store_error(StoreErrorKind::Corrupt, [&] { store->load_draft(1000); });
}

TEST_F(StoreSecurityTest, ChangedSurveyIdOrVersionIsCorrupt) {
  DraftId a = 0, b = 0;
  {
    auto store = KioskStore::create(dir_);
    a = store->create_draft(kResponseA, "wellbeing", 1, as_bytes("answers"));
    b = store->create_draft(kResponseB, "wellbeing", 1, as_bytes("answers"));
  }
  {
    RawDb raw(db_file());
    raw.exec("UPDATE drafts SET survey_id = 'bullying' WHERE id = " + std::to_string(a));
    raw.exec("UPDATE drafts SET survey_version = 2 WHERE id = " + std::to_string(b));
  }
  auto store = KioskStore::open(dir_);
  expect_store_error(StoreErrorKind::Corrupt, [&] { store->load_draft(a); });
  expect_store_error(StoreErrorKind::Corrupt, [&] { store->load_draft(b); });
}

TEST_F(StoreSecurityTest, EverySaveUsesAFreshNonce) {
  auto store = KioskStore::create(dir_);
  DraftId id = store->create_draft(kResponseA, "wellbeing", 1, as_bytes("same"));
  std::vector<Bytes> nonces;
  for (int i = 0; i < 3; ++i) {
    RawDb raw(db_file());
    nonces.push_back(raw.blob("SELECT nonce FROM drafts WHERE id = " + std::to_string(id)));
    EXPECT_EQ(nonces.back().size(), 12u);
    store->save_draft(id, as_bytes("same"));
  }
  EXPECT_NE(nonces[0], nonces[1]);
  EXPECT_NE(nonces[1], nonces[2]);
  EXPECT_NE(nonces[0], nonces[2]);
}

bool contains(const Bytes& haystack, const std::string& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

// Every regular file in the data directory that contains `needle`.
std::vector<fs::path> files_containing(const fs::path& dir, const std::string& needle) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && contains(read_file(entry.path()), needle)) out.push_back(entry.path());
  }
  return out;
}

TEST_F(StoreSecurityTest, NoPlaintextAnswerReachesAnyFile) {
  const std::string secret = "PURPLE-ELEPHANT-7731";
  std::string answers;
  for (int i = 0; i < 200; ++i) answers += "{\"q" + std::to_string(i) + "\":\"" + secret + "\"}";
  auto store = KioskStore::create(dir_);
  DraftId a = store->create_draft(kResponseA, "wellbeing", 1, as_bytes(answers));
  DraftId b = store->create_draft(kResponseB, "wellbeing", 1, as_bytes(secret));
  store->save_draft(a, as_bytes(answers + secret));
  store->save_draft(b, as_bytes(secret + answers));
  store->delete_draft(b);
  EXPECT_TRUE(fs::exists(dir_ / "kiosk.db-wal"));
  EXPECT_EQ(files_containing(dir_, secret), std::vector<fs::path>{}) << "while open";
  store.reset();
  EXPECT_EQ(files_containing(dir_, secret), std::vector<fs::path>{}) << "after close";
  // The scan itself works: a plaintext setting (not an answer) is found.
  KioskStore::open(dir_)->set_setting("note", secret);
  EXPECT_FALSE(files_containing(dir_, secret).empty());
}

TEST_F(StoreSecurityTest, ConnectionPragmas) {
  auto store = KioskStore::create(dir_);
  EXPECT_EQ(store->pragma_for_tests("journal_mode"), "wal");
  EXPECT_EQ(store->pragma_for_tests("synchronous"), "2");  // FULL
  EXPECT_EQ(store->pragma_for_tests("secure_delete"), "1");
  EXPECT_EQ(store->pragma_for_tests("temp_store"), "2");  // MEMORY
  EXPECT_EQ(store->pragma_for_tests("foreign_keys"), "1");
  EXPECT_EQ(store->pragma_for_tests("busy_timeout"), "5000");
  EXPECT_EQ(store->pragma_for_tests("query_only"), "0");
  EXPECT_EQ(store->pragma_for_tests("user_version"), std::to_string(KioskStore::kSchemaVersion));
  expect_store_error(StoreErrorKind::Io, [&] { store->pragma_for_tests("user_version = 5"); });
  store.reset();
  auto reopened = KioskStore::open(dir_);  // set again on every open
  EXPECT_EQ(reopened->pragma_for_tests("synchronous"), "2");
  EXPECT_EQ(reopened->pragma_for_tests("secure_delete"), "1");
  EXPECT_EQ(reopened->pragma_for_tests("journal_mode"), "wal");
}

TEST_F(StoreSecurityTest, NothingSensitiveIsIndexed) {
  KioskStore::create(dir_).reset();
  RawDb raw(db_file());
  // Only SQLite's own indexes for primary keys and UNIQUE: none cover nonce or ciphertext.
  EXPECT_EQ(raw.integer("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL"), 0);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM pragma_index_list('drafts') l, pragma_index_info(l.name) i "
                        "WHERE i.name IN ('nonce', 'ciphertext')"),
            0);
}

// A schema migration must carry the drafts across: they are bound to the schema version.
TEST_F(StoreSecurityTest, ResealingDraftsForAnotherSchemaVersion) {
  DraftId id = 0;
  {
    auto store = KioskStore::create(dir_);
    id = store->create_draft(kResponseA, "wellbeing", 1, as_bytes("answers"));
  }
  crypto::SecretBytes storage_key = key();
  auto reseal = [&](int from, int to) {
    RawDb raw(db_file());
    store::Op op{raw.get(), "reseal in test", db_file()};
    store::reseal_drafts(op, storage_key.view(), from, to);
  };
  reseal(1, 2);
  expect_store_error(StoreErrorKind::Corrupt, [&] { KioskStore::open(dir_)->load_draft(id); });
  reseal(2, 1);
  EXPECT_EQ(text_of(KioskStore::open(dir_)->load_draft(id)), "answers");
}

}  // namespace
}  // namespace tt::kiosk::testing
