#include "sync/uploader/enrolment.h"

#include <chrono>

#include "kiosk/session/kiosk_identity.h"
#include "kiosk/session/pupil_session.h"
#include "shared/common/command_line.h"
#include "shared/common/files.h"
#include "shared/crypto/ed25519.h"
#include "shared/crypto/key_files.h"
#include "shared/protocol/enrolment.h"
#include "shared/protocol/heartbeat.h"
#include "shared/protocol/problem.h"
#include "sync/uploader/certificate_probe.h"
#include "sync/uploader/server_reply.h"

namespace tt::sync {

namespace {

constexpr const char* kPendingKeySuffix = ".pending";

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool same_key(const std::string& pem_a, const std::string& pem_b, crypto::KeyAlgorithm algorithm) {
  try {
    return crypto::public_key_from_pem(pem_a, algorithm) == crypto::public_key_from_pem(pem_b, algorithm);
  } catch (const Error&) {
    return false;
  }
}

EnrolError transport_failure(const TransportError& e, bool pinned) {
  switch (e.kind()) {
    case TransportErrorKind::PinMismatch:
      return EnrolError(EnrolErrorKind::PinMismatch,
                        std::string(e.what()) + ": the server's key is not the one given with --pin; nothing was sent");
    case TransportErrorKind::Certificate:
      return EnrolError(EnrolErrorKind::PinMismatch,
                        std::string(e.what()) +
                            (pinned ? std::string(": the certificate does not fit the server's name")
                                    : std::string(": for a server with a self-signed certificate, give --pin with the "
                                                  "pin tutortime-central printed (tutortime-central pin)")));
    default: return EnrolError(EnrolErrorKind::Unreachable, std::string("the server is unreachable: ") + e.what());
  }
}

// The endpoint for the enrolment request itself (see enrolment.h: trust on first use).
ServerEndpoint first_contact_endpoint(const EnrolOptions& options) {
  ServerEndpoint endpoint;
  endpoint.base_url = options.server_url;
  endpoint.allow_plain_http = options.allow_plain_http;
  if (!options.expected_pin || starts_with(options.server_url, "http://")) return endpoint;
  ProbedCertificate probed;
  try {
    probed = probe_server_certificate(options.server_url, options.timeouts.connect_ms);
  } catch (const TransportError& e) {
    throw transport_failure(e, true);
  }
  if (probed.pin != *options.expected_pin)
    throw EnrolError(EnrolErrorKind::PinMismatch,
                     "the server at " + options.server_url + " presents the key " + probed.pin +
                         ", not the one given with --pin: nothing was sent. Check the URL, and the pin "
                         "`tutortime-central pin` prints on the server");
  endpoint.pinned_public_key = probed.pin;
  endpoint.ca_certificate_pem = probed.certificate_pem;
  return endpoint;
}

protocol::EnrolmentReply send_enrolment(HttpsClient& client, const EnrolOptions& options, ByteView public_key,
                                        bool pinned) {
  HttpRequest request;
  request.method = "POST";
  request.target = protocol::kEnrolPath;
  request.body = protocol::to_json(
      protocol::EnrolmentRequest{options.token, Bytes(public_key.begin(), public_key.end()), options.app_version});
  HttpReply reply;
  try {
    reply = client.send(request);
  } catch (const TransportError& e) {
    throw transport_failure(e, pinned);
  }
  if (reply.status == 201 && is_json_content_type(reply.content_type)) {
    try {
      return protocol::parse_enrolment_reply(reply.body);
    } catch (const Error& e) {
      throw EnrolError(EnrolErrorKind::ServerRefused,
                       std::string("the server's reply is not an enrolment reply: ") + e.what());
    }
  }
  ServerReplyVerdict verdict = judge_reply(reply, 0);
  protocol::Problem problem;
  bool is_problem = false;
  try {
    problem = protocol::parse_problem(reply.body);
    is_problem = true;
  } catch (const Error&) {
  }
  if (reply.status == 403 && is_problem &&
      problem.type == protocol::problem_type(protocol::ProblemKind::EnrolTokenRefused))
    throw EnrolError(EnrolErrorKind::TokenRefused,
                     "the enrolment token was refused: " + problem.detail + ". Ask the central team for a new token");
  throw EnrolError(
      EnrolErrorKind::ServerRefused,
      "enrolment at " + options.server_url + " failed: " +
          (verdict.reason.empty() ? "the server answered " + std::to_string(reply.status) : verdict.reason));
}

// The pin the server reports must be the key the kiosk will talk to: a GET /v1/health with it
// pinned and its certificate as the anchor proves both.
void confirm_pin(const protocol::EnrolmentReply& reply, const EnrolOptions& options) {
  if (!reply.server_pin || !reply.server_certificate_pem) {
    if (options.allow_plain_http && starts_with(options.server_url, "http://")) return;
    throw EnrolError(EnrolErrorKind::ServerRefused, "the server's enrolment reply has no pin or certificate");
  }
  if (certificate_pin(*reply.server_certificate_pem) != *reply.server_pin)
    throw EnrolError(EnrolErrorKind::ServerRefused,
                     "the server's enrolment reply has a pin that is not its certificate's");
  if (options.expected_pin && *reply.server_pin != *options.expected_pin)
    throw EnrolError(EnrolErrorKind::PinMismatch,
                     "the server reports the pin " + *reply.server_pin + ", not the one given with --pin");
  HttpsClient check(
      ServerEndpoint{options.server_url, reply.server_pin, reply.server_certificate_pem, options.allow_plain_http},
      options.timeouts);
  try {
    HttpReply health = check.send({"GET", protocol::kHealthPath, {}, ""});
    if (health.status != 200)
      throw EnrolError(EnrolErrorKind::ServerRefused,
                       "the server's health check answered " + std::to_string(health.status) + " after enrolment");
  } catch (const TransportError& e) {
    throw transport_failure(e, true);
  }
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

EnrolResult enrol_kiosk(kiosk::KioskStore& store, const EnrolOptions& options) {
  kiosk::restore_identity_if_missing(store);
  restore_enrolment_if_missing(store);
  auto set_up_analysis = store.setting(kiosk::kSettingAnalysisPublicKey);
  auto set_up_signing = store.setting(kiosk::kSettingSigningPublicKey);
  if (!set_up_analysis || !set_up_signing)
    throw kiosk::StoreError(kiosk::StoreErrorKind::NotSetUp, "the kiosk in " + store.data_dir().string() +
                                                                 " is not set up: run tutortime-kiosk setup first");
  if (auto existing = load_enrolment(store); existing && !options.force)
    throw EnrolError(EnrolErrorKind::AlreadyEnrolled,
                     "the kiosk is enrolled already (device " + existing->server.device_id + " at " +
                         existing->server.server_url + "); to enrol it again with a new key, add --force");
  if (options.expected_pin && !starts_with(*options.expected_pin, "sha256//"))
    throw InvalidInputError("--pin must be sha256// followed by base64, as tutortime-central pin prints it");

  ServerEndpoint endpoint = first_contact_endpoint(options);
  bool pinned = endpoint.pinned_public_key.has_value();
  HttpsClient client(endpoint, options.timeouts);

  // The key is written beside the real one first: the token is spent by the request, so a
  // crash after it must leave the key the server now knows; a failure removes it.
  crypto::Ed25519KeyPair key = crypto::ed25519_generate();
  std::filesystem::path key_file = device_key_file(store.data_dir());
  std::filesystem::path pending = key_file;
  pending += kPendingKeySuffix;
  crypto::write_private_key(pending, crypto::KeyAlgorithm::Ed25519, key.private_key.view(), true);
  auto discard_pending = [&] {
    std::error_code ec;
    std::filesystem::remove(pending, ec);
  };
  try {
    protocol::EnrolmentReply reply = send_enrolment(client, options, key.public_key, pinned);
    confirm_pin(reply, options);

    bool analysis_changed = !same_key(reply.analysis_public_key_pem, *set_up_analysis, crypto::KeyAlgorithm::X25519);
    bool signing_changed = !same_key(reply.signing_public_key_pem, *set_up_signing, crypto::KeyAlgorithm::Ed25519);
    if (analysis_changed || signing_changed) {
      auto waiting = store.outbox_summary().waiting;
      auto drafts = store.drafts().size();
      if (waiting > 0 || drafts > 0)
        throw EnrolError(EnrolErrorKind::KeysDiffer,
                         std::string("the server's ") + (analysis_changed ? "analysis" : "survey-signing") +
                             " key is not the one this kiosk was set up with, and " + std::to_string(waiting) +
                             " response(s) and " + std::to_string(drafts) +
                             " draft(s) are kept for the old one (the new central team could not read them). "
                             "Upload or export them first (outbox export), then enrol with a new token "
                             "(this one is used)");
    }

    EnrolResult result;
    result.previous_device_id = store.setting(kiosk::kSettingDeviceId).value_or("");
    result.trust_keys_replaced = analysis_changed || signing_changed;
    result.record.server =
        EnrolledServer{reply.device_id, options.server_url, reply.server_pin, reply.server_certificate_pem};
    result.record.school = reply.school;
    result.record.enrolled_at = now_seconds();

    std::filesystem::rename(pending, key_file);
    fsync_directory(store.data_dir());
    kiosk::save_identity(
        store,
        kiosk::KioskIdentity{reply.device_id, analysis_changed ? reply.analysis_public_key_pem : *set_up_analysis,
                             signing_changed ? reply.signing_public_key_pem : *set_up_signing});
    save_enrolment(store, result.record);
    return result;
  } catch (...) {
    discard_pending();
    throw;
  }
}

}  // namespace tt::sync
