// `tutortime-kiosk enrol` against the real central server: what it keeps, and each refusal
// with a message that says what to do.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/sync/kiosk_sync_fixture.h"

namespace tt::sync::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class EnrolmentTest : public KioskSyncTest {};

TEST_F(EnrolmentTest, KeepsTheServersDeviceIdPinCertificateAndKeys) {
  ASSERT_NO_FATAL_FAILURE(setup_kiosk());
  std::string setup_id = kiosk_device_id();
  std::string token = make_enrol_token("Hillside Academy");
  RunResult r = enrol(kiosk_, token);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("Hillside Academy"));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr(token))) << "the token is a secret";
  auto store = open_kiosk_store();
  std::string device_id = store->setting("device_id").value_or("");
  EXPECT_NE(device_id, setup_id) << "the server's id replaces the one setup made";
  EXPECT_EQ(store->setting("server_url"), server_->url());
  EXPECT_EQ(store->setting("server_pin"), server_->pin());
  EXPECT_EQ(store->setting("server_certificate_pem"), central::testing::read_file_text(certificate_file()));
  // The server knows this device under that id.
  auto fleet = client()->Get(protocol::kAdminFleetPath, admin_headers());
  ASSERT_TRUE(fleet);
  EXPECT_THAT(fleet->body, HasSubstr(device_id));
}

TEST_F(EnrolmentTest, ATokenWorksOnce) {
  fs::path second = dir_ / "kiosk-2";
  ASSERT_NO_FATAL_FAILURE(setup_kiosk());
  ASSERT_NO_FATAL_FAILURE(setup_kiosk(second));
  std::string token = make_enrol_token();
  ASSERT_EQ(enrol(kiosk_, token).exit_code, 0);
  RunResult again = enrol(second, token);
  EXPECT_EQ(again.exit_code, 3) << again;
  EXPECT_THAT(again.err, HasSubstr("enrolment token was refused"));
  EXPECT_THAT(again.err, HasSubstr("used"));
  EXPECT_THAT(again.err, HasSubstr("new token"));
  EXPECT_THAT(again.err, Not(HasSubstr(token)));
  EXPECT_FALSE(fs::exists(second / "device.key")) << "no key is left for a refused enrolment";
  EXPECT_FALSE(fs::exists(second / "device.key.pending"));
  EXPECT_FALSE(kiosk::KioskStore::open(second)->setting("server_url"));
}

TEST_F(EnrolmentTest, AWrongPinSendsNothing) {
  ASSERT_NO_FATAL_FAILURE(setup_kiosk());
  std::string token = make_enrol_token();
  RunResult r = kiosk({"enrol", "--server", server_->url(), "--token", token, "--pin",
                       "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="});
  EXPECT_EQ(r.exit_code, 7) << r;
  EXPECT_THAT(r.err, HasSubstr("not the one given with --pin"));
  EXPECT_FALSE(open_kiosk_store()->setting("server_url"));
  // Nothing was sent: the token still works.
  RunResult right = enrol(kiosk_, token);
  EXPECT_EQ(right.exit_code, 0) << right;
}

TEST_F(EnrolmentTest, WithoutAPinASelfSignedServerIsNotTrusted) {
  ASSERT_NO_FATAL_FAILURE(setup_kiosk());
  std::string token = make_enrol_token();
  RunResult r = kiosk({"enrol", "--server", server_->url(), "--token", token});
  EXPECT_EQ(r.exit_code, 7) << r;
  EXPECT_THAT(r.err, HasSubstr("--pin"));
  EXPECT_FALSE(open_kiosk_store()->setting("server_url"));
}

TEST_F(EnrolmentTest, SaysWhenTheServerIsUnreachable) {
  ASSERT_NO_FATAL_FAILURE(setup_kiosk());
  std::string token = make_enrol_token();
  std::string url = server_->url();
  std::string pin = server_->pin();
  server_->stop();
  RunResult r = kiosk({"enrol", "--server", url, "--token", token, "--pin", pin});
  EXPECT_EQ(r.exit_code, 9) << r;
  EXPECT_THAT(r.err, HasSubstr("unreachable"));
}

TEST_F(EnrolmentTest, RefusesToEnrolTwiceUnlessForced) {
  ASSERT_NO_FATAL_FAILURE(enrolled_kiosk());
  std::string first_id = kiosk_device_id();
  RunResult twice = enrol(kiosk_, make_enrol_token());
  EXPECT_EQ(twice.exit_code, 1) << twice;
  EXPECT_THAT(twice.err, HasSubstr("enrolled already"));
  EXPECT_THAT(twice.err, HasSubstr("--force"));
  EXPECT_EQ(kiosk_device_id(), first_id);
  RunResult forced = enrol(kiosk_, make_enrol_token(), {"--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced;
  EXPECT_NE(kiosk_device_id(), first_id);
}

TEST_F(EnrolmentTest, RefusesOtherCentralKeysWhileResponsesWaitForTheOldOnes) {
  // A kiosk set up with another team's keys, with a response sealed to them.
  fs::path other = dir_ / "other-team";
  fs::create_directories(other);
  crypto::write_public_key(other / "analysis.pub", crypto::KeyAlgorithm::X25519, crypto::x25519_generate().public_key);
  crypto::write_public_key(other / "signing.pub", crypto::KeyAlgorithm::Ed25519, crypto::ed25519_generate().public_key);
  RunResult setup = kiosk({"setup", "--analysis-public-key", (other / "analysis.pub").string(), "--signing-public-key",
                           (other / "signing.pub").string()});
  ASSERT_EQ(setup.exit_code, 0) << setup;
  add_outbox_responses(1);
  RunResult r = enrol(kiosk_, make_enrol_token());
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_THAT(r.err, HasSubstr("analysis key is not the one this kiosk was set up with"));
  EXPECT_THAT(r.err, HasSubstr("1 response(s)"));
  EXPECT_FALSE(open_kiosk_store()->setting("server_url"));
  EXPECT_EQ(outbox_ids().size(), 1u);

  // With nothing kept for the old keys, the server's keys are taken.
  fs::path fresh = dir_ / "kiosk-fresh";
  RunResult setup_fresh = kiosk_in(fresh, {"setup", "--analysis-public-key", (other / "analysis.pub").string(),
                                           "--signing-public-key", (other / "signing.pub").string()});
  ASSERT_EQ(setup_fresh.exit_code, 0) << setup_fresh;
  RunResult taken = enrol(fresh, make_enrol_token());
  ASSERT_EQ(taken.exit_code, 0) << taken;
  EXPECT_THAT(taken.out, HasSubstr("install the surveys again"));
  auto store = kiosk::KioskStore::open(fresh);
  EXPECT_EQ(
      crypto::public_key_from_pem(store->setting("analysis_public_key_pem").value_or(""), crypto::KeyAlgorithm::X25519),
      analysis_.public_key);
}

}  // namespace
}  // namespace tt::sync::testing
