#include "sync/uploader/enrolled_server.h"

#include <nlohmann/json.hpp>

#include "kiosk/session/pupil_session.h"
#include "shared/common/files.h"
#include "shared/crypto/key_files.h"

namespace tt::sync {

namespace {

const char* const kMirroredSettings[] = {kSettingServerUrl, kSettingServerPin, kSettingServerCertificate,
                                         kSettingSchool, kSettingEnrolledAt};

}  // namespace

bool is_enrolled(const kiosk::KioskStore& store) {
  auto url = store.setting(kSettingServerUrl);
  return url && !url->empty();
}

std::optional<EnrolmentRecord> load_enrolment(const kiosk::KioskStore& store) {
  if (!is_enrolled(store)) return std::nullopt;
  EnrolmentRecord record;
  record.server.device_id = store.setting(kiosk::kSettingDeviceId).value_or("");
  record.server.server_url = *store.setting(kSettingServerUrl);
  auto pin = store.setting(kSettingServerPin);
  if (pin && !pin->empty()) record.server.server_pin = *pin;
  auto certificate = store.setting(kSettingServerCertificate);
  if (certificate && !certificate->empty()) record.server.server_certificate_pem = *certificate;
  record.school = store.setting(kSettingSchool).value_or("");
  try {
    record.enrolled_at = std::stoll(store.setting(kSettingEnrolledAt).value_or("0"));
  } catch (const std::exception&) {
    record.enrolled_at = 0;  // informational only
  }
  return record;
}

EnrolledServer load_enrolled_server(const kiosk::KioskStore& store) {
  auto record = load_enrolment(store);
  if (!record) throw Error("the kiosk is not enrolled: run tutortime-kiosk enrol --server URL --token TOKEN first");
  if (record->server.device_id.empty()) throw Error("the kiosk's settings have no device id; enrol it again");
  return record->server;
}

void save_enrolment(kiosk::KioskStore& store, const EnrolmentRecord& record) {
  store.set_setting(kSettingServerUrl, record.server.server_url);
  store.set_setting(kSettingServerPin, record.server.server_pin.value_or(""));
  store.set_setting(kSettingServerCertificate, record.server.server_certificate_pem.value_or(""));
  store.set_setting(kSettingSchool, record.school);
  store.set_setting(kSettingEnrolledAt, std::to_string(record.enrolled_at));
  nlohmann::json j = nlohmann::json::object();
  for (const char* key : kMirroredSettings) j[key] = store.setting(key).value_or("");
  std::string text = j.dump(2) + "\n";
  write_file_atomically(store.data_dir() / kEnrolmentFileName, as_bytes(text), 0644, true);
}

bool restore_enrolment_if_missing(kiosk::KioskStore& store) {
  std::filesystem::path file = store.data_dir() / kEnrolmentFileName;
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return false;
  nlohmann::json j = nlohmann::json::parse(read_text_file(file), nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw Error(file.string() + " is not valid JSON; enrol the kiosk again");
  bool restored = false;
  for (const char* key : kMirroredSettings) {
    if (store.setting(key) || !j.contains(key) || !j[key].is_string()) continue;
    store.set_setting(key, j[key].get<std::string>());
    restored = true;
  }
  return restored;
}

std::filesystem::path device_key_file(const std::filesystem::path& data_dir) {
  return data_dir / kDeviceKeyFileName;
}

crypto::SecretBytes load_device_key(const std::filesystem::path& data_dir) {
  std::filesystem::path file = device_key_file(data_dir);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec))
    throw Error("the device key " + file.string() + " is missing: enrol the kiosk again (enrol --force)");
  return crypto::read_private_key(file, crypto::KeyAlgorithm::Ed25519);
}

}  // namespace tt::sync
