// The pupil UI end to end: the real tutortime-kiosk app drawn headless (SDL's dummy driver, the
// software renderer), played by an input script of taps sent as SDL mouse events; the sealed
// response, opened with the analysis key, must hold exactly what was tapped.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_test_support.h"
#include "kiosk/session/pupil_code.h"
#include "png_support.h"

namespace tt::cli_testing {
namespace {

using ::testing::HasSubstr;

using UiTest = CliTest;

constexpr const char* kWho5Taps = R"(expect-screen handover
screenshot handover
tap Tap to start
expect-screen notice
tap Start
expect-screen question
screenshot info
tap Next
tap More than half of the time
screenshot question
tap Next
tap Some of the time
tap Next
tap All of the time
tap Next
tap At no time
tap Next
tap Back
tap Less than half of the time
tap Next
tap Most of the time
tap Next
expect-screen end
screenshot end
tap I'd like to talk to someone
tap Done
expect-screen handover
)";

TEST_F(UiTest, APupilTapsThroughWho5AndTheSealedResponseHoldsExactlyTheTaps) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "who5.survey.json"}));
  fs::path input = write_script("who5.input", kWho5Taps);
  fs::path shots = root_ / "shots";
  RunResult r = kiosk({"run", "--headless", "--input", input.string(), "--screenshots", shots.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("1 response sealed")) << r;

  RunResult e = kiosk({"outbox", "export", "--dir", (root_ / "out").string()});
  ASSERT_EQ(e.exit_code, 0) << e;
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(root_ / "out")) files.push_back(entry.path().string());
  ASSERT_EQ(files.size(), 1u);
  RunResult o = admin({"open", "--key", (keys_ / "analysis.key").string(), files[0]});
  ASSERT_EQ(o.exit_code, 0) << o;
  nlohmann::json response = parse_json(o.out);
  // who5_4 was first "At no time" (0), then changed after Back to "Less than half of the time".
  EXPECT_EQ(response["answers"], nlohmann::json::parse(R"({"who5_1": 3, "who5_2": 1, "who5_3": 5,
                                                           "who5_4": 2, "who5_5": 4})"))
      << o;
  EXPECT_EQ(response["talk_to_someone"], true);
  EXPECT_EQ(response["survey"]["id"], "who5");

  for (const char* name : {"handover", "info", "question", "end"}) {
    fs::path png = shots / (std::string(name) + ".png");
    ASSERT_TRUE(fs::exists(png)) << png;
    Picture p = read_png(png);
    EXPECT_EQ(std::make_pair(p.width, p.height), std::make_pair(1280u, 800u)) << png;
  }
}

TEST_F(UiTest, AWidgetThatIsNotOnScreenFailsWithTheLabelsThatAre) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "who5.survey.json"}));
  fs::path input = write_script("bad.input", "tap Tap to start\ntap Strat\n");
  RunResult r = kiosk({"run", "--headless", "--input", input.string()});
  EXPECT_EQ(r.exit_code, 4) << r;
  EXPECT_THAT(r.err, HasSubstr("line 2")) << r;
  EXPECT_THAT(r.err, HasSubstr("\"Strat\"")) << r;
  EXPECT_THAT(r.err, HasSubstr("\"Start\"")) << r;  // the label that is there
}

TEST_F(UiTest, OtherScreenSizesRender) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "who5.survey.json"}));
  fs::path input = write_script("sizes.input", "tap Tap to start\ntap Start\ntap Next\nscreenshot q\n");
  for (auto [w, h] : {std::pair{800u, 1280u}, std::pair{1920u, 1080u}}) {
    fs::path shots = root_ / ("shots-" + std::to_string(w));
    RunResult r = kiosk({"run", "--headless", "--input", input.string(), "--screenshots", shots.string(), "--size",
                         std::to_string(w) + "x" + std::to_string(h)});
    ASSERT_EQ(r.exit_code, 0) << r;
    Picture p = read_png(shots / "q.png");
    EXPECT_EQ(std::make_pair(p.width, p.height), std::make_pair(w, h));
  }
}

// Turned on its side mid-question (or resized by a window manager), the kiosk lays the screen out
// again for the new size: everything still fits and can be tapped.
TEST_F(UiTest, AResizeMidSurveyLaysTheScreenOutAgain) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "who5.survey.json"}));
  fs::path input = write_script("resize.input",
                                "tap Tap to start\ntap Start\ntap Next\nresize 800x1280\nscreenshot portrait\n"
                                "tap All of the time\ntap Next\nresize 1920x1080\nscreenshot wide\n"
                                "tap At no time\ntap Next\nexpect-question who5_3\n");
  fs::path shots = root_ / "shots";
  RunResult r = kiosk({"run", "--headless", "--input", input.string(), "--screenshots", shots.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  Picture portrait = read_png(shots / "portrait.png");
  EXPECT_EQ(std::make_pair(portrait.width, portrait.height), std::make_pair(800u, 1280u));
  Picture wide = read_png(shots / "wide.png");
  EXPECT_EQ(std::make_pair(wide.width, wide.height), std::make_pair(1920u, 1080u));
  auto drafts = draft_plaintexts();
  ASSERT_EQ(drafts.size(), 1u);
  EXPECT_EQ(drafts[0]["flow"]["answers"], nlohmann::json::parse(R"({"who5_1": 5, "who5_2": 0})"));
}

TEST_F(UiTest, AnUnknownInputActionIsRefusedBeforeAnythingRuns) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "who5.survey.json"}));
  fs::path input = write_script("bad.input", "tap Tap to start\nswipe left\n");
  RunResult r = kiosk({"run", "--headless", "--input", input.string()});
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_THAT(r.err, HasSubstr("line 2")) << r;
  EXPECT_EQ(status_json()["drafts"], 0);
}

}  // namespace
}  // namespace tt::cli_testing

namespace tt::cli_testing {
namespace {

// In a pupil_code survey the pupil types their code on the keypad; a typo is caught by the check
// character before anything is stored, and the right code is kept only in the encrypted draft.
TEST_F(UiTest, APupilCodeWithATypoIsRefusedAndTheRightOneStartsTheSurvey) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "y7-resurvey.survey.json"}));
  std::string code = kiosk::make_pupil_code("7K3MP");
  std::string typo = code;
  typo[2] = typo[2] == '4' ? '6' : '4';  // one wrong character
  auto type_code = [](const std::string& c) {
    std::string lines;
    for (char ch : c) lines += std::string("tap ") + ch + "\n";
    return lines;
  };
  fs::path input = write_script("code.input", "tap Tap to start\nexpect-screen pupil_code\n" + type_code(typo) +
                                                  "tap Start\nexpect-screen pupil_code\n"
                                                  "tap Delete\ntap Delete\ntap Delete\ntap Delete\ntap Delete\n"
                                                  "tap Delete\n" +
                                                  type_code(code) + "tap Start\nexpect-screen notice\ntap Start\n" +
                                                  "expect-screen question\n");
  RunResult r = kiosk({"run", "--headless", "--input", input.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out + r.err, ::testing::Not(HasSubstr(code))) << "the code must not be printed";
  auto drafts = draft_plaintexts();
  ASSERT_EQ(drafts.size(), 1u);
  const nlohmann::json& draft = drafts[0];
  EXPECT_EQ(draft["pupil_code"], code);
}

}  // namespace
}  // namespace tt::cli_testing

namespace tt::cli_testing {
namespace {

// Left alone, the kiosk asks "Are you still there?" (showing nothing of the answers), then hands
// over; the draft stays saved, encrypted. A tap on "I'm still here" carries on. Timings leave
// at least a second either side of each deadline, for a slow sanitizer build on a busy machine.
TEST_F(UiTest, AnUntouchedKioskAsksThenHandsOverKeepingTheDraft) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "who5.survey.json"}));
  fs::path input = write_script("idle.input",
                                "tap Tap to start\ntap Start\ntap Next\ntap All of the time\n"
                                "wait 2.5\nexpect-screen question\nscreenshot still\n"
                                "wait 3\nexpect-screen handover\n"
                                "tap Tap to start\ntap Start\nwait 2.5\ntap I'm still here\nexpect-screen question\n");
  fs::path shots = root_ / "shots";
  RunResult r = kiosk({"run", "--headless", "--input", input.string(), "--screenshots", shots.string(),
                       "--idle-seconds", "2", "--countdown-seconds", "2"});
  ASSERT_EQ(r.exit_code, 0) << r;
  auto drafts = draft_plaintexts();
  ASSERT_EQ(drafts.size(), 2u);  // the one handed over, and the one still going
  const nlohmann::json& first = drafts[0];
  EXPECT_EQ(first["flow"]["answers"]["who5_1"], 5) << first.dump();
  EXPECT_TRUE(fs::exists(shots / "still.png"));
}

}  // namespace
}  // namespace tt::cli_testing

namespace tt::cli_testing {
namespace {

// A survey in two languages asks the pupil for theirs; the text-size and contrast controls change
// what is drawn; the sealed response records the language; the next pupil starts from defaults.
TEST_F(UiTest, APupilChoosesTheirLanguageAndHowTextLooks) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "demo-bilingual.survey.json"}));
  fs::path input = write_script("pl.input",
                                "tap Tap to start\nexpect-screen language\ntap Polski\nexpect-screen notice\n"
                                "tap Zacznij\ntap Dalej\nscreenshot normal\ntap Rozmiar tekstu: 1 z 3\n"
                                "tap Wysoki kontrast\nscreenshot large\ntap Smutno\ntap Dalej\n"
                                "expect-no-widget Next\nexpect-no-widget Back\nexpect-no-text I'd rather not say\n");
  fs::path shots = root_ / "shots";
  RunResult r = kiosk({"run", "--headless", "--input", input.string(), "--screenshots", shots.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_NE(read_text(shots / "normal.png"), read_text(shots / "large.png"));
  auto drafts = draft_plaintexts();
  ASSERT_EQ(drafts.size(), 1u);
  const nlohmann::json& draft = drafts[0];
  EXPECT_EQ(draft["language"], "pl");
}

}  // namespace
}  // namespace tt::cli_testing
