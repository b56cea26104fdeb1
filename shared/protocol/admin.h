#pragma once
// The central team's endpoints, behind "Authorization: Bearer <admin token>":
//
//   POST /v1/admin/enrol-tokens      {"school": "Hillside Academy", "expires_in_hours": 72}
//                                  → 201 {"token": "7KQ4-M2XD-9RTB", "school": "…", "expires_at": 1764839100}
//   POST /v1/admin/devices/{id}/revoke (no body) → {"device_id": "…", "revoked_at": 1764839100}
//   GET  /v1/admin/fleet           → {"server_time": …, "devices": [DeviceStatus…]}
//   GET  /v1/admin/responses?after=SEQ&limit=N
//                                  → {"responses": [ExportedResponse…], "next_after": SEQ or null}
//
// Times are Unix seconds. The export is paged in the order the server received the responses:
// pass the last page's next_after as `after` until it is null.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/common/bytes.h"
#include "shared/protocol/heartbeat.h"

namespace tt::protocol {

inline constexpr const char* kAdminEnrolTokensPath = "/v1/admin/enrol-tokens";
inline constexpr const char* kAdminFleetPath = "/v1/admin/fleet";
inline constexpr const char* kAdminResponsesPath = "/v1/admin/responses";
std::string admin_revoke_path(std::string_view device_id);  // "/v1/admin/devices/<id>/revoke"

inline constexpr std::int64_t kMaxEnrolTokenHours = 24 * 30;
inline constexpr std::int64_t kDefaultEnrolTokenHours = 72;
inline constexpr std::size_t kMaxSchoolNameLength = 200;

struct EnrolTokenRequest {
  std::string school;
  std::int64_t expires_in_hours = kDefaultEnrolTokenHours;
};
std::string to_json(const EnrolTokenRequest& request);
EnrolTokenRequest parse_enrol_token_request(std::string_view body);

struct EnrolTokenReply {
  std::string token;  // grouped, "XXXX-XXXX-XXXX"
  std::string school;
  std::int64_t expires_at = 0;
};
std::string to_json(const EnrolTokenReply& reply);
EnrolTokenReply parse_enrol_token_reply(std::string_view body);

struct RevokeReply {
  std::string device_id;
  std::int64_t revoked_at = 0;
};
std::string to_json(const RevokeReply& reply);
RevokeReply parse_revoke_reply(std::string_view body);

struct DeviceStatus {
  std::string device_id;
  std::string school;
  std::string app_version;  // from enrolment, then from the last heartbeat
  std::int64_t enrolled_at = 0;
  std::optional<std::int64_t> revoked_at;
  std::optional<std::int64_t> last_seen;  // the last authenticated request of any kind
  std::optional<std::int64_t> last_heartbeat_at;
  std::optional<Heartbeat> last_heartbeat;  // waiting count, oldest waiting age, survey versions
  bool operator==(const DeviceStatus&) const = default;
};

struct FleetReply {
  std::int64_t server_time = 0;
  std::vector<DeviceStatus> devices;
};
std::string to_json(const FleetReply& reply);
FleetReply parse_fleet_reply(std::string_view body);

inline constexpr std::size_t kMaxExportPage = 1000;
inline constexpr std::size_t kDefaultExportPage = 100;

struct ExportedResponse {
  std::int64_t sequence = 0;  // the order of receipt, for paging
  std::string response_id;
  std::string survey_id;
  std::int64_t survey_version = 0;
  std::string finished_at;
  std::string device_id;  // empty when not uploaded by a device
  std::int64_t received_at = 0;
  std::string sha256;  // hex, of `sealed`
  Bytes sealed;
  bool operator==(const ExportedResponse&) const = default;
};

struct ResponsesPage {
  std::vector<ExportedResponse> responses;
  std::optional<std::int64_t> next_after;
};
std::string to_json(const ResponsesPage& page);
ResponsesPage parse_responses_page(std::string_view body);

}  // namespace tt::protocol
