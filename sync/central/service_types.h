#pragma once
// What the endpoint logic sees of an HTTP exchange, so that it is plain functions tested
// without a socket (http_server.cpp is the only file that knows cpp-httplib).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/common/error.h"
#include "shared/protocol/problem.h"

namespace tt::central {

struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
  using is_transparent = void;
};

struct ServiceRequest {
  std::string method;  // "POST"
  std::string target;  // exactly as on the request line: "/v1/admin/responses?after=10"
  std::multimap<std::string, std::string, CaseInsensitiveLess> headers;
  std::multimap<std::string, std::string> query;  // decoded query parameters
  std::string body;
  std::string remote_address;  // for log lines

  // The header's value; nullopt when absent. Throws ProblemError (400) when it appears twice,
  // since two values for one credential would let two readers disagree.
  std::optional<std::string> header(std::string_view name) const;
};

struct ServiceReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string log_note;  // appended to the request's log line; never a token or a response's contents
};

// Thrown by endpoint code to answer with a problem; the service turns it into the reply.
class ProblemError : public Error {
 public:
  explicit ProblemError(protocol::Problem problem) : Error(problem.detail), problem_(std::move(problem)) {}
  ProblemError(protocol::ProblemKind kind, std::string detail) : ProblemError(protocol::make_problem(kind, detail)) {}
  const protocol::Problem& problem() const { return problem_; }
  protocol::Problem& problem() { return problem_; }

 private:
  protocol::Problem problem_;
};

// 401: the signed request's nonce was seen before (a replay).
ProblemError replayed_request();

ServiceReply json_reply(int status, std::string body, std::string log_note = "");
ServiceReply problem_reply(const protocol::Problem& problem);

}  // namespace tt::central
