#pragma once
// What enrolment leaves on the kiosk, and reading it back for the uploader:
//   - DATA_DIR/device.key: the device's Ed25519 private key, PKCS#8 PEM, mode 0600;
//   - the store's settings: server_url, server_pin, server_certificate_pem, school,
//     enrolled_at, and the server-assigned device id (which replaces the one setup made, in the
//     identity mirror too: kiosk_identity.h);
//   - DATA_DIR/kiosk-enrolment.json: a mirror of those public settings (like the identity
//     mirror), so a kiosk whose database was moved aside after corruption stays enrolled.
#include <filesystem>
#include <optional>
#include <string>

#include "kiosk/store/kiosk_store.h"
#include "shared/crypto/secret.h"
#include "sync/uploader/uploader.h"

namespace tt::sync {

inline constexpr const char* kDeviceKeyFileName = "device.key";
inline constexpr const char* kEnrolmentFileName = "kiosk-enrolment.json";
inline constexpr const char* kSettingServerUrl = "server_url";
inline constexpr const char* kSettingServerPin = "server_pin";
inline constexpr const char* kSettingServerCertificate = "server_certificate_pem";
inline constexpr const char* kSettingSchool = "school";
inline constexpr const char* kSettingEnrolledAt = "enrolled_at";

struct EnrolmentRecord {
  EnrolledServer server;
  std::string school;
  std::int64_t enrolled_at = 0;
};

// True once enrolment stored a server URL.
bool is_enrolled(const kiosk::KioskStore& store);
// Throws tt::Error "the kiosk is not enrolled: run tutortime-kiosk enrol …" when it is not.
EnrolledServer load_enrolled_server(const kiosk::KioskStore& store);
std::optional<EnrolmentRecord> load_enrolment(const kiosk::KioskStore& store);
// Writes the settings and the mirror file (atomically).
void save_enrolment(kiosk::KioskStore& store, const EnrolmentRecord& record);
// Copies the mirror into the store's settings where they are missing; true if it restored any.
bool restore_enrolment_if_missing(kiosk::KioskStore& store);

std::filesystem::path device_key_file(const std::filesystem::path& data_dir);
// Throws tt::Error naming the file (missing, readable by others, not Ed25519).
crypto::SecretBytes load_device_key(const std::filesystem::path& data_dir);

}  // namespace tt::sync
