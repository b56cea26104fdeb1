#pragma once
// tutortime-central's configuration: a JSON file (docs/central-server.md lists every setting),
// each setting optional with the default below. Relative paths are relative to the file's
// directory. Unknown settings are refused, since a misspelt limit silently left at its default
// is worse than a server that does not start.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tt::central {

inline constexpr const char* kDefaultDataDir = "/var/lib/tutortime-central";
inline constexpr const char* kDataDirEnvironment = "TUTORTIME_CENTRAL_DATA_DIR";

struct Limits {
  std::size_t max_body_bytes = 8 * 1024 * 1024;    // 413 beyond this
  std::size_t max_batch_responses = 500;           // 413 beyond this
  std::size_t max_sealed_bytes = 256 * 1024;       // a larger response is rejected in the reply
  int read_timeout_seconds = 15;                   // a client that sends nothing this long is dropped
  int write_timeout_seconds = 15;                  // a client that reads nothing this long is dropped
  int keep_alive_seconds = 5;                      // an idle connection is closed after this
  int request_deadline_seconds = 120;              // a whole request (TLS) may take at most this long
  std::size_t threads = 16;                        // connections served at once; more wait
  std::size_t max_connections = 512;               // served or waiting for a thread; more are refused
  std::int64_t clock_skew_seconds = 300;           // a signed request's timestamp may be this far off
  std::int64_t device_requests_per_minute = 1200;  // per device, on average; 0: no limit (429 beyond)
  std::int64_t device_request_burst = 300;         // requests a device may send at once
};

struct CentralConfig {
  std::filesystem::path data_dir;  // --data-dir, "data_dir", $TUTORTIME_CENTRAL_DATA_DIR, the default
  std::string listen_address = "0.0.0.0";
  int listen_port = 8443;                          // 0: any free port (printed when listening)
  std::string storage_url;                         // default "sqlite:" DATA_DIR/central.db
  std::filesystem::path tls_certificate;           // default DATA_DIR/tls-certificate.pem (made on first run)
  std::filesystem::path tls_private_key;           // default DATA_DIR/tls-private-key.pem (made on first run)
  std::vector<std::string> tls_self_signed_names;  // default localhost, 127.0.0.1, ::1, the host name
  std::filesystem::path admin_token_file;          // default DATA_DIR/admin-token (made on first run)
  std::filesystem::path analysis_public_key;       // default DATA_DIR/analysis.pub
  std::filesystem::path signing_public_key;        // default DATA_DIR/signing.pub
  Limits limits;
};

// Reads `config_file` (none: every default) and fills in the defaults. `data_dir` from the
// command line overrides the file's. Throws tt::InvalidInputError naming the file and the
// setting for a file that is not what it must be.
CentralConfig load_central_config(const std::optional<std::filesystem::path>& config_file,
                                  const std::optional<std::filesystem::path>& data_dir);

}  // namespace tt::central
