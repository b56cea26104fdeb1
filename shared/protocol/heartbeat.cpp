#include "shared/protocol/heartbeat.h"

#include <limits>

#include "shared/protocol/identifiers.h"
#include "shared/protocol/json_body.h"

namespace tt::protocol {

using nlohmann::json;

namespace {

constexpr std::int64_t kMaxCount = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();
constexpr std::size_t kMaxSurveys = 100;

}  // namespace

json heartbeat_to_json_value(const Heartbeat& h) {
  json surveys = json::array();
  for (const SurveyVersion& s : h.surveys) surveys.push_back({{"id", s.id}, {"version", s.version}});
  return {{"app_version", h.app_version},
          {"surveys", std::move(surveys)},
          {"responses_waiting", h.responses_waiting},
          {"oldest_waiting_age_seconds", h.oldest_waiting_age_seconds ? json(*h.oldest_waiting_age_seconds) : json()},
          {"free_disk_bytes", h.free_disk_bytes ? json(*h.free_disk_bytes) : json()}};
}

std::string to_json(const Heartbeat& heartbeat) {
  return heartbeat_to_json_value(heartbeat).dump();
}

Heartbeat parse_heartbeat_value(const json& value, const std::string& what, const std::string& pointer) {
  if (!value.is_object()) {
    throw ProtocolError(what + ": " + (pointer.empty() ? "/" : pointer) + " must be an object, not " +
                        json_type_words(value));
  }
  JsonReader r(value, what, pointer);
  Heartbeat h;
  h.app_version = r.string("app_version");
  if (h.app_version.empty() || h.app_version.size() > 64) r.fail("app_version", "must be 1 to 64 characters");
  const json& surveys = r.array("surveys");
  if (surveys.size() > kMaxSurveys) r.fail("surveys", "may list at most " + std::to_string(kMaxSurveys) + " surveys");
  for (std::size_t i = 0; i < surveys.size(); ++i) {
    JsonReader s = r.nested(surveys[i], "surveys/" + std::to_string(i));
    SurveyVersion version{s.string("id"), s.integer("version", 1, kMaxCount)};
    if (!is_survey_id(version.id)) s.fail("id", "must be 1 to 64 of a-z, 0-9, _ and -, starting with a letter");
    h.surveys.push_back(std::move(version));
  }
  h.responses_waiting = r.integer("responses_waiting", 0, kMaxCount);
  h.oldest_waiting_age_seconds = r.optional_integer("oldest_waiting_age_seconds", 0, kMaxInt);
  h.free_disk_bytes = r.optional_integer("free_disk_bytes", 0, kMaxInt);
  return h;
}

Heartbeat parse_heartbeat(std::string_view body) {
  const char* what = "the heartbeat";
  return parse_heartbeat_value(parse_json_object(body, what), what, "");
}

std::string to_json(const HeartbeatReply& reply) {
  return json{{"server_time", reply.server_time}}.dump();
}

HeartbeatReply parse_heartbeat_reply(std::string_view body) {
  const char* what = "the heartbeat reply";
  json j = parse_json_object(body, what);
  return HeartbeatReply{JsonReader(j, what).integer("server_time", 0, kMaxInt)};
}

std::string to_json(const HealthReply& reply) {
  return json{{"status", reply.status},
              {"service", "tutortime-central"},
              {"version", reply.version},
              {"protocol", reply.protocol}}
      .dump();
}

HealthReply parse_health_reply(std::string_view body) {
  const char* what = "the health reply";
  json j = parse_json_object(body, what);
  JsonReader r(j, what);
  if (r.string("service") != "tutortime-central") r.fail("service", "must be \"tutortime-central\"");
  HealthReply reply;
  reply.status = r.string("status");
  reply.version = r.string("version");
  reply.protocol = static_cast<int>(r.integer("protocol", 1, 1000));
  return reply;
}

}  // namespace tt::protocol
