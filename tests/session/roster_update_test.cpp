// install_roster_update / installed_roster (kiosk/session/roster_update.h) on a real KioskStore:
// a roster that verifies is kept and read back; a newer version replaces it, an older or equal
// one does not; a wrongly signed or tampered one is refused and changes nothing; a kept roster
// altered on the disk is ignored.
#include "kiosk/session/roster_update.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "kiosk/session/pupil_session.h"
#include "shared/crypto/ed25519.h"
#include "shared/crypto/key_files.h"
#include "shared/protocol/json_body.h"
#include "tests/session/signed_store_test.h"

namespace tt::kiosk {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string roster_text(int version, const std::vector<std::string>& groups) {
  return nlohmann::json{{"format", protocol::kRosterFormat},
                        {"school", "Hillside Academy"},
                        {"version", version},
                        {"tutor_groups", groups}}
      .dump();
}

class RosterUpdateTest : public testing::SignedStoreTest {
 protected:
  RosterUpdateTest() : SignedStoreTest("roster-update") {}

  std::string reply_of(const std::string& text, int version, const crypto::Ed25519KeyPair* key = nullptr) const {
    const crypto::Ed25519KeyPair& signer = key != nullptr ? *key : signing_;
    protocol::SignedRoster roster{"Hillside Academy", version, text,
                                  crypto::ed25519_sign(signer.private_key.view(), as_bytes(text))};
    return protocol::to_json(protocol::RostersReply{{roster}});
  }
};

TEST_F(RosterUpdateTest, ARosterThatVerifiesIsKeptAndReadBack) {
  EXPECT_FALSE(installed_roster(*store_));
  RosterUpdateResult r = install_roster_update(*store_, reply_of(roster_text(1, {"7A", "7B"}), 1));
  EXPECT_EQ(r.outcome, RosterUpdateOutcome::Installed) << r.reason;
  std::optional<protocol::Roster> kept = installed_roster(*store_);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->school, "Hillside Academy");
  EXPECT_THAT(kept->tutor_groups, ElementsAre("7A", "7B"));
}

TEST_F(RosterUpdateTest, OnlyANewerVersionReplacesTheKeptOne) {
  install_roster_update(*store_, reply_of(roster_text(2, {"7A", "7B"}), 2));
  EXPECT_EQ(install_roster_update(*store_, reply_of(roster_text(2, {"7A", "7B"}), 2)).outcome,
            RosterUpdateOutcome::AlreadyCurrent);
  EXPECT_EQ(install_roster_update(*store_, reply_of(roster_text(1, {"7Z"}), 1)).outcome,
            RosterUpdateOutcome::AlreadyCurrent);
  EXPECT_THAT(installed_roster(*store_)->tutor_groups, ElementsAre("7A", "7B"));
  EXPECT_EQ(install_roster_update(*store_, reply_of(roster_text(3, {"7A", "7B", "7C"}), 3)).outcome,
            RosterUpdateOutcome::Installed);
  EXPECT_THAT(installed_roster(*store_)->tutor_groups, ElementsAre("7A", "7B", "7C"));
}

TEST_F(RosterUpdateTest, AWronglySignedOrTamperedRosterIsRefusedAndChangesNothing) {
  install_roster_update(*store_, reply_of(roster_text(1, {"7A"}), 1));
  crypto::Ed25519KeyPair other = crypto::ed25519_generate();
  RosterUpdateResult wrong = install_roster_update(*store_, reply_of(roster_text(2, {"7X"}), 2, &other));
  EXPECT_EQ(wrong.outcome, RosterUpdateOutcome::Refused);
  EXPECT_FALSE(wrong.reason.empty());

  std::string body = reply_of(roster_text(2, {"7X"}), 2);
  std::string::size_type at = body.find("7X");
  ASSERT_NE(at, std::string::npos);
  body.replace(at, 2, "7Y");  // the text changed after signing
  EXPECT_EQ(install_roster_update(*store_, body).outcome, RosterUpdateOutcome::Refused);
  EXPECT_THAT(installed_roster(*store_)->tutor_groups, ElementsAre("7A"));
}

TEST_F(RosterUpdateTest, AKeptRosterAlteredOnTheDiskIsIgnored) {
  install_roster_update(*store_, reply_of(roster_text(1, {"7A"}), 1));
  std::string kept = *store_->setting(kSettingRoster);
  std::string::size_type at = kept.find("7A");
  ASSERT_NE(at, std::string::npos);
  kept.replace(at, 2, "7Q");
  store_->set_setting(kSettingRoster, kept);
  EXPECT_FALSE(installed_roster(*store_));
}

TEST_F(RosterUpdateTest, AReplyWithNoRosterChangesNothingAndAMalformedOneThrows) {
  EXPECT_EQ(install_roster_update(*store_, R"({"rosters": []})").outcome, RosterUpdateOutcome::None);
  EXPECT_THROW(install_roster_update(*store_, "<html>portal</html>"), protocol::ProtocolError);
  EXPECT_FALSE(installed_roster(*store_));
}

}  // namespace
}  // namespace tt::kiosk
