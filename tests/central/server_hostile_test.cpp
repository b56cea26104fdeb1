// Hostile and broken requests against the real server: each refused with the right status and a
// problem body, nothing stored, and the server serving others meanwhile.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include "shared/protocol/enrol_token.h"
#include "tests/central/central_server_fixture.h"

namespace tt::central::testing {
namespace {

using protocol::ProblemKind;
using protocol::UploadStatus;
using ::testing::HasSubstr;

// Sends `request` as it is over TLS (verifying the server) and returns what comes back, for
// requests cpp-httplib's client will not make.
std::string raw_https(int port, const fs::path& ca, const std::string& request) {
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  SSL_CTX_load_verify_locations(context, ca.c_str(), nullptr);
  SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
  BIO* bio = BIO_new_ssl_connect(context);
  BIO_set_conn_hostname(bio, ("127.0.0.1:" + std::to_string(port)).c_str());
  std::string reply;
  if (BIO_do_handshake(bio) == 1 && BIO_write(bio, request.data(), static_cast<int>(request.size())) > 0) {
    char buffer[4096];
    int n;
    while ((n = BIO_read(bio, buffer, sizeof buffer)) > 0) {
      reply.append(buffer, static_cast<std::size_t>(n));
      if (reply.find("\r\n\r\n") != std::string::npos && reply.find("}") != std::string::npos) break;
    }
  }
  BIO_free_all(bio);
  SSL_CTX_free(context);
  return reply;
}

class HostileRequestTest : public CentralServerTest {
 protected:
  void SetUp() override {
    CentralServerTest::SetUp();
    device_ = enrolled_device();
    ASSERT_THAT(upload_statuses(device_, {random_upload()}), ::testing::Each(UploadStatus::Stored));
    body_ = protocol::batch_upload_to_json(std::vector<SealedUpload>{random_upload(), random_upload()});
  }
  // After each refusal: nothing more stored, and the server still serves.
  void expect_nothing_stored() {
    EXPECT_EQ(stored_count(), 1u);
    auto health = client()->Get(protocol::kHealthPath);
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
  }
  httplib::Result post_batch(const std::string& body, const httplib::Headers& headers) {
    return post_json(protocol::kBatchesPath, body, headers);
  }
  httplib::Headers signed_for(const std::string& body, std::int64_t offset = 0) {
    return signed_headers(device_, "POST", protocol::kBatchesPath, body, offset);
  }

  TestDevice device_;
  std::string body_;
};

TEST_F(HostileRequestTest, UnsignedIsRefused) {
  auto r = post_batch(body_, {});
  expect_problem(r, ProblemKind::Unauthenticated, "the header Tutortime-Device is missing");
  EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Tutortime-Signature");
  expect_nothing_stored();
}

TEST_F(HostileRequestTest, SignedWithAnotherKeyIsRefused) {
  TestDevice impostor{device_.id, crypto::ed25519_generate()};
  expect_problem(post_batch(body_, signed_headers(impostor, "POST", protocol::kBatchesPath, body_)),
                 ProblemKind::Unauthenticated, "the signature does not verify");
  expect_nothing_stored();
}

TEST_F(HostileRequestTest, ATamperedBodyIsRefused) {
  httplib::Headers headers = signed_for(body_);
  std::string tampered = body_;
  std::size_t at = tampered.find("\"sealed\":\"") + 20;
  tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
  expect_problem(post_batch(tampered, headers), ProblemKind::Unauthenticated, "the signature does not verify");
  expect_nothing_stored();
}

TEST_F(HostileRequestTest, ASignatureForAnotherPathIsRefused) {
  httplib::Headers headers = signed_headers(device_, "POST", protocol::kHeartbeatPath, body_);
  expect_problem(post_batch(body_, headers), ProblemKind::Unauthenticated, "the signature does not verify");
  expect_nothing_stored();
}

TEST_F(HostileRequestTest, AReplayIsRefused) {
  httplib::Headers headers = signed_for(body_);
  auto first = post_batch(body_, headers);
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(stored_count(), 3u);
  // The same bytes again, byte for byte: refused before anything is read from the body.
  expect_problem(post_batch(body_, headers), ProblemKind::Unauthenticated, "nonce has been used before");
  EXPECT_EQ(stored_count(), 3u);
}

TEST_F(HostileRequestTest, AStaleOrFutureTimestampIsRefusedWithTheServerTime) {
  auto stale = post_batch(body_, signed_for(body_, -600));
  expect_problem(stale, ProblemKind::Unauthenticated, "behind the server's clock; at most 300");
  EXPECT_NEAR(protocol::parse_problem(stale->body).extensions["server_time"].get<std::int64_t>(), now_seconds(), 5);
  expect_problem(post_batch(body_, signed_for(body_, +600)), ProblemKind::Unauthenticated, "ahead of");
  expect_nothing_stored();
}

TEST_F(HostileRequestTest, AnUnknownDeviceIsRefused) {
  TestDevice stranger{crypto::random_id128(), crypto::ed25519_generate()};
  expect_problem(post_batch(body_, signed_headers(stranger, "POST", protocol::kBatchesPath, body_)),
                 ProblemKind::Unauthenticated, "is not enrolled");
  expect_nothing_stored();
}

TEST_F(HostileRequestTest, ARevokedDeviceIsRefused) {
  auto revoke = client()->Post(protocol::admin_revoke_path(device_.id).c_str(), admin_headers(), "", "");
  ASSERT_TRUE(revoke);
  ASSERT_EQ(revoke->status, 200) << revoke->body;
  EXPECT_EQ(protocol::parse_revoke_reply(revoke->body).device_id, device_.id);
  expect_problem(post_batch(body_, signed_for(body_)), ProblemKind::DeviceRevoked, "has been revoked");
  expect_nothing_stored();
  // Another device carries on.
  TestDevice other = enrolled_device();
  EXPECT_THAT(upload_statuses(other, {random_upload()}), ::testing::Each(UploadStatus::Stored));
}

TEST_F(HostileRequestTest, AnOversizedBodyIs413) {
  std::string huge = protocol::batch_upload_to_json(std::vector<SealedUpload>{random_upload(60 * 1024)});
  ASSERT_GT(huge.size(), 64u * 1024);
  expect_problem(post_batch(huge, signed_for(huge)), ProblemKind::BodyTooLarge, "limit of 65536 bytes");
  expect_nothing_stored();
}

TEST_F(HostileRequestTest, TooManyResponsesInOneBatchIs413) {
  std::vector<SealedUpload> many;
  for (int i = 0; i < 21; ++i) many.push_back(random_upload(50));
  std::string body = protocol::batch_upload_to_json(many);
  expect_problem(post_batch(body, signed_for(body)), ProblemKind::BatchTooLarge, "holds 21 responses");
  expect_nothing_stored();
}

TEST_F(HostileRequestTest, AWrongContentTypeIs415) {
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"}) {
    expect_problem(client()->Post(protocol::kBatchesPath, signed_for(body_), body_, type),
                   ProblemKind::UnsupportedMediaType);
  }
  expect_nothing_stored();
  auto ok = client()->Post(protocol::kBatchesPath, signed_for(body_), body_, "application/json; charset=utf-8");
  EXPECT_EQ(ok->status, 200) << ok->body;
}

TEST_F(HostileRequestTest, ACompressedBodyIs415) {
  // Refused before the body is read (it would be inflated without bound), so sent in one write
  // for the reply to arrive before the server closes the connection.
  std::string reply = raw_https(server_->port(), certificate_file(),
                                "POST /v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                "Content-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd");
  EXPECT_THAT(reply, ::testing::StartsWith("HTTP/1.1 415"));
  EXPECT_THAT(reply, HasSubstr("compressed bodies are not read"));
  expect_nothing_stored();
}

TEST_F(HostileRequestTest, MalformedJsonIs400WithThePlace) {
  std::string broken = body_.substr(0, body_.size() - 3);
  expect_problem(post_batch(broken, signed_for(broken)), ProblemKind::MalformedRequest,
                 "the batch upload is not valid JSON: ");
  std::string twice = R"({"responses": [], "responses": []})";
  expect_problem(post_batch(twice, signed_for(twice)), ProblemKind::MalformedRequest,
                 "has the member \"responses\" twice");
  expect_nothing_stored();
}

TEST_F(HostileRequestTest, AChunkedBodyIs411) {
  std::string reply = raw_https(server_->port(), certificate_file(),
                                "POST /v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n0\r\n\r\n");
  EXPECT_THAT(reply, ::testing::StartsWith("HTTP/1.1 411"));
  EXPECT_THAT(reply, HasSubstr("urn:tutortime:problem:length-required"));
  std::string no_length = raw_https(server_->port(), certificate_file(),
                                    "POST /v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                    "Connection: close\r\n\r\n{}");
  EXPECT_THAT(no_length, ::testing::StartsWith("HTTP/1.1 411"));
  expect_nothing_stored();
}

TEST_F(HostileRequestTest, UnknownPathsAre404AndWrongMethods405) {
  expect_problem(client()->Get("/v1/nothing-here"), ProblemKind::NotFound);
  expect_problem(client()->Get("/v2/health"), ProblemKind::NotFound);
  auto r = client()->Get(protocol::kBatchesPath);
  expect_problem(r, ProblemKind::MethodNotAllowed);
  EXPECT_EQ(r->get_header_value("Allow"), "POST");
  expect_problem(client()->Post(protocol::kHealthPath, "{}", "application/json"), ProblemKind::MethodNotAllowed);
}

TEST_F(HostileRequestTest, SlowClientsAreDroppedAndOthersServedMeanwhile) {
  // Three connections that never say anything hold three of the server's four threads.
  std::vector<int> silent;
  for (int i = 0; i < 3; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(server_->port()));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    silent.push_back(fd);
  }
  auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(upload_statuses(device_, {random_upload()}), ::testing::Each(UploadStatus::Stored));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2)) << "served without waiting";
  // Each is dropped after the read timeout (2 s in the fixture).
  for (int fd : silent) {
    struct pollfd p = {fd, POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 10000), 1) << "a silent client was never dropped";
    char byte;
    EXPECT_LE(::recv(fd, &byte, 1, 0), 0);
    ::close(fd);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));
}

TEST_F(HostileRequestTest, TheLogNeverHoldsTokensKeysOrContents) {
  std::string enrol_token = make_enrol_token();
  auto key = crypto::ed25519_generate();
  ASSERT_EQ(enrol(enrol_token, key)->status, 201);
  SealedUpload secret = random_upload();
  ASSERT_THAT(upload_statuses(device_, {secret}), ::testing::Each(UploadStatus::Stored));
  post_batch("{\"responses\": [" + std::string(100, 'x'), signed_for("x"));  // a refused one too
  client()->Get(protocol::kAdminFleetPath, admin_headers("wrong-token-1234567890"));
  exported();
  std::string log = server_->stderr_text();
  EXPECT_THAT(log, HasSubstr("POST /v1/batches 200"));
  EXPECT_THAT(log, HasSubstr("POST /v1/enrol 201"));
  EXPECT_THAT(log, HasSubstr("GET /v1/admin/fleet 401"));
  for (const std::string& secret_text :
       {admin_token(), std::string("wrong-token-1234567890"), enrol_token,
        *protocol::normalise_enrol_token(enrol_token), to_base64(secret.sealed).substr(0, 40),
        to_base64(key.public_key).substr(0, 20)}) {
    EXPECT_EQ(log.find(secret_text), std::string::npos) << "the log holds \"" << secret_text << "\":\n" << log;
  }
}

}  // namespace
}  // namespace tt::central::testing
