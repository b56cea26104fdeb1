#include "shared/protocol/distribution.h"

#include <limits>

#include "shared/protocol/identifiers.h"
#include "shared/protocol/json_body.h"

namespace tt::protocol {

using nlohmann::json;

namespace {

constexpr std::int64_t kMaxSurveyVersion = std::numeric_limits<std::int32_t>::max();

Bytes read_signature(const JsonReader& r) {
  Bytes signature = r.base64("signature");
  if (signature.size() != kSurveySignatureBytes) {
    r.fail("signature", "must be the " + std::to_string(kSurveySignatureBytes) +
                            "-byte Ed25519 signature (FILE.sig from tutortime-admin survey sign), not " +
                            std::to_string(signature.size()) + " bytes");
  }
  return signature;
}

}  // namespace

std::string to_json(const PublishSurveyRequest& request) {
  return json{{"definition", request.definition}, {"signature", to_base64(request.signature)}}.dump();
}

PublishSurveyRequest parse_publish_survey_request(std::string_view body) {
  const char* what = "the survey to publish";
  json j = parse_json_object(body, what);
  JsonReader r(j, what);
  PublishSurveyRequest request;
  request.definition = r.string("definition");
  if (request.definition.empty()) r.fail("definition", "is empty");
  request.signature = read_signature(r);
  return request;
}

std::string to_json(const PublishSurveyReply& reply) {
  return json{{"survey_id", reply.survey_id},
              {"version", reply.version},
              {"status", reply.already_published ? "already_published" : "published"}}
      .dump();
}

PublishSurveyReply parse_publish_survey_reply(std::string_view body) {
  const char* what = "the publish reply";
  json j = parse_json_object(body, what);
  JsonReader r(j, what);
  PublishSurveyReply reply;
  reply.survey_id = r.string("survey_id");
  reply.version = r.integer("version", 1, kMaxSurveyVersion);
  std::string status = r.string("status");
  if (status != "published" && status != "already_published") {
    r.fail("status", "must be \"published\" or \"already_published\"");
  }
  reply.already_published = status == "already_published";
  return reply;
}

std::string to_json(const SurveysReply& reply) {
  json surveys = json::array();
  for (const SignedSurvey& s : reply.surveys) {
    surveys.push_back({{"survey_id", s.survey_id},
                       {"version", s.version},
                       {"definition", s.definition},
                       {"signature", to_base64(s.signature)}});
  }
  return json{{"surveys", std::move(surveys)}}.dump();
}

SurveysReply parse_surveys_reply(std::string_view body) {
  const char* what = "the surveys reply";
  json j = parse_json_object(body, what);
  JsonReader top(j, what);
  SurveysReply reply;
  const json& surveys = top.array("surveys");
  for (std::size_t i = 0; i < surveys.size(); ++i) {
    JsonReader r = top.nested(surveys[i], "surveys/" + std::to_string(i));
    SignedSurvey s;
    s.survey_id = r.string("survey_id");
    if (!is_survey_id(s.survey_id)) r.fail("survey_id", "must be 1 to 64 of a-z, 0-9, _ and -, starting with a letter");
    s.version = r.integer("version", 1, kMaxSurveyVersion);
    s.definition = r.string("definition");
    s.signature = read_signature(r);
    reply.surveys.push_back(std::move(s));
  }
  return reply;
}

}  // namespace tt::protocol
