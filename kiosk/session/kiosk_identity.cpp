#include "kiosk/session/kiosk_identity.h"

#include <nlohmann/json.hpp>

#include "kiosk/session/pupil_session.h"
#include "shared/common/files.h"

namespace tt::kiosk {

void save_identity(KioskStore& store, const KioskIdentity& identity) {
  store.set_setting(kSettingDeviceId, identity.device_id);
  store.set_setting(kSettingAnalysisPublicKey, identity.analysis_public_key_pem);
  store.set_setting(kSettingSigningPublicKey, identity.signing_public_key_pem);
  nlohmann::json j = {{kSettingDeviceId, identity.device_id},
                      {kSettingAnalysisPublicKey, identity.analysis_public_key_pem},
                      {kSettingSigningPublicKey, identity.signing_public_key_pem}};
  std::string text = j.dump(2) + "\n";
  write_file_atomically(store.data_dir() / kIdentityFileName, as_bytes(text), 0644, true);
}

bool restore_identity_if_missing(KioskStore& store) {
  std::filesystem::path file = store.data_dir() / kIdentityFileName;
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return false;
  nlohmann::json j = nlohmann::json::parse(read_text_file(file), nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw Error(file.string() + " is not valid JSON; set the kiosk up again");
  bool restored = false;
  for (const char* key : {kSettingDeviceId, kSettingAnalysisPublicKey, kSettingSigningPublicKey}) {
    if (store.setting(key) || !j.contains(key) || !j[key].is_string()) continue;
    store.set_setting(key, j[key].get<std::string>());
    restored = true;
  }
  return restored;
}

}  // namespace tt::kiosk
