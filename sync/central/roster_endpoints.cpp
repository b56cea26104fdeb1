// Roster distribution: the central team publishes a school's signed roster (its tutor groups,
// never a name: shared/protocol/roster.h) and each kiosk fetches its own school's latest.
#include "shared/crypto/key_files.h"
#include "shared/protocol/json_body.h"
#include "shared/protocol/roster.h"
#include "sync/central/central_service.h"

namespace tt::central {

using protocol::ProblemKind;

ServiceReply CentralService::publish_roster(const ServiceRequest& request) {
  return guarded("publish roster", [&] {
    require_admin(request);
    require_json_body(request);
    protocol::PublishRosterRequest wanted;
    protocol::Roster roster;
    try {
      wanted = protocol::parse_publish_roster_request(request.body);
      roster = protocol::verify_signed_roster(
          wanted.roster, wanted.signature,
          crypto::public_key_from_pem(settings_.signing_public_key_pem, crypto::KeyAlgorithm::Ed25519));
    } catch (const protocol::ProtocolError& e) {
      throw ProblemError(ProblemKind::MalformedRequest, e.what());
    }
    PublishedRoster published{roster.school, roster.version, wanted.roster, wanted.signature, clock_()};
    PublishOutcome outcome = storage_.publish_roster(published);
    std::string name = "the roster of " + roster.school + " version " + std::to_string(roster.version);
    if (outcome == PublishOutcome::Conflict) {
      throw ProblemError(ProblemKind::Conflict,
                         name + " is published already with different contents; a changed roster needs a new version");
    }
    bool again = outcome == PublishOutcome::AlreadyPublished;
    return json_reply(again ? 200 : 201,
                      protocol::to_json(protocol::PublishRosterReply{roster.school, roster.version, again}),
                      std::string("roster version ") + std::to_string(roster.version) +
                          (again ? " published already (identical)" : " published") + ", " +
                          std::to_string(roster.tutor_groups.size()) + " tutor groups");
  });
}

ServiceReply CentralService::rosters(const ServiceRequest& request) {
  return guarded("list rosters", [&] {
    DeviceRecord device = authenticate_device(request);
    protocol::RostersReply reply;
    if (std::optional<PublishedRoster> r = storage_.latest_roster(device.school)) {
      reply.rosters.push_back({r->school, r->version, std::move(r->document), std::move(r->signature)});
    }
    return json_reply(200, protocol::to_json(reply),
                      "device " + device.device_id + ": " + std::to_string(reply.rosters.size()) + " rosters");
  });
}

}  // namespace tt::central
