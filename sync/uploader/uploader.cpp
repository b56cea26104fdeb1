#include "sync/uploader/uploader.h"

#include <algorithm>
#include <iostream>
#include <set>

#include "kiosk/session/kiosk_status.h"
#include "kiosk/session/roster_update.h"
#include "shared/protocol/batch.h"
#include "shared/protocol/distribution.h"
#include "shared/protocol/heartbeat.h"
#include "shared/protocol/json_body.h"
#include "shared/protocol/problem.h"
#include "shared/protocol/request_signature.h"
#include "shared/protocol/roster.h"
#include "shared/survey/response.h"
#include "sync/uploader/enrolled_server.h"
#include "sync/uploader/server_reply.h"

namespace tt::sync {

const char* upload_outcome_name(UploadOutcome outcome) {
  switch (outcome) {
    case UploadOutcome::AllAcknowledged: return "all-acknowledged";
    case UploadOutcome::SomeRejected: return "some-rejected";
    case UploadOutcome::Failed: return "failed";
    case UploadOutcome::PinMismatch: return "pin-mismatch";
    case UploadOutcome::Revoked: return "revoked";
    case UploadOutcome::ClockSkew: return "clock-skew";
    case UploadOutcome::Refused: return "refused";
  }
  return "failed";
}

// What one batch's request came to.
struct Uploader::BatchOutcome {
  enum class Kind { Answered, TooLarge, Stop } kind = Kind::Stop;
  std::vector<protocol::UploadResult> results;    // Answered: checked against the batch
  UploadOutcome outcome = UploadOutcome::Failed;  // Stop
  std::string reason;                             // Stop, TooLarge
  std::optional<std::int64_t> clock_skew_seconds;
  std::optional<TransportErrorKind> transport_error;
};

namespace {

std::int64_t system_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

ServerEndpoint endpoint_for(const EnrolledServer& server, const UploadOptions& options) {
  ServerEndpoint endpoint;
  endpoint.base_url = options.server_url_override.value_or(server.server_url);
  endpoint.pinned_public_key = server.server_pin;
  endpoint.ca_certificate_pem = server.server_certificate_pem;
  endpoint.allow_plain_http = options.allow_plain_http;
  return endpoint;
}

protocol::SealedUpload to_upload(const kiosk::SealedResponse& response) {
  return protocol::SealedUpload{response.response_id, response.survey_id, response.survey_version,
                                survey::utc_minute(response.finished_at), response.sealed};
}

// The results of a 200 reply, only if they answer exactly this batch: one per entry, in order,
// and an acknowledgement only ever for the id sent at that index.
std::optional<std::string> mismatch_with_batch(const std::vector<protocol::UploadResult>& results,
                                               const std::vector<kiosk::SealedResponse>& batch) {
  if (results.size() != batch.size())
    return "the reply has " + std::to_string(results.size()) + " results for " + std::to_string(batch.size()) +
           " responses sent";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    if (r.index != i) return "result " + std::to_string(i) + " is for index " + std::to_string(r.index);
    bool acknowledges = r.status != protocol::UploadStatus::Rejected;
    if ((acknowledges || !r.response_id.empty()) && r.response_id != batch[i].response_id)
      return "result " + std::to_string(i) + " names a response that was not sent there";
  }
  return std::nullopt;
}

}  // namespace

Uploader::Uploader(kiosk::KioskStore& store, EnrolledServer server, crypto::SecretBytes device_key,
                   UploadOptions options)
    : Uploader(store, std::move(server), std::move(device_key), std::move(options), Transport{}) {}

Uploader::Uploader(kiosk::KioskStore& store, EnrolledServer server, crypto::SecretBytes device_key,
                   UploadOptions options, Transport transport)
    : store_(store),
      server_(std::move(server)),
      device_key_(std::move(device_key)),
      options_(std::move(options)),
      endpoint_(endpoint_for(server_, options_)),
      transport_(std::move(transport)) {
  if (!options_.clock) options_.clock = system_seconds;
  if (options_.max_batch_responses == 0) options_.max_batch_responses = 1;
  if (!transport_) {
    client_ = std::make_unique<HttpsClient>(endpoint_, options_.timeouts);
    transport_ = [this](const HttpRequest& request) { return client_->send(request); };
  }
}

Uploader::~Uploader() = default;

void Uploader::log(const std::string& line) const {
  if (options_.log) {
    options_.log(line);
  } else {
    std::cerr << line << "\n";
  }
}

HttpReply Uploader::send_signed(const std::string& method, const std::string& target, const std::string& body) {
  auto credentials =
      protocol::sign_request(method, target, as_bytes(body), server_.device_id, device_key_.view(), options_.clock());
  HttpRequest request;
  request.method = method;
  request.target = target;
  request.body = body;
  request.headers = {{protocol::kHeaderDevice, credentials.device_id},
                     {protocol::kHeaderTimestamp, protocol::timestamp_header_value(credentials)},
                     {protocol::kHeaderNonce, credentials.nonce},
                     {protocol::kHeaderSignature, protocol::signature_header_value(credentials)}};
  return transport_(request);
}

Uploader::BatchOutcome Uploader::send_batch(const std::vector<kiosk::SealedResponse>& batch) {
  std::vector<protocol::SealedUpload> uploads;
  uploads.reserve(batch.size());
  for (const auto& response : batch) uploads.push_back(to_upload(response));
  std::string body = protocol::batch_upload_to_json(uploads);

  BatchOutcome outcome;
  // A 401 without server_time (e.g. a nonce the server saw once already, because a proxy
  // delivered the request twice) is worth exactly one fresh signature.
  for (int attempt = 0; attempt < 2; ++attempt) {
    HttpReply reply;
    try {
      reply = send_signed("POST", protocol::kBatchesPath, body);
    } catch (const TransportError& e) {
      bool pin = e.kind() == TransportErrorKind::PinMismatch || e.kind() == TransportErrorKind::Certificate;
      outcome.outcome = pin ? UploadOutcome::PinMismatch : UploadOutcome::Failed;
      outcome.reason = pin ? std::string("the server is not the one this kiosk enrolled with (") + e.what() +
                                 "); nothing was sent. Check the network (a proxy that opens TLS?) or enrol again"
                           : std::string(e.what());
      outcome.transport_error = e.kind();
      return outcome;
    }
    ServerReplyVerdict verdict = judge_reply(reply, options_.clock());
    switch (verdict.kind) {
      case ServerReplyKind::Ok: {
        try {
          outcome.results = protocol::parse_batch_reply(reply.body);
        } catch (const Error& e) {
          outcome.outcome = UploadOutcome::Failed;
          outcome.reason = std::string("the server's 200 reply is not a batch reply (") + e.what() + ")";
          return outcome;
        }
        if (auto mismatch = mismatch_with_batch(outcome.results, batch)) {
          outcome.outcome = UploadOutcome::Failed;
          outcome.reason = "the server's reply does not answer the batch sent: " + *mismatch;
          outcome.results.clear();
          return outcome;
        }
        outcome.kind = BatchOutcome::Kind::Answered;
        return outcome;
      }
      case ServerReplyKind::TooLarge:
        outcome.kind = BatchOutcome::Kind::TooLarge;
        outcome.reason = verdict.reason;
        return outcome;
      case ServerReplyKind::Unauthenticated:
        if (attempt == 0) continue;
        outcome.outcome = UploadOutcome::Refused;
        outcome.reason = verdict.reason;
        return outcome;
      case ServerReplyKind::ClockSkew:
        outcome.outcome = UploadOutcome::ClockSkew;
        outcome.reason = verdict.reason;
        outcome.clock_skew_seconds = verdict.clock_skew_seconds;
        return outcome;
      case ServerReplyKind::Revoked: outcome.outcome = UploadOutcome::Revoked; break;
      case ServerReplyKind::Refused: outcome.outcome = UploadOutcome::Refused; break;
      case ServerReplyKind::Retry: outcome.outcome = UploadOutcome::Failed; break;
    }
    outcome.reason = verdict.reason;
    return outcome;
  }
  return outcome;
}

UploadPassResult Uploader::run_pass() {
  UploadPassResult result;
  std::set<std::string> skipped;  // rejected in this pass: kept, not sent again until the next
  std::size_t max_count = options_.max_batch_responses;
  const std::size_t max_bytes = std::max<std::size_t>(options_.max_batch_bytes, 1);
  bool stopped = false;
  // Every batch acknowledges or skips something, or halves the next; a pass that somehow does
  // not (the outbox not changing under it) must end rather than spin.
  const std::size_t batch_budget = static_cast<std::size_t>(store_.outbox_summary().waiting) * 2 + 64;
  for (;;) {
    if (result.batches_sent >= batch_budget) {
      result.outcome = UploadOutcome::Failed;
      result.reason = "the pass sent " + std::to_string(result.batches_sent) + " batches without emptying the outbox";
      stopped = true;
      break;
    }
    // Skipped rows are still the oldest waiting, so ask for enough to see past them.
    auto candidates = store_.outbox_waiting(max_count + skipped.size(), SIZE_MAX);
    std::vector<kiosk::SealedResponse> batch;
    std::size_t bytes = 0;
    for (auto& response : candidates) {
      if (skipped.count(response.response_id) != 0) continue;
      if (batch.size() >= max_count) break;
      if (!batch.empty() && bytes + response.sealed.size() > max_bytes) break;
      bytes += response.sealed.size();
      batch.push_back(std::move(response));
    }
    if (batch.empty()) break;

    BatchOutcome outcome = send_batch(batch);
    ++result.batches_sent;
    if (outcome.kind == BatchOutcome::Kind::TooLarge) {
      if (batch.size() > 1) {
        max_count = std::max<std::size_t>(1, batch.size() / 2);
        continue;
      }
      log("response " + batch[0].response_id + " is too large for the server (" + outcome.reason +
          "); kept in the outbox");
      skipped.insert(batch[0].response_id);
      result.rejected_ids.push_back(batch[0].response_id);
      continue;
    }
    if (outcome.kind == BatchOutcome::Kind::Stop) {
      result.outcome = outcome.outcome;
      result.reason = outcome.reason;
      result.clock_skew_seconds = outcome.clock_skew_seconds;
      result.transport_error = outcome.transport_error;
      stopped = true;
      break;
    }
    std::vector<std::string> acknowledged;
    for (std::size_t i = 0; i < outcome.results.size(); ++i) {
      const auto& r = outcome.results[i];
      switch (r.status) {
        case protocol::UploadStatus::Stored:
          ++result.stored;
          acknowledged.push_back(r.response_id);
          break;
        case protocol::UploadStatus::Duplicate:
          ++result.duplicates;
          acknowledged.push_back(r.response_id);
          break;
        case protocol::UploadStatus::Rejected:
          log("response " + batch[i].response_id + " rejected by the server: " + r.reason + "; kept in the outbox");
          skipped.insert(batch[i].response_id);
          result.rejected_ids.push_back(batch[i].response_id);
          break;
      }
    }
    // Only what the reply named leaves the outbox (invariant 5 of the store), in one durable
    // commit. (A row another uploader process forgot meanwhile is simply not there.)
    if (!acknowledged.empty()) store_.forget_acknowledged(acknowledged);
  }
  result.waiting_after = store_.outbox_summary().waiting;
  if (!stopped && !result.rejected_ids.empty()) {
    result.outcome = UploadOutcome::SomeRejected;
    result.reason = std::to_string(result.rejected_ids.size()) +
                    " response(s) rejected by the server and kept in the outbox (see the log for why)";
  }
  // A heartbeat only to a server that answered: after a transport failure it would fail too.
  bool server_answered = result.outcome == UploadOutcome::AllAcknowledged ||
                         result.outcome == UploadOutcome::SomeRejected || result.outcome == UploadOutcome::Refused;
  // Each step below may learn that the kiosk was revoked (with nothing to upload, it is the
  // first to ask); then the pass ends Revoked, as a batch refused so would end it.
  auto revoked = [&] { return result.outcome == UploadOutcome::Revoked; };
  if (options_.fetch_survey_updates && options_.find_undrawable_text && server_answered) {
    fetch_survey_updates(result);
    if (!revoked()) fetch_roster_update(result);
  }
  // After the surveys, so the heartbeat reports the versions installed just now.
  if (options_.send_heartbeat && server_answered && !revoked()) send_heartbeat(result);
  return result;
}

bool Uploader::note_revocation(const ServerReplyVerdict& verdict, UploadPassResult& result) const {
  if (verdict.kind != ServerReplyKind::Revoked) return false;
  result.outcome = UploadOutcome::Revoked;
  result.reason = verdict.reason;
  return true;
}

void Uploader::fetch_survey_updates(UploadPassResult& result) {
  std::vector<kiosk::SurveyUpdateResult> updates;
  try {
    HttpReply reply = send_signed("GET", protocol::kSurveysPath, "");
    ServerReplyVerdict verdict = judge_reply(reply, options_.clock());
    if (note_revocation(verdict, result)) return;
    if (verdict.kind != ServerReplyKind::Ok) {
      log("survey updates not fetched: " + verdict.reason);
      return;
    }
    updates = kiosk::install_survey_updates(store_, reply.body, options_.find_undrawable_text);
  } catch (const kiosk::StoreError& e) {
    // No signing key means nothing can be verified: say so, as for any other fetch failure.
    // The store failing to write is the pass's failure like any other store failure.
    if (e.kind() != kiosk::StoreErrorKind::NotSetUp) throw;
    log(std::string("survey updates not installed: ") + e.what());
    return;
  } catch (const Error& e) {
    log(std::string("survey updates not fetched: ") + e.what());
    return;
  }
  result.surveys_fetched = true;
  for (const kiosk::SurveyUpdateResult& update : updates) {
    if (update.outcome == kiosk::SurveyUpdateOutcome::Installed) {
      ++result.surveys_installed;
      log("installed survey " + update.survey_id + " v" + std::to_string(update.version));
    } else if (update.outcome == kiosk::SurveyUpdateOutcome::Refused) {
      ++result.surveys_refused;
      log(update.reason);
    }
  }
}

// The school's roster (tutor groups for class sessions), kept only when it verifies and is newer
// (roster_update.h). Like the surveys, a failure is logged and leaves the upload outcome alone.
void Uploader::fetch_roster_update(UploadPassResult& result) {
  try {
    HttpReply reply = send_signed("GET", protocol::kRostersPath, "");
    ServerReplyVerdict verdict = judge_reply(reply, options_.clock());
    if (note_revocation(verdict, result)) return;
    if (verdict.kind != ServerReplyKind::Ok) {
      log("roster update not fetched: " + verdict.reason);
      return;
    }
    kiosk::RosterUpdateResult update = kiosk::install_roster_update(store_, reply.body);
    if (update.outcome == kiosk::RosterUpdateOutcome::Installed) {
      result.roster_installed = update.version;
      log("installed the roster of " + update.school + " v" + std::to_string(update.version));
    } else if (update.outcome == kiosk::RosterUpdateOutcome::Refused) {
      log("refusing the roster of " + update.school + " v" + std::to_string(update.version) + ": " + update.reason);
    }
  } catch (const kiosk::StoreError& e) {
    if (e.kind() != kiosk::StoreErrorKind::NotSetUp) throw;
    log(std::string("roster update not installed: ") + e.what());
  } catch (const Error& e) {
    log(std::string("roster update not fetched: ") + e.what());
  }
}

void Uploader::send_heartbeat(UploadPassResult& result) {
  kiosk::KioskStatus status = kiosk::gather_kiosk_status(store_);
  protocol::Heartbeat heartbeat;
  heartbeat.app_version = options_.app_version;
  for (const auto& s : status.surveys) heartbeat.surveys.push_back({s.survey_id, s.version});
  heartbeat.responses_waiting = status.outbox.waiting;
  if (status.outbox.oldest_waiting_finished_at)
    heartbeat.oldest_waiting_age_seconds =
        std::max<std::int64_t>(0, options_.clock() - *status.outbox.oldest_waiting_finished_at);
  if (status.free_disk_bytes) heartbeat.free_disk_bytes = static_cast<std::int64_t>(*status.free_disk_bytes);
  try {
    HttpReply reply = send_signed("POST", protocol::kHeartbeatPath, protocol::to_json(heartbeat));
    ServerReplyVerdict verdict = judge_reply(reply, options_.clock());
    if (note_revocation(verdict, result)) return;
    if (verdict.kind == ServerReplyKind::Ok) {
      protocol::parse_heartbeat_reply(reply.body);
      result.heartbeat_sent = true;
    } else {
      log("heartbeat not accepted: " + verdict.reason);
    }
  } catch (const Error& e) {
    log(std::string("heartbeat failed: ") + e.what());
  }
}

UploadPassResult upload_once(kiosk::KioskStore& store, UploadOptions options) {
  restore_enrolment_if_missing(store);
  EnrolledServer server = load_enrolled_server(store);
  Uploader uploader(store, std::move(server), load_device_key(store.data_dir()), std::move(options));
  return uploader.run_pass();
}

}  // namespace tt::sync
