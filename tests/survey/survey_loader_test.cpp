// The loader and validator: a valid base survey, and malformed variants of it, each with the
// JSON path and the words its message must have.
#include "shared/survey/survey_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

using nlohmann::json;
using testing::HasSubstr;
using tt::survey::load_survey_text;
using tt::survey::SurveyError;

namespace {

json base_survey() {
  return json::parse(R"({
    "format": 1,
    "id": "test-survey",
    "version": 2,
    "title": "A test",
    "languages": ["en"],
    "audience": {"year_groups": [7]},
    "identity": "anonymous",
    "sections": [
      {"id": "s1", "title": "First", "category": "wellbeing", "questions": [
        {"id": "intro", "type": "info", "text": "Hello"},
        {"id": "mood", "type": "feelings", "text": "How do you feel?", "required": true},
        {"id": "sleep", "type": "scale", "text": "Sleep?", "points": 5, "first_value": 1,
         "min_label": "Badly", "max_label": "Well"},
        {"id": "travel", "type": "single", "text": "How do you come to school?", "options": [
          {"id": "bus", "label": "Bus"}, {"id": "walk", "label": "Walk"}, {"id": "car", "label": "Car"}]},
        {"id": "clubs", "type": "multiple", "text": "Clubs?", "options": [
          {"id": "music", "label": "Music"}, {"id": "sport", "label": "Sport"}], "max_choices": 2},
        {"id": "worry", "type": "yes_no", "text": "Do you worry?", "sensitive": true},
        {"id": "worry_more", "type": "text", "text": "Tell us more", "max_length": 100,
         "show_if": "worry == true"},
        {"id": "age", "type": "number", "text": "How old are you?", "min": 10, "max": 13}
      ]}
    ],
    "scores": [{"id": "wellbeing", "label": "Wellbeing", "method": "sum", "items": ["mood", "sleep"],
                "scale": 2, "thresholds": [{"flag": "low", "below": 4}]}],
    "end_message": "Thank you",
    "safeguarding": {"alerts": [{"id": "sad", "when": "mood == 1", "reason": "Very sad"}]}
  })");
}

json& question(json& s, std::size_t i) {
  return s["sections"][0]["questions"][i];
}

struct Case {
  std::string name;
  std::function<void(json&)> mutate;
  std::string pointer;  // the problem's JSON path
  std::string words;    // a substring its message must have
};

// Loads and returns the problems; fails the test when it loads.
std::vector<tt::survey::SurveyProblem> problems_of(const std::string& text) {
  try {
    load_survey_text(text, "case.json");
  } catch (const SurveyError& e) {
    EXPECT_THAT(e.what(), HasSubstr("case.json: "));
    return e.problems();
  }
  ADD_FAILURE() << "the survey loaded, but it should have been rejected";
  return {};
}

const std::vector<Case>& cases() {
  static const std::vector<Case> kCases = {
      {"format missing", [](json& s) { s.erase("format"); }, "", "missing the required field \"format\""},
      {"format 2", [](json& s) { s["format"] = 2; }, "/format", "format 2 is not supported"},
      {"format as string", [](json& s) { s["format"] = "1"; }, "/format", "found a string"},
      {"unknown top field", [](json& s) { s["titel"] = "x"; }, "/titel", "did you mean \"title\""},
      {"bad survey id", [](json& s) { s["id"] = "Test Survey"; }, "/id", "not a valid id"},
      {"version zero", [](json& s) { s["version"] = 0; }, "/version", "must be from 1"},
      {"version fraction", [](json& s) { s["version"] = 1.5; }, "/version", "a number with a fraction"},
      {"no english", [](json& s) { s["languages"] = {"pl"}; }, "/languages", "must include \"en\""},
      {"bad language tag",
       [](json& s) {
         s["languages"] = {"en", "Polish"};
       },
       "/languages/1", "not a language tag"},
      {"language twice",
       [](json& s) {
         s["languages"] = {"en", "en"};
       },
       "/languages/1", "listed twice"},
      {"missing translation",
       [](json& s) {
         s["languages"] = {"en", "pl"};
         s["title"] = {{"en", "A test"}};
       },
       "/title", "no text in \"pl\""},
      {"plain string in bilingual",
       [](json& s) {
         s["languages"] = {"en", "pl"};
       },
       "/title", "plain string"},
      {"text in undeclared language",
       [](json& s) {
         s["title"] = {{"en", "A"}, {"fr", "Un"}};
       },
       "/title/fr", "not in the survey's languages"},
      {"empty title", [](json& s) { s["title"] = ""; }, "/title", "must not be empty"},
      {"no year groups", [](json& s) { s["audience"]["year_groups"] = json::array(); }, "/audience/year_groups",
       "non-empty array"},
      {"year group 14", [](json& s) { s["audience"]["year_groups"] = {14}; }, "/audience/year_groups/0",
       "from 1 to 13"},
      {"bad identity", [](json& s) { s["identity"] = "named"; }, "/identity",
       "expected \"anonymous\" or \"pupil_code\""},
      {"no sections", [](json& s) { s["sections"] = json::array(); }, "/sections", "at least one section"},
      {"sections not array", [](json& s) { s["sections"] = json::object(); }, "/sections", "found an object"},
      {"empty section", [](json& s) { s["sections"][0]["questions"] = json::array(); }, "/sections/0/questions",
       "has no questions"},
      {"bad category", [](json& s) { s["sections"][0]["category"] = "maths"; }, "/sections/0/category",
       "unknown category \"maths\""},
      {"duplicate question id", [](json& s) { question(s, 2)["id"] = "mood"; }, "/sections/0/questions/2/id",
       "duplicate id \"mood\""},
      {"question type unknown", [](json& s) { question(s, 1)["type"] = "smiley"; }, "/sections/0/questions/1/type",
       "unknown question type \"smiley\""},
      {"question type missing", [](json& s) { question(s, 1).erase("type"); }, "/sections/0/questions/1",
       "missing the required field \"type\""},
      {"question text missing", [](json& s) { question(s, 1).erase("text"); }, "/sections/0/questions/1",
       "missing the required field \"text\""},
      {"misspelt required", [](json& s) { question(s, 1)["requird"] = true; }, "/sections/0/questions/1/requird",
       "did you mean \"required\""},
      {"required not bool", [](json& s) { question(s, 1)["required"] = "yes"; }, "/sections/0/questions/1/required",
       "(true or false)"},
      {"field of another type", [](json& s) { question(s, 5)["points"] = 3; }, "/sections/0/questions/5/points",
       "does not apply to a yes_no question"},
      {"scale points 12", [](json& s) { question(s, 2)["points"] = 12; }, "/sections/0/questions/2/points",
       "from 2 to 11"},
      {"scale points 1", [](json& s) { question(s, 2)["points"] = 1; }, "/sections/0/questions/2/points",
       "from 2 to 11"},
      {"scale no labels",
       [](json& s) {
         question(s, 2).erase("min_label");
         question(s, 2).erase("max_label");
       },
       "/sections/0/questions/2", "needs \"labels\""},
      {"scale wrong label count",
       [](json& s) {
         question(s, 2).erase("min_label");
         question(s, 2).erase("max_label");
         question(s, 2)["labels"] = {"a", "b"};
       },
       "/sections/0/questions/2/labels", "expected exactly 5"},
      {"scale both label kinds",
       [](json& s) {
         question(s, 2)["labels"] = {"a", "b", "c", "d", "e"};
       },
       "/sections/0/questions/2", "not both"},
      {"feelings 3 labels",
       [](json& s) {
         question(s, 1)["labels"] = {"sad", "ok", "happy"};
       },
       "/sections/0/questions/1/labels", "expected exactly 5"},
      {"empty options", [](json& s) { question(s, 3)["options"] = json::array(); }, "/sections/0/questions/3/options",
       "option list is empty"},
      {"one option",
       [](json& s) {
         question(s, 3)["options"] = {{{"id", "bus"}, {"label", "Bus"}}};
       },
       "/sections/0/questions/3/options", "needs 2 to 20 options"},
      {"duplicate option", [](json& s) { question(s, 3)["options"][1]["id"] = "bus"; },
       "/sections/0/questions/3/options/1/id", "duplicate option id \"bus\""},
      {"option without label", [](json& s) { question(s, 3)["options"][0].erase("label"); },
       "/sections/0/questions/3/options/0", "missing the required field \"label\""},
      {"max choices too many", [](json& s) { question(s, 4)["max_choices"] = 3; },
       "/sections/0/questions/4/max_choices", "only 2 options"},
      {"min above max",
       [](json& s) {
         question(s, 4)["min_choices"] = 2;
         question(s, 4)["max_choices"] = 1;
       },
       "/sections/0/questions/4/min_choices", "more than max_choices"},
      {"required multiple with min 0",
       [](json& s) {
         question(s, 4)["required"] = true;
         question(s, 4)["min_choices"] = 0;
       },
       "/sections/0/questions/4/min_choices", "at least 1"},
      {"number min equals max", [](json& s) { question(s, 7)["max"] = 10; }, "/sections/0/questions/7/max",
       "must be more than min"},
      {"number without max", [](json& s) { question(s, 7).erase("max"); }, "/sections/0/questions/7",
       "missing the required field \"max\""},
      {"text max length 0", [](json& s) { question(s, 6)["max_length"] = 0; }, "/sections/0/questions/6/max_length",
       "from 1 to 500"},
      {"text max length 501", [](json& s) { question(s, 6)["max_length"] = 501; }, "/sections/0/questions/6/max_length",
       "from 1 to 500"},
      {"sensitive without decline", [](json& s) { question(s, 5)["allow_decline"] = false; },
       "/sections/0/questions/5/allow_decline", "must offer \"I'd rather not say\""},
      {"required info", [](json& s) { question(s, 0)["required"] = true; }, "/sections/0/questions/0/required",
       "cannot be required"},
      {"tags not array", [](json& s) { question(s, 1)["tags"] = "who5"; }, "/sections/0/questions/1/tags",
       "array of strings"},
      {"show_if unknown question", [](json& s) { question(s, 6)["show_if"] = "wory == true"; },
       "/sections/0/questions/6/show_if", "unknown question"},
      {"show_if later question", [](json& s) { question(s, 6)["show_if"] = "age > 11"; },
       "/sections/0/questions/6/show_if", "comes after"},
      {"show_if type mismatch", [](json& s) { question(s, 6)["show_if"] = "mood == \"3\""; },
       "/sections/0/questions/6/show_if", "type mismatch"},
      {"show_if syntax", [](json& s) { question(s, 6)["show_if"] = "worry == "; }, "/sections/0/questions/6/show_if",
       "syntax error"},
      {"show_if unknown option", [](json& s) { question(s, 6)["show_if"] = "travel == \"train\""; },
       "/sections/0/questions/6/show_if", "\"train\""},
      {"show_if itself", [](json& s) { question(s, 6)["show_if"] = "answered(worry_more)"; },
       "/sections/0/questions/6/show_if", "worry_more"},
      {"show_if not string", [](json& s) { question(s, 6)["show_if"] = true; }, "/sections/0/questions/6/show_if",
       "(a string)"},
      {"score unknown item",
       [](json& s) {
         s["scores"][0]["items"] = {"mood", "happiness"};
       },
       "/scores/0/items/1", "not a question of this survey"},
      {"score non-numeric item",
       [](json& s) {
         s["scores"][0]["items"] = {"mood", "travel"};
       },
       "/scores/0/items/1", "only use numeric questions"},
      {"score item twice",
       [](json& s) {
         s["scores"][0]["items"] = {"mood", "mood"};
       },
       "/scores/0/items/1", "listed twice"},
      {"score empty items", [](json& s) { s["scores"][0]["items"] = json::array(); }, "/scores/0/items",
       "at least one item"},
      {"score bad method", [](json& s) { s["scores"][0]["method"] = "median"; }, "/scores/0/method",
       "expected \"sum\" or \"mean\""},
      {"score id clashes", [](json& s) { s["scores"][0]["id"] = "mood"; }, "/scores/0/id", "duplicate id \"mood\""},
      {"threshold both bounds", [](json& s) { s["scores"][0]["thresholds"][0]["at_least"] = 3; },
       "/scores/0/thresholds/0", "exactly one of"},
      {"reverse not an item", [](json& s) { s["scores"][0]["reverse"] = {"age"}; }, "/scores/0/reverse",
       "not one of the score's items"},
      {"min_answered too high", [](json& s) { s["scores"][0]["min_answered"] = 3; }, "/scores/0/min_answered",
       "from 1 to 2"},
      {"scale zero", [](json& s) { s["scores"][0]["scale"] = 0; }, "/scores/0/scale", "must not be 0"},
      {"end message missing", [](json& s) { s.erase("end_message"); }, "", "\"end_message\""},
      {"safeguarding missing", [](json& s) { s.erase("safeguarding"); }, "", "\"safeguarding\""},
      {"alert bad expression", [](json& s) { s["safeguarding"]["alerts"][0]["when"] = "mood === 1"; },
       "/safeguarding/alerts/0/when", "mood === 1"},
      {"alert without reason", [](json& s) { s["safeguarding"]["alerts"][0].erase("reason"); },
       "/safeguarding/alerts/0", "missing the required field \"reason\""},
      {"talk button not bool", [](json& s) { s["safeguarding"]["offer_talk_button"] = 1; },
       "/safeguarding/offer_talk_button", "(true or false)"},
      {"question not object", [](json& s) { question(s, 1) = "mood"; }, "/sections/0/questions/1",
       "expected a question (an object)"},
      {"only info screens",
       [](json& s) {
         s["sections"][0]["questions"] = {question(s, 0)};
         s.erase("scores");
         s["safeguarding"] = json::object();
       },
       "/sections", "no question that takes an answer"},
      {"survey is an array", [](json& s) { s = json::array(); }, "", "expected a survey (a JSON object)"},
  };
  return kCases;
}

class MalformedSurvey : public testing::TestWithParam<std::size_t> {};

TEST_P(MalformedSurvey, IsRejectedWithItsPathAndReason) {
  const Case& c = cases()[GetParam()];
  SCOPED_TRACE(c.name);
  json s = base_survey();
  c.mutate(s);
  auto problems = problems_of(s.dump(2));
  bool found = false;
  std::string all;
  for (const auto& p : problems) {
    all += p.pointer + ": " + p.message + "\n";
    if (p.pointer == c.pointer && p.message.find(c.words) != std::string::npos) found = true;
  }
  EXPECT_TRUE(found) << "expected a problem at \"" << c.pointer << "\" mentioning \"" << c.words << "\"; got:\n" << all;
}

INSTANTIATE_TEST_SUITE_P(Cases, MalformedSurvey, testing::Range<std::size_t>(0, cases().size()),
                         [](const testing::TestParamInfo<std::size_t>& info) {
                           std::string name = cases()[info.param].name;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(SurveyLoader, LoadsTheBaseSurvey) {
  auto s = load_survey_text(base_survey().dump(2), "base.json");
  EXPECT_EQ(s.id, "test-survey");
  EXPECT_EQ(s.version, 2);
  ASSERT_EQ(s.questions().size(), 8u);
  EXPECT_EQ(s.answerable_count(), 7u);
  const auto* worry = s.question("worry");
  ASSERT_NE(worry, nullptr);
  EXPECT_TRUE(worry->sensitive);
  EXPECT_TRUE(worry->allow_decline);  // on by default for sensitive questions
  const auto* clubs = s.question("clubs");
  EXPECT_EQ(clubs->min_choices, 0);
  EXPECT_EQ(clubs->max_choices, 2);
  EXPECT_EQ(s.question("mood")->lowest_value(), 1);
  EXPECT_EQ(s.question("mood")->highest_value(), 5);
  EXPECT_EQ(s.question("sleep")->highest_value(), 5);
  EXPECT_FALSE(s.question("worry_more")->show_if.empty());
  EXPECT_EQ(s.scores.at(0).items.size(), 2u);
  EXPECT_THAT(s.safeguarding.signpost.english(), HasSubstr("0800 1111"));
}

TEST(SurveyLoader, ReportsTheLineOfAProblem) {
  json s = base_survey();
  question(s, 2)["points"] = 40;
  std::string text = s.dump(2);
  // Find the line of "points" in the pretty-printed text.
  std::size_t line = 1;
  for (std::size_t i = 0; i < text.find("\"points\""); ++i) line += text[i] == '\n';
  auto problems = problems_of(text);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0].pointer, "/sections/0/questions/2/points");
  EXPECT_EQ(problems[0].line, line);
  try {
    load_survey_text(text, "y7.json");
  } catch (const SurveyError& e) {
    EXPECT_THAT(e.what(), HasSubstr("y7.json: /sections/0/questions/2/points (line " + std::to_string(line) + "): "));
  }
}

TEST(SurveyLoader, ReportsEveryProblemInOneRun) {
  json s = base_survey();
  s["version"] = -1;
  question(s, 1)["requird"] = true;
  question(s, 3)["options"] = json::array();
  auto problems = problems_of(s.dump());
  EXPECT_GE(problems.size(), 3u);
}

TEST(SurveyLoader, RejectsInvalidJsonWithLineAndColumn) {
  auto problems = problems_of("{\n  \"format\": 1,\n  \"id\": \"x\"\n  \"version\": 1\n}");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 4u);
  EXPECT_THAT(problems[0].message, HasSubstr("not valid JSON at line 4"));
}

TEST(SurveyLoader, RejectsADuplicateKey) {
  std::string text = base_survey().dump(2);
  text.replace(text.find("\"format\": 1"), 11, "\"format\": 1, \"format\": 1");
  auto problems = problems_of(text);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0].pointer, "/format");
  EXPECT_THAT(problems[0].message, HasSubstr("appears twice"));
}

TEST(SurveyLoader, RejectsDeepNestingWithoutRecursing) {
  std::string text(100000, '[');
  auto problems = problems_of(text);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0].message, HasSubstr("nested more than"));
}

TEST(SurveyLoader, RejectsInvalidUtf8AndHugeFiles) {
  EXPECT_THAT(problems_of("{\"id\": \"\xff\"}").at(0).message, HasSubstr("not valid UTF-8"));
  std::string huge(tt::survey::kMaxSurveyBytes + 1, ' ');
  EXPECT_THAT(problems_of(huge).at(0).message, HasSubstr("at most"));
}

TEST(SurveyLoader, RejectsEmptyAndNonObjectInput) {
  EXPECT_THAT(problems_of("").at(0).message, HasSubstr("not valid JSON"));
  EXPECT_THAT(problems_of("42").at(0).message, HasSubstr("expected a survey"));
}

TEST(SurveyLoader, UnreadableFileIsASurveyError) {
  try {
    tt::survey::load_survey_file("/nonexistent/dir/s.json");
    FAIL();
  } catch (const SurveyError& e) {
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/dir/s.json"));
  }
}

// Every truncation and many single-byte corruptions of a valid survey either load or are
// rejected with a SurveyError: nothing crashes, hangs or throws anything else.
TEST(SurveyLoader, SurvivesTruncationsAndCorruptions) {
  std::string text = base_survey().dump(1);
  std::size_t rejected = 0;
  for (std::size_t n = 0; n < text.size(); n += 3) {
    try {
      load_survey_text(text.substr(0, n), "t.json");
    } catch (const SurveyError&) {
      ++rejected;
    }
  }
  const char kNoise[] = {'"', '{', '}', '[', ']', ',', ':', '0', 'x', '\\', ' '};
  for (std::size_t i = 0; i < text.size(); i += 2) {
    std::string t = text;
    t[i] = kNoise[i % sizeof kNoise];
    try {
      load_survey_text(t, "t.json");
    } catch (const SurveyError&) {
      ++rejected;
    }
  }
  EXPECT_GT(rejected, text.size() / 3);
}

}  // namespace
