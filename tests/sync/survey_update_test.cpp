// Survey updates through the real processes: the central team publishes a signed survey, a
// kiosk enrolled with the same signing key runs `sync --once`, and the survey is installed; a
// later version is installed beside it while a pupil's draft keeps the version it started; a
// survey the kiosk's key does not verify is refused, and the upload itself is not affected.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kiosk/session/pupil_session.h"
#include "kiosk/session/roster_update.h"
#include "shared/crypto/ed25519.h"
#include "shared/protocol/distribution.h"
#include "shared/protocol/roster.h"
#include "shared/survey/survey_loader.h"
#include "shared/survey/survey_signature.h"
#include "tests/sync/kiosk_sync_fixture.h"

namespace tt::sync::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class SurveyUpdateTest : public KioskSyncTest {
 protected:
  static std::string baseline_text() {
    return cli_testing::read_text(cli_testing::kSurveysDir / "y7-baseline.survey.json");
  }
  static std::string with_version(const std::string& text, int version) {
    nlohmann::json j = nlohmann::json::parse(text);
    j["version"] = version;
    return j.dump(2);
  }
  // What the central team does: sign with signing.key and POST /v1/admin/surveys.
  void publish(const std::string& text) {
    Bytes signature = survey::sign_survey(as_bytes(text), signing_.private_key.view());
    auto r = post_json(protocol::kAdminSurveysPath, protocol::to_json(protocol::PublishSurveyRequest{text, signature}),
                       admin_headers());
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
  }
  // (id, version) of every survey `survey list --json` shows.
  std::vector<std::pair<std::string, std::int64_t>> listed() {
    RunResult r = kiosk({"survey", "list", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r;
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (const auto& s : cli_testing::parse_json(r.out)) out.emplace_back(s["survey_id"], s["version"]);
    return out;
  }
};

TEST_F(SurveyUpdateTest, APublishedSurveyIsInstalledByTheNextSyncAndANewVersionBesideIt) {
  ASSERT_NO_FATAL_FAILURE(enrolled_kiosk());
  std::string v1 = baseline_text();
  ASSERT_NO_FATAL_FAILURE(publish(v1));

  RunResult synced = sync_once();
  ASSERT_EQ(synced.exit_code, 0) << synced;
  nlohmann::json summary = summary_of(synced);
  EXPECT_EQ(summary["outcome"], "all-acknowledged") << synced;
  EXPECT_EQ(summary["surveys_fetched"], true) << synced;
  EXPECT_EQ(summary["surveys_installed"], 1) << synced;
  EXPECT_EQ(summary["surveys_refused"], 0) << synced;
  EXPECT_THAT(synced.err, HasSubstr("installed survey y7-baseline v1"));
  using Listed = std::vector<std::pair<std::string, std::int64_t>>;
  EXPECT_EQ(listed(), (Listed{{"y7-baseline", 1}}));
  EXPECT_EQ(open_kiosk_store()->survey("y7-baseline", 1)->definition_json, v1) << "the bytes that were signed";

  // A pupil starts version 1 and is interrupted.
  kiosk::DraftId draft = 0;
  {
    auto store = open_kiosk_store();
    auto survey1 = std::make_shared<const survey::Survey>(survey::load_survey_text(v1, "v1"));
    kiosk::SessionOptions options;
    options.pupil_code = "7K2M4Q";
    draft = kiosk::PupilSession::begin(*store, survey1, options).draft_id();
  }

  // Nothing new: nothing installed again.
  RunResult again = sync_once();
  ASSERT_EQ(again.exit_code, 0) << again;
  EXPECT_EQ(summary_of(again)["surveys_installed"], 0) << again;

  // Version 2 is published: installed beside version 1, and the draft still opens as version 1.
  ASSERT_NO_FATAL_FAILURE(publish(with_version(v1, 2)));
  RunResult updated = sync_once();
  ASSERT_EQ(updated.exit_code, 0) << updated;
  EXPECT_EQ(summary_of(updated)["surveys_installed"], 1) << updated;
  EXPECT_THAT(updated.err, HasSubstr("installed survey y7-baseline v2"));
  auto surveys = listed();
  EXPECT_THAT(surveys, ::testing::UnorderedElementsAre(std::make_pair(std::string("y7-baseline"), std::int64_t{1}),
                                                       std::make_pair(std::string("y7-baseline"), std::int64_t{2})));
  auto store = open_kiosk_store();
  ASSERT_TRUE(store->draft_info(draft));
  EXPECT_EQ(store->draft_info(draft)->survey_version, 1);
  kiosk::PupilSession resumed = kiosk::PupilSession::resume(*store, draft);
  EXPECT_EQ(resumed.flow().survey().version, 1) << "a pupil mid-survey keeps the version they started";
}

TEST_F(SurveyUpdateTest, ASurveyTheKiosksKeyDoesNotVerifyIsRefusedAndTheUploadIsUnaffected) {
  ASSERT_NO_FATAL_FAILURE(enrolled_kiosk());
  ASSERT_NO_FATAL_FAILURE(publish(baseline_text()));
  add_outbox_responses(2);
  // The kiosk trusts another signing key than the one the published survey is signed with (as
  // if the survey had been signed by someone else): the same situation seen from the kiosk.
  auto other = crypto::ed25519_generate();
  open_kiosk_store()->set_setting(kiosk::kSettingSigningPublicKey,
                                  crypto::public_key_to_pem(crypto::KeyAlgorithm::Ed25519, other.public_key));

  RunResult synced = sync_once();
  ASSERT_EQ(synced.exit_code, 0) << synced;
  nlohmann::json summary = summary_of(synced);
  EXPECT_EQ(summary["outcome"], "all-acknowledged") << synced;
  EXPECT_EQ(summary["stored"], 2);
  EXPECT_EQ(summary["heartbeat_sent"], true);
  EXPECT_EQ(summary["surveys_installed"], 0) << synced;
  EXPECT_EQ(summary["surveys_refused"], 1) << synced;
  EXPECT_THAT(synced.err, HasSubstr("refusing to install survey y7-baseline version 1"));
  EXPECT_THAT(synced.err, HasSubstr("signature"));
  EXPECT_TRUE(listed().empty()) << "nothing unsigned is installed";
  EXPECT_EQ(stored_count(), 2u);
}

TEST_F(SurveyUpdateTest, NoSurveyUpdatesSkipsTheFetch) {
  ASSERT_NO_FATAL_FAILURE(enrolled_kiosk());
  ASSERT_NO_FATAL_FAILURE(publish(baseline_text()));
  RunResult synced = sync_once({"--no-survey-updates"});
  ASSERT_EQ(synced.exit_code, 0) << synced;
  EXPECT_EQ(summary_of(synced)["surveys_fetched"], false) << synced;
  EXPECT_THAT(synced.err, Not(HasSubstr("installed survey")));
  EXPECT_TRUE(listed().empty());
}

}  // namespace
}  // namespace tt::sync::testing

namespace tt::sync::testing {
namespace {

// The school's roster comes with the next sync: kept when it verifies, offered to teachers;
// a newer version replaces it, and another school's roster never reaches this kiosk.
TEST_F(SurveyUpdateTest, TheSchoolsRosterIsKeptByTheNextSyncAndANewerVersionReplacesIt) {
  ASSERT_NO_FATAL_FAILURE(enrolled_kiosk());
  auto publish_roster = [&](const std::string& school, int version, const std::vector<std::string>& groups) {
    std::string text = nlohmann::json{
        {"format", protocol::kRosterFormat},
        {"school", school},
        {"version", version},
        {"tutor_groups",
         groups}}.dump();
    Bytes signature = crypto::ed25519_sign(signing_.private_key.view(), as_bytes(text));
    auto r = post_json(protocol::kAdminRostersPath, protocol::to_json(protocol::PublishRosterRequest{text, signature}),
                       admin_headers());
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
  };
  ASSERT_NO_FATAL_FAILURE(publish_roster("Another School", 7, {"9Z"}));
  ASSERT_NO_FATAL_FAILURE(publish_roster("Hillside Academy", 1, {"7A", "7B"}));

  RunResult synced = sync_once();
  ASSERT_EQ(synced.exit_code, 0) << synced;
  EXPECT_EQ(summary_of(synced)["roster_installed"], 1) << synced;
  EXPECT_THAT(synced.err, HasSubstr("installed the roster of Hillside Academy v1"));
  std::optional<protocol::Roster> kept = kiosk::installed_roster(*open_kiosk_store());
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->school, "Hillside Academy");
  EXPECT_THAT(kept->tutor_groups, ::testing::ElementsAre("7A", "7B"));

  RunResult again = sync_once();
  ASSERT_EQ(again.exit_code, 0) << again;
  EXPECT_TRUE(summary_of(again)["roster_installed"].is_null()) << again;

  ASSERT_NO_FATAL_FAILURE(publish_roster("Hillside Academy", 2, {"7A", "7B", "7C"}));
  RunResult updated = sync_once();
  ASSERT_EQ(updated.exit_code, 0) << updated;
  EXPECT_EQ(summary_of(updated)["roster_installed"], 2) << updated;
  EXPECT_THAT(kiosk::installed_roster(*open_kiosk_store())->tutor_groups, ::testing::ElementsAre("7A", "7B", "7C"));
}

}  // namespace
}  // namespace tt::sync::testing
