#pragma once
// Opens the kiosk store for a command and tells the technician what opening had to do: a
// corrupt database moved aside (never deleted) or a schema migration.
#include <filesystem>
#include <memory>

#include "kiosk/store/kiosk_store.h"

namespace tt::kiosk {

std::unique_ptr<KioskStore> open_store_for_command(const std::filesystem::path& data_dir);

}  // namespace tt::kiosk
