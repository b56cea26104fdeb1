// Enrolment over the real server: a one-time token and a device key → the device's identity and
// the trust anchors it must keep; a token used, expired, unknown or malformed is refused.
#include "shared/protocol/enrol_token.h"
#include "sync/central/storage.h"
#include "tests/central/central_server_fixture.h"

namespace tt::central::testing {
namespace {

using protocol::ProblemKind;

TEST_F(CentralServerTest, EnrolsADeviceWithATokenAndHandsItTheTrustAnchors) {
  std::string token = make_enrol_token("Hillside Academy");
  EXPECT_TRUE(protocol::normalise_enrol_token(token)) << token;
  auto key = crypto::ed25519_generate();
  auto r = enrol(token, key);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  auto reply = protocol::parse_enrolment_reply(r->body);
  EXPECT_EQ(reply.device_id.size(), 32u);
  EXPECT_EQ(reply.school, "Hillside Academy");
  EXPECT_EQ(reply.server_pin, server_->pin());
  EXPECT_EQ(reply.server_certificate_pem, read_file_text(certificate_file()));
  EXPECT_EQ(reply.analysis_public_key_pem, analysis_pem_);
  EXPECT_EQ(reply.signing_public_key_pem, signing_pem_);

  // The new identity works: a signed heartbeat is accepted.
  TestDevice device{reply.device_id, std::move(key)};
  std::string body = protocol::to_json(protocol::Heartbeat{"0.1.0", {}, 0, std::nullopt, std::nullopt});
  auto hb = post_json(protocol::kHeartbeatPath, body, signed_headers(device, "POST", protocol::kHeartbeatPath, body));
  ASSERT_TRUE(hb);
  EXPECT_EQ(hb->status, 200) << hb->body;
}

TEST_F(CentralServerTest, ATokenCannotBeUsedTwice) {
  std::string token = make_enrol_token();
  ASSERT_EQ(enrol(token, crypto::ed25519_generate())->status, 201);
  expect_problem(enrol(token, crypto::ed25519_generate()), ProblemKind::EnrolTokenRefused, "used already");
  auto fleet = client()->Get(protocol::kAdminFleetPath, admin_headers());
  EXPECT_EQ(protocol::parse_fleet_reply(fleet->body).devices.size(), 1u);
}

TEST_F(CentralServerTest, AnExpiredTokenIsRefused) {
  // A token that expired an hour ago, put in through the storage the server shares (WAL lets a
  // second connection write while the server runs).
  const std::string token = "7KQ4-M2XD-9RTB";
  {
    auto storage = open_storage("sqlite:" + (data_dir_ / "central.db").string());
    storage->add_enrol_token({protocol::enrol_token_hash(*protocol::normalise_enrol_token(token)), "Hillside",
                              now_seconds() - 7200, now_seconds() - 3600});
  }
  expect_problem(enrol(token, crypto::ed25519_generate()), ProblemKind::EnrolTokenRefused, "expired");
  auto fleet = client()->Get(protocol::kAdminFleetPath, admin_headers());
  EXPECT_TRUE(protocol::parse_fleet_reply(fleet->body).devices.empty());
}

TEST_F(CentralServerTest, UnknownAndMalformedTokensAreRefused) {
  expect_problem(enrol("2345-6789-ABCD", crypto::ed25519_generate()), ProblemKind::EnrolTokenRefused, "not known");
  expect_problem(enrol("not a token", crypto::ed25519_generate()), ProblemKind::EnrolTokenRefused,
                 "not an enrolment token");
  expect_problem(post_json(protocol::kEnrolPath, R"({"token": "2345-6789-ABCD"})"), ProblemKind::MalformedRequest,
                 "/device_public_key_pem is missing");
}

TEST_F(CentralServerTest, ATokenAsATechnicianTypesItWorks) {
  std::string token = make_enrol_token();
  std::string typed;
  for (char c : token) {
    if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  typed.insert(typed.begin() + 6, ' ');
  EXPECT_EQ(enrol(typed, crypto::ed25519_generate())->status, 201);
}

}  // namespace
}  // namespace tt::central::testing
