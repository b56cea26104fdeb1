#include "sync/uploader/server_reply.h"

#include "shared/protocol/problem.h"

namespace tt::sync {

namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::size_t start = s.find_first_not_of(" \t");
  return start == std::string::npos ? std::string() : s.substr(start);
}

std::string media_type(const std::string& content_type) {
  return trimmed(content_type.substr(0, content_type.find(';')));
}

// The problem document of a refusal, if the body is one.
std::optional<protocol::Problem> problem_of(const HttpReply& reply) {
  if (media_type(reply.content_type) != protocol::kProblemContentType) return std::nullopt;
  try {
    return protocol::parse_problem(reply.body);
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::string describe_refusal(const HttpReply& reply, const std::optional<protocol::Problem>& problem) {
  std::string text = "the server answered " + std::to_string(reply.status);
  if (problem) {
    text += " (" + problem->title;
    if (!problem->detail.empty()) text += ": " + problem->detail;
    text += ")";
  }
  return text;
}

bool is_problem_type(const std::optional<protocol::Problem>& problem, protocol::ProblemKind kind) {
  return problem && problem->type == protocol::problem_type(kind);
}

}  // namespace

bool is_json_content_type(const std::string& content_type) {
  if (media_type(content_type) != "application/json") return false;
  std::size_t semicolon = content_type.find(';');
  if (semicolon == std::string::npos) return true;
  std::string parameter = trimmed(content_type.substr(semicolon + 1));
  return parameter == "charset=utf-8" || parameter == "charset=\"utf-8\"";
}

ServerReplyVerdict judge_reply(const HttpReply& reply, std::int64_t now) {
  ServerReplyVerdict verdict;
  if (reply.status == 200) {
    if (is_json_content_type(reply.content_type)) {
      verdict.kind = ServerReplyKind::Ok;
    } else {
      verdict.kind = ServerReplyKind::Retry;
      verdict.reason = "a 200 reply that is not JSON (" +
                       (reply.content_type.empty() ? std::string("no content type") : media_type(reply.content_type)) +
                       "): a captive portal or a proxy, not the central server";
    }
    return verdict;
  }
  auto problem = problem_of(reply);
  verdict.reason = describe_refusal(reply, problem);
  if (reply.status == 413) {
    verdict.kind = ServerReplyKind::TooLarge;
  } else if (reply.status == 401) {
    if (problem && problem->extensions.contains("server_time") &&
        problem->extensions["server_time"].is_number_integer()) {
      verdict.kind = ServerReplyKind::ClockSkew;
      verdict.clock_skew_seconds = problem->extensions["server_time"].get<std::int64_t>() - now;
      std::int64_t skew = *verdict.clock_skew_seconds;
      verdict.reason = std::string("the kiosk's clock is ") + std::to_string(skew < 0 ? -skew : skew) + " seconds " +
                       (skew < 0 ? "ahead of" : "behind") + " the server's; set the clock right";
    } else {
      verdict.kind = ServerReplyKind::Unauthenticated;
    }
  } else if (reply.status == 403 && is_problem_type(problem, protocol::ProblemKind::DeviceRevoked)) {
    verdict.kind = ServerReplyKind::Revoked;
    verdict.reason = "this kiosk has been revoked by the central team (" +
                     (problem->detail.empty() ? problem->title : problem->detail) +
                     "); its responses are kept: ask the central team, then enrol it again";
  } else if (reply.status == 429) {
    verdict.kind = ServerReplyKind::Retry;  // rate-limited: later, with backoff
  } else if (reply.status >= 400 && reply.status < 500 && problem) {
    verdict.kind = ServerReplyKind::Refused;
  } else {
    // A 5xx, or a refusal that is not the central server's (no problem document: a proxy's or
    // a portal's page): worth trying again later.
    verdict.kind = ServerReplyKind::Retry;
    if (!problem && reply.status != 500) verdict.reason += ", not as the central server does (a proxy?)";
  }
  return verdict;
}

}  // namespace tt::sync
