#pragma once
// Errors on the wire: RFC 9457 problem details ("application/problem+json"), with a fixed
// catalogue of types so a client can react to the kind without reading the words:
//   {"type": "urn:tutortime:problem:device-revoked", "title": "The device is revoked",
//    "status": 403, "detail": "device 3f2a… was revoked at 2026-12-04T09:05Z"}
// `detail` is for people and never holds a token, a key or a response's contents.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace tt::protocol {

inline constexpr const char* kProblemContentType = "application/problem+json";

enum class ProblemKind {
  MalformedRequest,      // 400: not JSON, or not what the endpoint reads
  Unauthenticated,       // 401: a signed request without a valid signature, fresh time or new nonce
  AdminTokenRefused,     // 401: the admin endpoints' bearer token is missing or wrong
  DeviceRevoked,         // 403: the device was revoked by the central team
  EnrolTokenRefused,     // 403: the enrolment token is unknown, used or expired
  NotFound,              // 404: no such endpoint or object
  MethodNotAllowed,      // 405
  Conflict,              // 409: a survey (id, version) published already with other contents
  LengthRequired,        // 411: a body without Content-Length (chunked bodies are not read)
  BodyTooLarge,          // 413: more bytes than the server's limit
  BatchTooLarge,         // 413: more responses in one batch than the server's limit
  UnsupportedMediaType,  // 415: a body that is not application/json, or is compressed
  RateLimited,           // 429: this device sent more requests than the server's rate allows
  ServerError,           // 500: the server failed; retry later
  ServerBusy,            // 503: the server holds as many connections as it takes; retry shortly
};

struct Problem {
  int status = 500;
  std::string type;
  std::string title;
  std::string detail;
  nlohmann::json extensions = nlohmann::json::object();  // extra members, e.g. "server_time"
};

Problem make_problem(ProblemKind kind, std::string detail);
// The type URI of a kind ("urn:tutortime:problem:device-revoked").
const char* problem_type(ProblemKind kind);

std::string to_json(const Problem& problem);
// Throws ProtocolError when `body` is not a problem document.
Problem parse_problem(std::string_view body);

}  // namespace tt::protocol
