#pragma once
// A fixture for what the kiosk installs from the central team: a real KioskStore in a temporary
// directory whose survey-signing key is one the test holds (signing_), so it can sign surveys
// and rosters the store will verify — or sign with another key to see them refused.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "kiosk/session/pupil_session.h"
#include "kiosk/store/kiosk_store.h"
#include "shared/crypto/ed25519.h"
#include "shared/crypto/key_files.h"

namespace tt::kiosk::testing {

class SignedStoreTest : public ::testing::Test {
 protected:
  explicit SignedStoreTest(std::string name) : name_(std::move(name)) {}

  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / ("tutortime-" + name_ + "-XXXXXX")).string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    signing_ = crypto::ed25519_generate();
    store_ = KioskStore::create(root_ / "data");
    store_->set_setting(kSettingSigningPublicKey,
                        crypto::public_key_to_pem(crypto::KeyAlgorithm::Ed25519, signing_.public_key));
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }

  std::string name_;
  std::filesystem::path root_;
  crypto::Ed25519KeyPair signing_;
  std::unique_ptr<KioskStore> store_;
};

}  // namespace tt::kiosk::testing
