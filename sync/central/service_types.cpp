#include "sync/central/service_types.h"

#include <algorithm>

namespace tt::central {

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) < lower(y);
  });
}

std::optional<std::string> ServiceRequest::header(std::string_view name) const {
  auto [first, last] = headers.equal_range(name);
  if (first == last) return std::nullopt;
  if (std::next(first) != last) {
    throw ProblemError(protocol::ProblemKind::MalformedRequest,
                       "the header " + std::string(name) + " appears more than once");
  }
  return first->second;
}

ServiceReply json_reply(int status, std::string body, std::string log_note) {
  ServiceReply reply;
  reply.status = status;
  reply.body = std::move(body);
  reply.log_note = std::move(log_note);
  return reply;
}

ServiceReply problem_reply(const protocol::Problem& problem) {
  ServiceReply reply;
  reply.status = problem.status;
  reply.content_type = protocol::kProblemContentType;
  reply.body = protocol::to_json(problem);
  reply.log_note = problem.detail;
  if (problem.status == 401) {
    // RFC 9110 asks a 401 to name the scheme it wants.
    bool admin = problem.type == protocol::problem_type(protocol::ProblemKind::AdminTokenRefused);
    reply.headers.emplace_back("WWW-Authenticate", admin ? "Bearer" : "Tutortime-Signature");
  }
  // A rate-limited client is told when to come back, in the header HTTP clients read.
  auto retry_after = problem.extensions.find("retry_after_seconds");
  if (problem.status == 429 && retry_after != problem.extensions.end() && retry_after->is_number_integer()) {
    reply.headers.emplace_back("Retry-After", std::to_string(retry_after->get<std::int64_t>()));
  }
  return reply;
}

}  // namespace tt::central
