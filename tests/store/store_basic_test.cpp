// Round trips of every store operation, reopening, and the outbox's ordering and bounds.
#include "tests/store/store_test_support.h"

namespace tt::kiosk::testing {
namespace {

using StoreBasicTest = StoreTest;

const std::string kResponseA = "0123456789abcdef0123456789abcdef";
const std::string kResponseB = "fedcba9876543210fedcba9876543210";
const std::string kResponseC = "00000000000000000000000000000000";

TEST_F(StoreBasicTest, CreateMakesPrivateDirectoryKeyAndDatabase) {
  auto store = KioskStore::create(dir_);
  struct stat st;
  ASSERT_EQ(::stat(dir_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  ASSERT_EQ(::stat(key_file().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  ASSERT_EQ(::stat(db_file().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u) << "the database file must not be readable by others";
  EXPECT_EQ(store->database_path(), db_file());
  EXPECT_EQ(store->integrity_check(), "ok");
}

TEST_F(StoreBasicTest, CreateRefusesToReplaceAKey) {
  KioskStore::create(dir_).reset();
  FileSnapshot before = snapshot(key_file());
  std::string message = expect_store_error(StoreErrorKind::Io, [&] { KioskStore::create(dir_); });
  EXPECT_NE(message.find("storage key already exists"), std::string::npos) << message;
  EXPECT_EQ(snapshot(key_file()), before);
}

TEST_F(StoreBasicTest, OpenWithoutSetupIsNotSetUp) {
  expect_store_error(StoreErrorKind::NotSetUp, [&] { KioskStore::open(dir_); });
  fs::create_directories(dir_);
  std::string message = expect_store_error(StoreErrorKind::NotSetUp, [&] { KioskStore::open(dir_); });
  EXPECT_NE(message.find("setup"), std::string::npos) << message;
}

TEST_F(StoreBasicTest, OpenRefusesAKeyFileOthersCanRead) {
  KioskStore::create(dir_).reset();
  fs::permissions(key_file(), fs::perms::group_read, fs::perm_options::add);
  std::string message = expect_store_error(StoreErrorKind::Io, [&] { KioskStore::open(dir_); });
  EXPECT_NE(message.find("0640"), std::string::npos) << message;
  EXPECT_NE(message.find("chmod 600"), std::string::npos) << message;
}

TEST_F(StoreBasicTest, OpenRefusesAKeyFileOfTheWrongSize) {
  KioskStore::create(dir_).reset();
  Bytes key = read_file(key_file());
  key.pop_back();
  write_file(key_file(), key);
  fs::permissions(key_file(), fs::perms::owner_read | fs::perms::owner_write);
  std::string message = expect_store_error(StoreErrorKind::WrongKey, [&] { KioskStore::open(dir_); });
  EXPECT_NE(message.find("31 bytes"), std::string::npos) << message;
}

TEST_F(StoreBasicTest, OpenReportsWhatItDid) {
  KioskStore::create(dir_).reset();
  OpenReport report;
  report.created = true;
  KioskStore::open(dir_, &report);
  EXPECT_FALSE(report.created);
  EXPECT_FALSE(report.moved_aside);
  EXPECT_EQ(report.migrated_from_schema, 0);

  // The key is there but the database is gone: a new one is started and reported.
  fs::remove(db_file());
  KioskStore::open(dir_, &report);
  EXPECT_TRUE(report.created);
}

TEST_F(StoreBasicTest, SettingsRoundTrip) {
  auto store = KioskStore::create(dir_);
  EXPECT_FALSE(store->setting("device_id"));
  store->set_setting("device_id", "abc");
  store->set_setting("school", "Hill Road");
  store->set_setting("device_id", "def");
  EXPECT_EQ(store->setting("device_id"), "def");
  EXPECT_EQ(store->setting("school"), "Hill Road");
}

InstalledSurvey make_survey(const std::string& id, std::int64_t version, const std::string& body) {
  return InstalledSurvey{id, version, "{\"id\":\"" + id + "\",\"v\":" + std::to_string(version) + body + "}",
                         Bytes(64, static_cast<std::uint8_t>(version)), 0};
}

TEST_F(StoreBasicTest, SurveysRoundTrip) {
  auto store = KioskStore::create(dir_);
  store->set_clock_for_tests([] { return UnixSeconds{1700000000}; });
  store->install_survey(make_survey("wellbeing", 1, ""));
  store->install_survey(make_survey("wellbeing", 2, ""));
  store->install_survey(make_survey("bullying", 7, ""));

  auto all = store->installed_surveys();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].survey_id, "bullying");
  EXPECT_EQ(all[1].survey_id, "wellbeing");
  EXPECT_EQ(all[1].version, 2);
  EXPECT_EQ(all[2].version, 1);

  auto newest = store->survey("wellbeing");
  ASSERT_TRUE(newest);
  EXPECT_EQ(newest->version, 2);
  EXPECT_EQ(newest->definition_json, make_survey("wellbeing", 2, "").definition_json);
  EXPECT_EQ(newest->signature, Bytes(64, 2));
  EXPECT_EQ(newest->installed_at, 1700000000);
  auto first = store->survey("wellbeing", 1);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->version, 1);
  EXPECT_FALSE(store->survey("wellbeing", 3));
  EXPECT_FALSE(store->survey("nothing"));

  store->install_survey(make_survey("wellbeing", 2, ""));  // the same again: a no-op
  std::string message = expect_store_error(
      StoreErrorKind::Io, [&] { store->install_survey(make_survey("wellbeing", 2, ",\"changed\":true")); });
  EXPECT_NE(message.find("install survey wellbeing version 2 in " + db_file().string()), std::string::npos) << message;
  EXPECT_EQ(store->survey("wellbeing", 2)->definition_json, make_survey("wellbeing", 2, "").definition_json);
}

TEST_F(StoreBasicTest, DraftRoundTrip) {
  auto store = KioskStore::create(dir_);
  UnixSeconds now = 1000;
  store->set_clock_for_tests([&] { return now; });
  DraftId a = store->create_draft(kResponseA, "wellbeing", 2, as_bytes("answers v1"));
  now = 1005;
  DraftId b = store->create_draft(kResponseB, "bullying", 7, {});
  EXPECT_NE(a, b);
  EXPECT_EQ(text_of(store->load_draft(a)), "answers v1");
  EXPECT_EQ(store->load_draft(b).size(), 0u);

  now = 1010;
  store->save_draft(a, as_bytes("answers v2, longer than before"));
  EXPECT_EQ(text_of(store->load_draft(a)), "answers v2, longer than before");

  auto info = store->draft_info(a);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->response_id, kResponseA);
  EXPECT_EQ(info->survey_id, "wellbeing");
  EXPECT_EQ(info->survey_version, 2);
  EXPECT_EQ(info->created_at, 1000);
  EXPECT_EQ(info->updated_at, 1010);

  auto list = store->drafts();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, a);
  EXPECT_EQ(list[1].id, b);
  EXPECT_EQ(list[1].response_id, kResponseB);
  EXPECT_EQ(list[1].survey_id, "bullying");
  EXPECT_EQ(list[1].survey_version, 7);
  EXPECT_EQ(list[1].created_at, 1005);

  store->delete_draft(a);
  EXPECT_FALSE(store->draft_info(a));
  EXPECT_EQ(store->drafts().size(), 1u);
  expect_store_error(StoreErrorKind::NotFound, [&] { store->delete_draft(a); });
  expect_store_error(StoreErrorKind::NotFound, [&] { store->load_draft(a); });
  expect_store_error(StoreErrorKind::NotFound, [&] { store->save_draft(a, as_bytes("x")); });
  expect_store_error(StoreErrorKind::Io, [&] { store->create_draft(kResponseB, "bullying", 7, {}); });
}

TEST_F(StoreBasicTest, DraftIdsAreNeverReused) {
  auto store = KioskStore::create(dir_);
  DraftId a = store->create_draft(kResponseA, "s", 1, as_bytes("a"));
  store->delete_draft(a);
  DraftId b = store->create_draft(kResponseB, "s", 1, as_bytes("b"));
  EXPECT_GT(b, a);
}

TEST_F(StoreBasicTest, DiscardsDraftsNotUpdatedSinceCutoff) {
  auto store = KioskStore::create(dir_);
  UnixSeconds now = 100;
  store->set_clock_for_tests([&] { return now; });
  DraftId old_one = store->create_draft(kResponseA, "s", 1, as_bytes("a"));
  DraftId kept = store->create_draft(kResponseB, "s", 1, as_bytes("b"));
  now = 200;
  store->save_draft(kept, as_bytes("b2"));
  EXPECT_EQ(store->discard_drafts_older_than(150), 1);
  EXPECT_FALSE(store->draft_info(old_one));
  EXPECT_EQ(text_of(store->load_draft(kept)), "b2");
  EXPECT_EQ(store->discard_drafts_older_than(150), 0);
}

SealedResponse sealed(const std::string& response_id, std::size_t size, UnixSeconds finished_at) {
  SealedResponse r;
  r.response_id = response_id;
  r.sealed = Bytes(size, static_cast<std::uint8_t>(response_id[0]));
  r.finished_at = finished_at;
  return r;
}

TEST_F(StoreBasicTest, FinishDraftMovesItToTheOutbox) {
  auto store = KioskStore::create(dir_);
  store->set_clock_for_tests([] { return UnixSeconds{500}; });
  DraftId id = store->create_draft(kResponseA, "wellbeing", 2, as_bytes("answers"));
  SealedResponse r;
  r.sealed = bytes_of("enc||ciphertext");
  store->finish_draft(id, r);

  EXPECT_FALSE(store->draft_info(id));
  EXPECT_TRUE(store->drafts().empty());
  auto entry = store->outbox_entry(kResponseA);
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->survey_id, "wellbeing");
  EXPECT_EQ(entry->survey_version, 2);
  EXPECT_EQ(entry->sealed, bytes_of("enc||ciphertext"));
  EXPECT_EQ(entry->finished_at, 500);
  EXPECT_FALSE(entry->acknowledged_at);
  expect_store_error(StoreErrorKind::NotFound, [&] { store->finish_draft(id, r); });
  // A finished response id cannot start a new draft.
  expect_store_error(StoreErrorKind::Io, [&] { store->create_draft(kResponseA, "wellbeing", 2, {}); });
}

TEST_F(StoreBasicTest, FinishWithAResponseAlreadyInTheOutboxKeepsTheDraft) {
  DraftId id = 0;
  {
    auto store = KioskStore::create(dir_);
    id = store->create_draft(kResponseA, "wellbeing", 2, as_bytes("answers"));
  }
  {
    RawDb raw(db_file());  // as if an earlier run had already finished this response
    raw.exec("INSERT INTO outbox VALUES('" + kResponseA + "', 'wellbeing', 2, x'01020304', 1, NULL)");
  }
  auto store = KioskStore::open(dir_);
  SealedResponse r = sealed(kResponseA, 10, 2);
  std::string message = expect_store_error(StoreErrorKind::Io, [&] { store->finish_draft(id, r); });
  EXPECT_NE(message.find("already in the outbox"), std::string::npos) << message;
  EXPECT_EQ(text_of(store->load_draft(id)), "answers");
  ASSERT_EQ(store->outbox_all().size(), 1u);
  EXPECT_EQ(store->outbox_all()[0].sealed, (Bytes{1, 2, 3, 4}));
}

TEST_F(StoreBasicTest, FinishRefusesAResponseForAnotherDraft) {
  auto store = KioskStore::create(dir_);
  DraftId id = store->create_draft(kResponseA, "wellbeing", 2, as_bytes("answers"));
  expect_store_error(StoreErrorKind::Io, [&] { store->finish_draft(id, sealed(kResponseB, 10, 1)); });
  SealedResponse other_survey = sealed(kResponseA, 10, 1);
  other_survey.survey_id = "bullying";
  expect_store_error(StoreErrorKind::Io, [&] { store->finish_draft(id, other_survey); });
  EXPECT_EQ(text_of(store->load_draft(id)), "answers");
  EXPECT_TRUE(store->outbox_all().empty());
}

// Fills the outbox with responses finished at the given times, in this insertion order.
void fill_outbox(KioskStore& store, const std::vector<std::pair<std::string, UnixSeconds>>& rows, std::size_t size) {
  for (const auto& [rid, at] : rows) {
    DraftId id = store.create_draft(rid, "s", 1, as_bytes("x"));
    store.finish_draft(id, sealed(rid, size, at));
  }
}

std::vector<std::string> ids(const std::vector<SealedResponse>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.response_id);
  return out;
}

TEST_F(StoreBasicTest, OutboxWaitingIsOldestFirstAndBounded) {
  auto store = KioskStore::create(dir_);
  fill_outbox(*store, {{"d", 30}, {"b", 10}, {"c", 20}, {"a", 20}}, 100);
  using V = std::vector<std::string>;
  EXPECT_EQ(ids(store->outbox_waiting(10, 1'000'000)), (V{"b", "c", "a", "d"}));  // ties: insertion order
  EXPECT_EQ(ids(store->outbox_waiting(2, 1'000'000)), (V{"b", "c"}));
  EXPECT_EQ(ids(store->outbox_waiting(10, 250)), (V{"b", "c"}));
  EXPECT_EQ(ids(store->outbox_waiting(10, 300)), (V{"b", "c", "a"}));
  EXPECT_EQ(ids(store->outbox_waiting(10, 1)), (V{"b"})) << "one row even if it alone is too big";
  EXPECT_EQ(ids(store->outbox_waiting(0, 1'000'000)), (V{"b"}));
  EXPECT_EQ(store->mark_acknowledged({"b", "c"}), 2);
  EXPECT_EQ(ids(store->outbox_waiting(10, 1'000'000)), (V{"a", "d"}));
  EXPECT_EQ(store->mark_acknowledged({"a", "d"}), 2);
  EXPECT_TRUE(store->outbox_waiting(10, 1'000'000).empty());
}

TEST_F(StoreBasicTest, AcknowledgeAndPurgeNeverLoseUnacknowledgedRows) {
  {
    auto store = KioskStore::create(dir_);
    store->set_clock_for_tests([] { return UnixSeconds{900}; });
    fill_outbox(*store, {{"a", 1}, {"b", 2}, {"c", 3}}, 50);
    EXPECT_EQ(store->purge_acknowledged(), 0);
    EXPECT_EQ(store->outbox_all().size(), 3u);
    EXPECT_EQ(store->mark_acknowledged({"a", "unknown", "c"}), 2);
    EXPECT_EQ(store->mark_acknowledged({"a"}), 0) << "already acknowledged";
    EXPECT_EQ(store->outbox_entry("a")->acknowledged_at, 900);
    EXPECT_FALSE(store->outbox_entry("b")->acknowledged_at);

    OutboxSummary summary = store->outbox_summary();
    EXPECT_EQ(summary.waiting, 1);
    EXPECT_EQ(summary.waiting_bytes, 50);
    EXPECT_EQ(summary.oldest_waiting_finished_at, 2);
    EXPECT_EQ(summary.acknowledged_not_purged, 2);
  }
  auto store = KioskStore::open(dir_);  // the acknowledgements were durable
  EXPECT_EQ(store->outbox_summary().acknowledged_not_purged, 2);
  EXPECT_EQ(store->purge_acknowledged(), 2);
  auto left = store->outbox_all();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].response_id, "b");
  EXPECT_EQ(left[0].sealed, Bytes(50, 'b'));
  EXPECT_EQ(store->purge_acknowledged(), 0);
  OutboxSummary summary = store->outbox_summary();
  EXPECT_EQ(summary.waiting, 1);
  EXPECT_EQ(summary.acknowledged_not_purged, 0);
}

TEST_F(StoreBasicTest, ForgetAcknowledgedDeletesOnlyWhatWasNamedOrMarked) {
  {
    auto store = KioskStore::create(dir_);
    fill_outbox(*store, {{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}}, 50);
    EXPECT_EQ(store->mark_acknowledged({"d"}), 1);  // e.g. a pass cut off between mark and purge
    EXPECT_EQ(store->forget_acknowledged({"a", "unknown", "c"}), 3) << "a, c and the marked d";
    EXPECT_EQ(store->forget_acknowledged({"a"}), 0) << "gone already";
  }
  auto store = KioskStore::open(dir_);  // durable
  auto left = store->outbox_all();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].response_id, "b");
  EXPECT_EQ(left[0].sealed, Bytes(50, 'b'));
  EXPECT_EQ(store->outbox_summary().acknowledged_not_purged, 0);
}

TEST_F(StoreBasicTest, EmptyOutboxSummary) {
  auto store = KioskStore::create(dir_);
  OutboxSummary summary = store->outbox_summary();
  EXPECT_EQ(summary.waiting, 0);
  EXPECT_EQ(summary.waiting_bytes, 0);
  EXPECT_FALSE(summary.oldest_waiting_finished_at);
  EXPECT_TRUE(store->outbox_waiting(10, 10).empty());
}

TEST_F(StoreBasicTest, ReopenKeepsEverything) {
  DraftId draft = 0;
  {
    auto store = KioskStore::create(dir_);
    store->set_setting("device_id", "kiosk-7");
    store->install_survey(make_survey("wellbeing", 1, ""));
    draft = store->create_draft(kResponseA, "wellbeing", 1, as_bytes("half done"));
    DraftId done = store->create_draft(kResponseB, "wellbeing", 1, as_bytes("done"));
    store->finish_draft(done, sealed(kResponseB, 20, 5));
    fill_outbox(*store, {{kResponseC, 6}}, 30);
    store->mark_acknowledged({kResponseC});
  }
  OpenReport report;
  auto store = KioskStore::open(dir_, &report);
  EXPECT_FALSE(report.created);
  EXPECT_EQ(store->setting("device_id"), "kiosk-7");
  ASSERT_TRUE(store->survey("wellbeing"));
  EXPECT_EQ(store->survey("wellbeing")->definition_json, make_survey("wellbeing", 1, "").definition_json);
  EXPECT_EQ(text_of(store->load_draft(draft)), "half done");
  ASSERT_EQ(store->drafts().size(), 1u);
  ASSERT_EQ(store->outbox_all().size(), 2u);
  EXPECT_EQ(store->outbox_entry(kResponseB)->sealed, Bytes(20, kResponseB[0]));
  EXPECT_TRUE(store->outbox_entry(kResponseC)->acknowledged_at);
  EXPECT_EQ(store->integrity_check(), "ok");
}

}  // namespace
}  // namespace tt::kiosk::testing
