#include "shared/protocol/problem.h"

#include "shared/protocol/json_body.h"

namespace tt::protocol {
namespace {

struct KindInfo {
  int status;
  const char* type;
  const char* title;
};

KindInfo info(ProblemKind kind) {
  switch (kind) {
    case ProblemKind::MalformedRequest:
      return {400, "urn:tutortime:problem:malformed-request", "The request is malformed"};
    case ProblemKind::Unauthenticated:
      return {401, "urn:tutortime:problem:unauthenticated", "The request is not signed by an enrolled device"};
    case ProblemKind::AdminTokenRefused:
      return {401, "urn:tutortime:problem:admin-token-refused", "The admin token is missing or wrong"};
    case ProblemKind::DeviceRevoked: return {403, "urn:tutortime:problem:device-revoked", "The device is revoked"};
    case ProblemKind::EnrolTokenRefused:
      return {403, "urn:tutortime:problem:enrol-token-refused", "The enrolment token cannot be used"};
    case ProblemKind::NotFound: return {404, "urn:tutortime:problem:not-found", "Not found"};
    case ProblemKind::MethodNotAllowed:
      return {405, "urn:tutortime:problem:method-not-allowed", "The method is not allowed here"};
    case ProblemKind::Conflict: return {409, "urn:tutortime:problem:conflict", "It exists already with other contents"};
    case ProblemKind::LengthRequired:
      return {411, "urn:tutortime:problem:length-required", "The body must have a Content-Length"};
    case ProblemKind::BodyTooLarge: return {413, "urn:tutortime:problem:body-too-large", "The body is too large"};
    case ProblemKind::BatchTooLarge:
      return {413, "urn:tutortime:problem:batch-too-large", "The batch holds too many responses"};
    case ProblemKind::UnsupportedMediaType:
      return {415, "urn:tutortime:problem:unsupported-media-type", "The body must be application/json"};
    case ProblemKind::RateLimited:
      return {429, "urn:tutortime:problem:rate-limited", "Too many requests from this device"};
    case ProblemKind::ServerError: return {500, "urn:tutortime:problem:server-error", "The server failed"};
    case ProblemKind::ServerBusy: return {503, "urn:tutortime:problem:server-busy", "The server is busy"};
  }
  return {500, "urn:tutortime:problem:server-error", "The server failed"};
}

}  // namespace

const char* problem_type(ProblemKind kind) {
  return info(kind).type;
}

Problem make_problem(ProblemKind kind, std::string detail) {
  KindInfo i = info(kind);
  return Problem{i.status, i.type, i.title, std::move(detail), nlohmann::json::object()};
}

std::string to_json(const Problem& problem) {
  nlohmann::json j = problem.extensions.is_object() ? problem.extensions : nlohmann::json::object();
  j["type"] = problem.type;
  j["title"] = problem.title;
  j["status"] = problem.status;
  j["detail"] = problem.detail;
  return j.dump();
}

Problem parse_problem(std::string_view body) {
  nlohmann::json j = parse_json_object(body, "the problem reply");
  JsonReader r(j, "the problem reply");
  Problem p;
  p.type = r.string("type");
  p.title = r.optional_string("title").value_or("");
  p.status = static_cast<int>(r.integer("status", 100, 599));
  p.detail = r.optional_string("detail").value_or("");
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() != "type" && it.key() != "title" && it.key() != "status" && it.key() != "detail") {
      p.extensions[it.key()] = it.value();
    }
  }
  return p;
}

}  // namespace tt::protocol
