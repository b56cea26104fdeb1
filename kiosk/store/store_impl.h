#pragma once
// Private helpers shared by the store's .cpp files (KioskStore::Impl may read its members).
#include <filesystem>
#include <memory>
#include <string>

#include "kiosk/store/kiosk_store.h"
#include "kiosk/store/sqlite_handle.h"

namespace tt::kiosk {

struct KioskStore::Impl {
  // An operation on this store's connection, named in error messages as "<what> in <db file>".
  static store::Op op(const KioskStore& store, const std::string& what) {
    return store::Op{store.db_, what + " in " + store.database_path().string(), store.database_path(),
                     store.statements_.get()};
  }
  static UnixSeconds now(const KioskStore& store) { return store.clock_(); }
  static ByteView key(const KioskStore& store) { return store.storage_key_.view(); }
  // Opens (creating if absent) DATA_DIR/kiosk.db with `key`: store_open.cpp.
  static std::unique_ptr<KioskStore> open_database(const std::filesystem::path& data_dir, crypto::SecretBytes key,
                                                   OpenReport* report);
};

}  // namespace tt::kiosk
