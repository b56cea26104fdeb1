#pragma once
// Survey distribution: the central team publishes a signed survey to the server, and kiosks
// fetch every published survey's latest version, verify it with the survey-signing public key
// they received at enrolment, and install it (kiosk/session/survey_update.h).
//
//   POST /v1/admin/surveys (admin)  {"definition": "<the survey JSON text, verbatim, as signed>",
//                                    "signature": "<base64 of the 64-byte detached Ed25519 signature>"}
//                                 → 201 {"survey_id": "y7-baseline", "version": 2, "status": "published"}
//                                   200 the same with "status": "already_published" (identical bytes)
//   GET  /v1/surveys (signed)     → {"surveys": [{"survey_id", "version", "definition", "signature"}…]}
//   GET  /v1/admin/surveys (admin) → the same, for the central team's tool (export's CSV columns)
//
// The definition travels as a JSON string holding the exact bytes that were signed: the
// signature is over those bytes, so nothing on the way may re-serialise them.
//
// Import of responses rescued from a kiosk (`tutortime-kiosk outbox export`), by the central
// team's tool, which opened each with the analysis key to learn its survey and finish time:
//   POST /v1/admin/import (admin)   the body and the reply of POST /v1/batches (batch.h)
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/common/bytes.h"

namespace tt::protocol {

inline constexpr const char* kAdminSurveysPath = "/v1/admin/surveys";
inline constexpr const char* kSurveysPath = "/v1/surveys";
inline constexpr const char* kAdminImportPath = "/v1/admin/import";

inline constexpr std::size_t kSurveySignatureBytes = 64;

struct PublishSurveyRequest {
  std::string definition;  // the survey's JSON text, exactly the signed bytes
  Bytes signature;         // 64 bytes
};
std::string to_json(const PublishSurveyRequest& request);
PublishSurveyRequest parse_publish_survey_request(std::string_view body);  // throws ProtocolError

struct PublishSurveyReply {
  std::string survey_id;
  std::int64_t version = 0;
  bool already_published = false;  // "status": "already_published" rather than "published"
};
std::string to_json(const PublishSurveyReply& reply);
PublishSurveyReply parse_publish_survey_reply(std::string_view body);

struct SignedSurvey {
  std::string survey_id;
  std::int64_t version = 0;
  std::string definition;  // verbatim, as signed
  Bytes signature;
  bool operator==(const SignedSurvey&) const = default;
};

struct SurveysReply {
  std::vector<SignedSurvey> surveys;  // the latest version of each published survey
};
std::string to_json(const SurveysReply& reply);
// Throws ProtocolError. Checks shapes only; the kiosk verifies each signature itself.
SurveysReply parse_surveys_reply(std::string_view body);

}  // namespace tt::protocol
