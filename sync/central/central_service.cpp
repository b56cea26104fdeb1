#include "sync/central/central_service.h"

#include <chrono>

#include "shared/protocol/heartbeat.h"

namespace tt::central {

using protocol::ProblemKind;

UnixSeconds system_clock_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool is_json_content_type(std::string_view content_type) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
  };
  auto semicolon = content_type.find(';');
  if (lower(trim(content_type.substr(0, semicolon))) != "application/json") return false;
  if (semicolon == std::string_view::npos) return true;
  // The only parameter JSON has is charset, and JSON on the wire is UTF-8 (RFC 8259).
  std::string parameter = lower(trim(content_type.substr(semicolon + 1)));
  return parameter.empty() || parameter == "charset=utf-8" || parameter == "charset=\"utf-8\"";
}

CentralService::CentralService(Storage& storage, ServiceSettings settings, Clock clock)
    : storage_(storage),
      settings_(std::move(settings)),
      clock_(std::move(clock)),
      rate_limiter_(settings_.device_rate_limit) {}

ServiceReply CentralService::guarded(const char* endpoint, const std::function<ServiceReply()>& body) {
  try {
    return body();
  } catch (const ProblemError& e) {
    return problem_reply(e.problem());
  } catch (const std::exception& e) {
    ServiceReply reply =
        problem_reply(protocol::make_problem(ProblemKind::ServerError, "the server failed; try again later"));
    // Our errors name the operation and the database, never a body's contents.
    reply.log_note = std::string(endpoint) + ": " + e.what();
    return reply;
  }
}

void CentralService::require_json_body(const ServiceRequest& request) {
  auto content_type = request.header("Content-Type");
  if (!content_type || !is_json_content_type(*content_type)) {
    throw ProblemError(ProblemKind::UnsupportedMediaType,
                       content_type ? "the body is not application/json" : "the request has no Content-Type");
  }
}

ServiceReply CentralService::health(const ServiceRequest&) {
  return guarded("health", [&] {
    protocol::HealthReply reply;
    reply.version = settings_.version;
    return json_reply(200, protocol::to_json(reply));
  });
}

}  // namespace tt::central
