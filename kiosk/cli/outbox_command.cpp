#include <iostream>
#include <nlohmann/json.hpp>

#include "kiosk/cli/commands.h"
#include "kiosk/cli/open_store.h"
#include "kiosk/session/kiosk_status.h"
#include "kiosk/session/pupil_session.h"
#include "shared/common/files.h"
#include "shared/survey/response.h"

namespace tt::kiosk {

namespace {

nlohmann::json entry_json(const SealedResponse& r) {
  return {{"response_id", r.response_id},
          {"survey_id", r.survey_id},
          {"survey_version", r.survey_version},
          {"bytes", r.sealed.size()},
          {"finished_at", r.finished_at},
          {"acknowledged_at", r.acknowledged_at ? nlohmann::json(*r.acknowledged_at) : nlohmann::json(nullptr)}};
}

int list(const std::filesystem::path& data_dir, bool as_json) {
  auto store = open_store_for_command(data_dir);
  auto entries = store->outbox_all();
  if (as_json) {
    nlohmann::json out = nlohmann::json::array();
    for (const SealedResponse& r : entries) out.push_back(entry_json(r));
    std::cout << out.dump() << "\n";
    return kExitOk;
  }
  if (entries.empty()) std::cout << "The outbox is empty.\n";
  for (const SealedResponse& r : entries) {
    std::cout << r.response_id << "  " << r.survey_id << " v" << r.survey_version << "  " << r.sealed.size()
              << " bytes  finished " << survey::utc_minute(r.finished_at)
              << (r.acknowledged_at ? "  acknowledged" : "  waiting") << "\n";
  }
  return kExitOk;
}

int export_to(const std::filesystem::path& data_dir, const std::filesystem::path& out_dir) {
  auto store = open_store_for_command(data_dir);
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) throw Error("cannot create " + out_dir.string() + ": " + ec.message());
  std::size_t count = 0;
  for (const SealedResponse& r : store->outbox_all()) {
    if (r.acknowledged_at) continue;
    if (!survey::is_response_id(r.response_id)) throw Error("outbox holds a malformed response id; not exporting it");
    write_file_atomically(out_dir / (r.response_id + ".bin"), r.sealed, 0644, true);
    ++count;
  }
  std::cout << "Exported " << count << " sealed response" << (count == 1 ? "" : "s") << " to " << out_dir.string()
            << " (still kept in the outbox until the central team's server acknowledges them).\n";
  return kExitOk;
}

}  // namespace

int command_outbox(const std::filesystem::path& data_dir, CommandLine& args) {
  std::string verb = args.required_positional("an outbox command (list or export)");
  if (verb == "list") {
    bool as_json = args.flag("--json");
    args.expect_done();
    return list(data_dir, as_json);
  }
  if (verb == "export") {
    std::string out = args.required_option("--dir");
    args.expect_done();
    return export_to(data_dir, out);
  }
  throw UsageError("unknown outbox command \"" + verb + "\" (expected list or export)");
}

int command_status(const std::filesystem::path& data_dir, CommandLine& args) {
  bool as_json = args.flag("--json");
  args.expect_done();
  auto store = open_store_for_command(data_dir);
  KioskStatus status = gather_kiosk_status(*store);
  const OutboxSummary& outbox = status.outbox;
  nlohmann::json surveys = nlohmann::json::array();
  for (const InstalledSurvey& s : status.surveys) surveys.push_back({{"id", s.survey_id}, {"version", s.version}});
  auto or_null = [](const auto& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  nlohmann::json j = {{"data_dir", data_dir.string()},
                      {"device_id", status.device_id},
                      {"surveys", surveys},
                      {"drafts", status.drafts},
                      {"outbox_waiting", outbox.waiting},
                      {"outbox_waiting_bytes", outbox.waiting_bytes},
                      {"oldest_waiting_finished_at", or_null(outbox.oldest_waiting_finished_at)},
                      {"free_disk_bytes", or_null(status.free_disk_bytes)}};
  if (as_json) {
    std::cout << j.dump() << "\n";
    return kExitOk;
  }
  std::cout << "Device:   " << status.device_id << "\n"
            << "Surveys:  ";
  for (const auto& s : surveys) std::cout << s["id"].get<std::string>() << " v" << s["version"] << "  ";
  std::cout << "\nDrafts:   " << status.drafts << "\nWaiting:  " << outbox.waiting << " sealed responses ("
            << outbox.waiting_bytes << " bytes)";
  if (outbox.oldest_waiting_finished_at)
    std::cout << ", oldest " << survey::utc_minute(*outbox.oldest_waiting_finished_at);
  std::cout << "\n";
  if (status.free_disk_bytes) std::cout << "Free disk: " << describe_bytes(*status.free_disk_bytes) << "\n";
  return kExitOk;
}

}  // namespace tt::kiosk
