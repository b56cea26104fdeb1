#pragma once
// A finished response as the central team reads it: the plaintext JSON that is sealed
// (docs/sealed-response.md documents every field), and the HPKE seal and open of it.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "shared/common/bytes.h"
#include "shared/survey/flow.h"

namespace tt::survey {

inline constexpr const char* kResponseFormat = "tutortime-response/1";
inline constexpr const char* kResponseHpkeInfo = "tutortime response v1";

struct ResponseMetadata {
  std::string response_id;  // 32 lower-case hex digits, random, chosen on the kiosk
  std::string device_id;    // empty until the kiosk is enrolled
  std::string language = "en";
  std::string started_at;  // UTC, ISO 8601 to the minute: "2026-12-04T09:05Z"
  std::string finished_at;
  std::optional<std::string> pupil_code;   // only in pupil_code surveys
  bool talk_to_someone = false;            // the pupil asked to talk to an adult
  std::optional<std::string> tutor_group;  // the class session's tutor group, when a teacher opened one
  std::string app_version;
};

// The plaintext of a finished flow. Throws tt::Error if the flow is not Finished.
nlohmann::json build_response(const Flow& flow, const ResponseMetadata& metadata);

// HPKE base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305; info
// "tutortime response v1"; associated data the response id; returns enc || ciphertext.
Bytes seal_response(const nlohmann::json& plaintext, ByteView analysis_public_key);
// Opens and checks the plaintext names the same response id. Throws tt::Error naming the id.
nlohmann::json open_response(ByteView sealed, const std::string& response_id, ByteView analysis_private_key);

bool is_response_id(std::string_view text);  // 32 lower-case hex digits

// "2026-12-04T09:05Z" for a Unix time (UTC, minute precision: finer times add nothing for the
// analysis and make a pupil easier to pick out).
std::string utc_minute(std::int64_t unix_seconds);

}  // namespace tt::survey
