// Survey distribution on the real server: publish (admin, by tutortime-admin survey publish and
// by the endpoint itself), GET /v1/surveys for a device, and the kiosk-side install of what it
// returns (kiosk/session/survey_update.h) into a real kiosk store.
#include "kiosk/session/pupil_session.h"
#include "kiosk/session/survey_update.h"
#include "shared/protocol/distribution.h"
#include "shared/survey/survey_signature.h"
#include "tests/central/admin_tool_fixture.h"

namespace tt::central::testing {
namespace {

using ::testing::HasSubstr;

class SurveyDistributionTest : public AdminToolTest {
 protected:
  std::string baseline_text() const {
    return read_file_text(kSourceDir / "assets" / "surveys" / "y7-baseline.survey.json");
  }
  // `text` with its version set to `version` (a new version of the same survey).
  static std::string with_version(const std::string& text, int version) {
    json j = json::parse(text);
    j["version"] = version;
    return j.dump(2);
  }
  Bytes sign(const std::string& text) const {
    return survey::sign_survey(as_bytes(text), signing_keys_.private_key.view());
  }
  httplib::Result publish(const std::string& text, const Bytes& signature) {
    return post_json(protocol::kAdminSurveysPath, protocol::to_json(protocol::PublishSurveyRequest{text, signature}),
                     admin_headers());
  }
  httplib::Result fetch_surveys(const TestDevice& device) {
    return client()->Get(protocol::kSurveysPath, signed_headers(device, "GET", protocol::kSurveysPath, ""));
  }
  static std::optional<std::string> everything_drawable(const json&) { return std::nullopt; }
};

TEST_F(SurveyDistributionTest, PublishedWithTheToolThenFetchedByADeviceAndInstalledOnTheKiosk) {
  std::string text = baseline_text();
  fs::path file = dir_ / "y7-baseline.survey.json";
  std::ofstream(file, std::ios::binary) << text;
  ProcessResult signed_run = admin({"survey", "sign", file.string(), "--key", signing_key_file().string()}, false);
  ASSERT_EQ(signed_run.exit_code, 0) << signed_run;
  ProcessResult published = admin({"survey", "publish", file.string()});
  ASSERT_EQ(published.exit_code, 0) << published;
  EXPECT_THAT(published.out, HasSubstr("Published: y7-baseline version 1"));
  ProcessResult again = admin({"survey", "publish", file.string()});
  ASSERT_EQ(again.exit_code, 0) << again;
  EXPECT_THAT(again.out, HasSubstr("Already published"));

  TestDevice device = enrolled_device();
  auto r = fetch_surveys(device);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  protocol::SurveysReply reply = protocol::parse_surveys_reply(r->body);
  ASSERT_EQ(reply.surveys.size(), 1u);
  EXPECT_EQ(reply.surveys[0].survey_id, "y7-baseline");
  EXPECT_EQ(reply.surveys[0].version, 1);
  EXPECT_EQ(reply.surveys[0].definition, text) << "verbatim: the bytes that were signed";

  // The kiosk installs it, once.
  auto store = kiosk::KioskStore::create(dir_ / "kiosk");
  store->set_setting(kiosk::kSettingSigningPublicKey, signing_pem_);
  auto results = kiosk::install_survey_updates(*store, r->body, everything_drawable);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, kiosk::SurveyUpdateOutcome::Installed) << results[0].reason;
  ASSERT_TRUE(store->survey("y7-baseline", 1));
  EXPECT_EQ(store->survey("y7-baseline", 1)->definition_json, text);
  results = kiosk::install_survey_updates(*store, r->body, everything_drawable);
  EXPECT_EQ(results.at(0).outcome, kiosk::SurveyUpdateOutcome::AlreadyInstalled);
}

TEST_F(SurveyDistributionTest, OnlyTheLatestVersionOfEachSurveyIsHandedOut) {
  std::string v1 = baseline_text();
  std::string v2 = with_version(v1, 2);
  for (const std::string& text : {v2, v1}) {
    auto r = publish(text, sign(text));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201) << r->body;
  }
  auto r = fetch_surveys(enrolled_device());
  ASSERT_TRUE(r);
  protocol::SurveysReply reply = protocol::parse_surveys_reply(r->body);
  ASSERT_EQ(reply.surveys.size(), 1u);
  EXPECT_EQ(reply.surveys[0].version, 2);
  EXPECT_EQ(reply.surveys[0].definition, v2);
}

TEST_F(SurveyDistributionTest, TamperedUnsignedInvalidOrChangedSurveysAreRefused) {
  std::string text = baseline_text();
  Bytes signature = sign(text);
  // Altered after signing: the signature no longer verifies.
  std::string tampered = text;
  tampered.replace(tampered.find("y7-baseline"), 11, "y7-baselinf");
  expect_problem(publish(tampered, signature), protocol::ProblemKind::MalformedRequest, "signature");
  // Signed with another key.
  auto other = crypto::ed25519_generate();
  expect_problem(publish(text, survey::sign_survey(as_bytes(text), other.private_key.view())),
                 protocol::ProblemKind::MalformedRequest, "signature");
  // Signed, but not a valid survey.
  std::string invalid = R"({"format": 1, "id": "broken"})";
  expect_problem(publish(invalid, sign(invalid)), protocol::ProblemKind::MalformedRequest, "not valid");
  // No admin token.
  auto no_token =
      post_json(protocol::kAdminSurveysPath, protocol::to_json(protocol::PublishSurveyRequest{text, signature}));
  expect_problem(no_token, protocol::ProblemKind::AdminTokenRefused);

  auto first = publish(text, signature);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 201) << first->body;
  auto same = publish(text, signature);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->status, 200) << same->body;
  EXPECT_TRUE(protocol::parse_publish_survey_reply(same->body).already_published);
  // The same (id, version) with other bytes, properly signed: a conflict, the first stays.
  std::string changed = json::parse(text).dump(1);
  expect_problem(publish(changed, sign(changed)), protocol::ProblemKind::Conflict, "new version");
  auto r = fetch_surveys(enrolled_device());
  ASSERT_TRUE(r);
  EXPECT_EQ(protocol::parse_surveys_reply(r->body).surveys.at(0).definition, text);
}

TEST_F(SurveyDistributionTest, TheKioskRefusesASurveyTamperedOnTheWay) {
  std::string text = baseline_text();
  auto published = publish(text, sign(text));
  ASSERT_TRUE(published);
  ASSERT_EQ(published->status, 201) << published->body;
  auto r = fetch_surveys(enrolled_device());
  ASSERT_TRUE(r);
  // A proxy changes the definition in the reply; the signature is as the server sent it.
  json body = json::parse(r->body);
  std::string definition = body["surveys"][0]["definition"];
  definition.replace(definition.find("\"version\": 1"), 12, "\"version\": 1 ");
  body["surveys"][0]["definition"] = definition;
  auto store = kiosk::KioskStore::create(dir_ / "kiosk");
  store->set_setting(kiosk::kSettingSigningPublicKey, signing_pem_);
  auto results = kiosk::install_survey_updates(*store, body.dump(), everything_drawable);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, kiosk::SurveyUpdateOutcome::Refused);
  EXPECT_THAT(results[0].reason, HasSubstr("signature"));
  EXPECT_FALSE(store->survey("y7-baseline", 1)) << "nothing installed";
}

TEST_F(SurveyDistributionTest, SurveysAreForEnrolledDevicesOnly) {
  auto unsigned_get = client()->Get(protocol::kSurveysPath);
  expect_problem(unsigned_get, protocol::ProblemKind::Unauthenticated);
  TestDevice device = enrolled_device();
  auto revoked = post_json(protocol::admin_revoke_path(device.id), "", admin_headers());
  ASSERT_TRUE(revoked);
  expect_problem(fetch_surveys(device), protocol::ProblemKind::DeviceRevoked);
}

}  // namespace
}  // namespace tt::central::testing
