// tutortime-admin fleet: every enrolled device, when it was last heard from, what waits on it,
// and which have gone silent (a tablet in a drawer, a kiosk off the network) for a person to chase.
#include <iomanip>
#include <iostream>
#include <sstream>

#include "shared/protocol/admin.h"
#include "sync/admin/central_connection.h"
#include "sync/admin/commands.h"

namespace tt::admin {

namespace {

constexpr std::int64_t kDefaultSilentAfterHours = 72;

// "45 s", "12 min", "5 h 3 min", "4 d 2 h".
std::string duration_words(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  if (seconds < 60) return std::to_string(seconds) + " s";
  if (seconds < 3600) return std::to_string(seconds / 60) + " min";
  if (seconds < 86400) return std::to_string(seconds / 3600) + " h " + std::to_string(seconds % 3600 / 60) + " min";
  std::int64_t hours = seconds % 86400 / 3600;
  return std::to_string(seconds / 86400) + " d" + (hours > 0 ? " " + std::to_string(hours) + " h" : "");
}

enum class DeviceState { Ok, Silent, Revoked };

const char* state_name(DeviceState s) {
  switch (s) {
    case DeviceState::Ok: return "ok";
    case DeviceState::Silent: return "silent";
    case DeviceState::Revoked: return "revoked";
  }
  return "ok";
}

// Silent: not heard from (or, never heard from, enrolled) longer ago than the threshold.
DeviceState state_of(const protocol::DeviceStatus& d, std::int64_t now, std::int64_t silent_after) {
  if (d.revoked_at) return DeviceState::Revoked;
  std::int64_t heard = d.last_seen.value_or(d.enrolled_at);
  return now - heard > silent_after ? DeviceState::Silent : DeviceState::Ok;
}

// The oldest waiting response's age now, from what the last heartbeat said then.
std::optional<std::int64_t> oldest_waiting_now(const protocol::DeviceStatus& d, std::int64_t now) {
  if (!d.last_heartbeat || !d.last_heartbeat->oldest_waiting_age_seconds || !d.last_heartbeat_at) return std::nullopt;
  return *d.last_heartbeat->oldest_waiting_age_seconds + (now - *d.last_heartbeat_at);
}

std::string surveys_of(const protocol::DeviceStatus& d) {
  if (!d.last_heartbeat) return "-";
  std::string out;
  for (const protocol::SurveyVersion& s : d.last_heartbeat->surveys) {
    if (!out.empty()) out += ", ";
    out += s.id + " v" + std::to_string(s.version);
  }
  return out.empty() ? "none" : out;
}

void print_json(const protocol::FleetReply& fleet, std::int64_t silent_after) {
  nlohmann::json out = nlohmann::json::parse(protocol::to_json(fleet));
  out["silent_after_seconds"] = silent_after;
  for (std::size_t i = 0; i < fleet.devices.size(); ++i) {
    const protocol::DeviceStatus& d = fleet.devices[i];
    DeviceState state = state_of(d, fleet.server_time, silent_after);
    nlohmann::json& j = out["devices"][i];
    j["status"] = state_name(state);
    j["silent"] = state == DeviceState::Silent;
    auto oldest = oldest_waiting_now(d, fleet.server_time);
    j["oldest_waiting_age_seconds_now"] = oldest ? nlohmann::json(*oldest) : nlohmann::json();
  }
  std::cout << out.dump() << "\n";
}

void print_table(const protocol::FleetReply& fleet, std::int64_t silent_after) {
  std::ostringstream table;
  auto row = [&](const std::vector<std::string>& cells) {
    static const int widths[] = {33, 24, 8, 14, 8, 15, 24};
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c + 1 < cells.size()) {
        table << std::left << std::setw(widths[c]) << cells[c] << ' ';
      } else {
        table << cells[c];
      }
    }
    table << "\n";
  };
  row({"DEVICE", "SCHOOL", "APP", "LAST SEEN", "WAITING", "OLDEST WAITING", "SURVEYS", "STATUS"});
  std::size_t silent = 0, revoked = 0;
  std::int64_t waiting = 0;
  for (const protocol::DeviceStatus& d : fleet.devices) {
    DeviceState state = state_of(d, fleet.server_time, silent_after);
    silent += state == DeviceState::Silent;
    revoked += state == DeviceState::Revoked;
    std::string seen = d.last_seen ? duration_words(fleet.server_time - *d.last_seen) + " ago" : "never";
    std::string waits = d.last_heartbeat ? std::to_string(d.last_heartbeat->responses_waiting) : "?";
    if (d.last_heartbeat) waiting += d.last_heartbeat->responses_waiting;
    auto oldest = oldest_waiting_now(d, fleet.server_time);
    std::string status = state == DeviceState::Silent ? "SILENT" : state_name(state);
    std::string school = d.school.size() > 24 ? d.school.substr(0, 23) + "…" : d.school;
    row({d.device_id, school, d.app_version, seen, waits, oldest ? duration_words(*oldest) : "-", surveys_of(d),
         status});
  }
  std::cout << table.str() << fleet.devices.size() << " devices, " << silent << " silent (not heard from for over "
            << duration_words(silent_after) << "), " << revoked << " revoked, " << waiting
            << " responses waiting on kiosks (as of their last heartbeat).\n";
}

}  // namespace

int command_fleet(CommandLine& args) {
  CentralConnection server = CentralConnection::from_command_line(args);
  bool as_json = args.flag("--json");
  std::int64_t silent_after_hours = kDefaultSilentAfterHours;
  if (auto hours = args.option("--silent-after-hours")) {
    try {
      std::size_t used = 0;
      silent_after_hours = std::stoll(*hours, &used);
      if (used != hours->size() || silent_after_hours < 1) throw std::invalid_argument("range");
    } catch (const std::exception&) {
      throw UsageError("--silent-after-hours must be a whole number of hours, at least 1");
    }
  }
  args.expect_done();
  protocol::FleetReply fleet = protocol::parse_fleet_reply(server.admin("GET", protocol::kAdminFleetPath, "", 200));
  if (as_json) {
    print_json(fleet, silent_after_hours * 3600);
  } else {
    print_table(fleet, silent_after_hours * 3600);
  }
  return kExitOk;
}

}  // namespace tt::admin
