// A survey update installed while the pupil app runs (the uploader is its own process and
// installs into the same store): the pupil on the kiosk carries on with the version they
// started, and the next pupil gets the new one, without restarting the app.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "kiosk/session/pupil_session.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/ui/input_script.h"
#include "kiosk/ui/kiosk_app.h"
#include "kiosk/ui/sdl_host.h"
#include "shared/crypto/key_files.h"
#include "shared/crypto/x25519.h"

namespace tt::kiosk::ui {
namespace {

namespace fs = std::filesystem;

std::string who5_text() {
  std::ifstream in(fs::path(TUTORTIME_SOURCE_DIR) / "assets" / "surveys" / "who5.survey.json", std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `text` with its first `from` replaced by `to` (which the test checks is there).
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

InstalledSurvey who5_version(std::int64_t version, std::string definition) {
  InstalledSurvey s;
  s.survey_id = "who5";
  s.version = version;
  s.definition_json = std::move(definition);
  s.signature = Bytes(64, 0);  // install_survey() trusts its caller to have verified it
  return s;
}

class SurveyVersionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "tutortime-version-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    store_ = KioskStore::create(root_ / "data");
    store_->set_setting(kSettingAnalysisPublicKey,
                        crypto::public_key_to_pem(crypto::KeyAlgorithm::X25519, crypto::x25519_generate().public_key));
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  void play(SdlHost& host, KioskApp& app, const std::string& steps) {
    play_input_script(host, app, parse_input_script(steps), {});
  }

  fs::path root_;
  std::unique_ptr<KioskStore> store_;
};

TEST_F(SurveyVersionTest, ThePupilOnTheKioskKeepsTheirVersionAndTheNextPupilGetsTheNewOne) {
  const std::string v1 = who5_text();
  ASSERT_NE(v1.find("\"version\": 1,"), std::string::npos);
  store_->install_survey(who5_version(1, v1));
  SdlHost host(HostOptions{});
  KioskApp app(*store_, load_installed_survey(*store_, "who5"), SessionOptions{});
  play(host, app,
       "tap Tap to start\ntap Start\nexpect-text There are 5 questions\ntap Next\ntap At no time\ntap Next\n");

  // Version 2 arrives mid-survey, as `tutortime-kiosk sync` would install it.
  std::string v2 = replaced(replaced(v1, "\"version\": 1,", "\"version\": 2,"), "There are 5 questions",
                            "In version 2 there are 5 questions");
  store_->install_survey(who5_version(2, v2));

  // The first pupil finishes on version 1; the next pupil sees version 2's words.
  play(host, app,
       "tap Some of the time\ntap Next\ntap Some of the time\ntap Next\ntap Some of the time\ntap Next\n"
       "tap Some of the time\ntap Next\ntap Done\nexpect-screen handover\n"
       "tap Tap to start\ntap Start\nexpect-text In version 2 there are 5 questions\ntap Next\n"
       "tap All of the time\ntap Next\ntap All of the time\ntap Next\ntap All of the time\ntap Next\n"
       "tap All of the time\ntap Next\ntap All of the time\ntap Next\ntap Done\nexpect-screen handover\n");
  std::vector<SealedResponse> sealed = store_->outbox_all();
  ASSERT_EQ(sealed.size(), 2u);
  EXPECT_EQ(sealed[0].survey_version, 1) << "the first pupil's response is sealed as version 1";
  EXPECT_EQ(sealed[1].survey_version, 2) << "the next pupil took version 2";
}

}  // namespace
}  // namespace tt::kiosk::ui
