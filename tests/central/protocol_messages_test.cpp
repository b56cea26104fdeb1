// Every message of the protocol: round trips, and malformed input refused with a precise reason.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "shared/crypto/ed25519.h"
#include "shared/crypto/key_files.h"
#include "shared/crypto/x25519.h"
#include "shared/protocol/admin.h"
#include "shared/protocol/batch.h"
#include "shared/protocol/digest.h"
#include "shared/protocol/enrol_token.h"
#include "shared/protocol/enrolment.h"
#include "shared/protocol/heartbeat.h"
#include "shared/protocol/identifiers.h"
#include "shared/protocol/json_body.h"

namespace tt::protocol {
namespace {

using ::testing::HasSubstr;

template <typename Call>
std::string error_of(Call call) {
  try {
    call();
  } catch (const ProtocolError& e) {
    return e.what();
  }
  return "(accepted)";
}

SealedUpload sample_upload(char id_digit = '1') {
  return SealedUpload{std::string(32, id_digit), "y7-baseline", 1, "2026-12-04T14:07Z", Bytes(80, 0xab)};
}

TEST(ProtocolIdentifiers, Shapes) {
  EXPECT_TRUE(is_id128("93a86a469771626c804cb1b0fcdd1871"));
  EXPECT_FALSE(is_id128("93A86A469771626C804CB1B0FCDD1871"));
  EXPECT_FALSE(is_id128("93a86a469771626c804cb1b0fcdd187"));
  EXPECT_TRUE(is_survey_id("y7-baseline"));
  EXPECT_FALSE(is_survey_id("7y"));
  EXPECT_FALSE(is_survey_id(std::string(65, 'a')));
  EXPECT_TRUE(is_utc_minute("2026-12-04T14:07Z"));
  EXPECT_FALSE(is_utc_minute("2026-12-04T14:07:00Z"));
  EXPECT_FALSE(is_utc_minute("2026-13-04T14:07Z"));
  EXPECT_FALSE(is_utc_minute("2026-12-04T24:07Z"));
}

TEST(ProtocolEnrolToken, LooksAsDocumentedAndIsRandom) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string token = generate_enrol_token();
    ASSERT_EQ(token.size(), 14u);
    EXPECT_EQ(token[4], '-');
    EXPECT_EQ(token[9], '-');
    auto canonical = normalise_enrol_token(token);
    ASSERT_TRUE(canonical) << token;
    for (char c : *canonical) EXPECT_NE(kEnrolTokenAlphabet.find(c), std::string_view::npos);
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(ProtocolEnrolToken, NormalisesWhatATechnicianTypes) {
  EXPECT_EQ(normalise_enrol_token("7kq4 m2xd 9rtb"), "7KQ4M2XD9RTB");
  EXPECT_EQ(normalise_enrol_token("7KQ4-M2XD-9RTB"), "7KQ4M2XD9RTB");
  EXPECT_FALSE(normalise_enrol_token("7KQ4-M2XD-9RT"));    // short
  EXPECT_FALSE(normalise_enrol_token("7KQ4-M2XD-9RTBB"));  // long
  EXPECT_FALSE(normalise_enrol_token("7KQ4-M2XD-9RT0"));   // 0 is never used (O)
  EXPECT_FALSE(normalise_enrol_token("7KQ4-M2XD-9RTI"));   // I is never used (1)
  EXPECT_EQ(enrol_token_hash("7KQ4M2XD9RTB"), sha256_hex(as_bytes("7KQ4M2XD9RTB")));
}

TEST(ProtocolEnrolment, RequestRoundTrips) {
  auto key = crypto::ed25519_generate();
  EnrolmentRequest request{"7KQ4-M2XD-9RTB", key.public_key, "0.1.0"};
  EnrolmentRequest back = parse_enrolment_request(to_json(request));
  EXPECT_EQ(back.token, request.token);
  EXPECT_EQ(back.device_public_key, key.public_key);
  EXPECT_EQ(back.app_version, "0.1.0");
}

TEST(ProtocolEnrolment, RequestRefusesAWrongKey) {
  auto x25519 = crypto::x25519_generate();
  std::string body = nlohmann::json{{"token", "T"},
                                    {"device_public_key_pem",
                                     crypto::public_key_to_pem(crypto::KeyAlgorithm::X25519, x25519.public_key)}}
                         .dump();
  EXPECT_EQ(error_of([&] { parse_enrolment_request(body); }),
            "the enrolment request: /device_public_key_pem must be an Ed25519 public key in PEM "
            "(SubjectPublicKeyInfo)");
  EXPECT_EQ(error_of([&] { parse_enrolment_request(R"({"device_public_key_pem": "x"})"); }),
            "the enrolment request: /token is missing");
}

TEST(ProtocolEnrolment, ReplyRoundTrips) {
  EnrolmentReply reply;
  reply.device_id = "3f2a9b1c0d4e5f60718293a4b5c6d7e8";
  reply.school = "Hillside Academy";
  reply.server_pin = "sha256//LdksylzlP8onfrQ1Tpx1IhuAyZaFJDWOjxRdHfQF+5M=";
  reply.server_certificate_pem = "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n";
  reply.analysis_public_key_pem =
      crypto::public_key_to_pem(crypto::KeyAlgorithm::X25519, crypto::x25519_generate().public_key);
  reply.signing_public_key_pem =
      crypto::public_key_to_pem(crypto::KeyAlgorithm::Ed25519, crypto::ed25519_generate().public_key);
  EnrolmentReply back = parse_enrolment_reply(to_json(reply));
  EXPECT_EQ(back.device_id, reply.device_id);
  EXPECT_EQ(back.school, reply.school);
  EXPECT_EQ(back.server_pin, reply.server_pin);
  EXPECT_EQ(back.server_certificate_pem, reply.server_certificate_pem);
  EXPECT_EQ(back.analysis_public_key_pem, reply.analysis_public_key_pem);
  EXPECT_EQ(back.signing_public_key_pem, reply.signing_public_key_pem);

  // The two keys swapped: each is refused as the wrong algorithm.
  std::swap(reply.analysis_public_key_pem, reply.signing_public_key_pem);
  EXPECT_EQ(error_of([&] { parse_enrolment_reply(to_json(reply)); }),
            "the enrolment reply: /analysis_public_key_pem must be an X25519 public key in PEM (SubjectPublicKeyInfo)");
}

TEST(ProtocolBatch, UploadRoundTrips) {
  std::vector<SealedUpload> uploads = {sample_upload('1'), sample_upload('2')};
  uploads[1].survey_version = 7;
  auto entries = parse_batch_upload(batch_upload_to_json(uploads));
  ASSERT_EQ(entries.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    ASSERT_TRUE(entries[i].upload) << entries[i].rejection;
    EXPECT_EQ(*entries[i].upload, uploads[i]);
    EXPECT_EQ(entries[i].response_id, uploads[i].response_id);
  }
}

TEST(ProtocolBatch, AMalformedEntryIsRejectedAndTheOthersKept) {
  nlohmann::json body = nlohmann::json::parse(batch_upload_to_json(
      std::vector<SealedUpload>{sample_upload('1'), sample_upload('2'), sample_upload('3'), sample_upload('4'),
                                sample_upload('5'), sample_upload('6'), sample_upload('7')}));
  auto& r = body["responses"];
  r[1]["sealed"] = "not base64!";
  r[2]["response_id"] = "NOT-AN-ID";
  r[3]["survey_version"] = 0;
  r[4]["finished_at"] = "yesterday";
  r[5]["sealed"] = to_base64(Bytes(48, 1));
  r[6] = 42;
  auto entries = parse_batch_upload(body.dump());
  ASSERT_EQ(entries.size(), 7u);
  EXPECT_TRUE(entries[0].upload);
  EXPECT_EQ(entries[1].rejection, "/responses/1/sealed is not valid base64 (RFC 4648, with padding)");
  EXPECT_EQ(entries[1].response_id, std::string(32, '2'));  // still named: the id itself is fine
  EXPECT_EQ(entries[2].rejection, "/responses/2/response_id must be 32 lower-case hex digits");
  EXPECT_EQ(entries[2].response_id, "");
  EXPECT_EQ(entries[3].rejection, "/responses/3/survey_version must be a whole number from 1 to 2147483647");
  EXPECT_EQ(entries[4].rejection, "/responses/4/finished_at must be a UTC time to the minute, like 2026-12-04T14:07Z");
  EXPECT_EQ(entries[5].rejection,
            "/responses/5/sealed is 48 bytes; a sealed response is at least 49 (32-byte enc, 16-byte tag, the "
            "plaintext)");
  EXPECT_EQ(entries[6].rejection, "/responses/6 must be an object, not a whole number");
  for (std::size_t i = 1; i < 7; ++i) EXPECT_FALSE(entries[i].upload) << i;
}

TEST(ProtocolBatch, AWholeBodyThatIsNoBatchIsRefused) {
  EXPECT_EQ(error_of([] { parse_batch_upload("{}"); }), "the batch upload: /responses is missing");
  EXPECT_EQ(error_of([] { parse_batch_upload(R"({"responses": {}})"); }),
            "the batch upload: /responses must be an array, not an object");
  EXPECT_THAT(error_of([] { parse_batch_upload(R"({"responses": [)"); }),
              HasSubstr("the batch upload is not valid JSON"));
}

TEST(ProtocolBatch, ReplyRoundTrips) {
  std::vector<UploadResult> results = {
      {0, std::string(32, '1'), UploadStatus::Stored, ""},
      {1, std::string(32, '2'), UploadStatus::Duplicate, ""},
      {2, std::string(32, '3'), UploadStatus::Rejected, "conflict: different contents for an id already stored"},
      {3, "", UploadStatus::Rejected, "/responses/3/response_id must be …"}};
  EXPECT_EQ(parse_batch_reply(batch_reply_to_json(results)), results);
}

TEST(ProtocolBatch, ReplyIsStrictBecauseAKioskForgetsOnItsWord) {
  EXPECT_THROW(parse_batch_reply("<html>Welcome to the school Wi-Fi</html>"), ProtocolError);
  EXPECT_THROW(parse_batch_reply("{}"), ProtocolError);
  EXPECT_EQ(error_of([] { parse_batch_reply(R"({"results": [{"index": 0, "status": "ok"}]})"); }),
            "the batch reply: /results/0/status must be \"stored\", \"duplicate\" or \"rejected\"");
  EXPECT_EQ(error_of([] { parse_batch_reply(R"({"results": [{"index": 0, "status": "stored"}]})"); }),
            "the batch reply: /results/0/response_id is missing: a stored or duplicate result must name its response");
}

TEST(ProtocolHeartbeat, RoundTrips) {
  Heartbeat h{"0.1.0", {{"y7-baseline", 1}, {"y7-resurvey", 2}}, 3, 5400, 1234567890};
  EXPECT_EQ(parse_heartbeat(to_json(h)), h);
  Heartbeat idle{"0.1.0", {}, 0, std::nullopt, std::nullopt};
  EXPECT_EQ(parse_heartbeat(to_json(idle)), idle);
  EXPECT_EQ(parse_heartbeat_reply(to_json(HeartbeatReply{1764839100})).server_time, 1764839100);
}

TEST(ProtocolHeartbeat, RefusesWhatIsWrong) {
  EXPECT_EQ(error_of([] { parse_heartbeat(R"({"app_version": "0.1.0", "surveys": [], "responses_waiting": -1})"); }),
            "the heartbeat: /responses_waiting must be a whole number from 0 to 2147483647");
  EXPECT_EQ(error_of([] {
              parse_heartbeat(R"({"app_version": "0.1.0", "surveys": [{"id": "Y7", "version": 1}],
                                  "responses_waiting": 0})");
            }),
            "the heartbeat: /surveys/0/id must be 1 to 64 of a-z, 0-9, _ and -, starting with a letter");
}

TEST(ProtocolHealth, RoundTripsAndRefusesAnotherService) {
  HealthReply h;
  h.version = "0.1.0";
  EXPECT_EQ(parse_health_reply(to_json(h)).version, "0.1.0");
  EXPECT_THROW(parse_health_reply(R"({"status": "ok", "service": "nginx", "version": "1", "protocol": 1})"),
               ProtocolError);
}

TEST(ProtocolAdmin, EnrolTokenRequestDefaultsAndLimits) {
  EXPECT_EQ(parse_enrol_token_request(R"({"school": "Hillside"})").expires_in_hours, 72);
  EXPECT_EQ(parse_enrol_token_request(to_json(EnrolTokenRequest{"Hillside", 5})).expires_in_hours, 5);
  EXPECT_EQ(error_of([] { parse_enrol_token_request(R"({"school": "H", "expires_in_hours": 0})"); }),
            "the enrol-token request: /expires_in_hours must be a whole number from 1 to 720");
  EXPECT_EQ(error_of([] { parse_enrol_token_request(R"({"school": ""})"); }),
            "the enrol-token request: /school must be 1 to 200 characters");
  EnrolTokenReply reply{"7KQ4-M2XD-9RTB", "Hillside", 1764839100};
  EnrolTokenReply back = parse_enrol_token_reply(to_json(reply));
  EXPECT_EQ(back.token, reply.token);
  EXPECT_EQ(back.expires_at, reply.expires_at);
  EXPECT_EQ(parse_revoke_reply(to_json(RevokeReply{"3f2a", 9})).revoked_at, 9);
}

TEST(ProtocolAdmin, FleetRoundTrips) {
  FleetReply fleet;
  fleet.server_time = 1764839100;
  DeviceStatus quiet{"3f2a9b1c0d4e5f60718293a4b5c6d7e8",
                     "Hillside",
                     "0.1.0",
                     100,
                     std::nullopt,
                     std::nullopt,
                     std::nullopt,
                     std::nullopt};
  DeviceStatus busy{"aaaa9b1c0d4e5f60718293a4b5c6d7e8",
                    "Hillside",
                    "0.1.1",
                    100,
                    200,
                    150,
                    140,
                    Heartbeat{"0.1.1", {{"y7-baseline", 1}}, 4, 60, 1000}};
  fleet.devices = {quiet, busy};
  FleetReply back = parse_fleet_reply(to_json(fleet));
  EXPECT_EQ(back.server_time, fleet.server_time);
  EXPECT_EQ(back.devices, fleet.devices);
}

TEST(ProtocolAdmin, ResponsesPageRoundTripsAndChecksTheDigest) {
  ExportedResponse e{7, std::string(32, 'a'), "y7-baseline", 1, "2026-12-04T14:07Z", "", 1764839100, "", Bytes(60, 3)};
  e.sha256 = sha256_hex(e.sealed);
  ResponsesPage page{{e}, 7};
  ResponsesPage back = parse_responses_page(to_json(page));
  ASSERT_EQ(back.responses.size(), 1u);
  EXPECT_EQ(back.responses[0], e);
  EXPECT_EQ(back.next_after, 7);
  page.responses[0].sha256 = sha256_hex(as_bytes("other"));
  EXPECT_EQ(error_of([&] { parse_responses_page(to_json(page)); }),
            "the responses page: /responses/0/sha256 does not match the sealed bytes");
  EXPECT_FALSE(parse_responses_page(to_json(ResponsesPage{{}, std::nullopt})).next_after);
}

}  // namespace
}  // namespace tt::protocol
