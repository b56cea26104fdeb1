// The round trip through the real processes: a kiosk set up, enrolled with a token, a pupil's
// answers sealed, `sync --once`, and the central team's export — the same bytes, opening to the
// same answers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "shared/survey/response.h"
#include "tests/sync/kiosk_sync_fixture.h"

namespace tt::sync::testing {
namespace {

using ::testing::HasSubstr;

class SyncRoundTripTest : public KioskSyncTest {};

TEST_F(SyncRoundTripTest, AnswersGivenOnTheKioskAreWhatTheCentralTeamOpens) {
  ASSERT_NO_FATAL_FAILURE(setup_kiosk());
  ASSERT_NO_FATAL_FAILURE(install_baseline());
  RunResult enrolled = enrol(kiosk_, make_enrol_token());
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled;
  EXPECT_THAT(enrolled.out, HasSubstr(server_->pin()));
  EXPECT_EQ(cli_testing::mode_of(kiosk_ / "device.key"), 0600u);
  std::string device_id = kiosk_device_id();
  ASSERT_EQ(device_id.size(), 32u);
  EXPECT_THAT(cli_testing::read_text(kiosk_ / "kiosk-identity.json"), HasSubstr(device_id));

  RunResult run = kiosk({"run", "--headless", "--script",
                         (cli_testing::kScriptsDir / "y7-baseline-pupil.script").string(), "--pupil-code", "7K2M4Q"});
  ASSERT_EQ(run.exit_code, 0) << run;
  auto before = open_kiosk_store()->outbox_all();
  ASSERT_EQ(before.size(), 1u);

  RunResult synced = sync_once();
  ASSERT_EQ(synced.exit_code, 0) << synced;
  nlohmann::json summary = summary_of(synced);
  EXPECT_EQ(summary["outcome"], "all-acknowledged") << synced;
  EXPECT_EQ(summary["stored"], 1);
  EXPECT_EQ(summary["waiting"], 0);
  EXPECT_EQ(summary["heartbeat_sent"], true);
  EXPECT_TRUE(open_kiosk_store()->outbox_all().empty()) << "acknowledged responses are purged";

  auto exported = this->exported();
  ASSERT_EQ(exported.size(), 1u);
  EXPECT_EQ(exported[0].response_id, before[0].response_id);
  EXPECT_EQ(exported[0].device_id, device_id);
  EXPECT_EQ(exported[0].sealed, before[0].sealed) << "the server keeps exactly the kiosk's bytes";
  nlohmann::json opened =
      survey::open_response(exported[0].sealed, exported[0].response_id, analysis_.private_key.view());
  EXPECT_EQ(opened["device_id"], device_id);
  EXPECT_EQ(opened["identity"]["pupil_code"], "7K2M4Q");
  const nlohmann::json& answers = opened["answers"];
  EXPECT_EQ(answers["who5_1"], 3);
  EXPECT_EQ(answers["who5_2"], 2);
  EXPECT_EQ(answers["school_hard"], nlohmann::json::array({"tired", "lessons"}));
  EXPECT_EQ(answers["sleep_hours"], nlohmann::json({{"declined", true}}));
  EXPECT_EQ(answers["job_idea"], "not_yet");
  EXPECT_FALSE(answers.contains("job_idea_text")) << "hidden by the changed answer, so dropped";
  EXPECT_EQ(answers["worries"], nlohmann::json::array({"tests", "future"}));
  EXPECT_EQ(answers["anything_else"], "I like art club on Tuesdays");

  // Again: nothing is waiting, nothing is sent, still success.
  RunResult again = sync_once();
  ASSERT_EQ(again.exit_code, 0) << again;
  EXPECT_EQ(summary_of(again)["batches_sent"], 0);
  EXPECT_EQ(stored_count(), 1u);
}

TEST_F(SyncRoundTripTest, ManyResponsesGoInBoundedBatchesAndTheHeartbeatReachesTheFleet) {
  ASSERT_NO_FATAL_FAILURE(enrolled_kiosk());
  auto added = add_outbox_responses(45);
  RunResult synced = sync_once({"--max-batch", "10"});
  ASSERT_EQ(synced.exit_code, 0) << synced;
  nlohmann::json summary = summary_of(synced);
  EXPECT_EQ(summary["stored"], 45);
  EXPECT_EQ(summary["batches_sent"], 5);
  EXPECT_EQ(stored_count(), 45u);
  // In the order they were finished.
  auto exported = this->exported();
  ASSERT_EQ(exported.size(), added.size());
  for (std::size_t i = 0; i < added.size(); ++i) EXPECT_EQ(exported[i].response_id, added[i].response_id) << i;

  auto fleet = client()->Get(protocol::kAdminFleetPath, admin_headers());
  ASSERT_TRUE(fleet);
  nlohmann::json devices = nlohmann::json::parse(fleet->body)["devices"];
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0]["device_id"], kiosk_device_id());
  EXPECT_EQ(devices[0]["last_heartbeat"]["responses_waiting"], 0);
  EXPECT_TRUE(devices[0]["last_heartbeat"]["oldest_waiting_age_seconds"].is_null());
  EXPECT_TRUE(devices[0]["last_heartbeat"]["free_disk_bytes"].is_number());
}

TEST_F(SyncRoundTripTest, ABatchOverTheServersBodyLimitIsHalvedUntilItFits) {
  // 64 KiB body limit (the fixture's); 30 responses of 4 KiB (about 5.5 KiB each in base64)
  // do not fit in one batch of 30, nor of 15, but do in batches of 7.
  ASSERT_NO_FATAL_FAILURE(enrolled_kiosk());
  add_outbox_responses(30, 4096);
  RunResult synced = sync_once({"--max-batch", "30"});
  ASSERT_EQ(synced.exit_code, 0) << synced;
  nlohmann::json summary = summary_of(synced);
  EXPECT_EQ(summary["stored"], 30);
  // Refused at 30 and at 15, then five batches of at most 7 (or more refusals on the way).
  EXPECT_GE(summary["batches_sent"], 7) << synced;
  EXPECT_EQ(stored_count(), 30u);
}

}  // namespace
}  // namespace tt::sync::testing
