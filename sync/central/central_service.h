#pragma once
// The central server's endpoints as plain functions over ServiceRequest → ServiceReply: validate
// → authenticate → deduplicate → persist. The HTTP layer (http_server.h) only translates.
//
//   GET  /v1/health                        health()
//   POST /v1/enrol                         enrol()            one-time token
//   POST /v1/batches                       upload_batch()     device-signed
//   POST /v1/heartbeat                     heartbeat()        device-signed
//   POST /v1/admin/enrol-tokens            create_enrol_token()   admin bearer token
//   POST /v1/admin/devices/{id}/revoke     revoke_device()        admin bearer token
//   GET  /v1/admin/fleet                   fleet()                admin bearer token
//   GET  /v1/admin/responses               export_responses()     admin bearer token
//   POST /v1/admin/surveys                 publish_survey()       admin bearer token
//   GET  /v1/admin/surveys                 admin_surveys()        admin bearer token
//   GET  /v1/surveys                       surveys()          device-signed
//   POST /v1/admin/import                  import_responses()     admin bearer token
//   POST /v1/admin/rosters                 publish_roster()       admin bearer token
//   GET  /v1/rosters                       rosters()          device-signed (its own school's)
//
// Device-signed requests beyond the device's rate (device_rate_limit.h) are 429, nothing stored.
//
// Every function returns a reply and never throws: a refusal is a problem reply (RFC 9457)
// with nothing stored, and an unexpected failure a 500 whose detail says only "the server
// failed" (the cause goes to the log, see ServiceReply::log_note).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "sync/central/device_rate_limit.h"
#include "sync/central/service_types.h"
#include "sync/central/storage.h"

namespace tt::central {

using Clock = std::function<UnixSeconds()>;
UnixSeconds system_clock_seconds();

struct ServiceSettings {
  std::size_t max_batch_responses = 500;
  std::size_t max_sealed_bytes = 256 * 1024;
  std::int64_t clock_skew_seconds = 300;  // a signed request's timestamp may be this far off
  std::string admin_token;                // compared in constant time
  // Handed to each kiosk at enrolment.
  std::optional<std::string> server_pin;
  std::optional<std::string> server_certificate_pem;
  std::string analysis_public_key_pem;
  std::string signing_public_key_pem;  // also what published surveys must verify against
  std::string version;                 // the server's version, for health
  RateLimitSettings device_rate_limit;
};

class CentralService {
 public:
  CentralService(Storage& storage, ServiceSettings settings, Clock clock = system_clock_seconds);

  ServiceReply health(const ServiceRequest& request);
  ServiceReply enrol(const ServiceRequest& request);
  ServiceReply upload_batch(const ServiceRequest& request);
  ServiceReply heartbeat(const ServiceRequest& request);
  ServiceReply create_enrol_token(const ServiceRequest& request);
  ServiceReply revoke_device(const ServiceRequest& request, const std::string& device_id);
  ServiceReply fleet(const ServiceRequest& request);
  ServiceReply export_responses(const ServiceRequest& request);
  ServiceReply publish_survey(const ServiceRequest& request);
  ServiceReply admin_surveys(const ServiceRequest& request);
  ServiceReply surveys(const ServiceRequest& request);
  ServiceReply import_responses(const ServiceRequest& request);
  ServiceReply publish_roster(const ServiceRequest& request);
  ServiceReply rosters(const ServiceRequest& request);

  const ServiceSettings& settings() const { return settings_; }

 private:
  // Runs an endpoint, turning ProblemError into its reply and anything else into a 500.
  ServiceReply guarded(const char* endpoint, const std::function<ServiceReply()>& body);
  // The device that signed `request`, or throws ProblemError (401/403/429). Remembers its
  // nonce, or, given `nonce_to_accept`, leaves it there for the caller to accept in its own
  // transaction (a batch: one durable commit per upload).
  DeviceRecord authenticate_device(const ServiceRequest& request, RequestNonce* nonce_to_accept = nullptr);
  void require_admin(const ServiceRequest& request);
  void require_json_body(const ServiceRequest& request);
  // Reads a batch body and stores its entries exactly once (storage.h, invariant 1), as
  // uploaded by `device_id` (empty for an import) with the request's `nonce` (none for an
  // import); `who` begins the log note.
  ServiceReply store_batch_body(const ServiceRequest& request, const std::string& device_id, const RequestNonce* nonce,
                                const std::string& who);

  Storage& storage_;
  ServiceSettings settings_;
  Clock clock_;
  DeviceRateLimiter rate_limiter_;
};

// The media type of a Content-Type value is application/json (with an optional charset=utf-8).
bool is_json_content_type(std::string_view content_type);

}  // namespace tt::central
