#pragma once
// Connection settings, the checks made before anything is written, and schema migrations.
#include <string>

#include "kiosk/store/sqlite_handle.h"
#include "shared/common/bytes.h"

namespace tt::kiosk::store {

// Per-connection settings that never write to the file: busy_timeout, synchronous=FULL,
// secure_delete, temp_store=MEMORY, foreign_keys, trusted_schema=OFF, defensive mode, and
// query_only plus "no checkpoint on close" until verify_before_writing() has passed, so a
// file that is then refused (wrong key, newer schema, corrupt) is left byte for byte as it was.
void configure_connection(const Op& op);
// Switches to WAL (the one setting that writes, on a new file) and allows writes.
void enable_writes(const Op& op);

struct Verification {
  enum class State { Fresh, Current, Corrupt } state = State::Fresh;
  int user_version = 0;
  std::string corruption_reason;  // when Corrupt
};
// Configures the connection, then reads only. Throws StoreError(NewerSchema) or StoreError(WrongKey); reports
// Corrupt (rather than throwing) when SQLite says the file is not a database or quick_check fails.
Verification verify_before_writing(const Op& op, ByteView storage_key);

// Brings the schema from `from_version` to KioskStore::kSchemaVersion in one transaction
// (creating it, with the key check value, when from_version is 0). Returns the version the
// database actually had once the write lock was held (another process may have migrated it).
int migrate(const Op& op, ByteView storage_key, int from_version);

// Re-encrypts every draft from one schema version's associated data to another's (used by
// migrate(); exposed for its test).
void reseal_drafts(const Op& op, ByteView storage_key, int from_schema, int to_schema);

}  // namespace tt::kiosk::store
