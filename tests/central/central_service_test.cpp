// The endpoint logic without HTTP (sync/central/central_service.h), on a real SQLite storage
// and a clock the test sets: the edges of the time window, nonces across it, the enrolment
// token's expiry to the second, and what a storage failure looks like from outside.
#include "sync/central/central_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "shared/crypto/ed25519.h"
#include "shared/crypto/key_files.h"
#include "shared/crypto/random.h"
#include "shared/crypto/x25519.h"
#include "shared/protocol/batch.h"
#include "shared/protocol/enrol_token.h"
#include "shared/protocol/enrolment.h"
#include "shared/protocol/request_signature.h"
#include "sync/central/sqlite_storage.h"

namespace tt::central {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// A storage whose batches fail, as a full disk would make them.
class FailingStorage : public SqliteStorage {
 public:
  using SqliteStorage::SqliteStorage;
  std::optional<std::vector<StoreOutcome>> store_signed_batch(std::string_view, const RequestNonce*,
                                                              std::span<const protocol::SealedUpload>,
                                                              UnixSeconds) override {
    throw StorageError("store batch in sqlite:/srv/central.db: database or disk is full");
  }
};

class CentralServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/tutortime-service-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    storage_ = std::make_unique<FailingStorage>(dir_ / "central.db");
    ServiceSettings settings;
    settings.admin_token = "admin-token-for-the-service-test";
    settings.analysis_public_key_pem =
        crypto::public_key_to_pem(crypto::KeyAlgorithm::X25519, crypto::x25519_generate().public_key);
    settings.signing_public_key_pem =
        crypto::public_key_to_pem(crypto::KeyAlgorithm::Ed25519, crypto::ed25519_generate().public_key);
    service_ = std::make_unique<CentralService>(*storage_, settings, [this] { return now_; });
    // A device, enrolled through the service.
    storage_->add_enrol_token({protocol::enrol_token_hash("7KQ4M2XD9RTB"), "Hillside", now_, now_ + 3600});
    ServiceReply reply = service_->enrol(
        json_request("POST", "/v1/enrol",
                     protocol::to_json(protocol::EnrolmentRequest{"7KQ4-M2XD-9RTB", key_.public_key, "0.1.0"})));
    ASSERT_EQ(reply.status, 201) << reply.body;
    device_id_ = protocol::parse_enrolment_reply(reply.body).device_id;
  }
  void TearDown() override {
    service_.reset();
    storage_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  static ServiceRequest json_request(std::string method, std::string target, std::string body) {
    ServiceRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.body = std::move(body);
    r.headers.emplace("Content-Type", "application/json");
    return r;
  }
  ServiceRequest signed_heartbeat(std::int64_t timestamp, const std::string& nonce = "") {
    ServiceRequest r =
        json_request("POST", "/v1/heartbeat", R"({"app_version": "0.1.0", "surveys": [], "responses_waiting": 0})");
    auto c = protocol::sign_request(r.method, r.target, as_bytes(r.body), device_id_, key_.private_key.view(),
                                    timestamp, nonce);
    r.headers.emplace(protocol::kHeaderDevice, c.device_id);
    r.headers.emplace(protocol::kHeaderTimestamp, protocol::timestamp_header_value(c));
    r.headers.emplace(protocol::kHeaderNonce, c.nonce);
    r.headers.emplace(protocol::kHeaderSignature, protocol::signature_header_value(c));
    return r;
  }

  fs::path dir_;
  std::int64_t now_ = 1'800'000'000;
  crypto::Ed25519KeyPair key_ = crypto::ed25519_generate();
  std::string device_id_;
  std::unique_ptr<FailingStorage> storage_;
  std::unique_ptr<CentralService> service_;
};

TEST_F(CentralServiceTest, TheWindowIsFiveMinutesEitherSide) {
  EXPECT_EQ(service_->heartbeat(signed_heartbeat(now_ - 300)).status, 200);
  EXPECT_EQ(service_->heartbeat(signed_heartbeat(now_ + 300)).status, 200);
  ServiceReply stale = service_->heartbeat(signed_heartbeat(now_ - 301));
  EXPECT_EQ(stale.status, 401);
  EXPECT_THAT(stale.body, HasSubstr("301 seconds behind"));
  EXPECT_EQ(service_->heartbeat(signed_heartbeat(now_ + 301)).status, 401);
}

TEST_F(CentralServiceTest, ANonceIsRememberedForAsLongAsItsRequestCouldBeReplayed) {
  const std::string nonce = "00112233445566778899aabbccddeeff";
  ServiceRequest request = signed_heartbeat(now_, nonce);
  EXPECT_EQ(service_->heartbeat(request).status, 200);
  for (std::int64_t later : {1, 150, 300}) {
    now_ += later;
    ServiceReply replay = service_->heartbeat(request);
    EXPECT_EQ(replay.status, 401);
    EXPECT_THAT(replay.body, HasSubstr("nonce has been used before")) << "at +" << later;
    now_ -= later;
  }
  // Past the window the request is too old whatever its nonce: refused by its time.
  now_ += 301;
  EXPECT_THAT(service_->heartbeat(request).body, HasSubstr("seconds behind"));
}

TEST_F(CentralServiceTest, AHeaderTwiceIsRefused) {
  ServiceRequest request = signed_heartbeat(now_);
  request.headers.emplace(protocol::kHeaderDevice, crypto::random_id128());
  ServiceReply reply = service_->heartbeat(request);
  EXPECT_EQ(reply.status, 400);
  EXPECT_THAT(reply.body, HasSubstr("the header Tutortime-Device appears more than once"));
}

TEST_F(CentralServiceTest, AnEnrolmentTokenExpiresToTheSecond) {
  storage_->add_enrol_token({protocol::enrol_token_hash("2345ABCD6789"), "Hillside", now_, now_ + 10});
  auto enrol = [&] {
    return service_->enrol(json_request(
        "POST", "/v1/enrol",
        protocol::to_json(protocol::EnrolmentRequest{"2345-ABCD-6789", crypto::ed25519_generate().public_key, ""})));
  };
  now_ += 10;
  EXPECT_THAT(enrol().body, HasSubstr("expired"));
  now_ -= 1;
  EXPECT_EQ(enrol().status, 201);
}

TEST_F(CentralServiceTest, AStorageFailureIsA500ThatSaysNothingOfTheCause) {
  ServiceRequest r = json_request("POST", "/v1/batches",
                                  protocol::batch_upload_to_json(std::vector<protocol::SealedUpload>{
                                      {crypto::random_id128(), "y7-baseline", 1, "2026-12-04T14:07Z", Bytes(60, 1)}}));
  auto c = protocol::sign_request(r.method, r.target, as_bytes(r.body), device_id_, key_.private_key.view(), now_);
  r.headers.emplace(protocol::kHeaderDevice, c.device_id);
  r.headers.emplace(protocol::kHeaderTimestamp, protocol::timestamp_header_value(c));
  r.headers.emplace(protocol::kHeaderNonce, c.nonce);
  r.headers.emplace(protocol::kHeaderSignature, protocol::signature_header_value(c));
  ServiceReply reply = service_->upload_batch(r);
  EXPECT_EQ(reply.status, 500);
  EXPECT_EQ(reply.content_type, "application/problem+json");
  EXPECT_THAT(reply.body, HasSubstr("the server failed; try again later"));
  EXPECT_THAT(reply.body, ::testing::Not(HasSubstr("disk is full")));
  EXPECT_THAT(reply.log_note,
              HasSubstr("upload batch: store batch in sqlite:/srv/central.db: database or disk is full"));
}

TEST(CentralServiceContentType, OnlyJson) {
  EXPECT_TRUE(is_json_content_type("application/json"));
  EXPECT_TRUE(is_json_content_type("Application/JSON"));
  EXPECT_TRUE(is_json_content_type("application/json; charset=utf-8"));
  EXPECT_TRUE(is_json_content_type("application/json;charset=\"UTF-8\""));
  EXPECT_FALSE(is_json_content_type("application/json; charset=latin-1"));
  EXPECT_FALSE(is_json_content_type("application/jsonp"));
  EXPECT_FALSE(is_json_content_type("text/json"));
  EXPECT_FALSE(is_json_content_type("application/problem+json"));
  EXPECT_FALSE(is_json_content_type(""));
}

}  // namespace
}  // namespace tt::central
