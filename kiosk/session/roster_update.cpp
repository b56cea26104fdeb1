#include "kiosk/session/roster_update.h"

#include <nlohmann/json.hpp>

#include "kiosk/session/pupil_session.h"
#include "shared/common/error.h"
#include "shared/crypto/key_files.h"

namespace tt::kiosk {

namespace {

Bytes signing_key_of(const KioskStore& store) {
  std::optional<std::string> pem = store.setting(kSettingSigningPublicKey);
  if (!pem)
    throw StoreError(StoreErrorKind::NotSetUp, "this kiosk has no survey-signing key; run setup or enrol first");
  return crypto::public_key_from_pem(*pem, crypto::KeyAlgorithm::Ed25519);
}

}  // namespace

const char* roster_update_outcome_name(RosterUpdateOutcome outcome) {
  switch (outcome) {
    case RosterUpdateOutcome::None: return "none";
    case RosterUpdateOutcome::Installed: return "installed";
    case RosterUpdateOutcome::AlreadyCurrent: return "already-current";
    case RosterUpdateOutcome::Refused: return "refused";
  }
  return "none";
}

RosterUpdateResult install_roster_update(KioskStore& store, std::string_view rosters_reply_body) {
  protocol::RostersReply reply = protocol::parse_rosters_reply(rosters_reply_body);
  Bytes signing_key = signing_key_of(store);
  RosterUpdateResult result;
  const protocol::SignedRoster* newest = nullptr;
  for (const protocol::SignedRoster& offered : reply.rosters) {
    if (newest == nullptr || offered.version > newest->version) newest = &offered;
  }
  if (newest == nullptr) return result;
  result.school = newest->school;
  result.version = newest->version;
  protocol::Roster roster;
  try {
    roster = protocol::verify_signed_roster(newest->roster, newest->signature, signing_key);
  } catch (const Error& e) {
    result.outcome = RosterUpdateOutcome::Refused;
    result.reason = e.what();
    return result;
  }
  if (roster.school != newest->school || roster.version != newest->version) {
    result.outcome = RosterUpdateOutcome::Refused;
    result.reason = "the roster is not the school and version the server said it was";
    return result;
  }
  std::optional<protocol::Roster> kept = installed_roster(store);
  if (kept && kept->version >= roster.version) {
    result.outcome = RosterUpdateOutcome::AlreadyCurrent;
    return result;
  }
  // The text and its signature in one setting: one write, so they change together.
  nlohmann::json kept_roster = {{"roster", newest->roster}, {"signature", to_base64(newest->signature)}};
  store.set_setting(kSettingRoster, kept_roster.dump());
  result.outcome = RosterUpdateOutcome::Installed;
  return result;
}

std::optional<protocol::Roster> installed_roster(const KioskStore& store) {
  std::optional<std::string> kept = store.setting(kSettingRoster);
  if (!kept) return std::nullopt;
  try {
    nlohmann::json parsed = nlohmann::json::parse(*kept);
    return protocol::verify_signed_roster(parsed.at("roster").get<std::string>(),
                                          from_base64(parsed.at("signature").get<std::string>()),
                                          signing_key_of(store));
  } catch (const std::exception&) {
    return std::nullopt;  // not ours, or altered: ignored, and the next sync replaces it
  }
}

}  // namespace tt::kiosk
