#pragma once
// What a reply from the central server means to the kiosk, before its body is read: the one
// place that decides a 200 is an answer only with a JSON content type (a captive portal's or a
// proxy's 200 page is not), and maps problem details (docs/protocol.md) to what the kiosk does.
#include <cstdint>
#include <optional>
#include <string>

#include "sync/client/https_client.h"

namespace tt::sync {

enum class ServerReplyKind {
  Ok,               // 200 with application/json: the caller parses the body
  TooLarge,         // 413: send less
  Unauthenticated,  // 401 without server_time: retry with a fresh signature
  ClockSkew,        // 401 with server_time: the kiosk's clock is off
  Revoked,          // 403 device-revoked
  Refused,          // 400, 403 (other), 404, 405, 411, 415: retrying the same will not help
  Retry,            // 5xx, 429, a 200 that is not JSON, 3xx, anything unexpected: retry later
};

struct ServerReplyVerdict {
  ServerReplyKind kind = ServerReplyKind::Retry;
  std::string reason;                              // for people; the problem's detail at most, never a body's contents
  std::optional<std::int64_t> clock_skew_seconds;  // server_time − now, on ClockSkew
};

// True for "application/json" with at most a charset parameter (case already lowered).
bool is_json_content_type(const std::string& content_type);

ServerReplyVerdict judge_reply(const HttpReply& reply, std::int64_t now);

}  // namespace tt::sync
