#include "sync/central/postgres_storage.h"
#include "sync/central/sqlite_storage.h"
#include "sync/central/storage.h"

namespace tt::central {

std::unique_ptr<Storage> open_storage(const std::string& url) {
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.empty()) throw StorageError("storage URL \"sqlite:\" names no file (sqlite:/path/to/central.db)");
    return std::make_unique<SqliteStorage>(path);
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return std::make_unique<PostgresStorage>(url);
  }
  throw StorageError("storage URL must start with sqlite: or postgresql:// (docs/central-server.md)");
}

}  // namespace tt::central
