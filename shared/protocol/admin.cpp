#include "shared/protocol/admin.h"

#include <limits>

#include "shared/protocol/digest.h"
#include "shared/protocol/identifiers.h"
#include "shared/protocol/json_body.h"

namespace tt::protocol {

using nlohmann::json;

namespace {

constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();

json optional_value(const std::optional<std::int64_t>& value) {
  return value ? json(*value) : json();
}

}  // namespace

std::string admin_revoke_path(std::string_view device_id) {
  return "/v1/admin/devices/" + std::string(device_id) + "/revoke";
}

std::string to_json(const EnrolTokenRequest& request) {
  return json{{"school", request.school}, {"expires_in_hours", request.expires_in_hours}}.dump();
}

EnrolTokenRequest parse_enrol_token_request(std::string_view body) {
  const char* what = "the enrol-token request";
  json j = parse_json_object(body, what);
  JsonReader r(j, what);
  EnrolTokenRequest request;
  request.school = r.string("school");
  if (request.school.empty() || request.school.size() > kMaxSchoolNameLength) {
    r.fail("school", "must be 1 to " + std::to_string(kMaxSchoolNameLength) + " characters");
  }
  request.expires_in_hours =
      r.optional_integer("expires_in_hours", 1, kMaxEnrolTokenHours).value_or(kDefaultEnrolTokenHours);
  return request;
}

std::string to_json(const EnrolTokenReply& reply) {
  return json{{"token", reply.token}, {"school", reply.school}, {"expires_at", reply.expires_at}}.dump();
}

EnrolTokenReply parse_enrol_token_reply(std::string_view body) {
  const char* what = "the enrol-token reply";
  json j = parse_json_object(body, what);
  JsonReader r(j, what);
  return EnrolTokenReply{r.string("token"), r.string("school"), r.integer("expires_at", 0, kMaxInt)};
}

std::string to_json(const RevokeReply& reply) {
  return json{{"device_id", reply.device_id}, {"revoked_at", reply.revoked_at}}.dump();
}

RevokeReply parse_revoke_reply(std::string_view body) {
  const char* what = "the revoke reply";
  json j = parse_json_object(body, what);
  JsonReader r(j, what);
  return RevokeReply{r.string("device_id"), r.integer("revoked_at", 0, kMaxInt)};
}

std::string to_json(const FleetReply& reply) {
  json devices = json::array();
  for (const DeviceStatus& d : reply.devices) {
    devices.push_back({{"device_id", d.device_id},
                       {"school", d.school},
                       {"app_version", d.app_version},
                       {"enrolled_at", d.enrolled_at},
                       {"revoked_at", optional_value(d.revoked_at)},
                       {"last_seen", optional_value(d.last_seen)},
                       {"last_heartbeat_at", optional_value(d.last_heartbeat_at)},
                       {"last_heartbeat", d.last_heartbeat ? heartbeat_to_json_value(*d.last_heartbeat) : json()}});
  }
  return json{{"server_time", reply.server_time}, {"devices", std::move(devices)}}.dump();
}

FleetReply parse_fleet_reply(std::string_view body) {
  const char* what = "the fleet reply";
  json j = parse_json_object(body, what);
  JsonReader top(j, what);
  FleetReply reply;
  reply.server_time = top.integer("server_time", 0, kMaxInt);
  const json& devices = top.array("devices");
  for (std::size_t i = 0; i < devices.size(); ++i) {
    std::string path = "devices/" + std::to_string(i);
    JsonReader r = top.nested(devices[i], path);
    DeviceStatus d;
    d.device_id = r.string("device_id");
    if (!is_id128(d.device_id)) r.fail("device_id", "must be 32 lower-case hex digits");
    d.school = r.string("school");
    d.app_version = r.optional_string("app_version").value_or("");
    d.enrolled_at = r.integer("enrolled_at", 0, kMaxInt);
    d.revoked_at = r.optional_integer("revoked_at", 0, kMaxInt);
    d.last_seen = r.optional_integer("last_seen", 0, kMaxInt);
    d.last_heartbeat_at = r.optional_integer("last_heartbeat_at", 0, kMaxInt);
    if (r.has("last_heartbeat")) {
      d.last_heartbeat = parse_heartbeat_value(r.object("last_heartbeat"), what, "/" + path + "/last_heartbeat");
    }
    reply.devices.push_back(std::move(d));
  }
  return reply;
}

std::string to_json(const ResponsesPage& page) {
  json responses = json::array();
  for (const ExportedResponse& e : page.responses) {
    responses.push_back({{"sequence", e.sequence},
                         {"response_id", e.response_id},
                         {"survey_id", e.survey_id},
                         {"survey_version", e.survey_version},
                         {"finished_at", e.finished_at},
                         {"device_id", e.device_id.empty() ? json() : json(e.device_id)},
                         {"received_at", e.received_at},
                         {"sha256", e.sha256},
                         {"sealed", to_base64(e.sealed)}});
  }
  return json{{"responses", std::move(responses)}, {"next_after", optional_value(page.next_after)}}.dump();
}

ResponsesPage parse_responses_page(std::string_view body) {
  const char* what = "the responses page";
  json j = parse_json_object(body, what);
  JsonReader top(j, what);
  ResponsesPage page;
  const json& responses = top.array("responses");
  for (std::size_t i = 0; i < responses.size(); ++i) {
    JsonReader r = top.nested(responses[i], "responses/" + std::to_string(i));
    ExportedResponse e;
    e.sequence = r.integer("sequence", 1, kMaxInt);
    e.response_id = r.string("response_id");
    if (!is_id128(e.response_id)) r.fail("response_id", "must be 32 lower-case hex digits");
    e.survey_id = r.string("survey_id");
    e.survey_version = r.integer("survey_version", 1, kMaxInt);
    e.finished_at = r.string("finished_at");
    e.device_id = r.optional_string("device_id").value_or("");
    e.received_at = r.integer("received_at", 0, kMaxInt);
    e.sha256 = r.string("sha256");
    e.sealed = r.base64("sealed");
    // A transfer that altered the bytes must not pass as a response the analysis will open.
    if (sha256_hex(e.sealed) != e.sha256) r.fail("sha256", "does not match the sealed bytes");
    page.responses.push_back(std::move(e));
  }
  page.next_after = top.optional_integer("next_after", 0, kMaxInt);
  return page;
}

}  // namespace tt::protocol
