// POST /v1/heartbeat: what a kiosk says about itself, kept for the fleet view.
#include "shared/protocol/heartbeat.h"
#include "shared/protocol/json_body.h"
#include "sync/central/central_service.h"

namespace tt::central {

using protocol::ProblemKind;

ServiceReply CentralService::heartbeat(const ServiceRequest& request) {
  return guarded("heartbeat", [&] {
    require_json_body(request);
    DeviceRecord device = authenticate_device(request);
    protocol::Heartbeat heartbeat;
    try {
      heartbeat = protocol::parse_heartbeat(request.body);
    } catch (const protocol::ProtocolError& e) {
      throw ProblemError(ProblemKind::MalformedRequest, e.what());
    }
    UnixSeconds now = clock_();
    // Kept as we re-serialise it, not as sent: only the fields we read, in our shape.
    storage_.record_heartbeat(device.device_id, protocol::to_json(heartbeat), heartbeat.app_version, now);
    return json_reply(200, protocol::to_json(protocol::HeartbeatReply{now}),
                      "device " + device.device_id + ": " + std::to_string(heartbeat.responses_waiting) + " waiting");
  });
}

}  // namespace tt::central
