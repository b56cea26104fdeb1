// Whole journeys through the pupil app, by taps alone on the real app drawn headless: the Year 7
// baseline from pupil code to sealed response, a pupil who changes their mind and walks away,
// and taps that arrive faster than a pupil can read.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_test_support.h"
#include "kiosk/session/pupil_code.h"

namespace tt::cli_testing {
namespace {

using ::testing::HasSubstr;

using UiJourneyTest = CliTest;

// Every question type of the baseline, tapped as a pupil would; each comment is the answer the
// taps above it should leave.
constexpr const char* kBaselineTaps = R"(tap Tap to start
expect-screen pupil_code
type CODE
tap Start
expect-screen notice
tap Start
expect-question wellbeing_intro
tap Next
tap Most of the time
tap Next
tap Some of the time
tap Next
tap All of the time
tap Next
tap At no time
tap Next
tap Less than half of the time
tap Next
expect-question school_feeling
tap Sad
tap Next
# shown because school_feeling <= 2; one tick taken back again
expect-question school_hard
tap I feel too tired
tap I feel worried or upset
tap I feel too tired
tap Next
tap Often
tap Next
tap Always
tap Next
tap Sometimes
tap Next
expect-question feel_safe_school
tap I'd rather not say
tap Next
tap Often
tap Next
# a declined answer does not count as "unsafe", so the safety note stays hidden
expect-question sleep_hours
tap +
tap +
tap -
tap Next
expect-question skills_intro
tap Next
tap 4
tap Next
tap 2
tap Next
tap 5
tap Next
tap 3
tap Next
tap 1
tap Next
tap 4
tap Next
tap 5
tap Next
expect-question careers_intro
tap Next
tap I have some ideas
tap Next
expect-question job_idea_text
type vet
tap Next
tap Yes
tap Next
expect-question talked_jobs_who
tap A teacher or tutor
tap A friend
tap Next
tap No
tap Next
tap A little
tap Next
tap 3
tap Next
expect-question pshe_intro
tap Next
tap I'm not sure
tap Next
tap 4
tap Next
expect-question bullying
tap No
tap Next
expect-question young_carer
tap I'd rather not say
tap Next
tap Tests
tap Friends
tap Next
expect-question worries_talk
tap Yes
tap Next
expect-question anything_else
type it is ok
tap Next
expect-screen end
tap Done
expect-screen handover
)";

TEST_F(UiJourneyTest, APupilCompletesTheYear7BaselineByTapsAloneAndTheSealedResponseHoldsExactlyThem) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "y7-baseline.survey.json"}));
  std::string code = kiosk::make_pupil_code("7K3MP");
  std::string taps = kBaselineTaps;
  taps.replace(taps.find("CODE"), 4, code);
  fs::path input = write_script("baseline.input", taps);
  RunResult r = kiosk({"run", "--headless", "--input", input.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("1 response sealed")) << r;
  EXPECT_EQ(status_json()["drafts"], 0);

  RunResult e = kiosk({"outbox", "export", "--dir", (root_ / "out").string()});
  ASSERT_EQ(e.exit_code, 0) << e;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(root_ / "out")) files.push_back(entry.path());
  ASSERT_EQ(files.size(), 1u);
  RunResult o = admin({"open", "--key", (keys_ / "analysis.key").string(), files[0].string()});
  ASSERT_EQ(o.exit_code, 0) << o;
  nlohmann::json response = parse_json(o.out);
  EXPECT_EQ(response["answers"], nlohmann::json::parse(R"({
      "who5_1": 4, "who5_2": 1, "who5_3": 5, "who5_4": 0, "who5_5": 2,
      "school_feeling": 2, "school_hard": ["worried"],
      "belong_1": 4, "belong_2": 5, "friends": 3,
      "feel_safe_school": {"declined": true}, "feel_safe_journey": 4, "sleep_hours": 8,
      "conf_reading": 4, "conf_maths": 2, "conf_speaking": 5, "conf_help": 3, "conf_homework": 1,
      "optimism_1": 4, "optimism_2": 5,
      "job_idea": "some_ideas", "job_idea_text": "vet", "talked_jobs": true,
      "talked_jobs_who": ["teacher", "friend"], "met_work": false, "college_know": "a_little",
      "subjects_jobs": 3,
      "talk_adult": "not_sure", "online_safe": 4, "bullying": "no", "young_carer": {"declined": true},
      "worries": ["tests", "friends"], "worries_talk": true, "anything_else": "it is ok"})"))
      << o.out;
  EXPECT_EQ(response["identity"]["pupil_code"], code);
}

// Declines, goes back and changes an answer so that a later question (already answered) is hidden
// again, then walks away: the idle timeout hands over and the draft keeps exactly the answers
// that still apply.
TEST_F(UiJourneyTest, APupilDeclinesGoesBackChangesTheirMindAndWalksAway) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "y7-baseline.survey.json"}));
  std::string code = kiosk::make_pupil_code("4HW9T");
  std::string taps = "tap Tap to start\ntype " + code +
                     "\ntap Start\ntap Start\ntap Next\n"
                     "tap All of the time\ntap Next\ntap All of the time\ntap Next\ntap All of the time\ntap Next\n"
                     "tap All of the time\ntap Next\ntap All of the time\ntap Next\n"
                     "tap Very sad\ntap Next\nexpect-question school_hard\ntap I feel ill or in pain\n"
                     "tap Back\nexpect-question school_feeling\ntap Very happy\ntap Next\n"
                     "expect-question belong_1\ntap Often\ntap Next\ntap Often\ntap Next\ntap Often\ntap Next\n"
                     "expect-question feel_safe_school\ntap I'd rather not say\ntap Next\n"
                     "expect-question feel_safe_journey\n"
                     "wait 3.5\nexpect-screen handover\n";
  fs::path input = write_script("walk-away.input", taps);
  RunResult r =
      kiosk({"run", "--headless", "--input", input.string(), "--idle-seconds", "1", "--countdown-seconds", "1"});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("0 responses sealed")) << r;
  auto drafts = draft_plaintexts();
  ASSERT_EQ(drafts.size(), 1u);
  const nlohmann::json& answers = drafts[0]["flow"]["answers"];
  EXPECT_EQ(answers["school_feeling"], 5) << answers.dump();
  EXPECT_FALSE(answers.contains("school_hard")) << answers.dump();  // hidden again, so dropped
  EXPECT_EQ(answers["feel_safe_school"], nlohmann::json({{"declined", true}})) << answers.dump();
  EXPECT_EQ(answers.size(), 10u) << answers.dump();
}

// A double tap on Back moves back one question, not two: the second tap lands while the screen
// is still sliding in, before the pupil could see what is under their finger.
TEST_F(UiJourneyTest, ASecondTapDuringATransitionIsIgnored) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "who5.survey.json"}));
  fs::path input = write_script("double.input",
                                "tap Tap to start\ntap Start\ntap Next\ntap All of the time\ntap Next\n"
                                "tap All of the time\ntap Next\nexpect-question who5_3\n"
                                "double-tap Back\nexpect-question who5_2\n"
                                "double-tap Next\nexpect-question who5_3\n");
  RunResult r = kiosk({"run", "--headless", "--input", input.string()});
  EXPECT_EQ(r.exit_code, 0) << r;
}

// A tap on a multiple-choice card ticks it once: the touch and the mouse events SDL makes from it
// are one tap (ticking twice would untick it).
TEST_F(UiJourneyTest, ATouchTapIsCountedOnce) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kSurveysDir / "y7-baseline.survey.json"}));
  std::string code = kiosk::make_pupil_code("9PXC3");
  std::string taps = "tap Tap to start\ntype " + code +
                     "\ntap Start\ntap Start\ntap Next\n"
                     "tap At no time\ntap Next\ntap At no time\ntap Next\ntap At no time\ntap Next\n"
                     "tap At no time\ntap Next\ntap At no time\ntap Next\ntap Very sad\ntap Next\n"
                     "expect-question school_hard\ntap Some lessons are too hard\n";
  fs::path input = write_script("once.input", taps);
  RunResult r = kiosk({"run", "--headless", "--input", input.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  auto drafts = draft_plaintexts();
  ASSERT_EQ(drafts.size(), 1u);
  EXPECT_EQ(drafts[0]["flow"]["answers"]["school_hard"], nlohmann::json::array({"lessons"}));
}

}  // namespace
}  // namespace tt::cli_testing
