// The pupil app in a real X window (Xvfb), lock-down, the event-driven loop, and privacy between
// two pupils in a row.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_test_support.h"
#include "png_support.h"

namespace tt::cli_testing {
namespace {

using ::testing::HasSubstr;

bool have_xvfb() {
  return run_process({"sh", "-c", "command -v xvfb-run"}).exit_code == 0;
}

class UiWindowTest : public CliTest {
 protected:
  // In the sanitizer build, the X11/D-Bus/Mesa stack SDL loads for a real window leaves a few
  // allocations behind at exit (LeakSanitizer traces them to libdbus and to unloaded GL driver
  // modules). The kiosk's own code is leak-checked by the headless UI tests; here leak checking is
  // off for the windowed child only, and every other sanitizer check stays on.
  RunOptions x_options() const {
    RunOptions o = options();
    o.env["ASAN_OPTIONS"] = "detect_leaks=0:abort_on_error=1";
    return o;
  }
  // Runs tutortime-kiosk ARGS inside a fresh Xvfb screen of WxH.
  RunResult kiosk_in_x(const std::vector<std::string>& args, const std::string& screen = "1280x800x24") {
    std::vector<std::string> argv = {"xvfb-run",         "-a",         "-s",          "-screen 0 " + screen,
                                     kKioskBin.string(), "--data-dir", data_.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, x_options());
  }
};

TEST_F(UiWindowTest, ARealWindowRendersTheFirstScreen) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (deploy/setup-debian.sh installs it)";
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "who5.survey.json"}));
  fs::path input = write_script("first.input", "expect-screen handover\nscreenshot first\n");
  RunResult r = kiosk_in_x({"run", "--input", input.string(), "--screenshots", (root_ / "x").string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  Picture p = read_png(root_ / "x" / "first.png");
  EXPECT_EQ(p.width, 1280u);  // full screen: the size of the display, not of a default window
  EXPECT_EQ(p.height, 800u);
  EXPECT_GT(p.distinct_colours(), 8u) << "the screenshot is blank";
}

TEST_F(UiWindowTest, PupilsCannotLeaveWithKeysOrCloseRequests) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed";
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "who5.survey.json"}));
  fs::path input = write_script("escape.input",
                                "tap Tap to start\nexpect-screen notice\nkey Escape\nkey Alt+F4\nkey Ctrl+Q\n"
                                "close\nexpect-screen notice\ntap Start\nexpect-screen question\n");
  RunResult r = kiosk_in_x({"run", "--input", input.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("attempts to leave were ignored")) << r;
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("; 0 attempts"))) << r;
}

// The live kiosk draws only when something happens: left alone for two seconds it draws a few
// settling frames, not one per vsync (ImGui's default loop would draw ~120), and SIGTERM stops it.
TEST_F(UiWindowTest, TheLiveKioskIsEventDrivenAndStopsOnSigterm) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed";
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "who5.survey.json"}));
  std::string command =
      kKioskBin.string() + " --data-dir " + data_.string() + " run & pid=$!; sleep 2; kill -TERM $pid; wait $pid";
  RunResult r = run_process({"xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "sh", "-c", command}, x_options());
  ASSERT_EQ(r.exit_code, 0) << r;
  ASSERT_THAT(r.out, HasSubstr("stopped after ")) << r;
  long frames = std::stol(r.out.substr(r.out.find("stopped after ") + 14));
  EXPECT_LT(frames, 40) << "an untouched kiosk kept drawing\n" << r;
  EXPECT_GT(frames, 0) << r;
}

// Two pupils in a row: the second pupil's screens show nothing of the first's answers, and Back
// on the second pupil's first question does not exist.
TEST_F(UiWindowTest, TheNextPupilSeesNothingOfTheLast) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "who5.survey.json"}));
  std::string one_pupil = R"(tap Tap to start
tap Start
tap Next
screenshot %-blank
tap All of the time
tap Next
tap Some of the time
tap Next
tap At no time
tap Next
tap Most of the time
tap Next
tap All of the time
tap Next
tap Done
screenshot %-handover
)";
  auto for_pupil = [&](const std::string& name) {
    std::string s = one_pupil;
    for (std::size_t at; (at = s.find('%')) != std::string::npos;) s.replace(at, 1, name);
    return s;
  };
  fs::path input = write_script("two.input", for_pupil("first") + for_pupil("second"));
  fs::path shots = root_ / "shots";
  RunResult r = kiosk({"run", "--headless", "--input", input.string(), "--screenshots", shots.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("2 responses sealed")) << r;
  // The second pupil's first question looks exactly as the first pupil's did before they answered.
  Picture first = read_png(shots / "first-blank.png");
  Picture second = read_png(shots / "second-blank.png");
  EXPECT_EQ(first.rgba, second.rgba) << "the second pupil's first question differs from a fresh one";
  EXPECT_EQ(read_png(shots / "first-handover.png").rgba, read_png(shots / "second-handover.png").rgba);
  // And there is no way back into the first pupil's response.
  fs::path back = write_script("back.input", "tap Tap to start\ntap Start\ntap Next\ntap Back\ntap Back\n");
  RunResult b = kiosk({"run", "--headless", "--input", back.string()});
  EXPECT_EQ(b.exit_code, 4) << b;
  EXPECT_THAT(b.err, HasSubstr("no widget labelled \"Back\"")) << b;
}

}  // namespace
}  // namespace tt::cli_testing
