#include "kiosk/cli/open_store.h"

#include <iostream>

#include "kiosk/session/kiosk_identity.h"

namespace tt::kiosk {

std::unique_ptr<KioskStore> open_store_for_command(const std::filesystem::path& data_dir) {
  OpenReport report;
  auto store = KioskStore::open(data_dir, &report);
  if (report.moved_aside) {
    std::cerr << "tutortime-kiosk: warning: the database in " << data_dir.string() << " was damaged ("
              << report.corruption_reason << "); it was moved to " << report.moved_aside->string()
              << " (nothing was deleted: sealed responses in it can be rescued) and a new database was started\n";
    if (restore_identity_if_missing(*store)) {
      std::cerr << "tutortime-kiosk: the device id and keys were restored from " << kIdentityFileName
                << "; install the surveys again\n";
    }
  }
  if (report.migrated_from_schema != 0) {
    std::cerr << "tutortime-kiosk: the database was upgraded from schema version " << report.migrated_from_schema
              << " to " << KioskStore::kSchemaVersion << "\n";
  }
  return store;
}

}  // namespace tt::kiosk
