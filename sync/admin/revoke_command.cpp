// tutortime-admin revoke DEVICE: the device's requests are refused from now on (403).
#include <iostream>

#include "shared/protocol/admin.h"
#include "shared/protocol/identifiers.h"
#include "shared/survey/response.h"
#include "sync/admin/central_connection.h"
#include "sync/admin/commands.h"

namespace tt::admin {

int command_revoke(CommandLine& args) {
  CentralConnection server = CentralConnection::from_command_line(args);
  std::string device = args.required_positional("the DEVICE id to revoke (see tutortime-admin fleet)");
  args.expect_done();
  if (!protocol::is_id128(device))
    throw UsageError("a device id is 32 lower-case hex digits (see tutortime-admin fleet)");
  protocol::RevokeReply reply =
      protocol::parse_revoke_reply(server.admin("POST", protocol::admin_revoke_path(device), "", 200));
  std::cout << "Device " << reply.device_id << " is revoked (since " << survey::utc_minute(reply.revoked_at)
            << " UTC): the server refuses its requests; its waiting responses stay on the kiosk.\n";
  return kExitOk;
}

}  // namespace tt::admin
