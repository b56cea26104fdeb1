// Uploads over the real server: exactly-once storage, per-response results, the heartbeat and
// the fleet view, and the export that gives back exactly the bytes uploaded.
#include "shared/protocol/digest.h"
#include "tests/central/central_server_fixture.h"

namespace tt::central::testing {
namespace {

using protocol::UploadStatus;
using ::testing::Each;
using ::testing::ElementsAre;

TEST_F(CentralServerTest, StoresABatchOnceAndAnswersARetryAsDuplicates) {
  TestDevice device = enrolled_device();
  std::vector<SealedUpload> batch = {random_upload(), random_upload(), random_upload()};
  EXPECT_THAT(upload_statuses(device, batch), Each(UploadStatus::Stored));
  EXPECT_THAT(upload_statuses(device, batch), Each(UploadStatus::Duplicate));
  auto stored = exported();
  ASSERT_EQ(stored.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(stored[i].response_id, batch[i].response_id);
    EXPECT_EQ(stored[i].sealed, batch[i].sealed) << "the export gives back the bytes uploaded";
    EXPECT_EQ(stored[i].survey_id, "y7-baseline");
    EXPECT_EQ(stored[i].finished_at, batch[i].finished_at);
    EXPECT_EQ(stored[i].device_id, device.id);
    EXPECT_EQ(stored[i].sha256, protocol::sha256_hex(batch[i].sealed));
  }
}

TEST_F(CentralServerTest, TheSameIdWithOtherBytesIsRejectedAndKeptOut) {
  TestDevice device = enrolled_device();
  SealedUpload original = random_upload();
  ASSERT_THAT(upload_statuses(device, {original}), ElementsAre(UploadStatus::Stored));
  SealedUpload altered = original;
  altered.sealed[40] ^= 0x01;
  auto r = upload(device, {altered});
  ASSERT_EQ(r->status, 200);
  auto results = protocol::parse_batch_reply(r->body);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, UploadStatus::Rejected);
  EXPECT_EQ(results[0].reason, "conflict: different contents for an id already stored");
  EXPECT_EQ(results[0].response_id, original.response_id);
  auto stored = exported();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].sealed, original.sealed);
}

TEST_F(CentralServerTest, AMalformedEntryIsRejectedAndTheRestStored) {
  TestDevice device = enrolled_device();
  std::vector<SealedUpload> batch = {random_upload(), random_upload(), random_upload()};
  json body = json::parse(protocol::batch_upload_to_json(batch));
  body["responses"][1]["finished_at"] = "soon";
  // Larger than this server's max_sealed_bytes (4096 in the fixture).
  SealedUpload big = random_upload(5000);
  body["responses"].push_back(
      json::parse(protocol::batch_upload_to_json(std::vector<SealedUpload>{big}))["responses"][0]);
  std::string text = body.dump();
  auto r = post_json(protocol::kBatchesPath, text, signed_headers(device, "POST", protocol::kBatchesPath, text));
  ASSERT_EQ(r->status, 200) << r->body;
  auto results = protocol::parse_batch_reply(r->body);
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].status, UploadStatus::Stored);
  EXPECT_EQ(results[1].status, UploadStatus::Rejected);
  EXPECT_EQ(results[1].reason, "/responses/1/finished_at must be a UTC time to the minute, like 2026-12-04T14:07Z");
  EXPECT_EQ(results[1].response_id, batch[1].response_id);
  EXPECT_EQ(results[2].status, UploadStatus::Stored);
  EXPECT_EQ(results[3].status, UploadStatus::Rejected);
  EXPECT_EQ(results[3].reason, "/responses/3/sealed is 5000 bytes; this server takes at most 4096");
  EXPECT_EQ(stored_count(), 2u);
}

TEST_F(CentralServerTest, ManyDevicesAtOnceStoreEveryResponseOnce) {
  std::vector<TestDevice> devices;
  for (int i = 0; i < 4; ++i) devices.push_back(enrolled_device());
  std::vector<SealedUpload> shared;
  for (int i = 0; i < 10; ++i) shared.push_back(random_upload(100));
  std::atomic<int> stored{0}, duplicate{0}, failed{0};
  std::vector<std::thread> threads;
  for (int round = 0; round < 3; ++round) {
    for (const TestDevice& device : devices) {
      threads.emplace_back([&, &device = device] {
        auto r = upload(device, shared);
        if (!r || r->status != 200) {
          ++failed;
          return;
        }
        for (const auto& result : protocol::parse_batch_reply(r->body)) {
          (result.status == UploadStatus::Stored      ? stored
           : result.status == UploadStatus::Duplicate ? duplicate
                                                      : failed)++;
        }
      });
    }
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(stored, 10);
  EXPECT_EQ(duplicate, 110);
  EXPECT_EQ(stored_count(), 10u);
}

TEST_F(CentralServerTest, AHeartbeatShowsInTheFleet) {
  TestDevice quiet = enrolled_device("Hillside Academy");
  TestDevice busy = enrolled_device("Riverside School");
  protocol::Heartbeat heartbeat{"0.1.1", {{"y7-baseline", 2}}, 4, 5400, 987654321};
  std::string body = protocol::to_json(heartbeat);
  auto r = post_json(protocol::kHeartbeatPath, body, signed_headers(busy, "POST", protocol::kHeartbeatPath, body));
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NEAR(protocol::parse_heartbeat_reply(r->body).server_time, now_seconds(), 5);

  auto f = client()->Get(protocol::kAdminFleetPath, admin_headers());
  ASSERT_EQ(f->status, 200) << f->body;
  auto fleet = protocol::parse_fleet_reply(f->body);
  ASSERT_EQ(fleet.devices.size(), 2u);
  const auto& q = fleet.devices[0].device_id == quiet.id ? fleet.devices[0] : fleet.devices[1];
  const auto& b = fleet.devices[0].device_id == busy.id ? fleet.devices[0] : fleet.devices[1];
  EXPECT_EQ(q.school, "Hillside Academy");
  EXPECT_FALSE(q.last_seen) << "enrolment is not a signed request";
  EXPECT_FALSE(q.last_heartbeat);
  EXPECT_EQ(b.school, "Riverside School");
  EXPECT_EQ(b.app_version, "0.1.1");
  ASSERT_TRUE(b.last_heartbeat);
  EXPECT_EQ(*b.last_heartbeat, heartbeat);
  EXPECT_NEAR(*b.last_seen, now_seconds(), 5);
  EXPECT_NEAR(*b.last_heartbeat_at, now_seconds(), 5);
}

TEST_F(CentralServerTest, TheExportPagesThroughEverythingInReceiptOrder) {
  TestDevice device = enrolled_device();
  std::vector<std::string> sent;
  for (int b = 0; b < 3; ++b) {
    std::vector<SealedUpload> batch;
    for (int i = 0; i < 6; ++i) batch.push_back(random_upload(60));
    for (const auto& u : batch) sent.push_back(u.response_id);
    ASSERT_THAT(upload_statuses(device, batch), Each(UploadStatus::Stored));
  }
  std::vector<std::string> read;
  for (const auto& e : exported()) read.push_back(e.response_id);  // pages of 7
  EXPECT_EQ(read, sent);
  expect_problem(client()->Get("/v1/admin/responses?limit=0", admin_headers()), protocol::ProblemKind::MalformedRequest,
                 "limit must be a whole number from 1 to 1000");
  expect_problem(client()->Get("/v1/admin/responses?after=x", admin_headers()), protocol::ProblemKind::MalformedRequest,
                 "after must be a whole number");
}

}  // namespace
}  // namespace tt::central::testing
