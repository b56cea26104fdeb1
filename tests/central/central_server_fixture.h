#pragma once
// A fixture for the integration tests: a fresh directory with the central team's public keys,
// a configuration, and the real tutortime-central serving HTTPS on a free loopback port with a
// self-signed certificate made on this first run. Clients are cpp-httplib's SSLClient,
// verifying the server's certificate against the one it made (and its name, 127.0.0.1).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "shared/crypto/ed25519.h"
#include "shared/crypto/key_files.h"
#include "shared/crypto/random.h"
#include "shared/crypto/x25519.h"
#include "shared/protocol/admin.h"
#include "shared/protocol/batch.h"
#include "shared/protocol/enrolment.h"
#include "shared/protocol/heartbeat.h"
#include "shared/protocol/problem.h"
#include "shared/protocol/request_signature.h"
#include "tests/central/server_process.h"

namespace tt::central::testing {

using nlohmann::json;
using protocol::SealedUpload;

// A kiosk as far as the server is concerned: its id and signing key.
struct TestDevice {
  std::string id;
  crypto::Ed25519KeyPair key;
};

inline SealedUpload random_upload(std::size_t size = 200) {
  return SealedUpload{crypto::random_id128(), "y7-baseline", 1, "2026-12-04T14:07Z", crypto::random_bytes(size)};
}

inline std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class CentralServerTest : public ::testing::Test {
 protected:
  // Settings the tests rely on; a test may change config_ before start_server().
  void SetUp() override {
    char pattern[] = "/tmp/tutortime-central-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    data_dir_ = dir_ / "data";
    fs::create_directories(dir_ / "keys");
    analysis_keys_ = crypto::x25519_generate();
    signing_keys_ = crypto::ed25519_generate();
    const auto& analysis = analysis_keys_;
    const auto& signing = signing_keys_;
    crypto::write_public_key(dir_ / "keys" / "analysis.pub", crypto::KeyAlgorithm::X25519, analysis.public_key);
    crypto::write_public_key(dir_ / "keys" / "signing.pub", crypto::KeyAlgorithm::Ed25519, signing.public_key);
    analysis_pem_ = crypto::public_key_to_pem(crypto::KeyAlgorithm::X25519, analysis.public_key);
    signing_pem_ = crypto::public_key_to_pem(crypto::KeyAlgorithm::Ed25519, signing.public_key);
    config_ = {{"listen", {{"address", "127.0.0.1"}, {"port", 0}}},
               {"analysis_public_key", "keys/analysis.pub"},
               {"signing_public_key", "keys/signing.pub"},
               {"limits",
                {{"max_body_bytes", 64 * 1024},
                 {"max_batch_responses", 20},
                 {"max_sealed_bytes", 4096},
                 {"read_timeout_seconds", 2},
                 {"write_timeout_seconds", 2},
                 {"threads", 4}}}};
    if (start_in_setup_) start_server();
  }

  void TearDown() override {
    server_.reset();
    std::error_code ec;
    if (!HasFailure()) fs::remove_all(dir_, ec);
  }

  void start_server(std::vector<std::string> extra = {}) {
    std::ofstream(dir_ / "central.json") << config_.dump(2);
    server_ = std::make_unique<ServerProcess>();
    std::vector<std::string> args = {"--config", (dir_ / "central.json").string(), "--data-dir", data_dir_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    ASSERT_TRUE(server_->start(args, dir_ / "server.stderr")) << server_->failure();
  }

  fs::path certificate_file() const { return data_dir_ / "tls-certificate.pem"; }
  std::string admin_token() const {
    std::string t = read_file_text(data_dir_ / "admin-token");
    while (!t.empty() && t.back() == '\n') t.pop_back();
    return t;
  }

  // A client that verifies the server's certificate (chain and name) against the one it made.
  std::unique_ptr<httplib::SSLClient> client() const {
    auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", server_->port());
    c->set_ca_cert_path(certificate_file().c_str());
    c->enable_server_certificate_verification(true);
    c->set_connection_timeout(5);
    c->set_read_timeout(10);
    return c;
  }

  httplib::Result post_json(const std::string& path, const std::string& body, httplib::Headers headers = {}) const {
    return client()->Post(path.c_str(), headers, body, "application/json");
  }
  httplib::Headers admin_headers(const std::string& token) const { return {{"Authorization", "Bearer " + token}}; }
  httplib::Headers admin_headers() const { return admin_headers(admin_token()); }

  // The four signature headers for `body` at `path`, signed by `device` (optionally another
  // time, or a given nonce).
  static httplib::Headers signed_headers(const TestDevice& device, const std::string& method, const std::string& path,
                                         const std::string& body, std::int64_t time_offset = 0,
                                         const std::string& nonce = "") {
    auto c = protocol::sign_request(method, path, as_bytes(body), device.id, device.key.private_key.view(),
                                    now_seconds() + time_offset, nonce);
    return {{protocol::kHeaderDevice, c.device_id},
            {protocol::kHeaderTimestamp, protocol::timestamp_header_value(c)},
            {protocol::kHeaderNonce, c.nonce},
            {protocol::kHeaderSignature, protocol::signature_header_value(c)}};
  }

  std::string make_enrol_token(const std::string& school = "Hillside Academy", int hours = 72) {
    auto r = post_json(protocol::kAdminEnrolTokensPath, protocol::to_json(protocol::EnrolTokenRequest{school, hours}),
                       admin_headers());
    EXPECT_TRUE(r) << httplib::to_string(r.error());
    if (!r) return {};
    EXPECT_EQ(r->status, 201) << r->body;
    return protocol::parse_enrol_token_reply(r->body).token;
  }

  httplib::Result enrol(const std::string& token, const crypto::Ed25519KeyPair& key) {
    return post_json(protocol::kEnrolPath,
                     protocol::to_json(protocol::EnrolmentRequest{token, key.public_key, "0.1.0"}));
  }

  TestDevice enrolled_device(const std::string& school = "Hillside Academy") {
    TestDevice device{"", crypto::ed25519_generate()};
    auto r = enrol(make_enrol_token(school), device.key);
    EXPECT_TRUE(r);
    if (!r) return device;
    EXPECT_EQ(r->status, 201) << r->body;
    device.id = protocol::parse_enrolment_reply(r->body).device_id;
    return device;
  }

  httplib::Result upload(const TestDevice& device, const std::vector<SealedUpload>& uploads) {
    std::string body = protocol::batch_upload_to_json(uploads);
    return post_json(protocol::kBatchesPath, body, signed_headers(device, "POST", protocol::kBatchesPath, body));
  }

  std::vector<protocol::UploadStatus> upload_statuses(const TestDevice& device,
                                                      const std::vector<SealedUpload>& uploads) {
    auto r = upload(device, uploads);
    std::vector<protocol::UploadStatus> out;
    EXPECT_TRUE(r);
    if (!r) return out;
    EXPECT_EQ(r->status, 200) << r->body;
    for (const auto& result : protocol::parse_batch_reply(r->body)) out.push_back(result.status);
    return out;
  }

  // Everything the server has stored, through the admin export (every page).
  std::vector<protocol::ExportedResponse> exported() {
    std::vector<protocol::ExportedResponse> out;
    std::int64_t after = 0;
    for (;;) {
      std::string path = std::string(protocol::kAdminResponsesPath) + "?after=" + std::to_string(after) + "&limit=7";
      auto r = client()->Get(path.c_str(), admin_headers());
      EXPECT_TRUE(r);
      if (!r) return out;
      EXPECT_EQ(r->status, 200) << r->body;
      auto page = protocol::parse_responses_page(r->body);
      for (auto& e : page.responses) out.push_back(std::move(e));
      if (!page.next_after) return out;
      after = *page.next_after;
    }
  }
  std::size_t stored_count() { return exported().size(); }

  // The reply is a problem of `kind` (status, content type and type all match).
  static void expect_problem(const httplib::Result& r, protocol::ProblemKind kind,
                             const std::string& detail_part = "") {
    ASSERT_TRUE(r) << httplib::to_string(r.error());
    protocol::Problem expected = protocol::make_problem(kind, "");
    EXPECT_EQ(r->status, expected.status) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), protocol::kProblemContentType);
    protocol::Problem p = protocol::parse_problem(r->body);
    EXPECT_EQ(p.type, expected.type) << r->body;
    EXPECT_EQ(p.status, expected.status);
    if (!detail_part.empty()) {
      EXPECT_THAT(p.detail, ::testing::HasSubstr(detail_part));
    }
  }

  bool start_in_setup_ = true;
  fs::path dir_;
  fs::path data_dir_;
  json config_;
  std::string analysis_pem_;
  std::string signing_pem_;
  // The central team's private halves, for tests that seal, open or sign (never given to the
  // server: it refuses to start beside analysis.key).
  crypto::X25519KeyPair analysis_keys_;
  crypto::Ed25519KeyPair signing_keys_;
  std::unique_ptr<ServerProcess> server_;
};

}  // namespace tt::central::testing
