#include "kiosk/session/kiosk_status.h"

#include <cstdio>
#include <filesystem>

#include "kiosk/session/pupil_session.h"

namespace tt::kiosk {

KioskStatus gather_kiosk_status(const KioskStore& store) {
  KioskStatus status;
  status.device_id = store.setting(kSettingDeviceId).value_or("");
  for (InstalledSurvey s : store.installed_surveys()) {
    s.definition_json.clear();  // the menu needs the id and version, not the definition
    s.signature.clear();
    status.surveys.push_back(std::move(s));
  }
  status.drafts = store.drafts().size();
  status.outbox = store.outbox_summary();
  std::error_code ec;
  auto space = std::filesystem::space(store.data_dir(), ec);
  if (!ec) status.free_disk_bytes = space.available;
  return status;
}

std::string describe_duration(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  auto unit = [](std::int64_t n, const char* name) { return std::to_string(n) + " " + name + (n == 1 ? "" : "s"); };
  if (seconds < 60) return unit(seconds, "second");
  if (seconds < 3600) return unit(seconds / 60, "minute");
  if (seconds < 86400) return unit(seconds / 3600, "hour");
  return unit(seconds / 86400, "day");
}

std::string describe_bytes(std::uintmax_t bytes) {
  const char* units[] = {"bytes", "kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int u = 0;
  while (value >= 1000 && u < 4) {
    value /= 1000;
    ++u;
  }
  char text[32];
  if (u == 0) {
    std::snprintf(text, sizeof text, "%ju bytes", bytes);
  } else {
    std::snprintf(text, sizeof text, value < 10 ? "%.1f %s" : "%.0f %s", value, units[u]);
  }
  return text;
}

}  // namespace tt::kiosk
