#pragma once
// The admin token: the bearer secret for /v1/admin/*, kept in a file of its own (mode 0600) so
// it is never on a command line or in the configuration. Made on first run when missing: 32
// random bytes as 64 hex digits. The server prints where it is, never what it is.
#include <filesystem>
#include <string>

namespace tt::central {

struct AdminToken {
  std::string value;
  bool created = false;
};

// Throws tt::Error naming the file: readable or writable by group or others (with the chmod
// to run), empty, or not one line of printable ASCII.
AdminToken load_or_create_admin_token(const std::filesystem::path& file);

}  // namespace tt::central
