#pragma once
// Errors in Tutortime carry the operation that failed and why, in words a technician can act
// on: "seal response 3f2a…: key file /var/lib/tutortime/analysis.pub is not an X25519 public key".
// Throw tt::Error (or a subclass for a case a caller handles specially); catch at the edge
// (a command-line tool, the kiosk's loop) and print what().
#include <stdexcept>
#include <string>

namespace tt {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Prefixes the message of the exception being handled with the operation in progress and
// rethrows it as a tt::Error (callers that must keep a subclass catch it first).
[[noreturn]] void rethrow_with_context(const std::string& operation);

}  // namespace tt
