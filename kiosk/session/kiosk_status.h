#pragma once
// The kiosk at a glance, for the technician (the status command and the technician menu): which
// device this is, what is installed, what is waiting to upload and for how long, and how much
// disk is left. Nothing in it is about a pupil.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/store/kiosk_store.h"

namespace tt::kiosk {

struct KioskStatus {
  std::string device_id;
  std::vector<InstalledSurvey> surveys;  // definitions left out: id, version, installed_at only
  std::size_t drafts = 0;
  OutboxSummary outbox;
  std::optional<std::uintmax_t> free_disk_bytes;  // for the data directory; nullopt if unknown
};

KioskStatus gather_kiosk_status(const KioskStore& store);

// "45 seconds", "12 minutes", "5 hours", "3 days": how long ago, in the largest whole unit.
std::string describe_duration(std::int64_t seconds);
// "1.2 GB", "340 MB", "12 kB".
std::string describe_bytes(std::uintmax_t bytes);

}  // namespace tt::kiosk
