#pragma once
// POST /v1/heartbeat (signed): how a kiosk is doing, for the fleet view. GET /v1/health: whether
// the server is up (no authentication, and nothing in it a stranger may not see).
//
//   heartbeat {"app_version": "0.1.0", "surveys": [{"id": "y7-baseline", "version": 1}],
//              "responses_waiting": 3, "oldest_waiting_age_seconds": 5400,
//              "free_disk_bytes": 1234567890}
//   reply     {"server_time": 1764839100}
//   health    {"status": "ok", "service": "tutortime-central", "version": "0.1.0", "protocol": 1}
//
// oldest_waiting_age_seconds is null when nothing waits; free_disk_bytes null when unknown.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tt::protocol {

inline constexpr const char* kHeartbeatPath = "/v1/heartbeat";
inline constexpr const char* kHealthPath = "/v1/health";
inline constexpr int kProtocolVersion = 1;

struct SurveyVersion {
  std::string id;
  std::int64_t version = 0;
  bool operator==(const SurveyVersion&) const = default;
};

struct Heartbeat {
  std::string app_version;
  std::vector<SurveyVersion> surveys;
  std::int64_t responses_waiting = 0;
  std::optional<std::int64_t> oldest_waiting_age_seconds;
  std::optional<std::int64_t> free_disk_bytes;
  bool operator==(const Heartbeat&) const = default;
};

nlohmann::json heartbeat_to_json_value(const Heartbeat& heartbeat);
std::string to_json(const Heartbeat& heartbeat);
Heartbeat parse_heartbeat(std::string_view body);  // throws ProtocolError
Heartbeat parse_heartbeat_value(const nlohmann::json& value, const std::string& what, const std::string& pointer);

struct HeartbeatReply {
  std::int64_t server_time = 0;
};
std::string to_json(const HeartbeatReply& reply);
HeartbeatReply parse_heartbeat_reply(std::string_view body);

struct HealthReply {
  std::string status = "ok";
  std::string version;
  int protocol = kProtocolVersion;
};
std::string to_json(const HealthReply& reply);
HealthReply parse_health_reply(std::string_view body);

}  // namespace tt::protocol
