#pragma once
// Enrolment: the kiosk makes its Ed25519 key, presents the technician's one-time token at
// POST /v1/enrol, and keeps what the server returns (enrolled_server.h).
//
// Trust on this first request (the kiosk has no pin yet), see docs/sync.md:
//  - with an expected pin (--pin sha256//…): the server's certificate is fetched with a bare
//    TLS handshake (certificate_probe.h), its key's pin must equal the expected one, and then
//    the enrolment request is sent with that pin set (CURLOPT_PINNEDPUBLICKEY) and that
//    certificate as the only trust anchor — verification on, name checked. A self-signed server
//    works, and nothing is sent to a server whose key is not the one the technician read out.
//  - without: the certificate must verify against the system's CAs; the pin received is
//    printed for the technician to compare with `tutortime-central pin`.
//  In both cases the reply's server_pin must be the key the kiosk actually talked to (with a
//  pin) and is then pinned for every later request.
//
// Refusals (tt::Error subclasses below, messages naming the problem, never the token):
//  - not set up; enrolled already (unless force);
//  - the server's analysis or signing key differs from the ones set up, while responses or
//    drafts exist (responses already sealed to the old key could not be read by the new team);
//  - the token refused (the problem's detail: unknown, used or expired); the server unreachable;
//    a pin mismatch.
#include <filesystem>
#include <optional>
#include <string>

#include "kiosk/store/kiosk_store.h"
#include "sync/client/https_client.h"
#include "sync/uploader/enrolled_server.h"

namespace tt::sync {

struct EnrolOptions {
  std::string server_url;
  std::string token;                        // as typed
  std::optional<std::string> expected_pin;  // --pin
  bool force = false;                       // enrol again (a new device id and key)
  bool allow_plain_http = false;            // tests against --insecure-http-for-tests only
  std::string app_version = "0.0.0";
  HttpTimeouts timeouts;
};

struct EnrolResult {
  EnrolmentRecord record;
  std::string previous_device_id;
  bool trust_keys_replaced = false;  // the server's analysis/signing keys replaced the set-up ones
};

enum class EnrolErrorKind {
  AlreadyEnrolled,
  TokenRefused,
  Unreachable,
  PinMismatch,
  KeysDiffer,     // the server's keys differ and responses or drafts exist
  ServerRefused,  // another refusal, or a reply that is not an enrolment reply
};

class EnrolError : public Error {
 public:
  EnrolError(EnrolErrorKind kind, const std::string& message) : Error(message), kind_(kind) {}
  EnrolErrorKind kind() const { return kind_; }

 private:
  EnrolErrorKind kind_;
};

EnrolResult enrol_kiosk(kiosk::KioskStore& store, const EnrolOptions& options);

}  // namespace tt::sync
