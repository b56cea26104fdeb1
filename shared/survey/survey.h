#pragma once
// The survey definition as the flow and the kiosk use it, after survey_loader.h has validated
// it. Every field here has passed the checks of docs/survey-format.md, so consumers need not
// re-check (a Question of type Scale has points in 2–11, an expression refers only to earlier
// questions, and so on).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "shared/survey/answer.h"
#include "shared/survey/expression.h"

namespace tt::survey {

// A localisable text: language tag → string, always with "en".
class Text {
 public:
  Text() = default;
  explicit Text(std::map<std::string, std::string> by_language) : by_language_(std::move(by_language)) {}
  // The text in `language`, or English when it has none.
  const std::string& in(const std::string& language) const;
  const std::string& english() const { return in("en"); }
  bool empty() const { return by_language_.empty(); }
  const std::map<std::string, std::string>& by_language() const { return by_language_; }

 private:
  std::map<std::string, std::string> by_language_;
};

enum class Category { Wellbeing, Skills, Careers, Pshe, Other };
const char* category_name(Category category);  // "wellbeing", …

enum class QuestionType { Feelings, Scale, Single, Multiple, YesNo, Number, FreeText, Info };
const char* question_type_name(QuestionType type);  // the format's word: "feelings", "yes_no", …

struct Option {
  std::string id;
  Text label;
};

struct Question {
  std::string id;
  QuestionType type = QuestionType::Info;
  Text text;
  std::optional<Text> help;
  bool required = false;
  bool sensitive = false;
  bool allow_decline = false;  // offers "I'd rather not say"
  Expression show_if;          // empty: always shown (within a shown section)
  std::vector<std::string> tags;
  std::optional<std::string> source;

  // Feelings (5 labels, saddest first) and Scale (one per point, or two: min and max).
  std::vector<Text> labels;
  int points = 0;                 // Scale: 2–11; Feelings: 5
  std::int64_t first_value = 0;   // Scale; Feelings: 1
  std::vector<Option> options;    // Single, Multiple
  int min_choices = 0;            // Multiple
  int max_choices = 0;            // Multiple
  std::int64_t min = 0, max = 0;  // Number (and, derived, Scale/Feelings ranges)
  std::optional<Text> unit;       // Number
  int max_length = 0;             // FreeText, in code points
  std::optional<Text> placeholder;

  bool has_answer() const { return type != QuestionType::Info; }
  bool is_numeric() const;  // Feelings, Scale, Number
  // Inclusive range of a numeric question's values.
  std::int64_t lowest_value() const;
  std::int64_t highest_value() const;
  // Empty when `answer` is a valid answer to this question, else a message a pupil-facing layer
  // can turn into a kind word and a script runner can print. The message never repeats the
  // value (it may reach a terminal or a log; an answer must not).
  std::string check_answer(const Answer& answer) const;
  // Puts a multiple-choice answer in option order and removes repeats; other answers as given.
  Answer normalise(Answer answer) const;
  const Option* option(const std::string& option_id) const;
};

struct Section {
  std::string id;
  Text title;
  Category category = Category::Other;
  std::string category_word;  // as written ("wellbeing" … "other")
  Expression show_if;
  std::vector<Question> questions;
};

struct Threshold {
  std::string flag;
  enum class Kind { Below, AtLeast } kind = Kind::Below;
  double value = 0;
};

struct Score {
  std::string id;
  std::string label;  // for staff
  enum class Method { Sum, Mean } method = Method::Sum;
  std::vector<std::string> items;
  std::vector<std::string> reverse;
  int min_answered = 0;
  double scale = 1;
  std::vector<Threshold> thresholds;
};

struct SafeguardingAlert {
  std::string id;
  Expression when;
  std::string reason;  // for staff
};

struct Safeguarding {
  bool offer_talk_button = true;
  Text signpost;
  std::vector<SafeguardingAlert> alerts;
};

enum class IdentityMode { Anonymous, PupilCode };

struct Survey {
  int format = 1;
  std::string id;
  std::int64_t version = 0;
  Text title;
  std::optional<std::string> description;  // for staff: never shown to pupils, never translated
  std::vector<std::string> languages;      // "en" first
  std::vector<int> year_groups;
  IdentityMode identity = IdentityMode::Anonymous;
  std::optional<Text> notice;
  std::vector<Section> sections;
  std::vector<Score> scores;
  Text end_message;
  Safeguarding safeguarding;

  // Questions in document order, with the section each belongs to. Built by the loader.
  struct QuestionRef {
    const Question* question;
    const Section* section;
  };
  const std::vector<QuestionRef>& questions() const { return ordered_; }
  const Question* question(const std::string& id) const;
  std::optional<std::size_t> index_of(const std::string& id) const;
  std::size_t answerable_count() const;

  // Rebuilds the ordered index; call after sections change (the loader does).
  void index();

  Survey() = default;
  Survey(const Survey& other) : Survey() { *this = other; }
  Survey& operator=(const Survey& other);
  Survey(Survey&&) = default;
  Survey& operator=(Survey&&) = default;

 private:
  std::vector<QuestionRef> ordered_;
};

}  // namespace tt::survey
