// PupilSession against a real KioskStore in a temporary directory: every intent is saved before
// it returns, a draft resumes exactly, a refused intent saves nothing, and finish seals one
// response to the analysis key and removes the draft.
#include "kiosk/session/pupil_session.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "kiosk/store/kiosk_store.h"
#include "shared/crypto/key_files.h"
#include "shared/crypto/x25519.h"
#include "shared/survey/flow.h"
#include "shared/survey/response.h"

namespace tt::kiosk {
namespace {

namespace fs = std::filesystem;
using survey::Answer;
using survey::Declined;
using survey::FlowError;
using survey::OptionIds;
using ::testing::HasSubstr;

// One question of each kind that matters here; `lift` is shown only when travel is "car".
constexpr const char* kSurveyJson = R"({
  "format": 1,
  "id": "session-check",
  "version": 3,
  "title": "Session test",
  "languages": ["en"],
  "audience": {"year_groups": [7]},
  "identity": "pupil_code",
  "sections": [
    {"id": "main", "title": "About you", "category": "wellbeing", "questions": [
      {"id": "intro", "type": "info", "text": "Hello."},
      {"id": "mood", "type": "feelings", "text": "How do you feel?", "required": true},
      {"id": "travel", "type": "single", "text": "How do you travel?", "required": true,
       "options": [{"id": "bus", "label": "Bus"}, {"id": "walk", "label": "Walk"}, {"id": "car", "label": "Car"}]},
      {"id": "lift", "type": "yes_no", "text": "Does someone drive you?", "show_if": "travel == \"car\""},
      {"id": "worry", "type": "yes_no", "text": "Are you worried?", "sensitive": true},
      {"id": "clubs", "type": "multiple", "text": "Clubs?",
       "options": [{"id": "art", "label": "Art"}, {"id": "music", "label": "Music"}, {"id": "sport", "label": "Sport"}]},
      {"id": "note", "type": "text", "text": "Anything else?", "max_length": 30}
    ]}
  ],
  "end_message": "Thanks!",
  "safeguarding": {}
})";

constexpr const char* kSurveyId = "session-check";

class PupilSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "tutortime-session-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    dir_ = root_ / "data";
    keys_ = crypto::x25519_generate();
    store_ = make_store(dir_, true);
    survey_ = load_installed_survey(*store_, kSurveyId);
    options_.pupil_code = "7K2M4Q";
    options_.app_version = "test";
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  std::unique_ptr<KioskStore> make_store(const fs::path& dir, bool with_analysis_key) {
    auto store = KioskStore::create(dir);
    if (with_analysis_key) {
      store->set_setting(kSettingAnalysisPublicKey,
                         crypto::public_key_to_pem(crypto::KeyAlgorithm::X25519, keys_.public_key));
    }
    store->set_setting(kSettingDeviceId, "0123456789abcdef0123456789abcdef");
    InstalledSurvey s;
    s.survey_id = kSurveyId;
    s.version = 3;
    s.definition_json = kSurveyJson;
    s.signature = Bytes(64, 0);  // install() trusts its caller to have verified it
    store->install_survey(s);
    use_counting_clock(*store);
    return store;
  }

  // Every store write gets a later time, so an unchanged updated_at proves there was no save.
  void use_counting_clock(KioskStore& store) {
    store.set_clock_for_tests([this] { return ++clock_; });
  }

  // Closes the store and opens it again from its files, as after a restart.
  void reopen() {
    store_.reset();
    store_ = KioskStore::open(dir_);
    use_counting_clock(*store_);
  }

  std::string draft_text(DraftId id) const { return to_string(store_->load_draft(id).view()); }
  nlohmann::json draft_json(DraftId id) const { return nlohmann::json::parse(draft_text(id)); }

  nlohmann::json open(const SealedResponse& r) const {
    return survey::open_response(r.sealed, r.response_id, keys_.private_key.view());
  }

  // intro → mood 4 → travel car → lift yes: the session left at `lift`.
  PupilSession started_to_lift() {
    PupilSession s = PupilSession::begin(*store_, survey_, options_);
    s.next();
    s.answer(std::int64_t{4});
    s.next();
    s.answer(std::string("car"));
    s.next();
    s.answer(true);
    return s;
  }

  fs::path root_;
  fs::path dir_;
  crypto::X25519KeyPair keys_;
  std::unique_ptr<KioskStore> store_;
  std::shared_ptr<const survey::Survey> survey_;
  SessionOptions options_;
  UnixSeconds clock_ = 1'800'000'000;
};

TEST_F(PupilSessionTest, BeginCreatesADurableDraftAtTheFirstQuestion) {
  PupilSession s = PupilSession::begin(*store_, survey_, options_);
  ASSERT_NE(s.flow().current(), nullptr);
  EXPECT_EQ(s.flow().current()->id, "intro");
  EXPECT_TRUE(survey::is_response_id(s.response_id())) << s.response_id();
  EXPECT_EQ(s.language(), "en");
  DraftId id = s.draft_id();
  reopen();
  auto drafts = store_->drafts();
  ASSERT_EQ(drafts.size(), 1u);
  EXPECT_EQ(drafts[0].id, id);
  EXPECT_EQ(drafts[0].response_id, s.response_id());
  EXPECT_EQ(drafts[0].survey_id, kSurveyId);
  EXPECT_EQ(drafts[0].survey_version, 3);
  nlohmann::json j = draft_json(id);
  EXPECT_EQ(j["flow"], s.flow().to_json());
  EXPECT_EQ(j["pupil_code"], "7K2M4Q");
  EXPECT_EQ(j["talk_to_someone"], false);
}

TEST_F(PupilSessionTest, EveryIntentIsInTheStoreWhenItReturns) {
  PupilSession s = PupilSession::begin(*store_, survey_, options_);
  auto in_store = [&] { return draft_json(s.draft_id())["flow"]; };
  // A second connection sees each change: it is committed, not just cached.
  auto other = KioskStore::open(dir_);
  auto in_other = [&] { return nlohmann::json::parse(to_string(other->load_draft(s.draft_id()).view()))["flow"]; };
  std::vector<std::function<void()>> intents = {
      [&] { s.next(); },
      [&] { s.answer(std::int64_t{2}); },
      [&] { s.answer(std::int64_t{5}); },
      [&] { s.next(); },
      [&] { s.answer(std::string("walk")); },
      [&] { s.next(); },
      [&] { s.decline(); },
      [&] { s.clear(); },
      [&] { s.answer(false); },
      [&] { s.back(); },
      [&] { s.next(); },
      [&] { s.next(); },
      [&] {
        s.answer(OptionIds{"sport", "art"});
      },
      [&] { s.next(); },
      [&] { s.answer(std::string("bye")); },
      [&] { s.next(); },
  };
  for (std::size_t i = 0; i < intents.size(); ++i) {
    intents[i]();
    EXPECT_EQ(in_store(), s.flow().to_json()) << "after intent " << i;
    EXPECT_EQ(in_other(), s.flow().to_json()) << "after intent " << i;
  }
  EXPECT_EQ(s.flow().state(), survey::Flow::State::AtEnd);
  EXPECT_EQ(s.flow().to_json()["answers"],
            nlohmann::json::parse(R"({"mood": 5, "travel": "walk", "worry": false, "clubs": ["art", "sport"],
                                      "note": "bye"})"));
}

TEST_F(PupilSessionTest, ResumeRestoresTheExactFlow) {
  DraftId id = 0;
  std::string response_id;
  nlohmann::json saved;
  {
    PupilSession s = started_to_lift();
    s.next();
    s.decline();  // worry
    s.next();
    s.answer(OptionIds{"music"});
    s.back();  // back to worry: the current question is not the furthest one answered
    s.back();  // and to lift
    ASSERT_EQ(s.flow().current()->id, "lift");
    id = s.draft_id();
    response_id = s.response_id();
    saved = s.flow().to_json();
  }  // the session is gone
  reopen();
  PupilSession r = PupilSession::resume(*store_, id);
  EXPECT_EQ(r.draft_id(), id);
  EXPECT_EQ(r.response_id(), response_id);
  EXPECT_EQ(r.language(), "en");
  ASSERT_NE(r.flow().current(), nullptr);
  EXPECT_EQ(r.flow().current()->id, "lift");
  EXPECT_EQ(r.flow().state(), survey::Flow::State::AtQuestion);
  EXPECT_EQ(r.flow().to_json(), saved);
  survey::Answers expected = {{"mood", std::int64_t{4}},
                              {"travel", std::string("car")},
                              {"lift", true},
                              {"worry", Declined{}},
                              {"clubs", OptionIds{"music"}}};
  EXPECT_EQ(r.flow().answers(), expected);
  EXPECT_EQ(r.flow().progress().position, 4u);

  // It goes on from there, and a change that hides lift drops its answer.
  r.back();
  ASSERT_EQ(r.flow().current()->id, "travel");
  r.answer(std::string("bus"));
  EXPECT_EQ(r.flow().answer_of("lift"), nullptr);
  r.next();
  EXPECT_EQ(r.flow().current()->id, "worry") << "lift is hidden now";
  r.next();
  r.next();
  r.answer(std::string("see you"));
  SealedResponse sealed = r.finish();
  nlohmann::json response = open(sealed);
  EXPECT_EQ(response["response_id"], response_id);
  EXPECT_EQ(response["answers"], nlohmann::json::parse(R"({"mood": 4, "travel": "bus", "worry": {"declined": true},
                                                          "clubs": ["music"], "note": "see you"})"));
  EXPECT_EQ(response["identity"], nlohmann::json({{"mode", "pupil_code"}, {"pupil_code", "7K2M4Q"}}))
      << "the pupil code must survive a resume";
  EXPECT_EQ(response["app_version"], "test");
}

TEST_F(PupilSessionTest, ResumeAtTheEndStaysAtTheEnd) {
  DraftId id = 0;
  {
    PupilSession s = started_to_lift();
    for (int i = 0; i < 4; ++i) s.next();
    ASSERT_EQ(s.flow().state(), survey::Flow::State::AtEnd);
    id = s.draft_id();
  }
  reopen();
  PupilSession r = PupilSession::resume(*store_, id);
  EXPECT_EQ(r.flow().state(), survey::Flow::State::AtEnd);
  EXPECT_EQ(r.flow().current(), nullptr);
  r.back();
  EXPECT_EQ(r.flow().current()->id, "note");
}

TEST_F(PupilSessionTest, FinishMovesTheDraftToExactlyOneOutboxEntry) {
  PupilSession s = started_to_lift();
  s.next();
  s.next();
  s.answer(OptionIds{"sport", "art", "sport"});
  s.next();
  s.answer(std::string("done \"now\""));
  SealedResponse sealed = s.finish();
  EXPECT_EQ(s.flow().state(), survey::Flow::State::Finished);
  EXPECT_EQ(sealed.response_id, s.response_id());
  EXPECT_EQ(sealed.survey_id, kSurveyId);
  EXPECT_EQ(sealed.survey_version, 3);

  reopen();
  EXPECT_TRUE(store_->drafts().empty()) << "finish must remove the draft";
  EXPECT_FALSE(store_->draft_info(s.draft_id()).has_value());
  auto outbox = store_->outbox_all();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].response_id, sealed.response_id);
  EXPECT_EQ(outbox[0].sealed, sealed.sealed);
  EXPECT_EQ(outbox[0].survey_id, kSurveyId);
  EXPECT_FALSE(outbox[0].acknowledged_at.has_value());

  nlohmann::json response = open(outbox[0]);
  EXPECT_EQ(response["format"], survey::kResponseFormat);
  EXPECT_EQ(response["survey"], nlohmann::json({{"id", kSurveyId}, {"version", 3}}));
  EXPECT_EQ(response["answers"], nlohmann::json::parse(R"({"mood": 4, "travel": "car", "lift": true,
                                                          "clubs": ["art", "sport"], "note": "done \"now\""})"));
  EXPECT_EQ(response["device_id"], "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(response["talk_to_someone"], false);
  EXPECT_EQ(response["language"], "en");

  // The sealed bytes do not open with another key, nor under another response id.
  auto other = crypto::x25519_generate();
  EXPECT_THROW(survey::open_response(outbox[0].sealed, outbox[0].response_id, other.private_key.view()), Error);
  EXPECT_THROW(survey::open_response(outbox[0].sealed, "0123456789abcdef0123456789abcdef", keys_.private_key.view()),
               Error);
  // No plaintext in the store's files.
  for (const auto& e : fs::directory_iterator(dir_)) {
    std::ifstream in(e.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find("7K2M4Q"), std::string::npos) << e.path();
    EXPECT_EQ(bytes.find("done \\\"now"), std::string::npos) << e.path();
  }
}

TEST_F(PupilSessionTest, IntentsAfterFinishAreRefusedAndAddNothing) {
  PupilSession s = started_to_lift();
  for (int i = 0; i < 4; ++i) s.next();
  s.finish();
  EXPECT_THROW(s.answer(std::int64_t{1}), FlowError);
  EXPECT_THROW(s.back(), FlowError);
  EXPECT_THROW(s.next(), FlowError);
  EXPECT_THROW(s.finish(), FlowError);
  EXPECT_EQ(store_->outbox_all().size(), 1u);
  EXPECT_TRUE(store_->drafts().empty());
}

TEST_F(PupilSessionTest, ARefusedIntentSavesNothing) {
  PupilSession s = PupilSession::begin(*store_, survey_, options_);
  struct Case {
    const char* name;
    std::function<void()> intent;
    std::function<void()> get_there;  // run (and saved) before the refused intent
  };
  std::vector<Case> cases = {
      {"back on the first question", [&] { s.back(); }, [] {}},
      {"answer on an info screen", [&] { s.answer(std::int64_t{1}); }, [] {}},
      {"next on a required question", [&] { s.next(); }, [&] { s.next(); }},
      {"answer out of range", [&] { s.answer(std::int64_t{6}); }, [] {}},
      {"answer of the wrong type", [&] { s.answer(std::string("happy")); }, [] {}},
      {"decline where not offered", [&] { s.decline(); }, [] {}},
      {"an option that does not exist", [&] { s.answer(std::string("plane")); },
       [&] {
         s.answer(std::int64_t{3});
         s.next();
       }},
      {"finish with questions left", [&] { s.finish(); }, [] {}},
      {"a choice that does not exist",
       [&] {
         s.answer(OptionIds{"art", "chess"});
       },
       [&] {
         s.answer(std::string("walk"));
         s.next();
         s.next();
       }},
      {"text too long", [&] { s.answer(std::string(31, 'x')); }, [&] { s.next(); }},
      {"text with a control character", [&] { s.answer(std::string("a\tb")); }, [] {}},
  };
  for (const Case& c : cases) {
    c.get_there();
    std::string before = draft_text(s.draft_id());
    UnixSeconds updated_before = store_->draft_info(s.draft_id())->updated_at;
    nlohmann::json flow_before = s.flow().to_json();
    EXPECT_THROW(c.intent(), FlowError) << c.name;
    EXPECT_EQ(draft_text(s.draft_id()), before) << c.name << ": the draft changed";
    EXPECT_EQ(store_->draft_info(s.draft_id())->updated_at, updated_before) << c.name << ": the draft was saved";
    EXPECT_EQ(s.flow().to_json(), flow_before) << c.name << ": the flow in memory changed";
  }
  EXPECT_TRUE(store_->outbox_all().empty());
  EXPECT_EQ(store_->drafts().size(), 1u);

  // The check can fail: an accepted intent does save.
  UnixSeconds updated_before = store_->draft_info(s.draft_id())->updated_at;
  std::string before = draft_text(s.draft_id());
  s.answer(std::string("fine"));
  EXPECT_GT(store_->draft_info(s.draft_id())->updated_at, updated_before);
  EXPECT_NE(draft_text(s.draft_id()), before);
}

TEST_F(PupilSessionTest, TalkToSomeoneIsSavedResumedAndSealed) {
  DraftId id = 0;
  {
    PupilSession s = started_to_lift();
    s.set_talk_to_someone(true);
    id = s.draft_id();
    EXPECT_EQ(draft_json(id)["talk_to_someone"], true) << "set_talk_to_someone must save";
  }
  reopen();
  PupilSession r = PupilSession::resume(*store_, id);
  for (int i = 0; i < 4; ++i) r.next();
  nlohmann::json response = open(r.finish());
  EXPECT_EQ(response["talk_to_someone"], true);

  // And back off again.
  PupilSession t = started_to_lift();
  t.set_talk_to_someone(true);
  t.set_talk_to_someone(false);
  for (int i = 0; i < 4; ++i) t.next();
  EXPECT_EQ(open(t.finish())["talk_to_someone"], false);
}

TEST_F(PupilSessionTest, APupilCodeSurveyNeedsACodeBeforeADraftExists) {
  SessionOptions no_code;
  EXPECT_THROW(PupilSession::begin(*store_, survey_, no_code), Error);
  EXPECT_TRUE(store_->drafts().empty());
}

TEST_F(PupilSessionTest, AnAnonymousSurveyNeverKeepsTheCode) {
  std::string anonymous = kSurveyJson;
  anonymous.replace(anonymous.find("\"pupil_code\""), std::strlen("\"pupil_code\""), "\"anonymous\"");
  anonymous.replace(anonymous.find("\"session-check\""), std::strlen("\"session-check\""), "\"session-anon\"");
  InstalledSurvey s;
  s.survey_id = "session-anon";
  s.version = 3;
  s.definition_json = anonymous;
  s.signature = Bytes(64, 0);
  store_->install_survey(s);
  PupilSession p = PupilSession::begin(*store_, load_installed_survey(*store_, "session-anon"), options_);
  EXPECT_FALSE(draft_json(p.draft_id()).contains("pupil_code")) << draft_text(p.draft_id());
  p.next();
  p.answer(std::int64_t{1});
  p.next();
  p.answer(std::string("bus"));
  for (int i = 0; i < 4; ++i) p.next();
  nlohmann::json response = open(p.finish());
  EXPECT_EQ(response["identity"], nlohmann::json({{"mode", "anonymous"}}));
  EXPECT_EQ(response.dump().find("7K2M4Q"), std::string::npos);
}

TEST_F(PupilSessionTest, ALanguageTheSurveyLacksIsRefused) {
  SessionOptions welsh = options_;
  welsh.language = "cy";
  try {
    PupilSession::begin(*store_, survey_, welsh);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("\"cy\""));
  }
  EXPECT_TRUE(store_->drafts().empty());
}

// Without an analysis key nothing can be sealed. The session may refuse at begin (before any
// draft exists) or at finish (keeping the draft); either way nothing is lost and nothing is
// sealed to no key.
TEST_F(PupilSessionTest, WithoutAnAnalysisKeyNothingIsSealedAndNothingIsLost) {
  auto bare = make_store(root_ / "bare", false);
  auto expect_not_set_up = [](const StoreError& e) {
    EXPECT_EQ(e.kind(), StoreErrorKind::NotSetUp) << e.what();
    EXPECT_THAT(e.what(), HasSubstr("analysis public key"));
    EXPECT_THAT(e.what(), HasSubstr("setup"));
  };
  std::optional<PupilSession> s;
  try {
    s.emplace(PupilSession::begin(*bare, load_installed_survey(*bare, kSurveyId), options_));
  } catch (const StoreError& e) {
    expect_not_set_up(e);
    EXPECT_TRUE(bare->drafts().empty()) << "begin refused but left a draft";
    EXPECT_TRUE(bare->outbox_all().empty());
    return;
  }
  s->next();
  s->answer(std::int64_t{2});
  s->next();
  s->answer(std::string("walk"));
  for (int i = 0; i < 4; ++i) s->next();
  std::string before = to_string(bare->load_draft(s->draft_id()).view());
  try {
    s->finish();
    ADD_FAILURE() << "finish sealed to no key";
  } catch (const StoreError& e) {
    expect_not_set_up(e);
  }
  EXPECT_TRUE(bare->outbox_all().empty());
  ASSERT_EQ(bare->drafts().size(), 1u);
  EXPECT_EQ(to_string(bare->load_draft(s->draft_id()).view()), before);
  EXPECT_EQ(s->flow().state(), survey::Flow::State::AtEnd) << "a failed finish must not leave the flow finished";
}

TEST_F(PupilSessionTest, ResumingADraftThatDoesNotExistIsNotFound) {
  try {
    PupilSession::resume(*store_, 4242);
    ADD_FAILURE() << "no error";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.kind(), StoreErrorKind::NotFound);
    EXPECT_THAT(e.what(), HasSubstr("4242"));
  }
}

TEST_F(PupilSessionTest, TwoSessionsKeepTheirOwnDrafts) {
  PupilSession a = started_to_lift();
  PupilSession b = PupilSession::begin(*store_, survey_, options_);
  b.next();
  b.answer(std::int64_t{1});
  EXPECT_NE(a.draft_id(), b.draft_id());
  EXPECT_NE(a.response_id(), b.response_id());
  EXPECT_EQ(draft_json(a.draft_id())["flow"], a.flow().to_json());
  EXPECT_EQ(draft_json(b.draft_id())["flow"], b.flow().to_json());
  EXPECT_EQ(store_->drafts().size(), 2u);
}

}  // namespace
}  // namespace tt::kiosk

namespace tt::kiosk {
namespace {

// A returning pupil's draft is found by their code, on the same local day only.
TEST_F(PupilSessionTest, ADraftIsFoundByItsPupilCodeOnTheSameDayOnly) {
  const UnixSeconds now = 1796400000;  // 2026-12-04, 16:00 UTC
  store_->set_clock_for_tests([now] { return now - 3600; });
  PupilSession earlier = PupilSession::begin(*store_, survey_, options_);
  earlier.next();  // past the info screen
  earlier.answer(std::int64_t{4});
  store_->set_clock_for_tests([now] { return now - 2 * 86400; });
  SessionOptions other_day = options_;
  PupilSession::begin(*store_, survey_, other_day);  // the same code, two days ago
  auto found = find_same_day_draft(*store_, kSurveyId, "7K2M4Q", now);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, earlier.draft_id());
  EXPECT_FALSE(find_same_day_draft(*store_, kSurveyId, "4HW9TN", now).has_value());
  EXPECT_FALSE(find_same_day_draft(*store_, "another-survey", "7K2M4Q", now).has_value());
  EXPECT_FALSE(find_same_day_draft(*store_, kSurveyId, "7K2M4Q", now + 2 * 86400).has_value());

  // Coming back: the answered questions are passed over, to the first one still open.
  PupilSession back = PupilSession::resume(*store_, *found);
  ASSERT_EQ(back.flow().current()->id, "mood");
  back.skip_answered();
  EXPECT_EQ(back.flow().current()->id, "travel");
  EXPECT_EQ(PupilSession::resume(*store_, *found).flow().current()->id, "travel");  // and that was saved
}

}  // namespace
}  // namespace tt::kiosk
