#pragma once
// Kiosks with waiting responses, made quickly, for the fault tests and the drain benchmark:
// a kiosk store set up with the central team's public keys and enrolled with the real server
// (the uploader's own enrol_kiosk), and an outbox filled through the store's API — each response
// a draft made and finished, as the pupil app leaves it, its plaintext a Year 7 baseline response
// as docs/sealed-response.md shows one, HPKE-sealed to the analysis key (about 1 KB sealed).
// That is two durable commits per response; several kiosks are filled at once, one thread each.
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "kiosk/session/kiosk_identity.h"
#include "kiosk/session/pupil_session.h"
#include "kiosk/store/kiosk_store.h"
#include "shared/crypto/key_files.h"
#include "shared/crypto/random.h"
#include "shared/protocol/admin.h"
#include "shared/protocol/digest.h"
#include "shared/survey/response.h"
#include "sync/client/https_client.h"
#include "sync/uploader/enrolment.h"

namespace tt::sync::testing {

// The real server as the central team reaches it (admin token) and a kiosk first contacts it.
struct CentralAccess {
  std::string url;  // https://127.0.0.1:PORT
  std::string pin;
  std::string certificate_pem;
  std::string admin_token;
  std::string analysis_public_key_pem;
  std::string signing_public_key_pem;
};

inline std::string make_enrol_token(const CentralAccess& central) {
  HttpsClient client(ServerEndpoint{central.url, central.pin, central.certificate_pem, false});
  HttpReply reply = client.send({"POST",
                                 protocol::kAdminEnrolTokensPath,
                                 {{"Authorization", "Bearer " + central.admin_token}},
                                 protocol::to_json(protocol::EnrolTokenRequest{"Hillside Academy", 1})});
  if (reply.status != 201) throw Error("make an enrolment token: " + std::to_string(reply.status) + " " + reply.body);
  return protocol::parse_enrol_token_reply(reply.body).token;
}

// `tutortime-kiosk setup` and `enrol` as the store API does them.
inline std::unique_ptr<kiosk::KioskStore> make_enrolled_kiosk(const std::filesystem::path& data_dir,
                                                              const CentralAccess& central) {
  auto store = kiosk::KioskStore::create(data_dir);
  kiosk::save_identity(*store, kiosk::KioskIdentity{crypto::random_id128(), central.analysis_public_key_pem,
                                                    central.signing_public_key_pem});
  EnrolOptions options;
  options.server_url = central.url;
  options.token = make_enrol_token(central);
  options.expected_pin = central.pin;
  options.app_version = "0.1.0";
  enrol_kiosk(*store, options);
  return store;
}

// A finished Year 7 baseline response's plaintext (varied a little by `n`).
inline nlohmann::json baseline_response(const std::string& response_id, const std::string& device_id, int n) {
  return {{"format", survey::kResponseFormat},
          {"response_id", response_id},
          {"survey", {{"id", "y7-baseline"}, {"version", 1}}},
          {"device_id", device_id},
          {"app_version", "0.1.0"},
          {"language", "en"},
          {"started_at", "2026-12-04T14:07Z"},
          {"finished_at", "2026-12-04T14:19Z"},
          {"identity", {{"mode", "pupil_code"}, {"pupil_code", "7K2M4Q"}}},
          {"answers",
           {{"who5_1", 1 + n % 5},
            {"who5_2", 1 + (n / 5) % 5},
            {"who5_3", 3},
            {"who5_4", 2},
            {"who5_5", 4},
            {"school_feeling", 2},
            {"school_hard", {"tired", "lessons"}},
            {"sleep_hours", {{"declined", true}}},
            {"friends", 3},
            {"bullied", false},
            {"safe_travel", true},
            {"clubs", {"sport", "art"}},
            {"job_idea", "not_yet"},
            {"talked_jobs", n % 2 == 0},
            {"skills_team", 4},
            {"skills_speak", 3},
            {"skills_organise", 2},
            {"pshe_trusted_adult", true},
            {"pshe_online", 3},
            {"anything_else", "I like art club on Tuesdays and football after school"}}},
          {"scores", {{"who5", {{"answered", 5}, {"raw", 13.0}, {"value", 52.0}, {"flags", nlohmann::json::array()}}}}},
          {"flags", {"wants_to_talk"}},
          {"talk_to_someone", false}};
}

// Adds `count` sealed responses to the outbox; returns response id → SHA-256 (hex) of its
// sealed bytes, what the server's export must show.
inline std::map<std::string, std::string> fill_outbox(kiosk::KioskStore& store, std::size_t count) {
  Bytes analysis_key = crypto::public_key_from_pem(store.setting(kiosk::kSettingAnalysisPublicKey).value(),
                                                   crypto::KeyAlgorithm::X25519);
  std::string device_id = store.setting(kiosk::kSettingDeviceId).value_or("");
  std::map<std::string, std::string> sealed_digests;
  for (std::size_t i = 0; i < count; ++i) {
    std::string id = crypto::random_id128();
    kiosk::DraftId draft = store.create_draft(id, "y7-baseline", 1, as_bytes("{}"));
    kiosk::SealedResponse response;
    response.response_id = id;
    response.survey_id = "y7-baseline";
    response.survey_version = 1;
    response.sealed = survey::seal_response(baseline_response(id, device_id, static_cast<int>(i)), analysis_key);
    store.finish_draft(draft, response);
    sealed_digests[id] = protocol::sha256_hex(response.sealed);
  }
  return sealed_digests;
}

}  // namespace tt::sync::testing
