// The central team's endpoints, behind "Authorization: Bearer <admin token>".
#include <openssl/crypto.h>

#include <limits>

#include "shared/protocol/admin.h"
#include "shared/protocol/digest.h"
#include "shared/protocol/enrol_token.h"
#include "shared/protocol/json_body.h"
#include "sync/central/central_service.h"

namespace tt::central {

using protocol::ProblemKind;

namespace {

// A whole number from a query parameter, or `fallback` when absent.
std::int64_t query_integer(const ServiceRequest& request, const char* name, std::int64_t fallback, std::int64_t min,
                           std::int64_t max) {
  auto [first, last] = request.query.equal_range(name);
  if (first == last) return fallback;
  auto bad = [&] {
    return ProblemError(ProblemKind::MalformedRequest, std::string("the query parameter ") + name +
                                                           " must be a whole number from " + std::to_string(min) +
                                                           " to " + std::to_string(max));
  };
  if (std::next(first) != last) throw bad();
  const std::string& text = first->second;
  if (text.empty() || text.size() > 18) throw bad();
  for (char c : text) {
    if (c < '0' || c > '9') throw bad();
  }
  std::int64_t value = std::stoll(text);
  if (value < min || value > max) throw bad();
  return value;
}

}  // namespace

void CentralService::require_admin(const ServiceRequest& request) {
  std::optional<std::string> authorization = request.header("Authorization");
  const std::string scheme = "Bearer ";
  if (!authorization || authorization->size() <= scheme.size() ||
      authorization->compare(0, scheme.size(), scheme) != 0) {
    throw ProblemError(ProblemKind::AdminTokenRefused, "the admin endpoints need Authorization: Bearer <admin token>");
  }
  // Compare digests, so the time taken says nothing about the token's length or its prefix.
  protocol::Sha256 given = protocol::sha256(as_bytes(std::string_view(*authorization).substr(scheme.size())));
  protocol::Sha256 expected = protocol::sha256(as_bytes(settings_.admin_token));
  if (settings_.admin_token.empty() || CRYPTO_memcmp(given.data(), expected.data(), given.size()) != 0) {
    throw ProblemError(ProblemKind::AdminTokenRefused, "the admin token is wrong");
  }
}

ServiceReply CentralService::create_enrol_token(const ServiceRequest& request) {
  return guarded("create enrolment token", [&] {
    require_admin(request);
    require_json_body(request);
    protocol::EnrolTokenRequest wanted;
    try {
      wanted = protocol::parse_enrol_token_request(request.body);
    } catch (const protocol::ProtocolError& e) {
      throw ProblemError(ProblemKind::MalformedRequest, e.what());
    }
    UnixSeconds now = clock_();
    protocol::EnrolTokenReply reply{protocol::generate_enrol_token(), wanted.school,
                                    now + wanted.expires_in_hours * 3600};
    storage_.add_enrol_token({protocol::enrol_token_hash(*protocol::normalise_enrol_token(reply.token)), wanted.school,
                              now, reply.expires_at});
    return json_reply(201, protocol::to_json(reply),
                      "enrolment token made, valid " + std::to_string(wanted.expires_in_hours) + " h");
  });
}

ServiceReply CentralService::revoke_device(const ServiceRequest& request, const std::string& device_id) {
  return guarded("revoke device", [&] {
    require_admin(request);
    std::optional<UnixSeconds> revoked_at = storage_.revoke_device(device_id, clock_());
    if (!revoked_at) throw ProblemError(ProblemKind::NotFound, "device " + device_id + " is not enrolled");
    return json_reply(200, protocol::to_json(protocol::RevokeReply{device_id, *revoked_at}),
                      "device " + device_id + " revoked");
  });
}

ServiceReply CentralService::fleet(const ServiceRequest& request) {
  return guarded("fleet", [&] {
    require_admin(request);
    protocol::FleetReply reply;
    reply.server_time = clock_();
    for (DeviceRecord& d : storage_.list_devices()) {
      protocol::DeviceStatus status;
      status.device_id = d.device_id;
      status.school = d.school;
      status.app_version = d.app_version;
      status.enrolled_at = d.enrolled_at;
      status.revoked_at = d.revoked_at;
      status.last_seen = d.last_seen;
      status.last_heartbeat_at = d.last_heartbeat_at;
      if (d.last_heartbeat_json) status.last_heartbeat = protocol::parse_heartbeat(*d.last_heartbeat_json);
      reply.devices.push_back(std::move(status));
    }
    return json_reply(200, protocol::to_json(reply), std::to_string(reply.devices.size()) + " devices");
  });
}

ServiceReply CentralService::export_responses(const ServiceRequest& request) {
  return guarded("export responses", [&] {
    require_admin(request);
    std::int64_t after = query_integer(request, "after", 0, 0, std::numeric_limits<std::int64_t>::max() / 2);
    auto limit = static_cast<std::size_t>(query_integer(request, "limit", protocol::kDefaultExportPage, 1,
                                                        static_cast<std::int64_t>(protocol::kMaxExportPage)));
    protocol::ResponsesPage page;
    for (StoredResponse& r : storage_.responses_after(after, limit)) {
      page.responses.push_back({r.received_seq, r.upload.response_id, r.upload.survey_id, r.upload.survey_version,
                                r.upload.finished_at, r.device_id, r.received_at, r.sha256,
                                std::move(r.upload.sealed)});
    }
    if (page.responses.size() == limit) page.next_after = page.responses.back().sequence;
    return json_reply(200, protocol::to_json(page), std::to_string(page.responses.size()) + " responses exported");
  });
}

}  // namespace tt::central
