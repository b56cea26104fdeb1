// The fault proxy itself, in front of the real tutortime-central over loopback TLS, talked to
// with the kiosk's HTTPS client (pinned to the real server's key): each fault does what it says,
// seen from the kiosk's side and from what the server stored.
#include "tests/sync_faults/fault_proxy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sync/client/https_client.h"
#include "tests/central/central_server_fixture.h"
#include "tests/sync_faults/killable_central.h"

namespace tt::sync::testing {
namespace {

using central::testing::CentralServerTest;
using central::testing::random_upload;
using central::testing::read_file_text;
using central::testing::TestDevice;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class FaultProxyTest : public CentralServerTest {
 protected:
  void SetUp() override {
    CentralServerTest::SetUp();
    if (HasFatalFailure()) return;
    proxy_ = std::make_unique<FaultProxy>(server_->port(), tls_files());
  }
  void TearDown() override {
    proxy_.reset();
    CentralServerTest::TearDown();
  }

  ProxyTlsFiles tls_files() const { return {certificate_file(), data_dir_ / "tls-private-key.pem"}; }

  // The kiosk's client, pinned to the real server, connecting to the proxy.
  std::unique_ptr<HttpsClient> kiosk_client(HttpTimeouts timeouts = {2000, 64, 2, 5000}) const {
    return std::make_unique<HttpsClient>(
        ServerEndpoint{proxy_->url(), server_->pin(), read_file_text(certificate_file()), false}, timeouts);
  }

  HttpRequest signed_batch(const TestDevice& device, const std::vector<protocol::SealedUpload>& uploads) const {
    std::string body = protocol::batch_upload_to_json(uploads);
    HttpRequest request{"POST", protocol::kBatchesPath, {}, body};
    for (const auto& [name, value] : signed_headers(device, "POST", protocol::kBatchesPath, body))
      request.headers.emplace_back(name, value);
    return request;
  }

  // A kiosk hears no acknowledgement: a transport error, or a reply that is no batch reply
  // (libcurl returns a reply cut inside its header block as a 200 with an empty body).
  void expect_no_acknowledgement(HttpsClient& client, const HttpRequest& request) {
    try {
      HttpReply reply = client.send(request);
      EXPECT_THROW(protocol::parse_batch_reply(reply.body), Error) << reply.status << " " << reply.body;
    } catch (const TransportError&) {
    }
  }

  void expect_transport_error(HttpsClient& client, const HttpRequest& request) {
    try {
      HttpReply reply = client.send(request);
      ADD_FAILURE() << "a reply came through: " << reply.status << " " << reply.body;
    } catch (const TransportError&) {
    }
  }

  std::unique_ptr<FaultProxy> proxy_;
};

TEST_F(FaultProxyTest, PassesThroughToTheRealServerWithItsPin) {
  auto client = kiosk_client();
  HttpReply reply = client->send({"GET", "/v1/health", {}, ""});
  EXPECT_EQ(reply.status, 200);
  EXPECT_THAT(reply.body, HasSubstr("tutortime-central"));
  EXPECT_EQ(proxy_->applied()[FaultKind::PassThrough], 1u);
}

TEST_F(FaultProxyTest, PassesThroughOnlySoManyBytesWhenToldTo) {
  TestDevice device = enrolled_device();
  proxy_->set_plan({{FaultKind::PassThrough, 3000}});
  auto client = kiosk_client();
  // The handshake and the health check fit; the batch (about 11 KB) does not.
  EXPECT_EQ(client->send({"GET", "/v1/health", {}, ""}).status, 200);
  expect_transport_error(*client, signed_batch(device, {random_upload(4000), random_upload(4000)}));
  proxy_->set_plan({});
  EXPECT_EQ(stored_count(), 0u);
}

TEST_F(FaultProxyTest, RefusesAConnection) {
  proxy_->set_plan({{FaultKind::Refuse}});
  auto client = kiosk_client();
  expect_transport_error(*client, {"GET", "/v1/health", {}, ""});
  EXPECT_EQ(proxy_->applied()[FaultKind::Refuse], 1u);
}

TEST_F(FaultProxyTest, AnswersA500AndACaptivePortalPageThatPassTheKiosksPin) {
  proxy_->set_plan({{FaultKind::Answer500}, {FaultKind::CaptivePortal}});
  TestDevice device = enrolled_device();
  HttpReply failed = kiosk_client()->send(signed_batch(device, {random_upload()}));
  EXPECT_EQ(failed.status, 500);
  HttpReply portal = kiosk_client()->send(signed_batch(device, {random_upload()}));
  EXPECT_EQ(portal.status, 200);
  EXPECT_THAT(portal.content_type, HasSubstr("text/html"));
  EXPECT_THAT(portal.body, HasSubstr("sign in"));
  EXPECT_EQ(stored_count(), 0u);  // neither reached the server
}

TEST_F(FaultProxyTest, DropsMidRequestAndTheServerStoresNothing) {
  TestDevice device = enrolled_device();
  proxy_->set_plan({{FaultKind::DropMidRequest, 300}});
  auto client = kiosk_client();
  expect_transport_error(*client, signed_batch(device, {random_upload(), random_upload()}));
  proxy_->set_plan({});
  EXPECT_EQ(stored_count(), 0u);
}

TEST_F(FaultProxyTest, DropsMidReplyAfterTheServerStored) {
  TestDevice device = enrolled_device();
  // Cut inside the reply's header block, then inside its body.
  proxy_->set_plan({{FaultKind::DropMidReply, 20}, {FaultKind::DropMidReply, 250}});
  expect_no_acknowledgement(*kiosk_client(), signed_batch(device, {random_upload(), random_upload()}));
  expect_no_acknowledgement(*kiosk_client(), signed_batch(device, {random_upload()}));
  proxy_->set_plan({});
  EXPECT_EQ(stored_count(), 3u);
}

TEST_F(FaultProxyTest, DeliversARequestTwiceAndRelaysTheFirstReply) {
  TestDevice device = enrolled_device();
  proxy_->set_plan({{FaultKind::DeliverTwice}});
  HttpReply reply = kiosk_client()->send(signed_batch(device, {random_upload()}));
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto results = protocol::parse_batch_reply(reply.body);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, protocol::UploadStatus::Stored);
  // The replay reached the server, which refused its used nonce.
  EXPECT_THAT(proxy_->second_delivery_statuses(), ElementsAre(401));
  proxy_->set_plan({});
  EXPECT_EQ(stored_count(), 1u);
}

TEST_F(FaultProxyTest, StallsUntilTheKioskGivesUp) {
  proxy_->set_plan({{FaultKind::Stall, 0, std::chrono::milliseconds(8000)}});
  auto client = kiosk_client({500, 64, 1, 1500});
  auto start = std::chrono::steady_clock::now();
  try {
    client->send({"GET", "/v1/health", {}, ""});
    ADD_FAILURE() << "a stalled connection replied";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportErrorKind::Timeout) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

TEST_F(FaultProxyTest, ForwardsToAServerKilledMidBatchAndStartedAgainOnAnotherPort) {
  server_->stop();
  KillableCentral central;
  std::vector<std::string> args = {"--config", (dir_ / "central.json").string(), "--data-dir", data_dir_.string()};
  ASSERT_TRUE(central.start(args, dir_ / "killable-1.stderr")) << central.failure();
  proxy_->set_upstream_port(central.port());
  proxy_->set_kill_hook([&central] { central.kill(); });

  // Enrol through the proxy (plain pass-through), then a batch whose server dies under it.
  httplib::SSLClient direct("127.0.0.1", central.port());
  direct.enable_server_certificate_verification(false);
  auto token_reply = direct.Post(protocol::kAdminEnrolTokensPath, admin_headers(),
                                 protocol::to_json(protocol::EnrolTokenRequest{"Hillside", 1}), "application/json");
  ASSERT_TRUE(token_reply);
  TestDevice device{"", crypto::ed25519_generate()};
  auto enrolled = kiosk_client()->send(
      {"POST",
       protocol::kEnrolPath,
       {},
       protocol::to_json(protocol::EnrolmentRequest{protocol::parse_enrol_token_reply(token_reply->body).token,
                                                    device.key.public_key, "0.1.0"})});
  ASSERT_EQ(enrolled.status, 201) << enrolled.body;
  device.id = protocol::parse_enrolment_reply(enrolled.body).device_id;

  std::vector<protocol::SealedUpload> batch = {random_upload(), random_upload(), random_upload()};
  proxy_->set_plan({{FaultKind::KillUpstream}});
  expect_transport_error(*kiosk_client(), signed_batch(device, batch));

  // Started again (a new port), and the proxy follows it: the retry is acknowledged, once.
  ASSERT_TRUE(central.start(args, dir_ / "killable-2.stderr")) << central.failure();
  proxy_->set_upstream_port(central.port());
  proxy_->set_plan({});
  HttpReply retry = kiosk_client()->send(signed_batch(device, batch));
  ASSERT_EQ(retry.status, 200) << retry.body;
  for (const auto& result : protocol::parse_batch_reply(retry.body))
    EXPECT_NE(result.status, protocol::UploadStatus::Rejected) << result.reason;
  central.kill_and_reap();
  start_server();
  EXPECT_EQ(stored_count(), 3u);
}

}  // namespace
}  // namespace tt::sync::testing
