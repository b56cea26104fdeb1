// The bound on connections held (limits.max_connections) on the real server over TLS:
// connections beyond it are refused at once, those within it are served, and once the holders
// go the server serves as before.
#include "tests/central/central_server_fixture.h"
#include "tests/central/raw_tls_client.h"

namespace tt::central::testing {
namespace {

class ConnectionLimitTest : public CentralServerTest {
 protected:
  void SetUp() override {
    start_in_setup_ = false;
    CentralServerTest::SetUp();
    config_["limits"]["threads"] = 2;
    config_["limits"]["max_connections"] = 3;
    start_server();
  }
};

TEST_F(ConnectionLimitTest, ConnectionsBeyondTheBoundAreRefusedAtOnce) {
  // Two connections hold both workers (a handshake, then nothing); a third waits for one.
  std::vector<std::unique_ptr<RawTlsClient>> holders;
  for (int i = 0; i < 2; ++i) {
    holders.push_back(std::make_unique<RawTlsClient>(server_->port()));
    ASSERT_TRUE(holders.back()->handshake()) << "holder " << i;
  }
  holders.push_back(std::make_unique<RawTlsClient>(server_->port()));
  ASSERT_TRUE(holders.back()->tcp_connected());
  // Time for the server to accept it, generous for a loaded machine (the suite runs in parallel).
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));

  auto start = std::chrono::steady_clock::now();
  RawTlsClient refused(server_->port());
  EXPECT_FALSE(refused.handshake()) << "a fourth connection is refused";
  // Well inside the client's 5 s receive timeout: refused by the server, not timed out.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3)) << "at once, not after a timeout";
  std::string log = server_->stderr_text();
  for (int i = 0; i < 40 && log.find("refused a connection from 127.0.0.1") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    log = server_->stderr_text();
  }
  EXPECT_THAT(log, ::testing::HasSubstr("refused a connection from 127.0.0.1"));

  // The server counts a connection as gone once its worker has seen it close, which takes a
  // moment after the clients close theirs: within a few seconds it serves again.
  holders.clear();
  httplib::Result health = client()->Get(protocol::kHealthPath);
  for (int attempt = 0; !health && attempt < 50; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    health = client()->Get(protocol::kHealthPath);
  }
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->status, 200);
}

}  // namespace
}  // namespace tt::central::testing
