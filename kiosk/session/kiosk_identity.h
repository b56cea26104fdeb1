#pragma once
// The kiosk's identity and trust anchors — device id, the analysis public key responses are
// sealed to, the survey-signing public key — kept in the store's settings AND mirrored in
// DATA_DIR/kiosk-identity.json (public values only, written atomically at setup). The mirror is
// what lets a kiosk whose database was corrupt, and so moved aside, carry on with a new database
// without being set up again: nothing secret is in it, and the storage key stays in its own file.
#include <filesystem>
#include <string>

#include "kiosk/store/kiosk_store.h"

namespace tt::kiosk {

struct KioskIdentity {
  std::string device_id;
  std::string analysis_public_key_pem;
  std::string signing_public_key_pem;
};

inline constexpr const char* kIdentityFileName = "kiosk-identity.json";

// Writes the settings and the mirror file.
void save_identity(KioskStore& store, const KioskIdentity& identity);
// Copies the mirror into the store's settings where they are missing (a new database); returns
// true if it restored anything. A missing mirror file restores nothing.
bool restore_identity_if_missing(KioskStore& store);

}  // namespace tt::kiosk
