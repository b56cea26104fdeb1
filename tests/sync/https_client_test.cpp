// The HTTPS client against the real tutortime-central over loopback TLS.
#include "sync/client/https_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/central/central_server_fixture.h"

namespace tt::sync {
namespace {

using central::testing::CentralServerTest;
using ::testing::HasSubstr;

class HttpsClientTest : public CentralServerTest {
 protected:
  ServerEndpoint pinned_endpoint() const {
    return ServerEndpoint{server_->url(), server_->pin(), central::testing::read_file_text(certificate_file()), false};
  }
};

TEST_F(HttpsClientTest, TalksToThePinnedServer) {
  HttpsClient client(pinned_endpoint());
  HttpReply reply = client.send({"GET", "/v1/health", {}, ""});
  EXPECT_EQ(reply.status, 200);
  EXPECT_THAT(reply.content_type, HasSubstr("application/json"));
  EXPECT_THAT(reply.body, HasSubstr("tutortime-central"));
  // The same client again (the connection is reused): a problem reply is a reply, not an error.
  HttpReply refused = client.send({"POST", "/v1/batches", {}, "{}"});
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.content_type, "application/problem+json");
}

TEST_F(HttpsClientTest, RefusesAServerWhoseKeyIsNotThePinnedOne) {
  ServerEndpoint endpoint = pinned_endpoint();
  endpoint.pinned_public_key = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  HttpsClient client(endpoint);
  try {
    client.send({"GET", "/v1/health", {}, ""});
    FAIL() << "a pin mismatch was accepted";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportErrorKind::PinMismatch) << e.what();
    EXPECT_THAT(e.what(), HasSubstr("pinned"));
  }
}

TEST_F(HttpsClientTest, VerifiesTheCertificateWhenNoneIsTrusted) {
  ServerEndpoint endpoint = pinned_endpoint();
  endpoint.ca_certificate_pem.reset();  // the system's CAs do not know a self-signed server
  HttpsClient client(endpoint);
  try {
    client.send({"GET", "/v1/health", {}, ""});
    FAIL() << "an unverified certificate was accepted";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportErrorKind::Certificate) << e.what();
  }
}

TEST_F(HttpsClientTest, SaysWhenNothingListens) {
  int port = server_->port();
  server_->stop();
  HttpsClient client(ServerEndpoint{"https://127.0.0.1:" + std::to_string(port), std::nullopt, std::nullopt, false},
                     HttpTimeouts{2000, 64, 5, 5000});
  try {
    client.send({"GET", "/v1/health", {}, ""});
    FAIL() << "no error with nothing listening";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportErrorKind::Refused) << e.what();
    EXPECT_THAT(e.what(), HasSubstr("127.0.0.1:" + std::to_string(port)));
  }
}

TEST(HttpsClientUrlTest, RefusesPlainHttpUnlessAllowed) {
  EXPECT_THROW(HttpsClient(ServerEndpoint{"http://127.0.0.1:1", std::nullopt, std::nullopt, false}), Error);
  EXPECT_THROW(HttpsClient(ServerEndpoint{"ftp://127.0.0.1:1", std::nullopt, std::nullopt, true}), Error);
  EXPECT_NO_THROW(HttpsClient(ServerEndpoint{"http://127.0.0.1:1", std::nullopt, std::nullopt, true}));
}

}  // namespace
}  // namespace tt::sync
