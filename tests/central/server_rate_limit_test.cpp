// The per-device rate limit on the real server: beyond the burst a device's requests are 429
// with Retry-After and the problem type rate-limited, nothing is stored, and other devices are
// served as before.
#include "tests/central/central_server_fixture.h"

namespace tt::central::testing {
namespace {

class RateLimitTest : public CentralServerTest {
 protected:
  void SetUp() override {
    start_in_setup_ = false;
    CentralServerTest::SetUp();
    // Three requests at once, then one a minute: the test is over long before a refill.
    config_["limits"]["device_requests_per_minute"] = 1;
    config_["limits"]["device_request_burst"] = 3;
    start_server();
  }

  httplib::Result heartbeat(const TestDevice& device) {
    std::string body = protocol::to_json(protocol::Heartbeat{"0.1.0", {}, 0, std::nullopt, std::nullopt});
    return post_json(protocol::kHeartbeatPath, body, signed_headers(device, "POST", protocol::kHeartbeatPath, body));
  }
};

TEST_F(RateLimitTest, BeyondTheBurstADeviceIsTold429AndNothingIsStored) {
  TestDevice busy = enrolled_device();
  for (int i = 0; i < 2; ++i) {
    auto r = heartbeat(busy);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
  }
  EXPECT_EQ(upload_statuses(busy, {random_upload()}).size(), 1u) << "the third request is still inside the burst";
  auto limited = upload(busy, {random_upload(), random_upload()});
  expect_problem(limited, protocol::ProblemKind::RateLimited, "try again in");
  ASSERT_TRUE(limited);
  int retry_after = std::stoi(limited->get_header_value("Retry-After"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60);
  EXPECT_EQ(protocol::parse_problem(limited->body).extensions["retry_after_seconds"], retry_after);
  EXPECT_EQ(stored_count(), 1u) << "the limited batch stored nothing";

  // Another device has its own allowance.
  TestDevice other = enrolled_device();
  auto r = heartbeat(other);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_THAT(server_->stderr_text(), ::testing::HasSubstr("POST /v1/batches 429"));
}

TEST_F(RateLimitTest, UnsignedRequestsCannotSpendAnotherDevicesAllowance) {
  TestDevice device = enrolled_device();
  TestDevice impostor{device.id, crypto::ed25519_generate()};
  for (int i = 0; i < 5; ++i) {
    expect_problem(heartbeat(impostor), protocol::ProblemKind::Unauthenticated);
  }
  auto r = heartbeat(device);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
}

}  // namespace
}  // namespace tt::central::testing
