#pragma once
// How tutortime-admin reaches the central server's admin endpoints: the server's URL, the admin
// bearer token (the server's `admin-token` file) and the certificate to trust (the server's
// `tls-certificate.pem` when it is self-signed), each from an option or else the environment:
//
//   --server URL                 $TUTORTIME_SERVER                 https://central.example:8443
//   --admin-token-file FILE      $TUTORTIME_ADMIN_TOKEN_FILE
//   --server-certificate FILE    $TUTORTIME_SERVER_CERTIFICATE     (none: the system's CAs)
//   --central-data-dir DIR       $TUTORTIME_CENTRAL_DATA_DIR       DIR/admin-token and
//                                                                  DIR/tls-certificate.pem, for
//                                                                  the tool on the server itself
//
// HTTPS only, certificate verification always on (sync/client/https_client.h). Errors say which
// setting is missing or wrong, and a refusal by the server is an Error carrying its problem's
// detail — never the token.
#include <memory>
#include <optional>
#include <string>

#include "shared/common/command_line.h"
#include "sync/client/https_client.h"

namespace tt::admin {

inline constexpr const char* kServerEnvironment = "TUTORTIME_SERVER";
inline constexpr const char* kAdminTokenFileEnvironment = "TUTORTIME_ADMIN_TOKEN_FILE";
inline constexpr const char* kServerCertificateEnvironment = "TUTORTIME_SERVER_CERTIFICATE";
inline constexpr const char* kCentralDataDirEnvironment = "TUTORTIME_CENTRAL_DATA_DIR";

// The server refused (a problem reply) or answered something that is not the protocol.
class ServerRefusal : public Error {
 public:
  ServerRefusal(long status, std::string problem_type, const std::string& message)
      : Error(message), status_(status), problem_type_(std::move(problem_type)) {}
  long status() const { return status_; }
  const std::string& problem_type() const { return problem_type_; }

 private:
  long status_;
  std::string problem_type_;
};

class CentralConnection {
 public:
  // Reads the connection options from `args` (removing them) and the environment. Throws
  // UsageError when the server or the token is not given, Error when a file cannot be read.
  static CentralConnection from_command_line(CommandLine& args);

  // Sends an admin request and returns the reply's body when its status is `expected` (or any
  // 2xx when 0). Throws sync::TransportError, or ServerRefusal with the server's words.
  std::string admin(const std::string& method, const std::string& target, const std::string& body = "",
                    long expected = 0);
  // The status of the last reply admin() returned.
  long last_status() const { return last_status_; }

  const std::string& server_url() const { return server_url_; }

 private:
  CentralConnection(std::string server_url, std::string token, std::optional<std::string> certificate_pem);

  std::string server_url_;
  std::string token_;
  std::unique_ptr<sync::HttpsClient> client_;
  long last_status_ = 0;
};

}  // namespace tt::admin
