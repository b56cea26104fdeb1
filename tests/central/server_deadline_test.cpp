// The total time limit per request on the real server over TLS: a client that trickles its
// request a byte at a time, each inside the read timeout, is cut off at the deadline, and the
// server serves others meanwhile and after.
#include "tests/central/central_server_fixture.h"
#include "tests/central/raw_tls_client.h"

namespace tt::central::testing {
namespace {

class RequestDeadlineTest : public CentralServerTest {
 protected:
  void SetUp() override {
    start_in_setup_ = false;
    CentralServerTest::SetUp();
    config_["limits"]["read_timeout_seconds"] = 2;
    config_["limits"]["request_deadline_seconds"] = 2;
    start_server();
  }
};

TEST_F(RequestDeadlineTest, ATricklingClientIsCutOffAtTheDeadline) {
  RawTlsClient slow(server_->port());
  ASSERT_TRUE(slow.handshake());
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(slow.send("POST /v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  // A header byte every 400 ms: never idle for the 2 s read timeout, so only the deadline ends it.
  bool cut = false;
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(8)) {
    if (!slow.send("X")) {
      cut = true;
      break;
    }
    // Meanwhile the server answers others.
    auto health = client()->Get(protocol::kHealthPath);
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(cut) << "still connected after " << seconds << " s";
  EXPECT_GE(seconds, 1.8);
  EXPECT_LT(seconds, 5.0);
  EXPECT_THAT(server_->stderr_text(), ::testing::HasSubstr("its request took longer than 2 s"));
  EXPECT_EQ(stored_count(), 0u);
}

TEST_F(RequestDeadlineTest, AKeptAliveConnectionGetsAFreshDeadlinePerRequest) {
  auto c = client();
  c->set_keep_alive(true);
  for (int i = 0; i < 3; ++i) {
    auto r = c->Get(protocol::kHealthPath);
    ASSERT_TRUE(r) << "request " << i << ": " << httplib::to_string(r.error());
    EXPECT_EQ(r->status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(800));  // 2.4 s in all, on one connection
  }
  EXPECT_THAT(server_->stderr_text(), ::testing::Not(::testing::HasSubstr("took longer")));
}

}  // namespace
}  // namespace tt::central::testing
