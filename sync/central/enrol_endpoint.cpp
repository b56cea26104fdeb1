// POST /v1/enrol: a one-time token and a new device key → the device's identity and trust anchors.
#include "shared/crypto/random.h"
#include "shared/protocol/enrol_token.h"
#include "shared/protocol/enrolment.h"
#include "shared/protocol/json_body.h"
#include "sync/central/central_service.h"

namespace tt::central {

using protocol::ProblemKind;

ServiceReply CentralService::enrol(const ServiceRequest& request) {
  return guarded("enrol", [&] {
    require_json_body(request);
    protocol::EnrolmentRequest enrolment;
    try {
      enrolment = protocol::parse_enrolment_request(request.body);
    } catch (const protocol::ProtocolError& e) {
      throw ProblemError(ProblemKind::MalformedRequest, e.what());
    }
    std::optional<std::string> token = protocol::normalise_enrol_token(enrolment.token);
    if (!token) {
      throw ProblemError(ProblemKind::EnrolTokenRefused,
                         "that is not an enrolment token: it has 12 letters and digits, like 7KQ4-M2XD-9RTB");
    }
    NewDevice device{crypto::random_id128(), enrolment.device_public_key, enrolment.app_version};
    EnrolResult result = storage_.enrol_device(protocol::enrol_token_hash(*token), device, clock_());
    switch (result.outcome) {
      case EnrolOutcome::UnknownToken:
        throw ProblemError(ProblemKind::EnrolTokenRefused, "the enrolment token is not known to this server");
      case EnrolOutcome::TokenUsed:
        throw ProblemError(ProblemKind::EnrolTokenRefused,
                           "the enrolment token has been used already; ask the central team for a new one");
      case EnrolOutcome::TokenExpired:
        throw ProblemError(ProblemKind::EnrolTokenRefused,
                           "the enrolment token has expired; ask the central team for a new one");
      case EnrolOutcome::Enrolled: break;
    }
    protocol::EnrolmentReply reply;
    reply.device_id = device.device_id;
    reply.school = result.school;
    reply.server_pin = settings_.server_pin;
    reply.server_certificate_pem = settings_.server_certificate_pem;
    reply.analysis_public_key_pem = settings_.analysis_public_key_pem;
    reply.signing_public_key_pem = settings_.signing_public_key_pem;
    return json_reply(201, protocol::to_json(reply), "device " + device.device_id + " enrolled");
  });
}

}  // namespace tt::central
