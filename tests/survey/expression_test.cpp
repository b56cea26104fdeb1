#include "shared/survey/expression.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace tt::survey {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Kind = ExpressionSubject::Kind;

ExpressionSubject subject(std::string id, Kind kind, std::string type_name, std::vector<std::string> options = {},
                          std::optional<std::int64_t> min = std::nullopt,
                          std::optional<std::int64_t> max = std::nullopt, bool can_decline = false) {
  ExpressionSubject s;
  s.id = std::move(id);
  s.kind = kind;
  s.type_name = std::move(type_name);
  s.options = std::move(options);
  s.min = min;
  s.max = max;
  s.can_decline = can_decline;
  return s;
}

// The questions before the one under test, then the one under test and a later one.
ExpressionScope test_scope() {
  ExpressionScope scope;
  scope.available = {
      subject("who5_1", Kind::Integer, "scale", {}, 0, 5),
      subject("who5_2", Kind::Integer, "scale", {}, 0, 5),
      subject("mood", Kind::Integer, "feelings", {}, 1, 5),
      subject("age", Kind::Integer, "number", {}, 8, 18),
      subject("free", Kind::Integer, "number"),  // no bounds
      subject("travel", Kind::Option, "single", {"bus", "walk", "lift"}),
      subject("home", Kind::Option, "single", {"mum", "dad", "other"}, {}, {}, true),
      subject("clubs", Kind::OptionSet, "multiple", {"football", "chess", "drama"}),
      subject("worry", Kind::Boolean, "yes_no", {}, {}, {}, true),
      subject("sleep_ok", Kind::Boolean, "yes_no"),
      subject("name", Kind::Text, "text"),
      subject("info_1", Kind::NoAnswer, "info"),
  };
  for (const auto& s : scope.available) scope.all_question_ids.push_back(s.id);
  scope.all_question_ids.push_back("current_q");
  scope.all_question_ids.push_back("later_q");
  return scope;
}

using Answers = std::map<std::string, Answer, std::less<>>;

// A full set of answers; home is declined.
Answers sample_answers() {
  return {
      {"who5_1", std::int64_t{2}},
      {"who5_2", std::int64_t{4}},
      {"mood", std::int64_t{3}},
      {"age", std::int64_t{12}},
      {"free", std::int64_t{-5}},
      {"travel", std::string("bus")},
      {"home", Declined{}},
      {"clubs", OptionIds{"football", "drama"}},
      {"worry", true},
      {"sleep_ok", false},
      {"name", std::string("Sam")},
  };
}

bool eval(const Expression& e, const Answers& answers) {
  return e.evaluate([&](std::string_view id) -> const Answer* {
    const auto it = answers.find(id);
    return it == answers.end() ? nullptr : &it->second;
  });
}

bool eval(std::string_view text, const Answers& answers) {
  return eval(Expression::parse(text, test_scope()), answers);
}

// The message parse throws, or "" (and a failure) when it parses.
std::string error_of(std::string_view text, const ExpressionScope& scope = test_scope()) {
  try {
    Expression::parse(text, scope);
  } catch (const ExpressionError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an ExpressionError for: " << text;
  return "";
}

// --- Evaluation, one operator or form at a time, against sample_answers() -----------------

struct EvalCase {
  const char* name;
  const char* text;
  bool expected;
};

void PrintTo(const EvalCase& c, std::ostream* os) {
  *os << c.text;
}

class Evaluates : public ::testing::TestWithParam<EvalCase> {};

TEST_P(Evaluates, WithSampleAnswers) {
  const EvalCase& c = GetParam();
  Expression e;
  ASSERT_NO_THROW(e = Expression::parse(c.text, test_scope())) << c.text;
  EXPECT_EQ(eval(e, sample_answers()), c.expected) << c.text;
  EXPECT_EQ(e.text(), c.text);
  EXPECT_FALSE(e.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Operators, Evaluates,
    ::testing::Values(
        EvalCase{"IntEqual", "who5_1 == 2", true}, EvalCase{"IntNotEqual", "who5_1 != 2", false},
        EvalCase{"IntLess", "who5_1 < 3", true}, EvalCase{"IntLessEqual", "who5_1 <= 2", true},
        EvalCase{"IntGreater", "who5_1 > 2", false}, EvalCase{"IntGreaterEqual", "who5_1 >= 2", true},
        EvalCase{"LiteralOnLeftMirrored", "3 <= who5_1", false}, EvalCase{"LiteralOnLeftGreater", "3 > who5_1", true},
        EvalCase{"NegativeLiteral", "free == -5", true}, EvalCase{"NegativeLess", "free < -4", true},
        EvalCase{"NegativeLiteralOnLeft", "-6 < free", true}, EvalCase{"OptionEqual", "travel == \"bus\"", true},
        EvalCase{"OptionNotEqual", "travel != \"walk\"", true}, EvalCase{"OptionOnRight", "\"bus\" == travel", true},
        EvalCase{"OptionInListNo", "travel in [\"walk\", \"lift\"]", false},
        EvalCase{"OptionInListYes", "travel in [\"lift\", \"bus\"]", true},
        EvalCase{"IntInList", "who5_1 in [1, 2, 3]", true}, EvalCase{"IntNotInList", "who5_1 in [0, 5]", false},
        EvalCase{"TextInList", "name in [\"Sam\", \"Alex\"]", true},
        EvalCase{"TextEqualIsCaseSensitive", "name == \"sam\"", false},
        EvalCase{"TextNotEqual", "name != \"Alex\"", true}, EvalCase{"HasOptionYes", "\"football\" in clubs", true},
        EvalCase{"HasOptionNo", "\"chess\" in clubs", false}, EvalCase{"BareBooleanTrue", "worry", true},
        EvalCase{"BareBooleanFalse", "sleep_ok", false}, EvalCase{"NotBareBoolean", "not worry", false},
        EvalCase{"BooleanEqualTrue", "worry == true", true}, EvalCase{"BooleanEqualFalse", "sleep_ok == false", true},
        EvalCase{"BooleanLiteralOnLeft", "false != worry", true}, EvalCase{"QuestionsLess", "who5_1 < who5_2", true},
        EvalCase{"QuestionsEqual", "who5_1 == who5_2", false}, EvalCase{"QuestionsBoolean", "worry != sleep_ok", true},
        EvalCase{"AndBindsTighterThanOr", "worry or sleep_ok and who5_1 == 5", true},
        EvalCase{"AndBindsTighterThanOrLeft", "sleep_ok and worry or worry", true},
        EvalCase{"ParenthesesOverride", "(worry or sleep_ok) and who5_1 == 5", false},
        EvalCase{"NotAppliesToComparison", "not who5_1 == 3", true}, EvalCase{"NotNot", "not not worry", true},
        EvalCase{"NotBindsTighterThanAnd", "not sleep_ok and worry", true},
        EvalCase{"NotOfParenthesisedOr", "not (sleep_ok or worry)", false},
        EvalCase{"OrChain", "sleep_ok or who5_1 == 0 or mood == 3", true},
        EvalCase{"AndChain", "worry and mood == 3 and age >= 12 and age < 13", true},
        EvalCase{"AnsweredYes", "answered(who5_1)", true}, EvalCase{"AnsweredDeclinedIsFalse", "answered(home)", false},
        EvalCase{"DeclinedYes", "declined(home)", true}, EvalCase{"DeclinedNo", "declined(worry)", false},
        EvalCase{"ComparisonOnDeclinedIsFalse", "home == \"mum\"", false},
        EvalCase{"NotEqualOnDeclinedIsFalse", "home != \"mum\"", false},
        EvalCase{"NegatedComparisonOnDeclinedIsTrue", "not (home == \"mum\")", true},
        EvalCase{"NoSpaces", "who5_1<=2 and(worry)and(not sleep_ok)", true},
        EvalCase{"Whitespace", " \twho5_1\n==\r\n2 ", true},
        EvalCase{"DocExample", "who5_1 <= 2 and answered(who5_2)", true}),
    [](const auto& info) { return std::string(info.param.name); });

// --- Literals -------------------------------------------------------------------------------

TEST(ExpressionLiterals, StringEscapes) {
  const Answers answers{{"name", std::string("a \"quoted\" \\ name")}};
  EXPECT_TRUE(eval(R"(name == "a \"quoted\" \\ name")", answers));
  EXPECT_FALSE(eval(R"(name == "a \"quoted\" \\\\ name")", answers));
  EXPECT_TRUE(eval(R"(name in ["x", "a \"quoted\" \\ name"])", answers));
}

TEST(ExpressionLiterals, Utf8InStrings) {
  const Answers answers{{"name", std::string("Zoë")}};
  EXPECT_TRUE(eval("name == \"Zoë\"", answers));
  EXPECT_FALSE(eval("name == \"Zoe\"", answers));
}

TEST(ExpressionLiterals, Int64Limits) {
  EXPECT_TRUE(eval("free == 9223372036854775807", {{"free", INT64_MAX}}));
  EXPECT_TRUE(eval("free == -9223372036854775808", {{"free", INT64_MIN}}));
  EXPECT_FALSE(eval("free == -9223372036854775808", {{"free", INT64_MAX}}));
  EXPECT_TRUE(eval("free == 007", {{"free", std::int64_t{7}}}));
  EXPECT_TRUE(eval("free == -0", {{"free", std::int64_t{0}}}));
}

TEST(ExpressionLiterals, IntegerOverflowIsAnError) {
  EXPECT_THAT(error_of("free == 9223372036854775808"), HasSubstr("too large"));
  EXPECT_THAT(error_of("free == -9223372036854775809"), HasSubstr("too large"));
  EXPECT_THAT(error_of("free == 99999999999999999999999999999"), HasSubstr("syntax error at column 9"));
}

// --- Unanswered and declined -----------------------------------------------------------------

TEST(ExpressionSemantics, UnansweredMakesComparisonsFalse) {
  const Answers none;
  for (const char* text :
       {"who5_1 == 2", "who5_1 != 2", "who5_1 < 5", "3 >= who5_1", "travel == \"bus\"", "travel != \"bus\"",
        "travel in [\"bus\", \"walk\"]", "\"football\" in clubs", "worry", "worry == false", "who5_1 == who5_2",
        "who5_1 != who5_2", "name != \"x\"", "answered(who5_1)", "declined(worry)"}) {
    EXPECT_FALSE(eval(text, none)) << text;
  }
  for (const char* text :
       {"not (who5_1 == 2)", "not worry", "not answered(who5_1)", "not declined(worry)", "not \"football\" in clubs"}) {
    EXPECT_TRUE(eval(text, none)) << text;
  }
}

TEST(ExpressionSemantics, DeclinedMakesComparisonsFalse) {
  const Answers declined{{"worry", Declined{}}, {"home", Declined{}}, {"who5_1", Declined{}}};
  for (const char* text : {"worry", "worry == false", "worry != true", "home == \"mum\"", "home in [\"mum\", \"dad\"]",
                           "who5_1 >= 0", "answered(worry)", "answered(who5_1)"}) {
    EXPECT_FALSE(eval(text, declined)) << text;
  }
  for (const char* text : {"declined(worry)", "declined(home)", "not worry", "not answered(home)"}) {
    EXPECT_TRUE(eval(text, declined)) << text;
  }
}

TEST(ExpressionSemantics, OneSideOfAQuestionComparisonMissing) {
  EXPECT_FALSE(eval("who5_1 != who5_2", {{"who5_1", std::int64_t{1}}}));
  EXPECT_FALSE(eval("who5_1 != who5_2", {{"who5_2", std::int64_t{1}}}));
  EXPECT_FALSE(eval("who5_1 != who5_2", {{"who5_1", std::int64_t{1}}, {"who5_2", Declined{}}}));
  EXPECT_TRUE(eval("who5_1 != who5_2", {{"who5_1", std::int64_t{1}}, {"who5_2", std::int64_t{2}}}));
}

TEST(ExpressionSemantics, AnswerOfTheWrongAlternativeCountsAsNone) {
  const Answers wrong{{"who5_1", std::string("2")},
                      {"travel", std::int64_t{1}},
                      {"clubs", std::string("football")},
                      {"worry", std::int64_t{1}}};
  for (const char* text : {"who5_1 == 2", "who5_1 != 2", "travel == \"bus\"", "travel in [\"bus\"]",
                           "\"football\" in clubs", "worry", "worry == true"}) {
    EXPECT_FALSE(eval(text, wrong)) << text;
  }
}

TEST(ExpressionSemantics, EmptyMultipleChoiceAnswer) {
  const Answers answers{{"clubs", OptionIds{}}};
  EXPECT_TRUE(eval("answered(clubs)", answers));
  EXPECT_FALSE(eval("\"football\" in clubs", answers));
}

TEST(ExpressionSemantics, DefaultExpressionIsEmptyAndTrue) {
  const Expression e;
  EXPECT_TRUE(e.empty());
  EXPECT_TRUE(e.references().empty());
  EXPECT_TRUE(eval(e, {}));
}

TEST(ExpressionSemantics, EvaluationAsksOnlyForReferencedQuestions) {
  const Expression e = Expression::parse("worry and who5_1 > 1", test_scope());
  std::vector<std::string> asked;
  const Answer yes = true;
  e.evaluate([&](std::string_view id) -> const Answer* {
    asked.emplace_back(id);
    return id == "worry" ? &yes : nullptr;
  });
  EXPECT_EQ(asked, (std::vector<std::string>{"worry", "who5_1"}));
}

TEST(ExpressionSemantics, CopiesShareTheTree) {
  Expression copy;
  {
    const Expression original = Expression::parse("who5_1 == 2", test_scope());
    copy = original;
  }
  EXPECT_TRUE(eval(copy, sample_answers()));
  EXPECT_EQ(copy.text(), "who5_1 == 2");
}

// --- references() ------------------------------------------------------------------------------

TEST(ExpressionReferences, FirstUseOrderWithoutDuplicates) {
  const Expression e = Expression::parse(
      "answered(worry) and (who5_1 > 2 or worry) and \"football\" in clubs and who5_1 < who5_2 "
      "or declined(home)",
      test_scope());
  EXPECT_EQ(e.references(), (std::vector<std::string>{"worry", "who5_1", "clubs", "who5_2", "home"}));
}

TEST(ExpressionReferences, LiteralOnTheLeft) {
  const Expression e = Expression::parse("3 <= mood and 2 == who5_1", test_scope());
  EXPECT_EQ(e.references(), (std::vector<std::string>{"mood", "who5_1"}));
}

// --- Error messages ------------------------------------------------------------------------

TEST(ExpressionErrors, SyntaxErrorAtEndNamesOperatorAndColumn) {
  EXPECT_EQ(error_of("who5_1 <= "), "syntax error at column 9 of \"who5_1 <= \": expected a value after \"<=\"");
}

TEST(ExpressionErrors, UnknownQuestionListsEarlierOnes) {
  ExpressionScope scope;
  scope.available = {subject("who5_1", Kind::Integer, "scale", {}, 0, 5),
                     subject("who5_2", Kind::Integer, "scale", {}, 0, 5)};
  scope.all_question_ids = {"who5_1", "who5_2", "wellbeing_3"};
  EXPECT_EQ(error_of("wellbeing_9 >= 3", scope),
            "unknown question \"wellbeing_9\" at column 1 of \"wellbeing_9 >= 3\": the questions "
            "before this one are: who5_1, who5_2");
}

TEST(ExpressionErrors, TypeMismatchQuotesTheExpression) {
  EXPECT_EQ(error_of("who5_1 == \"3\""),
            "type mismatch at column 11 of \"who5_1 == \\\"3\\\"\": who5_1 is a number (scale), "
            "compared with a string; write 3 without quotes");
}

TEST(ExpressionErrors, WherePrefix) {
  ExpressionScope scope = test_scope();
  scope.where = "show_if of question q7";
  EXPECT_THAT(error_of("travel == \"car\"", scope),
              StartsWith("show_if of question q7: unknown option at column 11 of "));
  EXPECT_THAT(error_of("who5_1 <", scope), StartsWith("show_if of question q7: syntax error"));
}

TEST(ExpressionErrors, UnknownQuestionListIsCappedAtTen) {
  ExpressionScope scope;
  for (int i = 1; i <= 12; ++i) {
    scope.available.push_back(subject("q" + std::to_string(i), Kind::Boolean, "yes_no"));
    scope.all_question_ids.push_back("q" + std::to_string(i));
  }
  scope.all_question_ids.push_back("q13");
  const std::string message = error_of("zzz", scope);
  EXPECT_THAT(message, HasSubstr("q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, …"));
  EXPECT_THAT(message, Not(HasSubstr("q11")));
}

TEST(ExpressionErrors, UnknownQuestionInAnAlertListsTheSurvey) {
  ExpressionScope scope = test_scope();
  scope.all_question_ids.pop_back();
  scope.all_question_ids.pop_back();  // every question is available, as for an alert
  EXPECT_THAT(error_of("nope == 1", scope), HasSubstr("the questions of the survey are: who5_1"));
}

TEST(ExpressionErrors, NoQuestionsBefore) {
  ExpressionScope scope;
  scope.all_question_ids = {"first"};
  EXPECT_THAT(error_of("who5_1 == 1", scope), HasSubstr("there are no questions before this one"));
  EXPECT_THAT(error_of("first == 1", scope), HasSubstr("comes after this one"));
}

struct ErrorCase {
  const char* name;
  std::string text;
  std::vector<std::string> parts;  // each must be in the message
};

void PrintTo(const ErrorCase& c, std::ostream* os) {
  *os << c.text;
}

class Rejects : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(Rejects, WithMessage) {
  const ErrorCase& c = GetParam();
  const std::string message = error_of(c.text);
  for (const auto& part : c.parts) EXPECT_THAT(message, HasSubstr(part)) << c.text;
  // Every message has a column and quotes the expression.
  EXPECT_THAT(message, HasSubstr(" at column ")) << c.text;
  EXPECT_THAT(message, HasSubstr(" of \"")) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Messages, Rejects,
    ::testing::Values(
        ErrorCase{"Empty", "", {"column 1", "the expression is empty"}},
        ErrorCase{"Blank", "  \t ", {"the expression is empty"}},
        ErrorCase{"LaterQuestion",
                  "later_q == 1",
                  {"column 1",
                   "question \"later_q\" comes after this one; show_if may only "
                   "refer to earlier questions"}},
        ErrorCase{"SelfOrLater", "answered(current_q)", {"column 10", "current_q\" comes after"}},
        ErrorCase{"DidYouMean", "whoo5_1 == 1", {"unknown question \"whoo5_1\"", "did you mean \"who5_1\"?"}},
        ErrorCase{"UnknownOption",
                  "travel == \"car\"",
                  {"column 11",
                   "\"car\" is not an option of travel (single): its options are "
                   "bus, walk, lift"}},
        ErrorCase{"UnknownOptionInList",
                  "travel in [\"bus\", \"walkk\"]",
                  {"column 19", "\"walkk\" is not an option of travel", "did you mean \"walk\"?"}},
        ErrorCase{"UnknownOptionInMultiple",
                  "\"car\" in clubs",
                  {"column 1", "\"car\" is not an option of clubs (multiple)"}},
        ErrorCase{"OutOfRange", "mood == 6", {"column 9", "6 is outside the range of mood (feelings, 1–5)"}},
        ErrorCase{"OutOfRangeOnLeft", "0 < mood", {"0 is outside the range of mood"}},
        ErrorCase{
            "OutOfRangeInList", "who5_1 in [1, 9]", {"column 15", "9 is outside the range of who5_1 (scale, 0–5)"}},
        ErrorCase{"OrderingNeedsNumbers",
                  "travel < 3",
                  {"column 8", "\"<\" needs numbers: travel is a single-choice question"}},
        ErrorCase{"OrderingOnBoolean", "worry >= true", {"\">=\" needs numbers: worry is a yes/no"}},
        ErrorCase{"OrderingOnText", "name > \"a\"", {"\">\" needs numbers: name is a text question"}},
        ErrorCase{"DeclinedNotOffered",
                  "declined(who5_1)",
                  {"column 10", "declined(who5_1): who5_1 does not offer \"I'd rather not say\""}},
        ErrorCase{"InfoCompared", "info_1 == 1", {"column 1", "info_1 is an information screen and has no answer"}},
        ErrorCase{"InfoAnswered", "answered(info_1)", {"info_1 is an information screen and has no answer"}},
        ErrorCase{
            "OptionInNonMultiple",
            "\"bus\" in travel",
            {"column 10", "\"bus\" in travel: travel must be a multiple-choice question", "write travel == \"bus\""}},
        ErrorCase{"OptionInNumber", "\"bus\" in age", {"\"bus\" in age: age must be a multiple-choice question"}},
        ErrorCase{
            "MixedList", "travel in [\"bus\", 1]", {"column 19", "mixed list", "a string (\"bus\") and a number (1)"}},
        ErrorCase{"MixedListBool", "who5_1 in [1, true]", {"a number (1) and true or false (true)"}},
        ErrorCase{"InWithoutList",
                  "travel in \"bus\"",
                  {"column 11", "the right side of \"in\" must be a list", "travel in [\"bus\"]"}},
        ErrorCase{"InWithoutListNumber", "who5_1 in 3", {"the right side of \"in\" must be a list"}},
        ErrorCase{"InQuestionScalar", "travel in home", {"the right side of \"in\" must be a list"}},
        ErrorCase{"ListTypeMismatch",
                  "travel in [1, 2]",
                  {"type mismatch",
                   "travel is a single-choice question (single), compared with "
                   "a list of numbers"}},
        ErrorCase{"EmptyList", "travel in []", {"empty list", "never true"}},
        ErrorCase{"BooleanIn", "worry in [true]", {"\"in\" needs", "worry == true"}},
        ErrorCase{"TwoLiterals", "1 == 1", {"column 3", "pointless comparison", "1 == 1", "always true"}},
        ErrorCase{"TwoStrings", "\"a\" == \"b\"", {"pointless", "always false"}},
        ErrorCase{"TwoLiteralsIn", "1 in [1, 2]", {"pointless"}},
        ErrorCase{"SameQuestion", "who5_1 == who5_1", {"pointless", "with itself"}},
        ErrorCase{"QuestionsOfDifferentKinds",
                  "who5_1 == travel",
                  {"column 8", "type mismatch",
                   "who5_1 is a number (scale), compared with "
                   "travel, a single-choice question (single)"}},
        ErrorCase{"QuestionsOrderingOptions", "travel < home", {"\"<\" needs numbers"}},
        ErrorCase{
            "BooleanComparedWithNumber", "worry == 1", {"worry is a yes/no question (yes_no), compared with a number"}},
        ErrorCase{"BooleanComparedWithString", "worry == \"true\"", {"write true without quotes"}},
        ErrorCase{"OptionComparedWithNumber", "travel == 1", {"compared with a number", "travel == \"bus\""}},
        ErrorCase{"TextComparedWithNumber", "name == 1", {"name is a text question (text)"}},
        ErrorCase{
            "MultipleCompared",
            "clubs == \"football\"",
            {"clubs is a multiple-choice question (multiple) and cannot be compared with ==", "\"football\" in clubs"}},
        ErrorCase{"MultipleOnLeftOfIn", "clubs in [\"football\"]", {"clubs is a multiple-choice question"}},
        ErrorCase{"MultipleSwapped", "clubs in \"football\"", {"write \"football\" in clubs"}},
        ErrorCase{"NumberInMultiple", "3 in clubs", {"type mismatch", "only an option id"}},
        ErrorCase{
            "BareNumberQuestion", "who5_1", {"not a condition", "who5_1 is a number (scale)", "answered(who5_1)"}},
        ErrorCase{"BareOptionQuestion", "not travel", {"column 5", "not a condition"}},
        ErrorCase{"BareLiteral", "3", {"not a condition", "never changes"}},
        ErrorCase{"BareTrue", "true or worry", {"not a condition"}},
        ErrorCase{"BareList", "[1, 2]", {"a list on its own is not a condition"}},
        ErrorCase{"ConditionCompared",
                  "answered(who5_1) == true",
                  {"column 1",
                   "answered(who5_1) is a condition, not a value, so it cannot be compared "
                   "with \"==\""}},
        ErrorCase{"ParenCompared", "(worry or sleep_ok) == true", {"(worry or sleep_ok) is a condition, not a value"}},
        ErrorCase{"ParenthesisedQuestion", "((who5_1)) == 3", {"column 1", "write who5_1 without brackets"}},
        ErrorCase{"ParenthesisedLiteral", "who5_1 == (3)", {"column 11", "write 3 without brackets"}},
        ErrorCase{"ListCompared", "[1] == who5_1", {"a list can only be on the right of \"in\""}},
        ErrorCase{"ListOnLeftOfIn", "[1] in who5_1", {"a list can only be on the right of \"in\""}},
        ErrorCase{"ConditionInIn", "worry in (worry)", {"must be a list or a multiple-choice"}},
        ErrorCase{"TrailingToken",
                  "who5_1 == 2 who5_2",
                  {"column 13",
                   "expected \"and\", \"or\" or the end of the expression, found "
                   "\"who5_2\""}},
        ErrorCase{"Chained", "0 < who5_1 < 3", {"column 12", "comparisons cannot be chained"}},
        ErrorCase{"NotAFunction", "foo(who5_1)", {"column 4", "\"foo\" is not a function"}},
        ErrorCase{
            "UnclosedParen", "(who5_1 == 2", {"column 12", "expected \")\" to close the \"(\" (opened at column 1)"}},
        ErrorCase{"UnclosedParenWithToken",
                  "(who5_1 == 2 worry)",
                  {"column 14",
                   "expected \"and\", \"or\" or \")\" (opened at column 1), found "
                   "\"worry\""}},
        ErrorCase{"StrayCloseParen", ") or worry", {"column 1", "expected a condition, found \")\""}},
        ErrorCase{"UnterminatedString", "name == \"abc", {"column 9", "unterminated string"}},
        ErrorCase{"UnterminatedAfterEscape", "name == \"abc\\", {"column 9", "unterminated string"}},
        ErrorCase{"UnknownEscape", "name == \"a\\nb\"", {"column 11", "unknown escape \"\\n\""}},
        ErrorCase{
            "ControlCharacterInString", std::string("name == \"a\tb\""), {"column 11", "control characters", "\\x09"}},
        ErrorCase{"UnknownCharacter", "who5_1 $ 2", {"column 8", "unexpected character \"$\""}},
        ErrorCase{"UnknownUtf8Character", "who5_1 == 1 and é", {"column 17", "\"é\""}},
        ErrorCase{"ColumnsCountCharacters", "name == \"é\" and $", {"column 17", "\"$\""}},
        ErrorCase{"InvalidByte", std::string("worry and \xff"), {"column 11", "\\xFF"}},
        ErrorCase{"NulByte", std::string("worry and \0", 11), {"column 11", "\\x00"}},
        ErrorCase{"SingleEquals", "who5_1 = 2", {"column 8", "did you mean \"==\"?"}},
        ErrorCase{"ArrowLessEqual", "who5_1 =< 2", {"did you mean \"<=\"?"}},
        ErrorCase{"Bang", "!worry", {"column 1", "\"!=\" or \"not\""}},
        ErrorCase{"DoubleAmpersand", "worry && sleep_ok", {"column 7", "did you mean \"and\"?"}},
        ErrorCase{"DoublePipe", "worry || sleep_ok", {"did you mean \"or\"?"}},
        ErrorCase{"SingleQuotes", "travel == 'bus'", {"column 11", "double quotes"}},
        ErrorCase{"Comment", "worry # note", {"no comments"}},
        ErrorCase{"LoneMinus", "who5_1 == -", {"column 11", "\"-\" must be followed by digits"}},
        ErrorCase{"NumberThenLetters", "who5_1 == 3abc", {"column 12", "right after the number 3"}},
        ErrorCase{"NumberThenKeyword", "who5_1 == 3and worry", {"column 12", "with a space"}},
        ErrorCase{"NotAtEnd", "worry and not", {"column 13", "expected a condition after \"not\""}},
        ErrorCase{"AndAtEnd", "who5_1 == 2 and", {"column 15", "expected a condition after \"and\""}},
        ErrorCase{
            "OrThenAnd", "worry or and sleep_ok", {"column 10", "expected a condition after \"or\", found \"and\""}},
        ErrorCase{"InAtEnd", "travel in", {"column 9", "expected a value after \"in\""}},
        ErrorCase{"ValueIsKeyword", "who5_1 == not", {"expected a value after \"==\", found \"not\""}},
        ErrorCase{"AnsweredWithoutParen", "answered worry", {"column 10", "expected \"(\" after \"answered\""}},
        ErrorCase{"AnsweredEmpty", "answered()", {"column 10", "expected a question id in answered(…)"}},
        ErrorCase{"AnsweredUnclosed", "declined(worry", {"expected \")\" after declined(worry"}},
        ErrorCase{"AnsweredOfLiteral", "answered(3)", {"expected a question id", "the number 3"}},
        ErrorCase{
            "ListTrailingComma", "travel in [\"bus\",]", {"column 18", "expected a value after \",\" in the list"}},
        ErrorCase{"ListMissingComma",
                  "travel in [\"bus\" \"walk\"]",
                  {"column 18", "expected \",\" or \"]\" in the list (opened at column 11)"}},
        ErrorCase{"ListUnclosed", "travel in [\"bus\"", {"expected \"]\" to close the list"}},
        ErrorCase{"ListNested", "travel in [[\"bus\"]]", {"column 12", "lists cannot be nested"}},
        ErrorCase{"ListOfQuestions", "who5_1 in [who5_2]", {"only values, not questions"}},
        ErrorCase{"UpperCaseKeyword", "worry AND sleep_ok", {"found \"AND\""}}),
    [](const auto& info) { return std::string(info.param.name); });

// --- Robustness --------------------------------------------------------------------------------

// Parses or throws ExpressionError (anything else fails the test); when it parses, evaluation
// works under a few sets of answers and references() names only available questions.
bool parses_or_rejects(const std::string& text, const ExpressionScope& scope, const std::vector<Answers>& answer_sets) {
  try {
    const Expression e = Expression::parse(text, scope);
    for (const auto& answers : answer_sets) (void)eval(e, answers);
    for (const auto& id : e.references()) {
      const bool known =
          std::any_of(scope.available.begin(), scope.available.end(), [&](const auto& s) { return s.id == id; });
      EXPECT_TRUE(known) << id << " in " << text;
    }
    return true;
  } catch (const ExpressionError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr(" at column ")) << text;
    return false;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception for \"" << text << "\": " << e.what();
  } catch (...) {
    ADD_FAILURE() << "unexpected non-standard exception for \"" << text << "\"";
  }
  return false;
}

std::vector<Answers> answer_sets() {
  Answers declined;
  for (const auto& s : test_scope().available) declined.emplace(s.id, Declined{});
  return {{}, sample_answers(), declined};
}

TEST(ExpressionRobustness, RandomTokenSoup) {
  const std::vector<std::string> pieces = {"who5_1",
                                           "who5_2",
                                           "mood",
                                           "travel",
                                           "clubs",
                                           "worry",
                                           "name",
                                           "info_1",
                                           "later_q",
                                           "zz",
                                           " ",
                                           " ",
                                           " ",
                                           "(",
                                           ")",
                                           "[",
                                           "]",
                                           ",",
                                           "==",
                                           "!=",
                                           "<",
                                           "<=",
                                           ">",
                                           ">=",
                                           "=",
                                           "!",
                                           "in",
                                           "and",
                                           "or",
                                           "not",
                                           "answered",
                                           "declined",
                                           "true",
                                           "false",
                                           "\"bus\"",
                                           "\"football\"",
                                           "\"",
                                           "\\",
                                           "1",
                                           "3",
                                           "-",
                                           "-2",
                                           "99999999999999999999",
                                           "é",
                                           "\t",
                                           "$",
                                           "'",
                                           "#"};
  std::mt19937 rng(20240501);
  const ExpressionScope scope = test_scope();
  const auto sets = answer_sets();
  int parsed = 0;
  int rejected = 0;
  for (int n = 0; n < 2000; ++n) {
    const int length = std::uniform_int_distribution<int>(0, 12)(rng);
    std::string text;
    for (int k = 0; k < length; ++k) {
      text += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(rng)];
      if (rng() % 2) text += ' ';
    }
    (parses_or_rejects(text, scope, sets) ? parsed : rejected)++;
  }
  EXPECT_GT(rejected, 0);
  EXPECT_GT(parsed, 0);  // token soup occasionally forms a valid expression
}

TEST(ExpressionRobustness, MutatedValidExpressions) {
  const std::vector<std::string> valid = {
      "who5_1 <= 2 and answered(who5_2)", "travel in [\"bus\", \"walk\"]", "\"football\" in clubs",
      "not declined(home) and age >= 12", "(worry == true) or (mood < 3)", "name == \"a \\\"b\\\" \\\\ c\""};
  const std::string alphabet = "()[],=!<>\"\\ -0123456789abcdinorstuwy_";
  std::mt19937 rng(7);
  const ExpressionScope scope = test_scope();
  const auto sets = answer_sets();
  int parsed = 0;
  for (int n = 0; n < 2000; ++n) {
    std::string text = valid[n % valid.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < edits && !text.empty(); ++k) {
      const std::size_t at = rng() % text.size();
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0: text.erase(at, 1); break;
        case 1: text.insert(at, 1, c); break;
        default: text[at] = c; break;
      }
    }
    parsed += parses_or_rejects(text, scope, sets) ? 1 : 0;
  }
  EXPECT_GT(parsed, 0);
  EXPECT_LT(parsed, 2000);
}

TEST(ExpressionRobustness, RandomBytes) {
  std::mt19937 rng(99);
  const ExpressionScope scope = test_scope();
  const auto sets = answer_sets();
  int rejected = 0;
  for (int n = 0; n < 1000; ++n) {
    std::string text(rng() % 40, '\0');
    for (auto& c : text) c = static_cast<char>(rng() % 256);
    rejected += parses_or_rejects(text, scope, sets) ? 0 : 1;
  }
  EXPECT_GT(rejected, 900);
}

TEST(ExpressionRobustness, EveryTruncationOfValidExpressions) {
  const ExpressionScope scope = test_scope();
  const auto sets = answer_sets();
  for (const std::string valid : {"who5_1 <= 2 and answered(who5_2)", "travel in [\"bus\", \"walk\"] or not worry",
                                  "\"football\" in clubs and (mood >= 3 or declined(worry))",
                                  "not declined(home) and age >= 12 and free != -9223372036854775808",
                                  "name in [\"Zoë\", \"a \\\"b\\\"\"] and who5_1 < who5_2"}) {
    EXPECT_TRUE(parses_or_rejects(valid, scope, sets)) << valid;
    for (std::size_t n = 0; n < valid.size(); ++n) {
      parses_or_rejects(valid.substr(0, n), scope, sets);
      parses_or_rejects(valid.substr(n), scope, sets);
    }
  }
}

TEST(ExpressionRobustness, DeepNestingIsRejectedQuickly) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(error_of(std::string(10000, '(')), HasSubstr("too long"));
  EXPECT_THAT(error_of(std::string(1999, '(')), HasSubstr("nested too deeply"));
  EXPECT_THAT(error_of(std::string(1000, '[')), HasSubstr("lists cannot be nested"));
  std::string nots;
  for (int i = 0; i < 400; ++i) nots += "not ";
  EXPECT_THAT(error_of(nots + "worry"), HasSubstr("nested too deeply"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(ExpressionRobustness, NestingLimitIsSixtyFour) {
  const auto nested = [](int depth) { return std::string(depth, '(') + "worry" + std::string(depth, ')'); };
  EXPECT_TRUE(eval(nested(64), sample_answers()));
  EXPECT_THAT(error_of(nested(65)), HasSubstr("syntax error at column 65"));
  EXPECT_THAT(error_of(nested(65)), HasSubstr("nested too deeply"));
  std::string nots;
  for (int i = 0; i < 64; ++i) nots += "not ";
  EXPECT_TRUE(eval(nots + "worry", sample_answers()));  // an even number of nots
  EXPECT_THAT(error_of("not " + nots + "worry"), HasSubstr("nested too deeply"));
}

TEST(ExpressionRobustness, LengthLimit) {
  std::string text = "worry";
  while (text.size() + 9 <= 2000) text += " or worry";
  ASSERT_LE(text.size(), 2000u);
  EXPECT_TRUE(eval(text, sample_answers()));
  std::string longer = text + std::string(2001 - text.size(), ' ');
  const std::string message = error_of(longer);
  EXPECT_THAT(message, HasSubstr("too long (2001 characters; at most 2000)"));
  EXPECT_THAT(message, HasSubstr("column 2001"));
  EXPECT_LT(message.size(), 300u);  // the expression is quoted only in part
}

TEST(ExpressionRobustness, LongFlatChains) {
  std::string text = "who5_1 == 0";
  while (text.size() < 1980) text += " or who5_1 == 0";
  EXPECT_FALSE(eval(text, sample_answers()));
  const Expression e = Expression::parse(text, test_scope());
  EXPECT_EQ(e.references(), std::vector<std::string>{"who5_1"});
}

// --- answer_to_json / answer_from_json ------------------------------------------------------

TEST(AnswerJson, RoundTrips) {
  const std::vector<std::pair<Answer, std::string>> cases = {
      {Declined{}, R"({"declined":true})"},
      {std::int64_t{3}, "3"},
      {std::int64_t{-7}, "-7"},
      {INT64_MAX, "9223372036854775807"},
      {INT64_MIN, "-9223372036854775808"},
      {true, "true"},
      {false, "false"},
      {std::string("bus"), R"("bus")"},
      {std::string(""), R"("")"},
      {OptionIds{"football", "drama"}, R"(["football","drama"])"},
      {OptionIds{}, "[]"},
  };
  for (const auto& [answer, json] : cases) {
    EXPECT_EQ(answer_to_json(answer).dump(), json);
    EXPECT_EQ(answer_from_json(nlohmann::json::parse(json)), answer) << json;
  }
}

TEST(AnswerJson, KeepsTheAlternative) {
  EXPECT_TRUE(std::holds_alternative<bool>(answer_from_json(nlohmann::json::parse("true"))));
  EXPECT_TRUE(std::holds_alternative<std::int64_t>(answer_from_json(nlohmann::json::parse("1"))));
  EXPECT_TRUE(std::holds_alternative<std::string>(answer_from_json(nlohmann::json::parse("\"1\""))));
  EXPECT_TRUE(is_declined(answer_from_json(nlohmann::json::parse(R"({"declined": true})"))));
}

TEST(AnswerJson, RejectsOtherShapes) {
  for (const char* json :
       {"null", "1.5", "1e3", "-0.0", "18446744073709551615", "{}", R"({"declined": false})", R"({"declined": 1})",
        R"({"declined": true, "why": "x"})", R"({"value": 3})", "[1]", R"(["a", 2])", R"(["a", null])", R"([["a"]])"}) {
    EXPECT_THROW(answer_from_json(nlohmann::json::parse(json)), tt::Error) << json;
  }
  try {
    answer_from_json(nlohmann::json::parse(R"(["a", 2])"));
    FAIL();
  } catch (const tt::Error& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("item 2 of the array is number"));
  }
}

}  // namespace
}  // namespace tt::survey
