// Signed requests (shared/protocol/request_signature.h): which device, whether it is allowed,
// and whether this exact request was sent by it, once, just now.
#include <cstdlib>

#include "shared/protocol/json_body.h"
#include "shared/protocol/request_signature.h"
#include "sync/central/central_service.h"

namespace tt::central {

using protocol::ProblemKind;

DeviceRecord CentralService::authenticate_device(const ServiceRequest& request, RequestNonce* nonce_to_accept) {
  protocol::RequestCredentials credentials;
  try {
    credentials = protocol::read_credentials([&](const char* name) { return request.header(name); });
  } catch (const protocol::ProtocolError& e) {
    throw ProblemError(ProblemKind::Unauthenticated, e.what());
  }
  UnixSeconds now = clock_();
  // The time first: a stale request is refused before any work, and the reply carries the
  // server's time so a kiosk with a wrong clock can see it.
  std::int64_t skew = credentials.timestamp - now;
  if (std::llabs(skew) > settings_.clock_skew_seconds) {
    ProblemError error(ProblemKind::Unauthenticated,
                       "the request's timestamp is " + std::to_string(std::llabs(skew)) + " seconds " +
                           (skew < 0 ? "behind" : "ahead of") + " the server's clock; at most " +
                           std::to_string(settings_.clock_skew_seconds) + " are allowed (check the kiosk's clock)");
    error.problem().extensions["server_time"] = now;
    throw error;
  }
  std::optional<DeviceRecord> device = storage_.find_device(credentials.device_id);
  if (!device) throw ProblemError(ProblemKind::Unauthenticated, "device " + credentials.device_id + " is not enrolled");
  if (!protocol::verify_request_signature(credentials, request.method, request.target, as_bytes(request.body),
                                          device->public_key)) {
    throw ProblemError(ProblemKind::Unauthenticated, "the signature does not verify for device " +
                                                         credentials.device_id +
                                                         " (another key, or the request was altered on the way)");
  }
  // Only the device itself learns that it is revoked: this comes after the signature.
  if (device->revoked_at) {
    throw ProblemError(ProblemKind::DeviceRevoked, "device " + credentials.device_id + " has been revoked");
  }
  // Before the nonce is remembered, so a refused request writes nothing. (Its nonce stays
  // unused: a copy replayed later is the device's own request, and every endpoint is safe to
  // repeat: batches are exactly once, the rest read or overwrite.)
  if (std::optional<std::int64_t> retry_after = rate_limiter_.take(credentials.device_id, now)) {
    ProblemError error(ProblemKind::RateLimited,
                       "device " + credentials.device_id + " sent more requests than this server allows (" +
                           std::to_string(settings_.device_rate_limit.requests_per_minute) + " a minute, bursts of " +
                           std::to_string(settings_.device_rate_limit.burst) + "); try again in " +
                           std::to_string(*retry_after) + " s");
    error.problem().extensions["retry_after_seconds"] = *retry_after;
    throw error;
  }
  // A nonce need be remembered only while its timestamp is inside the window.
  RequestNonce nonce{credentials.nonce, credentials.timestamp + settings_.clock_skew_seconds, now};
  if (nonce_to_accept) {
    *nonce_to_accept = std::move(nonce);
  } else if (!storage_.accept_request_nonce(credentials.device_id, nonce.nonce, nonce.expires_at, nonce.now)) {
    throw replayed_request();
  }
  return *device;
}

ProblemError replayed_request() {
  return ProblemError(ProblemKind::Unauthenticated,
                      "the request's nonce has been used before: a replayed request is refused");
}

}  // namespace tt::central
