#pragma once
// The load generator: N simulated kiosks, each an enrolled device with its own Ed25519 key and
// its own pinned HttpsClient (the kiosk's real client), each on its own thread sending signed
// batches of sealed-sized responses to a real tutortime-central. What is timed is only the
// sending: enrolment and the batches' bodies are made before the start line.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "shared/crypto/ed25519.h"
#include "shared/crypto/random.h"
#include "shared/protocol/admin.h"
#include "shared/protocol/batch.h"
#include "shared/protocol/enrolment.h"
#include "shared/protocol/request_signature.h"
#include "sync/client/https_client.h"

namespace tt::bench {

struct SimulatedKiosk {
  std::string device_id;
  crypto::Ed25519KeyPair key;
  std::vector<std::vector<protocol::SealedUpload>> batches;  // what it will send, in order
  std::vector<std::string> bodies;                           // their JSON
};

struct FleetLoad {
  std::size_t kiosks = 200;
  std::size_t batches_per_kiosk = 2;
  std::size_t responses_per_batch = 50;
  std::size_t min_sealed_bytes = 1024;  // a Year 7 baseline response seals to about 1.3 KB
  std::size_t max_sealed_bytes = 2048;
};

struct FleetResult {
  double seconds = 0;
  std::size_t stored = 0;
  std::size_t errors = 0;  // transport errors, non-200 replies, entries not stored
  std::string first_error;
  std::vector<double> batch_ms;  // each batch's round trip, as a kiosk saw it
};

inline std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

inline sync::ServerEndpoint endpoint_of(const std::string& url, const std::string& pin, const std::string& pem) {
  return sync::ServerEndpoint{url, pin, pem, false};
}

// Enrols `load.kiosks` devices (a token each, as a technician would) and makes their batches.
inline std::vector<SimulatedKiosk> enrol_fleet(const sync::ServerEndpoint& server, const std::string& admin_token,
                                               const FleetLoad& load) {
  sync::HttpsClient client(server);
  std::vector<SimulatedKiosk> fleet;
  std::uint64_t sizes = 0x9E3779B97F4A7C15ULL;
  for (std::size_t k = 0; k < load.kiosks; ++k) {
    sync::HttpReply token = client.send({"POST",
                                         protocol::kAdminEnrolTokensPath,
                                         {{"Authorization", "Bearer " + admin_token}},
                                         protocol::to_json(protocol::EnrolTokenRequest{"Hillside Academy", 1})});
    if (token.status != 201) throw Error("bench: an enrolment token was refused: " + token.body);
    SimulatedKiosk kiosk{"", crypto::ed25519_generate(), {}, {}};
    sync::HttpReply enrolled =
        client.send({"POST",
                     protocol::kEnrolPath,
                     {},
                     protocol::to_json(protocol::EnrolmentRequest{protocol::parse_enrol_token_reply(token.body).token,
                                                                  kiosk.key.public_key, "0.1.0"})});
    if (enrolled.status != 201) throw Error("bench: enrolment was refused: " + enrolled.body);
    kiosk.device_id = protocol::parse_enrolment_reply(enrolled.body).device_id;
    for (std::size_t b = 0; b < load.batches_per_kiosk; ++b) {
      std::vector<protocol::SealedUpload> batch;
      for (std::size_t r = 0; r < load.responses_per_batch; ++r) {
        sizes = sizes * 6364136223846793005ULL + 1442695040888963407ULL;
        std::size_t size = load.min_sealed_bytes + (sizes >> 33) % (load.max_sealed_bytes - load.min_sealed_bytes + 1);
        batch.push_back({crypto::random_id128(), "y7-baseline", 1, "2026-12-04T14:07Z", crypto::random_bytes(size)});
      }
      kiosk.bodies.push_back(protocol::batch_upload_to_json(batch));
      kiosk.batches.push_back(std::move(batch));
    }
    fleet.push_back(std::move(kiosk));
  }
  return fleet;
}

// Every kiosk at once, from one start line, each sending its batches one after another.
inline FleetResult run_fleet(const sync::ServerEndpoint& server, const std::vector<SimulatedKiosk>& fleet) {
  FleetResult result;
  std::atomic<std::size_t> stored{0}, errors{0};
  std::mutex mutex;  // guards result.batch_ms and first_error
  std::latch ready(static_cast<std::ptrdiff_t>(fleet.size()) + 1);
  std::latch start(1);
  std::vector<std::thread> threads;
  for (const SimulatedKiosk& kiosk : fleet) {
    threads.emplace_back([&, &kiosk = kiosk] {
      sync::HttpsClient client(server);
      std::vector<double> times;
      ready.count_down();
      start.wait();
      for (const std::string& body : kiosk.bodies) {
        auto c = protocol::sign_request("POST", protocol::kBatchesPath, as_bytes(body), kiosk.device_id,
                                        kiosk.key.private_key.view(), unix_now());
        sync::HttpRequest request{"POST",
                                  protocol::kBatchesPath,
                                  {{protocol::kHeaderDevice, c.device_id},
                                   {protocol::kHeaderTimestamp, protocol::timestamp_header_value(c)},
                                   {protocol::kHeaderNonce, c.nonce},
                                   {protocol::kHeaderSignature, protocol::signature_header_value(c)}},
                                  body};
        auto t0 = std::chrono::steady_clock::now();
        std::string error;
        try {
          sync::HttpReply reply = client.send(request);
          times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
          if (reply.status != 200) {
            error = "HTTP " + std::to_string(reply.status) + ": " + reply.body;
          } else {
            for (const auto& r : protocol::parse_batch_reply(reply.body)) {
              if (r.status == protocol::UploadStatus::Stored) {
                ++stored;
              } else {
                error = std::string("an entry was ") + protocol::upload_status_name(r.status) + ": " + r.reason;
              }
            }
          }
        } catch (const std::exception& e) {
          error = e.what();
        }
        if (!error.empty()) {
          ++errors;
          std::lock_guard lock(mutex);
          if (result.first_error.empty()) result.first_error = error;
        }
      }
      std::lock_guard lock(mutex);
      result.batch_ms.insert(result.batch_ms.end(), times.begin(), times.end());
    });
  }
  ready.arrive_and_wait();  // every client made, none sending yet
  auto t0 = std::chrono::steady_clock::now();
  start.count_down();
  for (std::thread& t : threads) t.join();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  result.stored = stored;
  result.errors = errors;
  return result;
}

}  // namespace tt::bench
