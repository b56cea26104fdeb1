// A pupil run headless through the real tutortime-kiosk, the outbox and its export, and the
// central team opening what comes back with tutortime-admin open. Drafts left by refused
// scripts are read back in-process (PupilSession::resume) to prove what was kept.
#include "kiosk/session/pupil_session.h"
#include "kiosk/store/kiosk_store.h"
#include "tests/cli/cli_test_support.h"

namespace tt::cli_testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const fs::path kBaseline = kSurveysDir / "y7-baseline.survey.json";
const fs::path kBaselineScript = kScriptsDir / "y7-baseline-pupil.script";
const fs::path kCheckSurvey = kDataDir / "cli-check.survey.json";
const std::string kPupilCode = "7K2M4Q";

// Script prefixes for cli-check.survey.json, and the answers a draft holds at that point.
#define PREFIX_WHO5 "next\nanswer mood 3\nnext\n"                                 // at who5_1 after line 3
#define PREFIX_TRAVEL PREFIX_WHO5 "answer who5_1 2\nnext\n"                       // at travel after line 5
#define PREFIX_CLUBS PREFIX_TRAVEL "answer travel walk\nnext\n"                   // at clubs after line 7
#define PREFIX_WORRY PREFIX_CLUBS "answer clubs [art]\nnext\n"                    // at worry after line 9
#define PREFIX_NOTE PREFIX_WORRY "answer worry no\nnext\nanswer sleep 9\nnext\n"  // at note after line 13
#define KEPT_CLUBS R"({"mood": 3, "who5_1": 2, "travel": "walk"})"                // answers at clubs
#define KEPT_NOTE R"({"mood": 3, "who5_1": 2, "travel": "walk", "clubs": ["art"], "worry": false, "sleep": 9})"

// What assets/scripts/y7-baseline-pupil.script answers, after it goes back and changes
// job_idea to not_yet (which hides job_idea_text and drops its answer).
nlohmann::json baseline_script_answers() {
  return nlohmann::json::parse(R"({
    "who5_1": 3, "who5_2": 2, "who5_3": 3, "who5_4": 1, "who5_5": 4,
    "school_feeling": 2,
    "school_hard": ["tired", "lessons"],
    "belong_1": 4, "belong_2": 3, "friends": 5,
    "feel_safe_school": 4, "feel_safe_journey": 5,
    "sleep_hours": {"declined": true},
    "conf_reading": 4, "conf_maths": 3, "conf_speaking": 2, "conf_help": 3, "conf_homework": 4,
    "optimism_1": 4, "optimism_2": 5,
    "job_idea": "not_yet",
    "talked_jobs": true,
    "talked_jobs_who": ["parent", "teacher"],
    "met_work": false,
    "college_know": "a_little",
    "subjects_jobs": 3,
    "talk_adult": "yes",
    "online_safe": 5,
    "bullying": "no",
    "young_carer": {"declined": true},
    "worries": ["tests", "future"],
    "worries_talk": true,
    "anything_else": "I like art club on Tuesdays"
  })");
}

class RunTest : public CliTest {
 protected:
  // Runs a script (text) against the kiosk; extra arguments after it.
  RunResult run_script(const std::string& text, const std::vector<std::string>& extra = {}) {
    fs::path script = write_script("pupil-" + std::to_string(++scripts_) + ".script", text);
    std::vector<std::string> args = {"run", "--headless", "--script", script.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return kiosk(args);
  }

  nlohmann::json outbox_json() {
    RunResult r = kiosk({"outbox", "list", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r;
    return parse_json(r.out);
  }

  // Exports the outbox to root_/OUT and opens every file with `key`; returns the open's result.
  RunResult export_and_open(const fs::path& key) {
    RunResult e = kiosk({"outbox", "export", "--dir", (root_ / "OUT").string()});
    EXPECT_EQ(e.exit_code, 0) << e;
    std::vector<std::string> args = {"open", "--key", key.string()};
    for (const auto& f : fs::directory_iterator(root_ / "OUT")) args.push_back(f.path().string());
    return admin(args);
  }

  // The one draft in the store, resumed in-process: its flow as JSON (state, answers, question).
  nlohmann::json only_draft_flow() {
    auto store = kiosk::KioskStore::open(data_);
    auto drafts = store->drafts();
    EXPECT_EQ(drafts.size(), 1u);
    if (drafts.size() != 1) return nullptr;
    auto session = kiosk::PupilSession::resume(*store, drafts[0].id);
    return session.flow().to_json();
  }

  int scripts_ = 0;
};

// ---------------------------------------------------------------------------------------------
// The main job, end to end

TEST_F(RunTest, TheBaselineScriptSealsExactlyWhatItAnswered) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kBaseline}));
  RunResult run = kiosk({"run", "--headless", "--script", kBaselineScript.string(), "--pupil-code", kPupilCode});
  ASSERT_EQ(run.exit_code, 0) << run;
  EXPECT_THAT(run.out, HasSubstr("finish: saved"));
  EXPECT_THAT(run.out, HasSubstr("waiting in the outbox"));
  EXPECT_EQ(run.err, "") << run;

  nlohmann::json outbox = outbox_json();
  ASSERT_EQ(outbox.size(), 1u) << outbox;
  EXPECT_EQ(outbox[0]["survey_id"], "y7-baseline");
  EXPECT_EQ(outbox[0]["survey_version"], 1);
  EXPECT_TRUE(outbox[0]["acknowledged_at"].is_null());
  const std::string id = outbox[0].value("response_id", "");
  ASSERT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{32}"))) << outbox;
  EXPECT_THAT(run.out, HasSubstr(id));
  nlohmann::json status = status_json();
  EXPECT_EQ(status["drafts"], 0) << "finish must remove the draft\n" << status;
  EXPECT_EQ(status["outbox_waiting"], 1) << status;

  // Export: OUT/<id>.bin, exactly the sealed bytes, and nothing else.
  RunResult e = kiosk({"outbox", "export", "--dir", (root_ / "OUT").string()});
  ASSERT_EQ(e.exit_code, 0) << e;
  EXPECT_THAT(e.out, HasSubstr("Exported 1 sealed response"));
  auto exported = contents_of(root_ / "OUT");
  ASSERT_EQ(exported.size(), 1u);
  ASSERT_EQ(exported.begin()->first, id + ".bin");
  EXPECT_EQ(exported.begin()->second.size(), outbox[0]["bytes"].get<std::size_t>());
  EXPECT_EQ(mode_of(root_ / "OUT" / (id + ".bin")), 0644u);
  EXPECT_EQ(outbox_json().size(), 1u) << "the outbox keeps exported responses";

  RunResult open =
      admin({"open", "--key", (keys_ / "analysis.key").string(), (root_ / "OUT" / (id + ".bin")).string()});
  ASSERT_EQ(open.exit_code, 0) << open;
  EXPECT_EQ(open.err, "") << open;
  std::vector<std::string> lines = lines_of(open.out);
  ASSERT_EQ(lines.size(), 1u) << "open prints one line of JSON per response\n" << open;
  nlohmann::json response = parse_json(lines[0]);
  ASSERT_TRUE(response.is_object());

  const nlohmann::json& answers = response["answers"];
  EXPECT_EQ(answers["who5_1"], 3);
  EXPECT_EQ(answers["school_hard"], nlohmann::json({"tired", "lessons"}));
  EXPECT_EQ(answers["talked_jobs_who"], nlohmann::json({"parent", "teacher"}));
  EXPECT_EQ(answers["sleep_hours"], nlohmann::json({{"declined", true}}));
  EXPECT_EQ(answers["young_carer"], nlohmann::json({{"declined", true}}));
  EXPECT_EQ(answers["anything_else"], "I like art club on Tuesdays");
  EXPECT_EQ(answers["job_idea"], "not_yet");
  EXPECT_FALSE(answers.contains("job_idea_text"))
      << "job_idea_text is hidden by job_idea = not_yet, so its earlier answer must be dropped: " << answers;
  EXPECT_FALSE(answers.contains("wellbeing_intro")) << "info screens have no answer";
  EXPECT_EQ(answers, baseline_script_answers()) << "the sealed answers differ from the script's";

  EXPECT_EQ(response["format"], "tutortime-response/1");
  EXPECT_EQ(response["response_id"], id);
  EXPECT_EQ(response["survey"], nlohmann::json({{"id", "y7-baseline"}, {"version", 1}}));
  EXPECT_EQ(response["identity"], nlohmann::json({{"mode", "pupil_code"}, {"pupil_code", kPupilCode}}));
  EXPECT_EQ(response["device_id"], status["device_id"]);
  EXPECT_EQ(response["language"], "en");
  EXPECT_EQ(response["talk_to_someone"], false);
  EXPECT_THAT(response["flags"].get<std::vector<std::string>>(), ::testing::Contains("wants_to_talk"));
  EXPECT_EQ(response["scores"]["who5"]["value"], 52.0);
  EXPECT_TRUE(std::regex_match(response.value("finished_at", ""), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\dZ)")))
      << response["finished_at"];

  // Nothing the pupil said is on the kiosk's disk in plaintext.
  for (const auto& [name, bytes] : contents_of(data_)) {
    EXPECT_EQ(bytes.find("art club on Tuesdays"), std::string::npos) << name << " holds the free text";
    EXPECT_EQ(bytes.find(kPupilCode), std::string::npos) << name << " holds the pupil code";
  }
  for (const auto& [name, bytes] : exported) {
    EXPECT_EQ(bytes.find("art club"), std::string::npos) << name << " is not sealed";
    EXPECT_EQ(bytes.find(kPupilCode), std::string::npos) << name << " is not sealed";
  }
}

TEST_F(RunTest, ExportingTwiceWritesTheSameFileAndKeepsTheOutbox) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kCheckSurvey}));
  RunResult ok = run_script(
      "next\nanswer mood 4\nnext\nanswer who5_1 1\nnext\nanswer travel car\nnext\nnext\nnext\nnext\nfinish\n");
  ASSERT_EQ(ok.exit_code, 0) << ok;
  RunResult first = kiosk({"outbox", "export", "--dir", (root_ / "OUT").string()});
  ASSERT_EQ(first.exit_code, 0) << first;
  auto once = contents_of(root_ / "OUT");
  RunResult second = kiosk({"outbox", "export", "--dir", (root_ / "OUT").string()});
  ASSERT_EQ(second.exit_code, 0) << second;
  EXPECT_EQ(contents_of(root_ / "OUT"), once);
  EXPECT_EQ(status_json()["outbox_waiting"], 1);
}

TEST_F(RunTest, OpenWithAnotherAnalysisKeyFailsAndPrintsNothing) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kCheckSurvey}));
  RunResult run = run_script(
      "next\nanswer mood 4\nnext\nanswer who5_1 1\nnext\nanswer travel car\nnext\nnext\nnext\nnext\nfinish\n");
  ASSERT_EQ(run.exit_code, 0) << run;
  fs::path other = root_ / "other-keys";
  ASSERT_NO_FATAL_FAILURE(keygen(other));
  RunResult r = export_and_open(other / "analysis.key");
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_EQ(r.out, "") << "nothing may be printed for a response that did not open\n" << r;
  EXPECT_THAT(r.err, HasSubstr("does not open with this analysis key"));

  // The signing key is not an analysis key at all.
  RunResult wrong_kind = export_and_open(keys_ / "signing.key");
  EXPECT_EQ(wrong_kind.exit_code, 3) << wrong_kind;
  EXPECT_EQ(wrong_kind.out, "");
  EXPECT_THAT(wrong_kind.err, HasSubstr("signing.key"));

  // And the right key opens it (so the failures above are about the key).
  RunResult right = export_and_open(keys_ / "analysis.key");
  EXPECT_EQ(right.exit_code, 0) << right;
  EXPECT_EQ(lines_of(right.out).size(), 1u);
}

TEST_F(RunTest, AnAlteredOrTruncatedFileDoesNotOpen) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kCheckSurvey}));
  ASSERT_EQ(run_script(PREFIX_TRAVEL "answer travel car\nnext\nnext\nnext\nnext\nfinish\n").exit_code, 0);
  ASSERT_EQ(kiosk({"outbox", "export", "--dir", (root_ / "OUT").string()}).exit_code, 0);
  fs::path file = fs::directory_iterator(root_ / "OUT")->path();
  std::string sealed = read_text(file);
  for (std::size_t at : {std::size_t{0}, sealed.size() / 2, sealed.size() - 1}) {
    std::string altered = sealed;
    altered[at] = static_cast<char>(altered[at] ^ 0x01);
    write_text(file, altered);
    RunResult r = admin({"open", "--key", (keys_ / "analysis.key").string(), file.string()});
    EXPECT_EQ(r.exit_code, 3) << "byte " << at << "\n" << r;
    EXPECT_EQ(r.out, "") << r;
    EXPECT_THAT(r.err, HasSubstr("does not open")) << r;
  }
  write_text(file, sealed.substr(0, 40));
  RunResult truncated = admin({"open", "--key", (keys_ / "analysis.key").string(), file.string()});
  EXPECT_EQ(truncated.exit_code, 3) << truncated;
  EXPECT_EQ(truncated.out, "") << truncated;
  write_text(file, sealed);
  EXPECT_EQ(admin({"open", "--key", (keys_ / "analysis.key").string(), file.string()}).exit_code, 0);
}

TEST_F(RunTest, ARenamedFileNeedsItsResponseId) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kCheckSurvey}));
  ASSERT_EQ(run_script(
                "next\nanswer mood 4\nnext\nanswer who5_1 1\nnext\nanswer travel car\nnext\nnext\nnext\nnext\nfinish\n")
                .exit_code,
            0);
  ASSERT_EQ(kiosk({"outbox", "export", "--dir", (root_ / "OUT").string()}).exit_code, 0);
  fs::path exported = fs::directory_iterator(root_ / "OUT")->path();
  std::string id = exported.stem().string();
  fs::path renamed = root_ / "response.bin";
  fs::rename(exported, renamed);

  RunResult r = admin({"open", "--key", (keys_ / "analysis.key").string(), renamed.string()});
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_EQ(r.out, "") << r;
  EXPECT_THAT(r.err, HasSubstr(renamed.string()));
  EXPECT_THAT(r.err, HasSubstr("response id"));
  EXPECT_THAT(r.err, HasSubstr("--response-id"));

  RunResult with_id =
      admin({"open", "--key", (keys_ / "analysis.key").string(), "--response-id", id, renamed.string()});
  EXPECT_EQ(with_id.exit_code, 0) << with_id;
  ASSERT_EQ(lines_of(with_id.out).size(), 1u) << with_id;
  EXPECT_EQ(parse_json(with_id.out)["response_id"], id);

  // Another (well-formed) id is not this response's: the id is bound into the seal.
  std::string other_id = id;
  other_id[0] = other_id[0] == '0' ? '1' : '0';
  RunResult wrong_id =
      admin({"open", "--key", (keys_ / "analysis.key").string(), "--response-id", other_id, renamed.string()});
  EXPECT_EQ(wrong_id.exit_code, 3) << wrong_id;
  EXPECT_EQ(wrong_id.out, "");

  // One good file and one bad: the good one is still printed, and the exit says one failed.
  fs::path good = root_ / (id + ".bin");
  fs::copy_file(renamed, good);
  RunResult mixed = admin({"open", "--key", (keys_ / "analysis.key").string(), good.string(), renamed.string()});
  EXPECT_EQ(mixed.exit_code, 3) << mixed;
  EXPECT_EQ(lines_of(mixed.out).size(), 1u) << mixed;
  EXPECT_THAT(mixed.err, HasSubstr("response.bin"));
}

TEST_F(RunTest, TalkToSomeoneIsSealedAndAnAnonymousSurveyNeverCarriesAPupilCode) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kCheckSurvey}));
  RunResult run = run_script(
      "# a comment\n\nnext\nanswer mood 5\nnext\nanswer who5_1 5\nnext\nanswer travel \"bus\"\nnext\n"
      "answer clubs music,art\nnext\ndecline worry\ntalk-to-someone\nnext\nanswer sleep 16\nnext\n"
      "answer note \"He said \\\"hi\\\" \\\\ ok\"\nfinish\n",
      {"--pupil-code", "SECRET9"});
  ASSERT_EQ(run.exit_code, 0) << run;
  RunResult open = export_and_open(keys_ / "analysis.key");
  ASSERT_EQ(open.exit_code, 0) << open;
  nlohmann::json response = parse_json(open.out);
  EXPECT_EQ(response["talk_to_someone"], true);
  EXPECT_EQ(response["identity"], nlohmann::json({{"mode", "anonymous"}}));
  EXPECT_THAT(open.out, Not(HasSubstr("SECRET9")));
  EXPECT_EQ(response["answers"], nlohmann::json::parse(R"({"mood": 5, "who5_1": 5, "travel": "bus",
      "clubs": ["art", "music"], "worry": {"declined": true}, "sleep": 16, "note": "He said \"hi\" \\ ok"})"));
}

// ---------------------------------------------------------------------------------------------
// Refused script actions: exit 4, the line and the reason, and the draft keeps what came before

struct Refusal {
  const char* name;
  const char* script;
  int line;               // the refused line
  const char* verb;       // as the message names it
  const char* words;      // part of the reason
  const char* kept;       // the draft's answers afterwards (JSON)
  const char* on_screen;  // the draft's question afterwards ("" at the end)
};

std::ostream& operator<<(std::ostream& os, const Refusal& r) {
  return os << r.name;
}

class ScriptRefusalTest : public RunTest, public ::testing::WithParamInterface<Refusal> {};

TEST_P(ScriptRefusalTest, ExitsFourNamingTheLineAndKeepsTheDraft) {
  const Refusal& c = GetParam();
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kCheckSurvey}));
  RunResult r = run_script(c.script);
  EXPECT_EQ(r.exit_code, 4) << r;
  std::string where = "line " + std::to_string(c.line) + ": " + c.verb + ": ";
  EXPECT_THAT(r.err, HasSubstr(where)) << r;
  EXPECT_THAT(r.err, HasSubstr(c.words)) << r;
  EXPECT_THAT(r.err, HasSubstr("saved in draft")) << r;
  EXPECT_THAT(r.out, Not(HasSubstr("line " + std::to_string(c.line) + ":"))) << "the refused line was reported saved";
  if (c.line > 1) {
    EXPECT_THAT(r.out, HasSubstr("line " + std::to_string(c.line - 1) + ":")) << "the line before was not reported";
  }

  nlohmann::json status = status_json();
  EXPECT_EQ(status["drafts"], 1) << status;
  EXPECT_EQ(status["outbox_waiting"], 0) << status;
  nlohmann::json flow = only_draft_flow();
  ASSERT_TRUE(flow.is_object()) << flow;
  EXPECT_EQ(flow["answers"], nlohmann::json::parse(c.kept))
      << "the draft does not hold the answers before line " << c.line;
  if (std::string(c.on_screen).empty()) {
    EXPECT_EQ(flow["state"], survey::flow_state_name(survey::Flow::State::AtEnd)) << flow;
  } else {
    EXPECT_EQ(flow.value("question", ""), c.on_screen) << flow;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ScriptRefusalTest,
    ::testing::Values(
        Refusal{"not_on_screen", PREFIX_WHO5 "answer travel bus\n", 4, "answer",
                "the question on screen is who5_1, not travel", R"({"mood": 3})", "who5_1"},
        Refusal{"out_of_range", PREFIX_WHO5 "answer who5_1 6\n", 4, "answer", "outside the range", R"({"mood": 3})",
                "who5_1"},
        Refusal{"below_range", PREFIX_WHO5 "answer who5_1 -1\n", 4, "answer", "0 to 5", R"({"mood": 3})", "who5_1"},
        Refusal{"not_a_number", PREFIX_WHO5 "answer who5_1 lots\n", 4, "answer", "needs a whole number",
                R"({"mood": 3})", "who5_1"},
        Refusal{"no_such_option", PREFIX_TRAVEL "answer travel plane\n", 6, "answer", "not one of the options",
                R"({"mood": 3, "who5_1": 2})", "travel"},
        Refusal{"no_such_choice", PREFIX_CLUBS "answer clubs [art, chess]\n", 8, "answer", "not an option", KEPT_CLUBS,
                "clubs"},
        Refusal{"too_many_choices", PREFIX_CLUBS "answer clubs [art, music, sport]\n", 8, "answer", "at most 2",
                KEPT_CLUBS, "clubs"},
        Refusal{"unclosed_list", PREFIX_CLUBS "answer clubs [art, music\n", 8, "answer", "needs a list", KEPT_CLUBS,
                "clubs"},
        Refusal{"not_yes_or_no", PREFIX_WORRY "answer worry maybe\n", 10, "answer", "needs yes or no",
                R"({"mood": 3, "who5_1": 2, "travel": "walk", "clubs": ["art"]})", "worry"},
        Refusal{"decline_not_offered", PREFIX_WHO5 "decline who5_1\n", 4, "decline", "does not offer", R"({"mood": 3})",
                "who5_1"},
        Refusal{"next_on_unanswered_required", PREFIX_WHO5 "next\n", 4, "next", "needs an answer", R"({"mood": 3})",
                "who5_1"},
        Refusal{"next_after_clear", PREFIX_WHO5 "answer who5_1 2\nclear who5_1\nnext\n", 6, "next", "needs an answer",
                R"({"mood": 3})", "who5_1"},
        Refusal{"text_not_quoted", PREFIX_NOTE "answer note hello\n", 14, "answer", "double quotes", KEPT_NOTE, "note"},
        Refusal{"unknown_escape", PREFIX_NOTE "answer note \"a\\tb\"\n", 14, "answer", "unknown escape", KEPT_NOTE,
                "note"},
        Refusal{"empty_text", PREFIX_NOTE "answer note \"\"\n", 14, "answer", "empty", KEPT_NOTE, "note"},
        Refusal{"answer_on_an_info_screen", "answer intro 1\n", 1, "answer", "information screen", "{}", "intro"},
        Refusal{"back_on_the_first_question", "back\n", 1, "back", "first question", "{}", "intro"},
        Refusal{"nothing_on_screen_at_the_end", PREFIX_NOTE "answer note \"hi\"\nnext\nanswer note \"again\"\n", 16,
                "answer", "no question on screen",
                R"({"mood": 3, "who5_1": 2, "travel": "walk", "clubs": ["art"], "worry": false, "sleep": 9,
                    "note": "hi"})",
                ""},
        Refusal{"finish_too_early", PREFIX_CLUBS "finish\n", 8, "finish", "more questions", KEPT_CLUBS, "clubs"}),
    [](const ::testing::TestParamInfo<Refusal>& info) { return std::string(info.param.name); });

struct BadScript {
  const char* name;
  const char* script;
  int line;
  const char* words;
};

std::ostream& operator<<(std::ostream& os, const BadScript& b) {
  return os << b.name;
}

class InvalidScriptTest : public RunTest, public ::testing::WithParamInterface<BadScript> {};

TEST_P(InvalidScriptTest, ExitsThreeNamingTheLineAndStartsNothing) {
  const BadScript& b = GetParam();
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kCheckSurvey}));
  RunResult r = run_script(b.script);
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_THAT(r.err, HasSubstr("line " + std::to_string(b.line) + ": ")) << r;
  EXPECT_THAT(r.err, HasSubstr(b.words)) << r;
  EXPECT_THAT(r.err, HasSubstr(".script")) << "the message should name the script file\n" << r;
  EXPECT_EQ(r.out, "") << "an invalid script must not start a pupil\n" << r;
  EXPECT_EQ(status_json()["drafts"], 0) << "an invalid script left a draft";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, InvalidScriptTest,
    ::testing::Values(
        BadScript{"unknown_verb", "next\nanswer mood 3\nfrobnicate\n", 3, "unknown action \"frobnicate\""},
        BadScript{"misspelt_verb_late", PREFIX_WHO5 "anwser who5_1 2\n", 4, "unknown action \"anwser\""},
        BadScript{"answer_without_value", "next\nanswer mood\n", 2, "answer needs a question id and a value"},
        BadScript{"next_with_argument", "# start\n\nnext please\n", 3, "next takes no arguments"},
        BadScript{"decline_two_ids", "next\ndecline worry sleep\n", 2, "exactly one question id"}),
    [](const ::testing::TestParamInfo<BadScript>& info) { return std::string(info.param.name); });

TEST_F(RunTest, AMissingScriptFileIsNamed) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kCheckSurvey}));
  RunResult r = kiosk({"run", "--headless", "--script", (root_ / "nope.script").string()});
  EXPECT_NE(r.exit_code, 0) << r;
  EXPECT_THAT(r.err, HasSubstr("nope.script"));
  EXPECT_EQ(status_json()["drafts"], 0);
}

// ---------------------------------------------------------------------------------------------
// Choosing the survey, the pupil code and the language

TEST_F(RunTest, APupilCodeSurveyNeedsAPupilCode) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kBaseline}));
  RunResult r = run_script("next\nanswer who5_1 3\n");
  EXPECT_NE(r.exit_code, 0) << r;
  EXPECT_NE(r.exit_code, 4) << "nothing was refused: the run never started\n" << r;
  EXPECT_THAT(r.err, HasSubstr("needs a pupil code"));
  EXPECT_EQ(status_json()["drafts"], 0) << "no draft may start without the code";
}

TEST_F(RunTest, AnEmptyPupilCodeIsNotAPupilCode) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kBaseline}));
  RunResult r = run_script("next\n", {"--pupil-code="});
  // An empty code would be sealed as "pupil_code": "" and could never be traced to a pupil.
  EXPECT_NE(r.exit_code, 0) << r;
  EXPECT_THAT(r.err, HasSubstr("pupil code")) << r;
  EXPECT_EQ(status_json()["drafts"], 0);
}

TEST_F(RunTest, TwoSurveysNeedSurveyOption) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kCheckSurvey, kSurveysDir / "who5.survey.json"}));
  RunResult r = run_script("next\n");
  EXPECT_EQ(r.exit_code, 2) << r;
  EXPECT_THAT(r.err, HasSubstr("--survey"));
  EXPECT_EQ(status_json()["drafts"], 0);

  RunResult chosen = run_script("next\nanswer who5_1 4\n", {"--survey", "who5"});
  EXPECT_EQ(chosen.exit_code, 0) << chosen;
  auto store = kiosk::KioskStore::open(data_);
  auto drafts = store->drafts();
  ASSERT_EQ(drafts.size(), 1u);
  EXPECT_EQ(drafts[0].survey_id, "who5");
}

TEST_F(RunTest, AnUninstalledSurveyOrLanguageIsRefused) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({}));
  RunResult none = run_script("next\n");
  EXPECT_NE(none.exit_code, 0) << none;
  EXPECT_THAT(none.err, HasSubstr("survey install"));

  ASSERT_NO_FATAL_FAILURE(install(kCheckSurvey));
  RunResult unknown = run_script("next\n", {"--survey", "nope"});
  EXPECT_NE(unknown.exit_code, 0) << unknown;
  EXPECT_THAT(unknown.err, HasSubstr("nope"));
  EXPECT_THAT(unknown.err, HasSubstr("not installed"));

  RunResult language = run_script("next\n", {"--language", "pl"});
  EXPECT_NE(language.exit_code, 0) << language;
  EXPECT_THAT(language.err, HasSubstr("language \"pl\""));
  EXPECT_EQ(status_json()["drafts"], 0);
}

TEST_F(RunTest, AScriptThatEndsBeforeFinishLeavesADraft) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kCheckSurvey}));
  RunResult r = run_script(PREFIX_TRAVEL "answer travel bus\n");
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("ended before finish"));
  nlohmann::json status = status_json();
  EXPECT_EQ(status["drafts"], 1) << status;
  EXPECT_EQ(status["outbox_waiting"], 0) << status;
  EXPECT_EQ(outbox_json(), nlohmann::json::array());
  nlohmann::json flow = only_draft_flow();
  EXPECT_EQ(flow["answers"], nlohmann::json::parse(R"({"mood": 3, "who5_1": 2, "travel": "bus"})")) << flow;
  EXPECT_EQ(flow.value("question", ""), "travel");
  for (const auto& [name, bytes] : contents_of(data_)) {
    EXPECT_EQ(bytes.find("\"travel\":\"bus\""), std::string::npos) << name << " holds the draft in plaintext";
  }
}

// The help says an action that does not fit stops the run with exit 4. After finish nothing fits,
// but the runner returns at finish and ignores the rest: a `talk-to-someone` after finish is lost.
TEST_F(RunTest, ActionsAfterFinishAreNotSilentlyIgnored) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kCheckSurvey}));
  RunResult r = run_script(PREFIX_TRAVEL "answer travel bus\nnext\nnext\nnext\nnext\nfinish\ntalk-to-someone\n");
  // The script is refused before it runs (exit 3, an invalid script): after finish the
  // response is sealed, so talk-to-someone could no longer reach it.
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_THAT(r.err, HasSubstr("line 11")) << r;
  EXPECT_THAT(r.err, HasSubstr("finish must be the last action")) << r;
}

// ---------------------------------------------------------------------------------------------
// Messages never echo what the pupil answered

struct Secret {
  const char* name;
  const char* script;
  const char* secret;  // must not appear in stdout or stderr
  int exit_code;
};

std::ostream& operator<<(std::ostream& os, const Secret& s) {
  return os << s.name;
}

class NoEchoTest : public RunTest, public ::testing::WithParamInterface<Secret> {};

TEST_P(NoEchoTest, TheRefusedValueIsNotInTheOutput) {
  const Secret& s = GetParam();
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kCheckSurvey}));
  RunResult r = run_script(s.script);
  EXPECT_EQ(r.exit_code, s.exit_code) << r;
  EXPECT_THAT(scrubbed(r.out, root_), Not(HasSubstr(s.secret))) << r;
  EXPECT_THAT(scrubbed(r.err, root_), Not(HasSubstr(s.secret))) << r;
  EXPECT_THAT(r.err, HasSubstr("line ")) << "the refusal still says where\n" << r;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, NoEchoTest,
    ::testing::Values(
        Secret{"out_of_range", PREFIX_WHO5 "answer who5_1 77\n", "77", 4},
        Secret{"far_out_of_range", PREFIX_WHO5 "answer who5_1 987654\n", "987654", 4},
        Secret{"not_a_number", PREFIX_WHO5 "answer who5_1 sadness\n", "sadness", 4},
        Secret{"text_too_long", PREFIX_NOTE "answer note \"Nobody knows I sleep in the car\"\n", "sleep in the car", 4},
        Secret{"text_on_the_wrong_screen", PREFIX_WHO5 "answer note \"my secret words\"\n", "secret", 4},
        Secret{"text_as_an_option", PREFIX_TRAVEL "answer travel \"my dad drives me\"\n", "dad drives", 4},
        Secret{"unknown_choice", PREFIX_CLUBS "answer clubs [art, hidingplace]\n", "hidingplace", 4},
        Secret{"bad_escape_in_text", PREFIX_NOTE "answer note \"I am scared \\q\"\n", "scared", 4}),
    [](const ::testing::TestParamInfo<Secret>& info) { return std::string(info.param.name); });

TEST_F(RunTest, AcceptedAnswersAreNotPrintedEither) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kCheckSurvey}));
  RunResult r = run_script(PREFIX_NOTE "answer note \"my private note\"\n");
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out + r.err, Not(HasSubstr("private note"))) << r;
}

}  // namespace
}  // namespace tt::cli_testing
