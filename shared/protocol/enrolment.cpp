#include "shared/protocol/enrolment.h"

#include "shared/crypto/key_files.h"
#include "shared/protocol/identifiers.h"
#include "shared/protocol/json_body.h"

namespace tt::protocol {

using nlohmann::json;

namespace {

// A PEM public key of `algorithm`, checked by parsing it; the message names the member.
std::string checked_public_key_pem(const JsonReader& r, const char* key, crypto::KeyAlgorithm algorithm) {
  std::string pem = r.string(key);
  try {
    crypto::public_key_from_pem(pem, algorithm);
  } catch (const Error&) {
    r.fail(key, std::string("must be an ") + crypto::key_algorithm_name(algorithm) +
                    " public key in PEM (SubjectPublicKeyInfo)");
  }
  return pem;
}

}  // namespace

std::string to_json(const EnrolmentRequest& request) {
  json j;
  j["token"] = request.token;
  j["device_public_key_pem"] = crypto::public_key_to_pem(crypto::KeyAlgorithm::Ed25519, request.device_public_key);
  j["app_version"] = request.app_version;
  return j.dump();
}

EnrolmentRequest parse_enrolment_request(std::string_view body) {
  const char* what = "the enrolment request";
  json j = parse_json_object(body, what);
  JsonReader r(j, what);
  EnrolmentRequest request;
  request.token = r.string("token");
  if (request.token.size() > 64) r.fail("token", "is too long to be an enrolment token");
  std::string pem = r.string("device_public_key_pem");
  try {
    request.device_public_key = crypto::public_key_from_pem(pem, crypto::KeyAlgorithm::Ed25519);
  } catch (const Error&) {
    r.fail("device_public_key_pem", "must be an Ed25519 public key in PEM (SubjectPublicKeyInfo)");
  }
  request.app_version = r.optional_string("app_version").value_or("");
  if (request.app_version.size() > 64) r.fail("app_version", "must be at most 64 characters");
  return request;
}

std::string to_json(const EnrolmentReply& reply) {
  json j;
  j["device_id"] = reply.device_id;
  j["school"] = reply.school;
  j["server_pin"] = reply.server_pin ? json(*reply.server_pin) : json(nullptr);
  j["server_certificate_pem"] = reply.server_certificate_pem ? json(*reply.server_certificate_pem) : json(nullptr);
  j["analysis_public_key_pem"] = reply.analysis_public_key_pem;
  j["signing_public_key_pem"] = reply.signing_public_key_pem;
  return j.dump();
}

EnrolmentReply parse_enrolment_reply(std::string_view body) {
  const char* what = "the enrolment reply";
  json j = parse_json_object(body, what);
  JsonReader r(j, what);
  EnrolmentReply reply;
  reply.device_id = r.string("device_id");
  if (!is_id128(reply.device_id)) r.fail("device_id", "must be 32 lower-case hex digits");
  reply.school = r.string("school");
  reply.server_pin = r.optional_string("server_pin");
  if (reply.server_pin && reply.server_pin->rfind("sha256//", 0) != 0) {
    r.fail("server_pin", "must be \"sha256//\" followed by base64");
  }
  reply.server_certificate_pem = r.optional_string("server_certificate_pem");
  reply.analysis_public_key_pem = checked_public_key_pem(r, "analysis_public_key_pem", crypto::KeyAlgorithm::X25519);
  reply.signing_public_key_pem = checked_public_key_pem(r, "signing_public_key_pem", crypto::KeyAlgorithm::Ed25519);
  return reply;
}

}  // namespace tt::protocol
