// Survey distribution: the central team publishes signed surveys (POST /v1/admin/surveys) and
// kiosks fetch the latest version of each (GET /v1/surveys). The server checks what it is
// given as a kiosk would, so a survey no kiosk would install is refused at the door, with why.
#include "shared/crypto/key_files.h"
#include "shared/protocol/distribution.h"
#include "shared/protocol/json_body.h"
#include "shared/survey/survey_loader.h"
#include "shared/survey/survey_signature.h"
#include "sync/central/central_service.h"

namespace tt::central {

using protocol::ProblemKind;

ServiceReply CentralService::publish_survey(const ServiceRequest& request) {
  return guarded("publish survey", [&] {
    require_admin(request);
    require_json_body(request);
    protocol::PublishSurveyRequest wanted;
    try {
      wanted = protocol::parse_publish_survey_request(request.body);
    } catch (const protocol::ProtocolError& e) {
      throw ProblemError(ProblemKind::MalformedRequest, e.what());
    }
    // The signature first: an unsigned text is not looked at further.
    Bytes signing_key = crypto::public_key_from_pem(settings_.signing_public_key_pem, crypto::KeyAlgorithm::Ed25519);
    try {
      survey::verify_survey_signature(as_bytes(wanted.definition), wanted.signature, signing_key, "the survey");
    } catch (const Error& e) {
      throw ProblemError(ProblemKind::MalformedRequest,
                         std::string(e.what()) + " (this server verifies with the signing public key it hands kiosks)");
    }
    survey::Survey s;
    try {
      s = survey::load_survey_text(wanted.definition, "the survey");
    } catch (const survey::SurveyError& e) {
      throw ProblemError(ProblemKind::MalformedRequest, std::string("the survey is not valid: ") + e.what());
    }
    PublishedSurvey published{s.id, s.version, wanted.definition, wanted.signature, clock_()};
    PublishOutcome outcome = storage_.publish_survey(published);
    std::string name = "survey " + s.id + " version " + std::to_string(s.version);
    if (outcome == PublishOutcome::Conflict) {
      throw ProblemError(ProblemKind::Conflict, name +
                                                    " is published already with different contents; a changed "
                                                    "survey needs a new version");
    }
    bool again = outcome == PublishOutcome::AlreadyPublished;
    return json_reply(again ? 200 : 201, protocol::to_json(protocol::PublishSurveyReply{s.id, s.version, again}),
                      name + (again ? " published already (identical)" : " published"));
  });
}

ServiceReply CentralService::admin_surveys(const ServiceRequest& request) {
  return guarded("list published surveys", [&] {
    require_admin(request);
    protocol::SurveysReply reply;
    for (PublishedSurvey& s : storage_.latest_surveys()) {
      reply.surveys.push_back({s.survey_id, s.version, std::move(s.definition), std::move(s.signature)});
    }
    return json_reply(200, protocol::to_json(reply), std::to_string(reply.surveys.size()) + " surveys");
  });
}

ServiceReply CentralService::surveys(const ServiceRequest& request) {
  return guarded("list surveys", [&] {
    DeviceRecord device = authenticate_device(request);
    protocol::SurveysReply reply;
    for (PublishedSurvey& s : storage_.latest_surveys()) {
      reply.surveys.push_back({s.survey_id, s.version, std::move(s.definition), std::move(s.signature)});
    }
    return json_reply(200, protocol::to_json(reply),
                      "device " + device.device_id + ": " + std::to_string(reply.surveys.size()) + " surveys");
  });
}

}  // namespace tt::central
