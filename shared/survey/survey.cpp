#include "shared/survey/survey.h"

#include <algorithm>

#include "shared/survey/text_utf8.h"

namespace tt::survey {

const std::string& Text::in(const std::string& language) const {
  auto it = by_language_.find(language);
  if (it != by_language_.end()) return it->second;
  static const std::string kEmpty;
  it = by_language_.find("en");
  return it == by_language_.end() ? kEmpty : it->second;
}

const char* category_name(Category category) {
  switch (category) {
    case Category::Wellbeing: return "wellbeing";
    case Category::Skills: return "skills";
    case Category::Careers: return "careers";
    case Category::Pshe: return "pshe";
    case Category::Other: return "other";
  }
  return "other";
}

const char* question_type_name(QuestionType type) {
  switch (type) {
    case QuestionType::Feelings: return "feelings";
    case QuestionType::Scale: return "scale";
    case QuestionType::Single: return "single";
    case QuestionType::Multiple: return "multiple";
    case QuestionType::YesNo: return "yes_no";
    case QuestionType::Number: return "number";
    case QuestionType::FreeText: return "text";
    case QuestionType::Info: return "info";
  }
  return "info";
}

bool Question::is_numeric() const {
  return type == QuestionType::Feelings || type == QuestionType::Scale || type == QuestionType::Number;
}

std::int64_t Question::lowest_value() const {
  if (type == QuestionType::Number) return min;
  return first_value;
}

std::int64_t Question::highest_value() const {
  if (type == QuestionType::Number) return max;
  return first_value + points - 1;
}

const Option* Question::option(const std::string& option_id) const {
  for (const Option& o : options) {
    if (o.id == option_id) return &o;
  }
  return nullptr;
}

namespace {

std::string option_list(const std::vector<Option>& options) {
  std::string out;
  for (const Option& o : options) {
    if (!out.empty()) out += ", ";
    out += o.id;
  }
  return out;
}

}  // namespace

std::string Question::check_answer(const Answer& answer) const {
  const std::string kind = std::string("question ") + id + " (" + question_type_name(type) + ")";
  if (type == QuestionType::Info) return kind + " is an information screen and takes no answer";
  if (is_declined(answer)) {
    return allow_decline ? std::string() : kind + " does not offer \"I'd rather not say\"";
  }
  switch (type) {
    case QuestionType::Feelings:
    case QuestionType::Scale:
    case QuestionType::Number: {
      const auto* v = std::get_if<std::int64_t>(&answer);
      if (v == nullptr) return kind + " needs a whole number";
      if (*v < lowest_value() || *v > highest_value()) {
        return "the answer is outside the range of " + kind + ", " + std::to_string(lowest_value()) + " to " +
               std::to_string(highest_value());
      }
      return {};
    }
    case QuestionType::YesNo: return std::holds_alternative<bool>(answer) ? std::string() : kind + " needs yes or no";
    case QuestionType::Single: {
      const auto* v = std::get_if<std::string>(&answer);
      if (v == nullptr) return kind + " needs one option: " + option_list(options);
      if (option(*v) == nullptr) return "the answer is not one of the options of " + kind + ": " + option_list(options);
      return {};
    }
    case QuestionType::Multiple: {
      const auto* v = std::get_if<OptionIds>(&answer);
      if (v == nullptr) return kind + " needs a list of options";
      OptionIds unique;
      for (const std::string& o : *v) {
        if (option(o) == nullptr)
          return "the answer has a choice that is not an option of " + kind + ": " + option_list(options);
        if (std::find(unique.begin(), unique.end(), o) == unique.end()) unique.push_back(o);
      }
      auto n = static_cast<int>(unique.size());
      if (n < min_choices) return kind + " needs at least " + std::to_string(min_choices) + " choices";
      if (n > max_choices) return kind + " allows at most " + std::to_string(max_choices) + " choices";
      return {};
    }
    case QuestionType::FreeText: {
      const auto* v = std::get_if<std::string>(&answer);
      if (v == nullptr) return kind + " needs text";
      std::string problem = check_pupil_text(*v, static_cast<std::size_t>(max_length));
      return problem.empty() ? problem : kind + ": " + problem;
    }
    case QuestionType::Info: break;
  }
  return {};
}

Answer Question::normalise(Answer answer) const {
  auto* v = std::get_if<OptionIds>(&answer);
  if (v == nullptr || type != QuestionType::Multiple) return answer;
  OptionIds ordered;
  for (const Option& o : options) {
    if (std::find(v->begin(), v->end(), o.id) != v->end()) ordered.push_back(o.id);
  }
  return ordered;
}

Survey& Survey::operator=(const Survey& other) {
  if (this == &other) return *this;
  format = other.format;
  id = other.id;
  version = other.version;
  title = other.title;
  description = other.description;
  languages = other.languages;
  year_groups = other.year_groups;
  identity = other.identity;
  notice = other.notice;
  sections = other.sections;
  scores = other.scores;
  end_message = other.end_message;
  safeguarding = other.safeguarding;
  index();
  return *this;
}

void Survey::index() {
  ordered_.clear();
  for (const Section& s : sections) {
    for (const Question& q : s.questions) ordered_.push_back({&q, &s});
  }
}

const Question* Survey::question(const std::string& question_id) const {
  for (const QuestionRef& r : ordered_) {
    if (r.question->id == question_id) return r.question;
  }
  return nullptr;
}

std::optional<std::size_t> Survey::index_of(const std::string& question_id) const {
  for (std::size_t i = 0; i < ordered_.size(); ++i) {
    if (ordered_[i].question->id == question_id) return i;
  }
  return std::nullopt;
}

std::size_t Survey::answerable_count() const {
  return static_cast<std::size_t>(
      std::count_if(ordered_.begin(), ordered_.end(), [](const QuestionRef& r) { return r.question->has_answer(); }));
}

}  // namespace tt::survey
