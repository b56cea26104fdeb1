#pragma once
// POST /v1/enrol: a kiosk presents a one-time enrolment token and the public half of the
// Ed25519 key it has just made; the server registers it and returns what the kiosk must keep.
//
//   request  {"token": "7KQ4-M2XD-9RTB", "device_public_key_pem": "-----BEGIN PUBLIC KEY-----…",
//             "app_version": "0.1.0"}
//   reply    {"device_id": "3f2a…", "school": "…", "server_pin": "sha256//…",
//             "server_certificate_pem": "…", "analysis_public_key_pem": "…",
//             "signing_public_key_pem": "…"}
//
// server_pin is in the form libcurl's CURLOPT_PINNEDPUBLICKEY takes; it and the certificate
// are null only on a server started with --insecure-http-for-tests.
#include <optional>
#include <string>
#include <string_view>

#include "shared/common/bytes.h"

namespace tt::protocol {

inline constexpr const char* kEnrolPath = "/v1/enrol";

struct EnrolmentRequest {
  std::string token;        // as typed; the server normalises it
  Bytes device_public_key;  // raw Ed25519, 32 bytes (PEM on the wire)
  std::string app_version;
};

struct EnrolmentReply {
  std::string device_id;
  std::string school;
  std::optional<std::string> server_pin;
  std::optional<std::string> server_certificate_pem;
  std::string analysis_public_key_pem;  // X25519: responses are sealed to it
  std::string signing_public_key_pem;   // Ed25519: surveys and rosters verify against it
};

std::string to_json(const EnrolmentRequest& request);
EnrolmentRequest parse_enrolment_request(std::string_view body);  // throws ProtocolError
std::string to_json(const EnrolmentReply& reply);
EnrolmentReply parse_enrolment_reply(std::string_view body);  // throws ProtocolError

}  // namespace tt::protocol
