// install_survey_updates (kiosk/session/survey_update.h) against a real KioskStore in a
// temporary directory: what verifies is installed once; a tampered, wrongly signed, invalid,
// undrawable or changed survey is refused with why and installs nothing; a pupil mid-survey
// keeps the version they started.
#include "kiosk/session/survey_update.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "kiosk/session/pupil_session.h"
#include "kiosk/store/kiosk_store.h"
#include "shared/crypto/ed25519.h"
#include "shared/protocol/distribution.h"
#include "shared/protocol/json_body.h"
#include "shared/survey/survey_signature.h"
#include "tests/session/signed_store_test.h"

namespace tt::kiosk {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;

// A valid survey at `version`, with `title` as its title.
std::string survey_text(int version, const std::string& title = "Update check") {
  json j = {{"format", 1},
            {"id", "update-check"},
            {"version", version},
            {"title", title},
            {"languages", {"en"}},
            {"audience", {{"year_groups", {7}}}},
            {"identity", "anonymous"},
            {"sections",
             {{{"id", "main"},
               {"title", "About you"},
               {"category", "wellbeing"},
               {"questions", {{{"id", "mood"}, {"type", "feelings"}, {"text", "How do you feel?"}}}}}}},
            {"end_message", "Thanks!"},
            {"safeguarding", json::object()}};
  return j.dump(2);
}

std::optional<std::string> all_drawable(const json&) {
  return std::nullopt;
}

class SurveyUpdateTest : public testing::SignedStoreTest {
 protected:
  SurveyUpdateTest() : SignedStoreTest("survey-update") {}

  protocol::SignedSurvey signed_survey(const std::string& text, int version) const {
    return {"update-check", version, text, survey::sign_survey(as_bytes(text), signing_.private_key.view())};
  }
  static std::string reply_of(std::vector<protocol::SignedSurvey> surveys) {
    return protocol::to_json(protocol::SurveysReply{std::move(surveys)});
  }
  std::vector<SurveyUpdateResult> install(const std::string& body, const UndrawableTextFinder& finder = all_drawable) {
    return install_survey_updates(*store_, body, finder);
  }
};

TEST_F(SurveyUpdateTest, InstallsWhatVerifiesOnceAndSaysSo) {
  std::string v1 = survey_text(1);
  auto results = install(reply_of({signed_survey(v1, 1)}));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, SurveyUpdateOutcome::Installed) << results[0].reason;
  EXPECT_EQ(results[0].survey_id, "update-check");
  EXPECT_EQ(results[0].version, 1);
  ASSERT_TRUE(store_->survey("update-check", 1));
  EXPECT_EQ(store_->survey("update-check", 1)->definition_json, v1) << "verbatim";
  results = install(reply_of({signed_survey(v1, 1)}));
  EXPECT_EQ(results.at(0).outcome, SurveyUpdateOutcome::AlreadyInstalled);
  EXPECT_STREQ(survey_update_outcome_name(results[0].outcome), "already installed");
  EXPECT_EQ(store_->installed_surveys().size(), 1u);
}

TEST_F(SurveyUpdateTest, RefusesTamperedWronglySignedInvalidAndUndrawableSurveys) {
  std::string text = survey_text(1);
  protocol::SignedSurvey tampered = signed_survey(text, 1);
  tampered.definition = survey_text(1, "Update check!");
  protocol::SignedSurvey other_key = signed_survey(text, 1);
  other_key.signature = survey::sign_survey(as_bytes(text), crypto::ed25519_generate().private_key.view());
  std::string broken = R"({"format": 1, "id": "update-check", "version": 1})";
  protocol::SignedSurvey invalid = signed_survey(broken, 1);
  auto results = install(reply_of({tampered, other_key, invalid}));
  ASSERT_EQ(results.size(), 3u);
  for (const auto& r : results) EXPECT_EQ(r.outcome, SurveyUpdateOutcome::Refused);
  EXPECT_THAT(results[0].reason, HasSubstr("signature"));
  EXPECT_THAT(results[1].reason, HasSubstr("signature"));
  EXPECT_THAT(results[2].reason, HasSubstr("missing the required field"));
  EXPECT_TRUE(store_->installed_surveys().empty()) << "nothing refused is installed";

  auto undrawable = [](const json&) -> std::optional<std::string> { return "/title: U+0627 cannot be drawn"; };
  results = install(reply_of({signed_survey(text, 1)}), undrawable);
  EXPECT_EQ(results.at(0).outcome, SurveyUpdateOutcome::Refused);
  EXPECT_THAT(results[0].reason, HasSubstr("cannot show it to pupils: /title: U+0627"));
  EXPECT_TRUE(store_->installed_surveys().empty());
}

TEST_F(SurveyUpdateTest, RefusesADefinitionThatIsNotTheSurveyTheReplyNames) {
  std::string v2 = survey_text(2);
  protocol::SignedSurvey mislabelled = signed_survey(v2, 1);  // signed v2 bytes offered as v1
  auto results = install(reply_of({mislabelled}));
  EXPECT_EQ(results.at(0).outcome, SurveyUpdateOutcome::Refused);
  EXPECT_THAT(results[0].reason, HasSubstr("is survey update-check version 2"));
}

TEST_F(SurveyUpdateTest, AChangedSurveyNeedsANewVersionAndOneRefusalDoesNotStopTheOthers) {
  ASSERT_EQ(install(reply_of({signed_survey(survey_text(1), 1)})).at(0).outcome, SurveyUpdateOutcome::Installed);
  std::string changed = survey_text(1, "Changed title");
  auto results = install(reply_of({signed_survey(changed, 1), signed_survey(survey_text(2), 2)}));
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].outcome, SurveyUpdateOutcome::Refused);
  EXPECT_THAT(results[0].reason, HasSubstr("needs a new version"));
  EXPECT_EQ(results[1].outcome, SurveyUpdateOutcome::Installed) << results[1].reason;
  EXPECT_EQ(store_->survey("update-check", 1)->definition_json, survey_text(1)) << "the first bytes stay";
}

TEST_F(SurveyUpdateTest, APupilMidSurveyKeepsTheVersionTheyStarted) {
  ASSERT_EQ(install(reply_of({signed_survey(survey_text(1), 1)})).at(0).outcome, SurveyUpdateOutcome::Installed);
  DraftId draft = store_->create_draft("0123456789abcdef0123456789abcdef", "update-check", 1, as_bytes("{}"));
  ASSERT_EQ(install(reply_of({signed_survey(survey_text(2), 2)})).at(0).outcome, SurveyUpdateOutcome::Installed);
  EXPECT_EQ(store_->survey("update-check")->version, 2) << "new pupils get version 2";
  ASSERT_TRUE(store_->survey("update-check", 1)) << "version 1 stays for the pupil who started it";
  auto drafts = store_->drafts();
  ASSERT_EQ(drafts.size(), 1u);
  EXPECT_EQ(drafts[0].id, draft);
  EXPECT_EQ(drafts[0].survey_version, 1);
}

TEST_F(SurveyUpdateTest, AReplyThatIsNotTheProtocolInstallsNothing) {
  EXPECT_THROW(install("<html>Sign in to the school Wi-Fi</html>"), protocol::ProtocolError);
  EXPECT_THROW(install(R"({"surveys": [{"survey_id": "update-check"}]})"), protocol::ProtocolError);
  EXPECT_TRUE(store_->installed_surveys().empty());
}

TEST_F(SurveyUpdateTest, AKioskWithoutASigningKeyCannotInstall) {
  auto bare = KioskStore::create(root_ / "bare");
  EXPECT_THROW(install_survey_updates(*bare, reply_of({signed_survey(survey_text(1), 1)}), all_drawable), StoreError);
  EXPECT_TRUE(bare->installed_surveys().empty());
}

}  // namespace
}  // namespace tt::kiosk
