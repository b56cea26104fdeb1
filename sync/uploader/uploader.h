#pragma once
// The kiosk's uploader: one pass drains the outbox to the central server in bounded, signed
// batches, then fetches and installs the signed survey updates, and ends with a heartbeat. The loop around passes
// (backoff, wake-ups) is sync_loop.h; enrolment, which gives the uploader its server and key, is enrolment.h.
//
// Contract of a pass (docs/sync.md):
//  1. Batches come from the outbox oldest first, bounded by max_batch_responses and
//     max_batch_bytes, and every request is signed by the device key (request_signature.h).
//  2. A response is marked acknowledged ONLY when a 200 reply with a JSON content type parses
//     as a batch reply (one result per entry, in order, each naming the id sent at its index)
//     and says `stored` or `duplicate`; forget_acknowledged deletes exactly those in one
//     durable commit. Any other reply or failure acknowledges nothing.
//  3. `rejected` entries stay in the outbox (data is never deleted); their reason is logged
//     and they are skipped for the rest of this pass, so a bad entry cannot spin the loop.
//  4. A 413 halves the batch and sends it again (down to one response; a single response the
//     server still refuses is skipped like a rejection).
//  5. A 403 device-revoked stops the pass (Revoked); a pin mismatch stops it (PinMismatch);
//     a 401 with server_time reports the clock skew (ClockSkew). None of them touches data.
//  6. When the server answered, a signed GET /v1/surveys follows the batches; what it hands out
//     is installed only if it passes every check of `survey install` (survey_update.h). A
//     failure there is logged and counted, and never changes the upload outcome. Then a signed
//     GET /v1/rosters: the school's roster is kept when it verifies and is newer
//     (kiosk/session/roster_update.h), on the same terms.
//  7. Nothing a pupil wrote, no pupil code and no key reaches the log or `reason`.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/session/survey_update.h"
#include "kiosk/store/kiosk_store.h"
#include "shared/crypto/secret.h"
#include "sync/client/https_client.h"
#include "sync/uploader/server_reply.h"

namespace tt::sync {

// What enrolment stored about the server and this device (enrolled_server.h reads and writes it).
struct EnrolledServer {
  std::string device_id;
  std::string server_url;                             // "https://central.example:8443"
  std::optional<std::string> server_pin;              // "sha256//…"; null only for a plain-HTTP test server
  std::optional<std::string> server_certificate_pem;  // the trust anchor for a self-signed server
};

struct UploadOptions {
  // Well under the server's defaults (500 responses, 8 MiB): a batch is one transaction there
  // and one reply here, so smaller batches lose less to a dropped connection.
  std::size_t max_batch_responses = 100;
  std::size_t max_batch_bytes = 1024 * 1024;
  // Talk to this URL instead of the enrolled one (a proxy in front of the server, in tests);
  // the pin and the certificate stay the enrolled ones, so the proxy must pass TLS through.
  std::optional<std::string> server_url_override;
  bool allow_plain_http = false;  // only against tutortime-central --insecure-http-for-tests
  HttpTimeouts timeouts;
  bool send_heartbeat = true;
  // Fetch the published surveys after the batches and install those that verify. The check
  // that the kiosk can draw a survey's text belongs to kiosk/ui, which this library does not
  // link, so the caller passes it (the CLI: ui::find_undrawable_text); without it no survey
  // is fetched, since none could be checked.
  bool fetch_survey_updates = true;
  kiosk::UndrawableTextFinder find_undrawable_text;
  std::string app_version = "0.0.0";
  // Where log lines go (one line each, no newline). Default: standard error.
  std::function<void(const std::string&)> log;
  // Unix seconds, for signatures and the heartbeat. Default: the system clock.
  std::function<std::int64_t()> clock;
};

enum class UploadOutcome {
  AllAcknowledged,  // the outbox is empty of unacknowledged responses (or was already)
  SomeRejected,     // every batch got an answer, but the server rejected some (they are kept)
  Failed,           // a transport error, 5xx, captive portal, a reply that does not parse …
  PinMismatch,      // the server's key is not the pinned one (or its certificate did not verify)
  Revoked,          // 403 device-revoked: stop, keep the data, tell the technician
  ClockSkew,        // 401 with server_time: the kiosk's clock is out of the server's window
  Refused,          // another whole-batch refusal (400, 401, 415 …): a bug or a misconfiguration
};
const char* upload_outcome_name(UploadOutcome outcome);  // "all-acknowledged", "pin-mismatch" …

struct UploadPassResult {
  UploadOutcome outcome = UploadOutcome::AllAcknowledged;
  std::string reason;  // why not everything was acknowledged; empty when it was
  std::size_t batches_sent = 0;
  std::size_t stored = 0;                             // acknowledged as new
  std::size_t duplicates = 0;                         // acknowledged as already there (a retry after a lost reply)
  std::vector<std::string> rejected_ids;              // kept in the outbox, skipped this pass
  std::int64_t waiting_after = 0;                     // unacknowledged responses left in the outbox
  std::optional<std::int64_t> clock_skew_seconds;     // server_time − kiosk time, on ClockSkew
  std::optional<TransportErrorKind> transport_error;  // on Failed / PinMismatch from the network
  bool heartbeat_sent = false;
  bool surveys_fetched = false;                  // the server's list of surveys came and was looked at
  std::size_t surveys_installed = 0;             // new (id, version)s installed in this pass
  std::size_t surveys_refused = 0;               // offered but failing a check (logged; not installed)
  std::optional<std::int64_t> roster_installed;  // the version of a newer school roster kept in this pass

  std::size_t acknowledged() const { return stored + duplicates; }
  bool all_acknowledged() const { return outcome == UploadOutcome::AllAcknowledged; }
};

// How the uploader reaches the server: one request, one reply, or TransportError. The default
// is HttpsClient (pinned, verified); tests may pass a fake.
using Transport = std::function<HttpReply(const HttpRequest&)>;

class Uploader {
 public:
  // `device_key` is the Ed25519 seed from DATA_DIR/device.key (enrolled_server.h loads it).
  Uploader(kiosk::KioskStore& store, EnrolledServer server, crypto::SecretBytes device_key, UploadOptions options = {});
  Uploader(kiosk::KioskStore& store, EnrolledServer server, crypto::SecretBytes device_key, UploadOptions options,
           Transport transport);
  ~Uploader();
  Uploader(const Uploader&) = delete;
  Uploader& operator=(const Uploader&) = delete;

  // One pass: everything waiting, in batches, then the survey updates and a heartbeat (each
  // when enabled and the server was reachable). Throws only for store failures (StoreError); the network's failures are
  // in the result.
  UploadPassResult run_pass();

  // The endpoint actually used (the override's URL with the enrolled pin and certificate).
  const ServerEndpoint& endpoint() const { return endpoint_; }

 private:
  struct BatchOutcome;
  BatchOutcome send_batch(const std::vector<kiosk::SealedResponse>& batch);
  HttpReply send_signed(const std::string& method, const std::string& target, const std::string& body);
  void send_heartbeat(UploadPassResult& result);
  void fetch_survey_updates(UploadPassResult& result);
  void fetch_roster_update(UploadPassResult& result);
  void log(const std::string& line) const;
  // A 403 device-revoked to any request: the pass's outcome becomes Revoked (true).
  bool note_revocation(const ServerReplyVerdict& verdict, UploadPassResult& result) const;

  kiosk::KioskStore& store_;
  EnrolledServer server_;
  crypto::SecretBytes device_key_;
  UploadOptions options_;
  ServerEndpoint endpoint_;
  std::unique_ptr<HttpsClient> client_;  // when no transport was given
  Transport transport_;
};

// Convenience for the CLI and the fault tests: reads the enrolled server and device key from
// the store and DATA_DIR (throws tt::Error "the kiosk is not enrolled …" when they are missing)
// and runs one pass.
UploadPassResult upload_once(kiosk::KioskStore& store, UploadOptions options = {});

}  // namespace tt::sync
