// The staff side of the pupil app and what a kiosk's configuration changes, on the real app drawn
// headless: the hidden corner press, the technician PIN and its delay, the technician menu and
// its exit, a teacher's class session, the school's contact on the end screen, a pupil coming
// back to their draft the same day, and old drafts discarded.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_test_support.h"
#include "kiosk/session/pupil_code.h"
#include "kiosk/session/pupil_session.h"
#include "kiosk/session/roster_update.h"
#include "kiosk/session/staff_pin.h"
#include "shared/crypto/ed25519.h"
#include "shared/crypto/key_files.h"

namespace tt::cli_testing {
namespace {

using ::testing::HasSubstr;

class UiStaffTest : public CliTest {
 protected:
  void set_pin(kiosk::PinRole role, const std::string& pin) {
    auto store = kiosk::KioskStore::open(data_);
    kiosk::set_pin(*store, role, pin);
  }
  RunResult play(const std::string& name, const std::string& taps, std::vector<std::string> extra = {}) {
    fs::path input = write_script(name, taps);
    std::vector<std::string> args = {"run",          "--headless",    "--input",
                                     input.string(), "--screenshots", (root_ / "shots").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return kiosk(args);
  }
};

constexpr const char* kWho5ToTheEnd =
    "tap Tap to start\ntap Start\ntap Next\ntap All of the time\ntap Next\ntap All of the time\ntap Next\n"
    "tap All of the time\ntap Next\ntap All of the time\ntap Next\ntap All of the time\ntap Next\n"
    "expect-screen end\n";

TEST_F(UiStaffTest, AThreeSecondCornerPressAndTheTechnicianPinOpenTheMenuWhichShowsTheKioskAndExits) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "who5.survey.json"}));
  set_pin(kiosk::PinRole::Technician, "246810");
  // One sealed response waiting, so the menu has something to count.
  RunResult first = play("pupil.input", std::string(kWho5ToTheEnd) + "tap Done\n");
  ASSERT_EQ(first.exit_code, 0) << first;
  std::string device = status_json()["device_id"];
  RunResult r = play("tech.input",
                     "press-corner 1\nexpect-screen handover\n"  // too short: nothing happens
                     "press-corner 3.5\nexpect-screen staff\nscreenshot staff\n"
                     "tap Technician\nexpect-screen staff_pin\ntype 2468\nscreenshot staff_pin\ntype 10\ntap OK\n"
                     "expect-screen technician\nscreenshot technician\n"
                     "expect-text Device: " +
                         device +
                         "\nexpect-text Surveys: who5 v1\nexpect-text Waiting to upload: 1 response, the oldest "
                         "finished\nexpect-text Free disk: \n"
                         "tap Exit the kiosk\n");
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("the technician closed the kiosk")) << r;
}

TEST_F(UiStaffTest, FiveWrongPinsMakeTheKioskWaitEvenForTheRightOne) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "who5.survey.json"}));
  set_pin(kiosk::PinRole::Technician, "246810");
  std::string taps = "press-corner 3.5\ntap Technician\n";
  for (int i = 0; i < 4; ++i) taps += "type 1111\ntap OK\n";
  taps += "expect-text 1 more try before a wait\nexpect-screen staff_pin\n";
  taps += "type 1111\ntap OK\nexpect-text please wait 30 seconds\nscreenshot locked\n";
  taps += "type 246810\ntap OK\nexpect-screen staff_pin\nexpect-text Too many wrong tries\n";
  RunResult r = play("wrong.input", taps);
  ASSERT_EQ(r.exit_code, 0) << r;
  auto store = kiosk::KioskStore::open(data_);
  kiosk::PinGuardState guard = kiosk::pin_guard_state(*store, kiosk::PinRole::Technician);
  EXPECT_EQ(guard.failures, 5);  // the right PIN during the wait was not even looked at
  EXPECT_GT(guard.locked_until, 0);
}

TEST_F(UiStaffTest, ATeacherOpensAClassSessionAndItsResponsesCarryTheTutorGroup) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "who5.survey.json", kSurveysDir / "y7-resurvey.survey.json"}));
  set_pin(kiosk::PinRole::Teacher, "1357");
  // Two surveys and no class session: nothing to start until a teacher chooses.
  RunResult r = play("class.input",
                     "expect-text Please ask your teacher\nexpect-no-widget Tap to start\n"
                     "press-corner 3.5\ntap Teacher: class session\ntype 1357\ntap OK\n"
                     "expect-screen class_session\ntap How you have been feeling (v1)\ntype 7B\n"
                     "screenshot class_session\ntap Open class session\n"
                     "expect-screen handover\nexpect-text Class 7B\n" +
                         std::string(kWho5ToTheEnd) + "tap Done\n");
  ASSERT_EQ(r.exit_code, 0) << r;
  // The session outlives the app (a restart mid-lesson keeps it).
  RunResult again = play("again.input", "expect-text Class 7B\n");
  ASSERT_EQ(again.exit_code, 0) << again;

  RunResult e = kiosk({"outbox", "export", "--dir", (root_ / "out").string()});
  ASSERT_EQ(e.exit_code, 0) << e;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(root_ / "out")) files.push_back(entry.path());
  ASSERT_EQ(files.size(), 1u);
  RunResult o = admin({"open", "--key", (keys_ / "analysis.key").string(), files[0].string()});
  ASSERT_EQ(o.exit_code, 0) << o;
  nlohmann::json response = parse_json(o.out);
  EXPECT_EQ(response["tutor_group"], "7B");
  EXPECT_EQ(response["survey"]["id"], "who5");

  // A teacher closes it: the kiosk waits for the next one.
  RunResult close = play("close.input",
                         "press-corner 3.5\ntap Teacher: class session\ntype 1357\ntap OK\n"
                         "tap Close class session\nexpect-text Please ask your teacher\n");
  EXPECT_EQ(close.exit_code, 0) << close;
}

TEST_F(UiStaffTest, TheSchoolsRosterOffersItsTutorGroupsToTap) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "who5.survey.json", kSurveysDir / "y7-resurvey.survey.json"}));
  set_pin(kiosk::PinRole::Teacher, "1357");
  {
    // The roster as a sync would leave it: signed by the central team, checked, kept.
    std::string text = R"({"format": "tutortime-roster/1", "school": "Hillside Academy", "version": 1,
                           "tutor_groups": ["7A", "7B", "7RDS", "Year 7 Blue"]})";
    crypto::SecretBytes seed = crypto::read_private_key(keys_ / "signing.key", crypto::KeyAlgorithm::Ed25519);
    protocol::SignedRoster roster{"Hillside Academy", 1, text, crypto::ed25519_sign(seed.view(), as_bytes(text))};
    auto store = kiosk::KioskStore::open(data_);
    auto installed = kiosk::install_roster_update(*store, protocol::to_json(protocol::RostersReply{{roster}}));
    ASSERT_EQ(installed.outcome, kiosk::RosterUpdateOutcome::Installed) << installed.reason;
  }
  // "Year 7 Blue" is not a group a class session takes (capitals and digits, up to 8): not offered.
  RunResult r = play("roster.input",
                     "press-corner 3.5\ntap Teacher: class session\ntype 1357\ntap OK\n"
                     "expect-screen class_session\nexpect-no-widget Year 7 Blue\nexpect-no-text Year 7 Blue\n"
                     "screenshot class_session_roster\ntap How you have been feeling (v1)\ntap 7RDS\n"
                     "tap Open class session\nexpect-screen handover\nexpect-text Class 7RDS\n");
  ASSERT_EQ(r.exit_code, 0) << r;
}

TEST_F(UiStaffTest, TheEndScreenNamesTheSchoolsOwnContactFromTheConfiguration) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "who5.survey.json"}));
  RunResult set = kiosk({"config", "set", "school-contact", "Mrs Khan in Student Support, room B12"});
  ASSERT_EQ(set.exit_code, 0) << set;
  RunResult bad = kiosk({"config", "set", "idle-seconds", "2"});
  EXPECT_EQ(bad.exit_code, 3) << bad;
  EXPECT_THAT(bad.err, HasSubstr("idle-seconds takes a whole number from 10 to 3600")) << bad;
  RunResult show = kiosk({"config", "show"});
  EXPECT_THAT(show.out, HasSubstr("school-contact = Mrs Khan in Student Support, room B12")) << show;
  EXPECT_THAT(show.out, HasSubstr("idle-seconds = 90")) << show;
  RunResult r = play("end.input", std::string(kWho5ToTheEnd) +
                                      "expect-text Childline\nexpect-text Mrs Khan in Student Support, room B12\n"
                                      "screenshot end\n");
  ASSERT_EQ(r.exit_code, 0) << r;
}

// A pupil who walked away comes back the same day, types their code and carries on from the first
// question still open. Back stops there: what they answered before is never shown again, so
// someone else typing their code sees none of it.
TEST_F(UiStaffTest, APupilComingBackTheSameDayCarriesOnWithoutSeeingEarlierAnswers) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "y7-resurvey.survey.json"}));
  std::string code = kiosk::make_pupil_code("7K3MP");
  std::string other = kiosk::make_pupil_code("4HW9T");
  std::string taps =
      "tap Tap to start\ntype " + code +
      "\ntap Start\ntap Start\ntap Next\n"
      "tap Most of the time\ntap Next\ntap Some of the time\ntap Next\n"
      "tap All of the time\nexpect-question who5_3\n"  // answered, Next not yet tapped
      "wait 3.5\nexpect-screen handover\n"
      // another pupil, another code: a fresh start
      "tap Tap to start\ntype " +
      other +
      "\ntap Start\nexpect-no-text Welcome back\ntap Start\nexpect-question wellbeing_intro\n"
      "wait 3.5\nexpect-screen handover\n"
      // the first pupil again
      "tap Tap to start\ntype " +
      code +
      "\ntap Start\nexpect-text Welcome back\ntap Start\n"
      "expect-question who5_4\nexpect-no-widget Back\n"
      "tap At no time\ntap Next\ntap Less than half of the time\ntap Next\nexpect-question school_feeling\n"
      "tap Back\nexpect-question who5_5\ntap Back\nexpect-question who5_4\nexpect-no-widget Back\n";
  RunResult r = play("resume.input", taps, {"--idle-seconds", "1", "--countdown-seconds", "1"});
  ASSERT_EQ(r.exit_code, 0) << r;
  auto drafts = draft_plaintexts();
  ASSERT_EQ(drafts.size(), 2u);  // one per pupil: coming back did not start another
  nlohmann::json mine;
  for (const auto& d : drafts)
    if (d["pupil_code"] == code) mine = d;
  ASSERT_FALSE(mine.is_null());
  EXPECT_EQ(mine["flow"]["answers"], nlohmann::json::parse(R"({"who5_1": 4, "who5_2": 1, "who5_3": 5,
                                                               "who5_4": 0, "who5_5": 2})"))
      << mine.dump();
}

// Drafts older than draft-max-age-hours are discarded when the app hands over; younger stay.
TEST_F(UiStaffTest, DraftsOlderThanTheConfiguredAgeAreDiscarded) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "who5.survey.json"}));
  {
    auto store = kiosk::KioskStore::open(data_);
    auto now = static_cast<kiosk::UnixSeconds>(std::time(nullptr));
    store->set_clock_for_tests([now] { return now - 3 * 3600; });
    kiosk::SessionOptions options;
    kiosk::PupilSession::begin(*store, kiosk::load_installed_survey(*store, "who5"), options);
    store->set_clock_for_tests([now] { return now - 30 * 60; });
    kiosk::PupilSession::begin(*store, kiosk::load_installed_survey(*store, "who5"), options);
  }
  ASSERT_EQ(status_json()["drafts"], 2);
  ASSERT_EQ(kiosk({"config", "set", "draft-max-age-hours", "2"}).exit_code, 0);
  RunResult r = play("age.input", "expect-screen handover\n");
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(status_json()["drafts"], 1);  // the 3-hour-old one is gone, the half-hour one stays
}

}  // namespace
}  // namespace tt::cli_testing
