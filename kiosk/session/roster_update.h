#pragma once
// The school's roster on a kiosk (shared/protocol/roster.h): the tutor groups a teacher picks
// from when opening a class session. Distributed like surveys (GET /v1/rosters) and signed by the
// central team; a kiosk keeps only a roster that verifies with its survey-signing key, and only
// a newer version than the one it has. It is kept verbatim with its signature in one of the
// store's settings and verified again whenever it is read, so a roster altered on the disk is ignored
// rather than shown. A roster holds no personal data (the reader refuses anything but school,
// version and tutor-group codes).
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/store/kiosk_store.h"
#include "shared/common/bytes.h"
#include "shared/protocol/roster.h"

namespace tt::kiosk {

// The setting holding {"roster": "<the signed text>", "signature": "<base64>"}.
inline constexpr const char* kSettingRoster = "roster";

enum class RosterUpdateOutcome { None, Installed, AlreadyCurrent, Refused };
const char* roster_update_outcome_name(RosterUpdateOutcome outcome);  // "none", "installed", …

struct RosterUpdateResult {
  RosterUpdateOutcome outcome = RosterUpdateOutcome::None;  // None: the reply offered no roster
  std::string school;
  std::int64_t version = 0;
  std::string reason;  // for Refused
};

// Checks the newest roster of a GET /v1/rosters reply body and keeps it when it verifies and is
// newer than the kept one. Throws protocol::ProtocolError for a body that is not such a reply,
// and StoreError(NotSetUp) when the kiosk has no survey-signing key.
RosterUpdateResult install_roster_update(KioskStore& store, std::string_view rosters_reply_body);

// The kept roster, verified again; nullopt when there is none or it no longer verifies.
std::optional<protocol::Roster> installed_roster(const KioskStore& store);

}  // namespace tt::kiosk
