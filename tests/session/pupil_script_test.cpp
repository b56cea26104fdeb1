// The headless pupil script: parse_pupil_script (verbs, comments, blank lines, errors naming the
// line) and interpret_script_value (each question type's values, quoting, lists, and errors
// that never repeat the value).
#include "kiosk/session/pupil_script.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "shared/survey/survey_loader.h"

namespace tt::kiosk {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Kind = ScriptAction::Kind;
using survey::Answer;
using survey::OptionIds;

// Runs parse_pupil_script expecting a ScriptError; returns its message.
std::string parse_error(const std::string& text) {
  try {
    parse_pupil_script(text);
  } catch (const ScriptError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no ScriptError for:\n" << text;
  return {};
}

TEST(PupilScriptParse, EveryVerb) {
  auto actions = parse_pupil_script(
      "answer who5_1 3\n"
      "decline sleep_hours\n"
      "clear who5_1\n"
      "next\n"
      "back\n"
      "talk-to-someone\n"
      "finish\n");
  ASSERT_EQ(actions.size(), 7u);
  EXPECT_EQ(actions[0].kind, Kind::Answer);
  EXPECT_EQ(actions[0].question_id, "who5_1");
  EXPECT_EQ(actions[0].raw_value, "3");
  EXPECT_EQ(actions[1].kind, Kind::Decline);
  EXPECT_EQ(actions[1].question_id, "sleep_hours");
  EXPECT_EQ(actions[2].kind, Kind::Clear);
  EXPECT_EQ(actions[2].question_id, "who5_1");
  EXPECT_EQ(actions[3].kind, Kind::Next);
  EXPECT_EQ(actions[4].kind, Kind::Back);
  EXPECT_EQ(actions[5].kind, Kind::TalkToSomeone);
  EXPECT_EQ(actions[6].kind, Kind::Finish);
  for (std::size_t i = 0; i < actions.size(); ++i) EXPECT_EQ(actions[i].line, i + 1);
  for (std::size_t i = 3; i < actions.size(); ++i) {
    EXPECT_EQ(actions[i].question_id, "") << i;
    EXPECT_EQ(actions[i].raw_value, "") << i;
  }
}

TEST(PupilScriptParse, CommentsAndBlankLinesAreSkippedButCounted) {
  auto actions = parse_pupil_script(
      "# a pupil\n"
      "\n"
      "   # indented comment\n"
      "\t\n"
      "next\n"
      "   \n"
      "  answer   mood \t 4  \n"
      "#answer mood 5\n");
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].kind, Kind::Next);
  EXPECT_EQ(actions[0].line, 5u);
  EXPECT_EQ(actions[1].kind, Kind::Answer);
  EXPECT_EQ(actions[1].line, 7u);
  EXPECT_EQ(actions[1].question_id, "mood");
  EXPECT_EQ(actions[1].raw_value, "4");
  EXPECT_TRUE(parse_pupil_script("").empty());
  EXPECT_TRUE(parse_pupil_script("# only a comment").empty());
  EXPECT_TRUE(parse_pupil_script("\n\n\n").empty());
}

TEST(PupilScriptParse, WindowsLineEndingsAndNoFinalNewline) {
  auto actions = parse_pupil_script("next\r\nanswer mood 2\r\nback");
  ASSERT_EQ(actions.size(), 3u);
  EXPECT_EQ(actions[1].raw_value, "2");
  EXPECT_EQ(actions[2].kind, Kind::Back);
  EXPECT_EQ(actions[2].line, 3u);
}

TEST(PupilScriptParse, AnAnswerKeepsItsValueAsWritten) {
  auto actions = parse_pupil_script(
      "answer note \"  two  spaces and # not a comment \"\n"
      "answer clubs [art, music]\n"
      "answer clubs art,music\n");
  ASSERT_EQ(actions.size(), 3u);
  EXPECT_EQ(actions[0].raw_value, "\"  two  spaces and # not a comment \"");
  EXPECT_EQ(actions[1].raw_value, "[art, music]");
  EXPECT_EQ(actions[2].raw_value, "art,music");
}

struct ParseFailure {
  const char* name;
  const char* script;
  const char* line;   // "line N: "
  const char* words;  // part of the message
};

std::ostream& operator<<(std::ostream& os, const ParseFailure& f) {
  return os << f.name;
}

class PupilScriptParseError : public ::testing::TestWithParam<ParseFailure> {};

TEST_P(PupilScriptParseError, NamesTheLineAndTheProblem) {
  const ParseFailure& f = GetParam();
  std::string message = parse_error(f.script);
  EXPECT_EQ(message.rfind(f.line, 0), 0u) << "expected to start with \"" << f.line << "\": " << message;
  EXPECT_THAT(message, HasSubstr(f.words));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PupilScriptParseError,
    ::testing::Values(
        ParseFailure{"misspelt_verb", "next\n# ok\nanwser mood 3\n", "line 3: ", "unknown action \"anwser\""},
        ParseFailure{"unknown_verb", "frobnicate",
                     "line 1: ", "expected answer, decline, clear, next, back, finish or talk-to-someone"},
        ParseFailure{"capitalised_verb", "Next\n", "line 1: ", "unknown action \"Next\""},
        ParseFailure{"answer_alone", "next\nanswer\n", "line 2: ", "answer needs a question id and a value"},
        ParseFailure{"answer_without_value", "answer mood\n", "line 1: ", "answer needs a question id and a value"},
        ParseFailure{"answer_value_only_spaces", "answer mood   \n",
                     "line 1: ", "answer needs a question id and a value"},
        ParseFailure{"decline_alone", "decline\n", "line 1: ", "decline needs exactly one question id"},
        ParseFailure{"decline_two_ids", "decline worry sleep\n", "line 1: ", "decline needs exactly one question id"},
        ParseFailure{"clear_alone", "\n\nclear\n", "line 3: ", "clear needs exactly one question id"},
        ParseFailure{"clear_two_ids", "clear a b\n", "line 1: ", "clear needs exactly one question id"},
        ParseFailure{"next_with_argument", "next now\n", "line 1: ", "next takes no arguments"},
        ParseFailure{"back_with_argument", "back 2\n", "line 1: ", "back takes no arguments"},
        ParseFailure{"finish_with_argument", "next\nfinish please\n", "line 2: ", "finish takes no arguments"},
        ParseFailure{"talk_with_argument", "talk-to-someone now\n", "line 1: ", "talk-to-someone takes no arguments"},
        ParseFailure{"trailing_comment", "next # go on\n", "line 1: ", "next takes no arguments"}),
    [](const ::testing::TestParamInfo<ParseFailure>& info) { return std::string(info.param.name); });

TEST(PupilScriptParse, TheFirstBadLineIsReported) {
  std::string message = parse_error("next\nbogus\nalso bogus\n");
  EXPECT_THAT(message, HasSubstr("line 2: "));
  EXPECT_THAT(message, Not(HasSubstr("line 3")));
}

// ---------------------------------------------------------------------------------------------
// interpret_script_value

class PupilScriptValue : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    survey_ = new survey::Survey(survey::load_survey_text(R"({
      "format": 1, "id": "script-values", "version": 1, "title": "Values",
      "languages": ["en"], "audience": {"year_groups": [7]}, "identity": "anonymous",
      "sections": [{"id": "main", "title": "Main", "category": "other", "questions": [
        {"id": "intro", "type": "info", "text": "Hello."},
        {"id": "mood", "type": "feelings", "text": "Mood?"},
        {"id": "rate", "type": "scale", "text": "Rate", "points": 5, "first_value": -2,
         "min_label": "Low", "max_label": "High"},
        {"id": "hours", "type": "number", "text": "Hours?", "min": 0, "max": 16},
        {"id": "ok", "type": "yes_no", "text": "OK?"},
        {"id": "travel", "type": "single", "text": "Travel?",
         "options": [{"id": "bus", "label": "Bus"}, {"id": "walk", "label": "Walk"}]},
        {"id": "clubs", "type": "multiple", "text": "Clubs?",
         "options": [{"id": "art", "label": "Art"}, {"id": "music", "label": "Music"}]},
        {"id": "note", "type": "text", "text": "Note?", "max_length": 100}
      ]}],
      "end_message": "Bye", "safeguarding": {}
    })",
                                                          "script-values"));
  }
  static void TearDownTestSuite() {
    delete survey_;
    survey_ = nullptr;
  }

  static const survey::Question& q(const std::string& id) {
    const survey::Question* question = survey_->question(id);
    if (question == nullptr) throw Error("no question " + id);
    return *question;
  }
  static Answer value(const std::string& id, const std::string& raw) { return interpret_script_value(q(id), raw); }
  // Expects a ScriptError; checks it does not repeat `raw`; returns the message.
  static std::string value_error(const std::string& id, const std::string& raw) {
    try {
      Answer a = interpret_script_value(q(id), raw);
      ADD_FAILURE() << id << " accepted " << raw << " as " << survey::answer_to_json(a).dump();
    } catch (const ScriptError& e) {
      std::string message = e.what();
      if (raw.size() >= 3) {
        EXPECT_THAT(message, Not(HasSubstr(raw))) << "the message repeats the value";
      }
      return message;
    }
    return {};
  }

  static survey::Survey* survey_;
};

survey::Survey* PupilScriptValue::survey_ = nullptr;

TEST_F(PupilScriptValue, WholeNumbers) {
  EXPECT_EQ(value("mood", "3"), Answer(std::int64_t{3}));
  EXPECT_EQ(value("rate", "-2"), Answer(std::int64_t{-2}));
  EXPECT_EQ(value("hours", "0"), Answer(std::int64_t{0}));
  // Out of range is the flow's business, not the parser's.
  EXPECT_EQ(value("mood", "77"), Answer(std::int64_t{77}));
  EXPECT_EQ(value("hours", "9223372036854775807"), Answer(std::int64_t{9223372036854775807}));
}

TEST_F(PupilScriptValue, BadNumbers) {
  for (const char* raw : {"three", "3.5", "3 4", "0x10", "1e3", "", "-", "+3", "3a", "99999999999999999999", "\"3\""}) {
    EXPECT_THAT(value_error("mood", raw), HasSubstr("feelings question mood needs a whole number")) << raw;
  }
  EXPECT_THAT(value_error("rate", "high"), HasSubstr("scale question rate needs a whole number"));
  EXPECT_THAT(value_error("hours", "lots"), HasSubstr("number question hours needs a whole number"));
}

TEST_F(PupilScriptValue, YesNoTrueFalse) {
  EXPECT_EQ(value("ok", "yes"), Answer(true));
  EXPECT_EQ(value("ok", "true"), Answer(true));
  EXPECT_EQ(value("ok", "no"), Answer(false));
  EXPECT_EQ(value("ok", "false"), Answer(false));
  for (const char* raw : {"Yes", "NO", "y", "1", "0", "maybe", "\"yes\"", ""}) {
    EXPECT_THAT(value_error("ok", raw), HasSubstr("yes_no question ok needs yes or no")) << raw;
  }
}

TEST_F(PupilScriptValue, SingleChoiceBareOrQuoted) {
  EXPECT_EQ(value("travel", "bus"), Answer(std::string("bus")));
  EXPECT_EQ(value("travel", "\"walk\""), Answer(std::string("walk")));
  // Whether the option exists is the flow's check.
  EXPECT_EQ(value("travel", "plane"), Answer(std::string("plane")));
  EXPECT_THAT(value_error("travel", "\"bus"), HasSubstr("double quotes"));
}

TEST_F(PupilScriptValue, MultipleChoiceWithAndWithoutBrackets) {
  EXPECT_EQ(value("clubs", "[art, music]"), Answer(OptionIds{"art", "music"}));
  EXPECT_EQ(value("clubs", "art,music"), Answer(OptionIds{"art", "music"}));
  EXPECT_EQ(value("clubs", "[ music ,art ]"), Answer(OptionIds{"music", "art"}));
  EXPECT_EQ(value("clubs", "art"), Answer(OptionIds{"art"}));
  EXPECT_EQ(value("clubs", "[art]"), Answer(OptionIds{"art"}));
  EXPECT_EQ(value("clubs", "[]"), Answer(OptionIds{}));
  EXPECT_EQ(value("clubs", "[\"art\", music]"), Answer(OptionIds{"art", "music"}));
  EXPECT_EQ(value("clubs", "[art,,music,]"), Answer(OptionIds{"art", "music"}));
  EXPECT_THAT(value_error("clubs", "[art, music"), HasSubstr("multiple question clubs needs a list such as [a, b]"));
  EXPECT_THAT(value_error("clubs", "["), HasSubstr("needs a list"));
  EXPECT_THAT(value_error("clubs", "[\"art]"), HasSubstr("double quotes"));
}

TEST_F(PupilScriptValue, QuotedTextWithEscapes) {
  EXPECT_EQ(value("note", "\"hello\""), Answer(std::string("hello")));
  EXPECT_EQ(value("note", "\"  spaced  \""), Answer(std::string("  spaced  ")));
  EXPECT_EQ(value("note", R"("He said \"hi\"")"), Answer(std::string("He said \"hi\"")));
  EXPECT_EQ(value("note", R"("a \\ b")"), Answer(std::string("a \\ b")));
  EXPECT_EQ(value("note", R"("\\")"), Answer(std::string("\\")));
  EXPECT_EQ(value("note", R"("line\nnext")"), Answer(std::string("line\nnext")));
  EXPECT_EQ(value("note", "\"\""), Answer(std::string()));  // the flow refuses it as empty
  EXPECT_EQ(value("note", "\"Zoë ✓\""), Answer(std::string("Zoë ✓")));
}

TEST_F(PupilScriptValue, BadText) {
  EXPECT_THAT(value_error("note", "hello there"), HasSubstr("text answers are written in double quotes"));
  EXPECT_THAT(value_error("note", "\"unclosed text"), HasSubstr("double quotes"));
  EXPECT_THAT(value_error("note", "unopened text\""), HasSubstr("double quotes"));
  EXPECT_THAT(value_error("note", "\""), HasSubstr("double quotes"));
  EXPECT_THAT(value_error("note", R"("my secret \q")"), HasSubstr("unknown escape"));
  EXPECT_THAT(value_error("note", R"("my secret \t")"), HasSubstr("unknown escape"));
  EXPECT_THAT(value_error("note", R"("ends with \")"), HasSubstr("lone backslash"));
  EXPECT_THAT(value_error("note", R"("say "hi" now")"), HasSubstr("a quote inside the text must be written"));
}

TEST_F(PupilScriptValue, AnInformationScreenTakesNoValue) {
  EXPECT_THAT(value_error("intro", "1"), HasSubstr("information screen"));
  EXPECT_THAT(value_error("intro", "\"hello\""), HasSubstr("information screen"));
}

TEST_F(PupilScriptValue, ErrorsNeverRepeatTheValue) {
  value_error("mood", "desperately-sad");
  value_error("ok", "only-sometimes");
  value_error("note", "\"I am scared \\x\"");
  value_error("note", "unquoted private words");
  value_error("clubs", "[secret-club, other");
}

}  // namespace
}  // namespace tt::kiosk
