// tutortime-kiosk sync: the uploader, one pass (--once) or the long-running process beside the
// pupil app (sync/uploader/sync_loop.h; docs/sync.md).
#include <signal.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "kiosk/cli/commands.h"
#include "kiosk/cli/open_store.h"
#include "kiosk/ui/drawable_text.h"
#include "sync/uploader/enrolled_server.h"
#include "sync/uploader/sync_loop.h"
#include "sync/uploader/uploader.h"

namespace tt::kiosk {

namespace {

int exit_code_for(sync::UploadOutcome outcome) {
  switch (outcome) {
    case sync::UploadOutcome::AllAcknowledged: return kExitOk;
    case sync::UploadOutcome::PinMismatch: return kExitPinMismatch;
    case sync::UploadOutcome::Revoked: return kExitRevoked;
    case sync::UploadOutcome::SomeRejected:
    case sync::UploadOutcome::Failed:
    case sync::UploadOutcome::ClockSkew:
    case sync::UploadOutcome::Refused: return kExitIncomplete;
  }
  return kExitIncomplete;
}

std::size_t whole_number(CommandLine& args, const std::string& name, std::size_t fallback, std::size_t low,
                         std::size_t high) {
  auto text = args.option(name);
  if (!text) return fallback;
  try {
    std::size_t used = 0;
    unsigned long long value = std::stoull(*text, &used);
    if (used == text->size() && value >= low && value <= high) return static_cast<std::size_t>(value);
  } catch (const std::exception&) {
  }
  throw UsageError(name + " takes a whole number from " + std::to_string(low) + " to " + std::to_string(high));
}

nlohmann::json result_json(const sync::UploadPassResult& r) {
  nlohmann::json j = {{"outcome", sync::upload_outcome_name(r.outcome)},
                      {"reason", r.reason},
                      {"batches_sent", r.batches_sent},
                      {"stored", r.stored},
                      {"duplicates", r.duplicates},
                      {"rejected", r.rejected_ids},
                      {"waiting", r.waiting_after},
                      {"heartbeat_sent", r.heartbeat_sent},
                      {"surveys_fetched", r.surveys_fetched},
                      {"surveys_installed", r.surveys_installed},
                      {"surveys_refused", r.surveys_refused}};
  j["roster_installed"] = r.roster_installed ? nlohmann::json(*r.roster_installed) : nlohmann::json(nullptr);
  j["clock_skew_seconds"] = r.clock_skew_seconds ? nlohmann::json(*r.clock_skew_seconds) : nlohmann::json(nullptr);
  return j;
}

int sync_once(KioskStore& store, const sync::UploadOptions& options, bool as_json) {
  sync::UploadPassResult result = sync::upload_once(store, options);
  if (as_json) {
    std::cout << result_json(result).dump() << "\n";
  } else {
    std::cout << "Uploaded " << result.acknowledged() << " response" << (result.acknowledged() == 1 ? "" : "s") << " ("
              << result.stored << " new, " << result.duplicates << " already there) in " << result.batches_sent
              << " batch" << (result.batches_sent == 1 ? "" : "es") << "; " << result.waiting_after << " waiting.\n";
    if (result.surveys_installed > 0 || result.surveys_refused > 0)
      std::cout << "Survey updates: " << result.surveys_installed << " installed, " << result.surveys_refused
                << " refused (see the log for why).\n";
    if (result.roster_installed) std::cout << "Roster: version " << *result.roster_installed << " installed.\n";
  }
  if (!result.all_acknowledged())
    std::cerr << "tutortime-kiosk: sync: not everything was acknowledged: " << result.reason << "\n";
  return exit_code_for(result.outcome);
}

}  // namespace

int command_sync(const std::filesystem::path& data_dir, CommandLine& args) {
  bool once = args.flag("--once");
  bool as_json = args.flag("--json");
  sync::UploadOptions upload;
  upload.app_version = TUTORTIME_VERSION;
  upload.server_url_override = args.option("--server-url-override");
  upload.max_batch_responses = whole_number(args, "--max-batch", upload.max_batch_responses, 1, 500);
  upload.send_heartbeat = !args.flag("--no-heartbeat");
  upload.fetch_survey_updates = !args.flag("--no-survey-updates");
  // The font ranges are the UI's: a survey the pupil app cannot draw is refused here too.
  upload.find_undrawable_text = [](const nlohmann::json& definition) { return ui::find_undrawable_text(definition); };
  upload.allow_plain_http = args.flag("--insecure-http-for-tests");
  std::size_t interval = whole_number(args, "--interval-seconds", 60, 1, 86'400);
  args.expect_done();
  if (as_json && !once) throw UsageError("--json goes with --once");

  // A server that drops a connection must fail a write, not kill the uploader.
  ::signal(SIGPIPE, SIG_IGN);
  auto store = open_store_for_command(data_dir);
  if (once) return sync_once(*store, upload, as_json);

  sync::SyncLoopOptions options;
  options.upload = upload;
  options.interval = std::chrono::seconds(interval);
  sync::SyncLoop loop(*store, options);
  loop.install_signal_handlers();
  // Checked up front so a kiosk that is not enrolled says so once instead of backing off.
  sync::EnrolledServer server = sync::load_enrolled_server(*store);
  std::cerr << "sync: uploading to " << upload.server_url_override.value_or(server.server_url) << " as device "
            << server.device_id << " every " << interval << " s (SIGUSR1: try now; SIGTERM: stop)\n";
  sync::SyncLoopEnd end = loop.run();
  if (end == sync::SyncLoopEnd::Revoked) return kExitRevoked;
  std::cerr << "sync: stopped\n";
  return kExitOk;
}

}  // namespace tt::kiosk
