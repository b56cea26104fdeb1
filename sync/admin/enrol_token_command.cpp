// tutortime-admin enrol-token: a one-time enrolment token for a kiosk of one school.
#include <iostream>

#include "shared/protocol/admin.h"
#include "shared/survey/response.h"
#include "sync/admin/central_connection.h"
#include "sync/admin/commands.h"

namespace tt::admin {

int command_enrol_token(CommandLine& args) {
  CentralConnection server = CentralConnection::from_command_line(args);
  std::string school = args.required_option("--school");
  protocol::EnrolTokenRequest request{school, protocol::kDefaultEnrolTokenHours};
  if (auto hours = args.option("--expires-in-hours")) {
    try {
      std::size_t used = 0;
      request.expires_in_hours = std::stoll(*hours, &used);
      if (used != hours->size()) throw std::invalid_argument("trailing characters");
    } catch (const std::exception&) {
      throw UsageError("--expires-in-hours must be a whole number of hours");
    }
    if (request.expires_in_hours < 1 || request.expires_in_hours > protocol::kMaxEnrolTokenHours) {
      throw UsageError("--expires-in-hours must be from 1 to " + std::to_string(protocol::kMaxEnrolTokenHours));
    }
  }
  bool as_json = args.flag("--json");
  args.expect_done();
  protocol::EnrolTokenReply reply = protocol::parse_enrol_token_reply(
      server.admin("POST", protocol::kAdminEnrolTokensPath, protocol::to_json(request), 201));
  if (as_json) {
    std::cout << protocol::to_json(reply) << "\n";
  } else {
    // The token alone on the first line, for scripts; the rest for the person reading.
    std::cout << reply.token << "\n"
              << "School: " << reply.school << "\n"
              << "Works once, until " << survey::utc_minute(reply.expires_at) << " UTC.\n"
              << "On the kiosk: tutortime-kiosk --data-dir DIR enrol --server " << server.server_url() << " --token "
              << reply.token << "\n";
  }
  return kExitOk;
}

}  // namespace tt::admin
