// The kiosk identity survives a corrupt database: it is mirrored in kiosk-identity.json and put
// back into the new database that replaces a corrupt one.
#include "kiosk/session/kiosk_identity.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "kiosk/session/pupil_session.h"
#include "shared/crypto/key_files.h"
#include "shared/crypto/x25519.h"

namespace {

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("tt-identity-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(KioskIdentity, IsRestoredAfterACorruptDatabaseIsMovedAside) {
  auto dir = fresh_dir("restore");
  tt::kiosk::KioskIdentity identity{
      "0123456789abcdef0123456789abcdef",
      tt::crypto::public_key_to_pem(tt::crypto::KeyAlgorithm::X25519, tt::crypto::x25519_generate().public_key),
      "signing pem"};
  {
    auto store = tt::kiosk::KioskStore::create(dir);
    tt::kiosk::save_identity(*store, identity);
  }
  {
    std::ofstream garbage(dir / "kiosk.db", std::ios::binary | std::ios::trunc);
    garbage << std::string(4096, 'x');
  }
  tt::kiosk::OpenReport report;
  auto store = tt::kiosk::KioskStore::open(dir, &report);
  ASSERT_TRUE(report.moved_aside.has_value());
  EXPECT_FALSE(store->setting(tt::kiosk::kSettingDeviceId).has_value());
  EXPECT_TRUE(tt::kiosk::restore_identity_if_missing(*store));
  EXPECT_EQ(store->setting(tt::kiosk::kSettingDeviceId).value_or(""), identity.device_id);
  EXPECT_EQ(store->setting(tt::kiosk::kSettingAnalysisPublicKey).value_or(""), identity.analysis_public_key_pem);
  EXPECT_EQ(store->setting(tt::kiosk::kSettingSigningPublicKey).value_or(""), identity.signing_public_key_pem);
  EXPECT_FALSE(tt::kiosk::restore_identity_if_missing(*store));  // nothing missing any more
  std::filesystem::remove_all(dir);
}

TEST(KioskIdentity, TheMirrorHoldsNoSecret) {
  auto dir = fresh_dir("mirror");
  auto store = tt::kiosk::KioskStore::create(dir);
  tt::kiosk::save_identity(*store, {"0123456789abcdef0123456789abcdef", "analysis pem", "signing pem"});
  std::ifstream in(dir / tt::kiosk::kIdentityFileName);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ifstream key_in(dir / "storage.key", std::ios::binary);
  std::string key((std::istreambuf_iterator<char>(key_in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(key.size(), 32u);
  EXPECT_EQ(text.find(key), std::string::npos);
  EXPECT_EQ(text.find("PRIVATE"), std::string::npos);
  EXPECT_NE(text.find("analysis pem"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
