// tutortime-kiosk enrol: registers the kiosk with the central server (sync/uploader/enrolment.h).
#include <signal.h>

#include <iostream>

#include "kiosk/cli/commands.h"
#include "kiosk/cli/open_store.h"
#include "sync/uploader/enrolment.h"

namespace tt::kiosk {

namespace {

int exit_code_for(sync::EnrolErrorKind kind) {
  switch (kind) {
    case sync::EnrolErrorKind::TokenRefused: return kExitInvalidInput;
    case sync::EnrolErrorKind::PinMismatch: return kExitPinMismatch;
    case sync::EnrolErrorKind::Unreachable: return kExitUnreachable;
    case sync::EnrolErrorKind::AlreadyEnrolled:
    case sync::EnrolErrorKind::KeysDiffer:
    case sync::EnrolErrorKind::ServerRefused: return kExitFailure;
  }
  return kExitFailure;
}

}  // namespace

int command_enrol(const std::filesystem::path& data_dir, CommandLine& args) {
  sync::EnrolOptions options;
  options.server_url = args.required_option("--server");
  options.token = args.required_option("--token");
  options.expected_pin = args.option("--pin");
  options.force = args.flag("--force");
  options.allow_plain_http = args.flag("--insecure-http-for-tests");
  options.app_version = TUTORTIME_VERSION;
  args.expect_done();
  // A server that drops a connection must fail a write, not kill the uploader.
  ::signal(SIGPIPE, SIG_IGN);
  auto store = open_store_for_command(data_dir);
  sync::EnrolResult result;
  try {
    result = sync::enrol_kiosk(*store, options);
  } catch (const sync::EnrolError& e) {
    std::cerr << "tutortime-kiosk: enrol: " << e.what() << "\n";
    return exit_code_for(e.kind());
  }
  const auto& server = result.record.server;
  std::cout << "Enrolled this kiosk at " << server.server_url << " for " << result.record.school << " as device "
            << server.device_id << ".\n";
  if (server.server_pin) {
    std::cout << "Server key pin: " << *server.server_pin << "\n";
    if (!options.expected_pin)
      std::cout << "Check it matches what `tutortime-central pin` prints on the server; if it does not, do not "
                   "use this kiosk: enrol it again with --force --pin.\n";
  }
  if (result.trust_keys_replaced)
    std::cout << "The central team's analysis and signing keys were taken from the server (they differed from the "
                 "ones this kiosk was set up with); install the surveys again, signed with the new key.\n";
  std::cout << "Next: tutortime-kiosk --data-dir " << data_dir.string() << " sync --once\n";
  return kExitOk;
}

}  // namespace tt::kiosk
