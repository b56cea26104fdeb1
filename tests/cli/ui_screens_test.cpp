// A screenshot of every screen type at each of the three display sizes the kiosk must work at
// (landscape 1280×800 and 1920×1080, portrait 800×1280), left in BUILD/screenshots/WxH/ for
// people to look at. Each run taps its way through by label, so a widget drawn off the screen at
// some size fails the test (the input player refuses to tap outside the display); each picture
// must have the display's size and not be blank.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_test_support.h"
#include "kiosk/session/pupil_code.h"
#include "kiosk/session/staff_pin.h"
#include "png_support.h"

namespace tt::cli_testing {
namespace {

const fs::path kGallery = fs::path(TUTORTIME_BINARY_DIR) / "screenshots";

// Every question type of the baseline, one screenshot each, and the pupil-code keypad.
std::string baseline_tour(const std::string& code) {
  return "screenshot handover\ntap Tap to start\nscreenshot pupil_code\ntype " + code +
         "\ntap Start\nscreenshot notice\ntap Start\nscreenshot info\ntap Next\n"
         "screenshot scale_labelled\ntap Most of the time\nscreenshot scale_chosen\ntap Next\n"
         "tap Most of the time\ntap Next\ntap Most of the time\ntap Next\ntap Most of the time\ntap Next\n"
         "tap Most of the time\ntap Next\n"
         "screenshot faces\ntap Very sad\nscreenshot faces_chosen\ntap Next\n"
         "screenshot multiple\ntap I feel too tired\ntap Next\n"
         "tap Often\ntap Next\ntap Often\ntap Next\ntap Often\ntap Next\n"
         "screenshot sensitive\ntap Often\ntap Next\ntap Often\ntap Next\n"
         "screenshot number\ntap +\ntap Next\ntap Next\n"
         "screenshot scale_numbered\ntap 4\ntap Next\ntap 4\ntap Next\ntap 4\ntap Next\ntap 4\ntap Next\n"
         "tap 4\ntap Next\ntap 4\ntap Next\ntap 4\ntap Next\ntap Next\n"
         "screenshot single\ntap Yes, I know\ntap Next\n"
         "screenshot text\ntype vet\nscreenshot text_typed\ntap Next\n"
         "screenshot yes_no\ntap No\ntap Next\n"
         "tap No\ntap Next\ntap A little\ntap Next\ntap 3\ntap Next\ntap Next\n"
         "tap Yes\ntap Next\ntap 4\ntap Next\ntap No\ntap Next\ntap No\ntap Next\n"
         "screenshot multiple_long\ntap The future\ntap Next\ntap No\ntap Next\ntap Next\n"
         "expect-screen end\nscreenshot end\ntap I'd like to talk to someone\nscreenshot end_talk\n"
         "tap Done\nexpect-screen handover\n";
}

constexpr const char* kBilingualTour =
    "tap Tap to start\nscreenshot language\ntap Polski\ntap Zacznij\ntap Dalej\nscreenshot polish\n"
    "tap Rozmiar tekstu: 1 z 3\ntap Rozmiar tekstu: 2 z 3\nscreenshot largest_text\ntap Wysoki kontrast\n"
    "screenshot high_contrast\nwait 3.5\nscreenshot still_there\n";

constexpr const char* kStaffTour =
    "press-corner 3.5\nscreenshot staff\ntap Technician\ntype 2468\nscreenshot staff_pin\ntype 10\ntap OK\n"
    "screenshot technician\ntap Close menu\n"
    "press-corner 3.5\ntap Teacher: class session\ntype 1357\ntap OK\ntype 7B\nscreenshot class_session\n";

class UiScreensTest : public CliTest, public ::testing::WithParamInterface<std::pair<unsigned, unsigned>> {
 protected:
  void tour(const std::string& name, const std::string& taps, const fs::path& shots,
            std::vector<std::string> extra = {}) {
    auto [w, h] = GetParam();
    fs::path input = write_script(name + ".input", taps);
    std::vector<std::string> args = {
        "run",           "--headless",   "--input", input.string(),
        "--screenshots", shots.string(), "--size",  std::to_string(w) + "x" + std::to_string(h)};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult r = kiosk(args);
    ASSERT_EQ(r.exit_code, 0) << r;
  }
};

TEST_P(UiScreensTest, EveryScreenTypeFitsAndIsDrawn) {
  auto [w, h] = GetParam();
  fs::path shots = kGallery / (std::to_string(w) + "x" + std::to_string(h));
  fs::remove_all(shots);
  ASSERT_NO_FATAL_FAILURE(keygen());
  ASSERT_NO_FATAL_FAILURE(setup_kiosk());
  ASSERT_NO_FATAL_FAILURE(install(kSurveysDir / "y7-baseline.survey.json"));
  ASSERT_NO_FATAL_FAILURE(tour("baseline", baseline_tour(kiosk::make_pupil_code("7K3MP")), shots));
  {
    auto store = kiosk::KioskStore::open(data_);
    kiosk::set_pin(*store, kiosk::PinRole::Technician, "246810");
    kiosk::set_pin(*store, kiosk::PinRole::Teacher, "1357");
  }
  ASSERT_NO_FATAL_FAILURE(tour("staff", kStaffTour, shots));
  ASSERT_NO_FATAL_FAILURE(install(kSurveysDir / "demo-bilingual.survey.json"));
  ASSERT_NO_FATAL_FAILURE(
      tour("bilingual", kBilingualTour, shots, {"--survey", "demo-bilingual", "--idle-seconds", "2"}));

  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(shots)) {
    Picture p = read_png(entry.path());
    EXPECT_EQ(std::make_pair(p.width, p.height), std::make_pair(w, h)) << entry.path();
    EXPECT_GT(p.distinct_colours(), 8u) << entry.path() << " is blank";
    ++count;
  }
  EXPECT_EQ(count, 28u) << shots;  // 19 of the baseline, 4 staff, 5 bilingual
}

INSTANTIATE_TEST_SUITE_P(Sizes, UiScreensTest,
                         ::testing::Values(std::pair{1280u, 800u}, std::pair{800u, 1280u}, std::pair{1920u, 1080u}),
                         [](const auto& info) {
                           return std::to_string(info.param.first) + "x" + std::to_string(info.param.second);
                         });

}  // namespace
}  // namespace tt::cli_testing
