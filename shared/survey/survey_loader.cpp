// The survey loader and validator.
//
// [SECTION] Problems and messages
// [SECTION] Field readers (objects, strings, ids, numbers, texts)
// [SECTION] Questions, by type
// [SECTION] Sections, scores, safeguarding, the top level
// [SECTION] Entry points
//
// The reader keeps going after a problem wherever that can still find more problems, so a
// designer sees every mistake in one run; it stops at kMaxReportedProblems.
#include "shared/survey/survey_loader.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "shared/common/files.h"
#include "shared/survey/json_locator.h"
#include "shared/survey/text_utf8.h"

namespace tt::survey {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// [SECTION] Problems and messages
// ---------------------------------------------------------------------------------------------

std::string format_problems(const std::string& file, const std::vector<SurveyProblem>& problems) {
  std::string out;
  for (const SurveyProblem& p : problems) {
    if (!out.empty()) out += "\n";
    out += file + ": " + (p.pointer.empty() ? std::string("(top level)") : p.pointer);
    if (p.line > 0) out += " (line " + std::to_string(p.line) + ")";
    out += ": " + p.message;
  }
  return out;
}

SurveyError::SurveyError(std::string file, std::vector<SurveyProblem> problems)
    : Error(format_problems(file, problems)), file_(std::move(file)), problems_(std::move(problems)) {}

namespace {

const char* json_type_word(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "a whole number";
    case json::value_t::number_float: return "a number with a fraction";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "something else";
  }
}

std::string in_quotes(const std::string& s) {
  return "\"" + s + "\"";
}

std::string join(const std::vector<std::string>& items, const std::string& separator = ", ") {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += separator;
    out += s;
  }
  return out;
}

// Levenshtein distance, for "did you mean" on unknown field names.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

struct TooManyProblems {};

// ---------------------------------------------------------------------------------------------
// [SECTION] Field readers
// ---------------------------------------------------------------------------------------------

class Reader {
 public:
  Reader(const JsonLocator& locator) : locator_(locator) {}

  void problem(const std::string& pointer, std::string message) {
    problems_.push_back({pointer, locator_.line_of(pointer), std::move(message)});
    if (problems_.size() >= kMaxReportedProblems) throw TooManyProblems{};
  }
  std::vector<SurveyProblem>& problems() { return problems_; }

  // Checks `j` is an object with only `allowed` members and all `required` ones.
  bool object(const json& j, const std::string& ptr, const std::vector<std::string>& allowed,
              const std::vector<std::string>& required, const std::string& what) {
    if (!j.is_object()) {
      problem(ptr, "expected " + what + " (an object), found " + json_type_word(j));
      return false;
    }
    for (const auto& [key, value] : j.items()) {
      (void)value;
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string message = "unknown field " + in_quotes(key) + " in " + what;
      std::string best;
      std::size_t best_distance = 3;
      for (const std::string& a : allowed) {
        std::size_t d = edit_distance(key, a);
        if (d < best_distance) {
          best_distance = d;
          best = a;
        }
      }
      if (!best.empty()) {
        message += "; did you mean " + in_quotes(best) + "?";
      } else {
        message += "; expected one of: " + join(allowed);
      }
      problem(json_pointer_append(ptr, key), message);
    }
    for (const std::string& r : required) {
      if (!j.contains(r)) problem(ptr, what + " is missing the required field " + in_quotes(r));
    }
    return true;
  }

  std::optional<std::string> string(const json& j, const std::string& ptr, const std::string& what,
                                    std::size_t max_length = 200) {
    if (!j.is_string()) {
      problem(ptr, "expected " + what + " (a string), found " + json_type_word(j));
      return std::nullopt;
    }
    const std::string& s = j.get_ref<const std::string&>();
    auto length = utf8_length(s);
    if (!length) {
      problem(ptr, what + " is not valid UTF-8");
      return std::nullopt;
    }
    if (*length == 0) {
      problem(ptr, what + " must not be empty");
      return std::nullopt;
    }
    if (*length > max_length) {
      problem(ptr, what + " is " + std::to_string(*length) + " characters long; at most " + std::to_string(max_length) +
                       " are allowed");
      return std::nullopt;
    }
    return s;
  }

  // An id: 1–64 of [a-z0-9_], starting with a letter (and '-' when `allow_dash`).
  std::optional<std::string> id(const json& j, const std::string& ptr, const std::string& what,
                                bool allow_dash = false) {
    if (!j.is_string()) {
      problem(ptr, "expected " + what + " (a string id), found " + json_type_word(j));
      return std::nullopt;
    }
    const std::string& s = j.get_ref<const std::string&>();
    bool ok = !s.empty() && s.size() <= 64 && s[0] >= 'a' && s[0] <= 'z';
    for (char c : s) {
      ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (allow_dash && c == '-'));
    }
    if (!ok) {
      problem(ptr, what + " " + in_quotes(s) + " is not a valid id: use 1 to 64 lower-case letters, digits" +
                       (allow_dash ? ", '_' or '-'" : " or '_'") + ", starting with a letter");
      return std::nullopt;
    }
    return s;
  }

  std::optional<bool> boolean(const json& j, const std::string& ptr, const std::string& what) {
    if (!j.is_boolean()) {
      problem(ptr, "expected " + what + " (true or false), found " + json_type_word(j));
      return std::nullopt;
    }
    return j.get<bool>();
  }

  std::optional<std::int64_t> integer(const json& j, const std::string& ptr, const std::string& what,
                                      std::int64_t lowest, std::int64_t highest) {
    if (!j.is_number_integer()) {
      problem(ptr, "expected " + what + " (a whole number from " + std::to_string(lowest) + " to " +
                       std::to_string(highest) + "), found " + json_type_word(j));
      return std::nullopt;
    }
    if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(highest)) {
      problem(ptr, what + " must be from " + std::to_string(lowest) + " to " + std::to_string(highest));
      return std::nullopt;
    }
    std::int64_t v = j.get<std::int64_t>();
    if (v < lowest || v > highest) {
      problem(ptr, what + " is " + std::to_string(v) + "; it must be from " + std::to_string(lowest) + " to " +
                       std::to_string(highest));
      return std::nullopt;
    }
    return v;
  }

  std::optional<double> number(const json& j, const std::string& ptr, const std::string& what) {
    if (!j.is_number()) {
      problem(ptr, "expected " + what + " (a number), found " + json_type_word(j));
      return std::nullopt;
    }
    double v = j.get<double>();
    if (!std::isfinite(v) || std::fabs(v) > 1e9) {
      problem(ptr, what + " is out of range");
      return std::nullopt;
    }
    return v;
  }

  // A localised text: a plain string (English-only surveys) or {"en": …, other languages…}.
  std::optional<Text> text(const json& j, const std::string& ptr, const std::string& what,
                           std::size_t max_length = 1000) {
    std::map<std::string, std::string> by_language;
    if (j.is_string()) {
      if (languages_.size() > 1) {
        problem(ptr, what + " is a plain string, but the survey has the languages " + join(languages_) +
                         ": give an object with a text for each, e.g. {\"en\": \"…\", \"" + languages_[1] +
                         "\": \"…\"}");
        return std::nullopt;
      }
      auto s = string(j, ptr, what, max_length);
      if (!s) return std::nullopt;
      by_language["en"] = *s;
      return Text(std::move(by_language));
    }
    if (!j.is_object()) {
      problem(ptr, "expected " + what + " (a string, or an object of language → string), found " + json_type_word(j));
      return std::nullopt;
    }
    bool ok = true;
    for (const auto& [language, value] : j.items()) {
      std::string p = json_pointer_append(ptr, language);
      if (std::find(languages_.begin(), languages_.end(), language) == languages_.end()) {
        problem(p, what + " has the language " + in_quotes(language) + ", which is not in the survey's languages (" +
                       join(languages_) + ")");
        ok = false;
        continue;
      }
      auto s = string(value, p, what + " in " + in_quotes(language), max_length);
      if (!s) {
        ok = false;
        continue;
      }
      by_language[language] = *s;
    }
    for (const std::string& language : languages_) {
      if (!j.contains(language)) {
        problem(ptr, what + " has no text in " + in_quotes(language) +
                         (language == "en" ? " (English is required)" : " (one of the survey's languages)"));
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return Text(std::move(by_language));
  }

  std::vector<std::string> languages_ = {"en"};

 private:
  const JsonLocator& locator_;
  std::vector<SurveyProblem> problems_;
};

// Field lists, kept beside the reader so an unknown field can suggest the nearest name.
const std::vector<std::string> kTopFields = {"$schema",     "format",    "id",          "version",     "title",
                                             "description", "languages", "audience",    "identity",    "notice",
                                             "sections",    "scores",    "end_message", "safeguarding"};
const std::vector<std::string> kSectionFields = {"id", "title", "category", "show_if", "questions"};
const std::vector<std::string> kCommonQuestionFields = {"id",        "type",          "text",    "help", "required",
                                                        "sensitive", "allow_decline", "show_if", "tags", "source"};
const std::vector<std::string> kScoreFields = {"id",      "label",        "method", "items",
                                               "reverse", "min_answered", "scale",  "thresholds"};

struct TypeSpec {
  const char* word;
  QuestionType type;
  std::vector<std::string> own_fields;
  std::vector<std::string> own_required;
};

const std::vector<TypeSpec>& type_specs() {
  static const std::vector<TypeSpec> kSpecs = {
      {"feelings", QuestionType::Feelings, {"labels"}, {}},
      {"scale", QuestionType::Scale, {"points", "first_value", "labels", "min_label", "max_label"}, {"points"}},
      {"single", QuestionType::Single, {"options"}, {"options"}},
      {"multiple", QuestionType::Multiple, {"options", "min_choices", "max_choices"}, {"options"}},
      {"yes_no", QuestionType::YesNo, {}, {}},
      {"number", QuestionType::Number, {"min", "max", "unit"}, {"min", "max"}},
      {"text", QuestionType::FreeText, {"max_length", "placeholder"}, {"max_length"}},
      {"info", QuestionType::Info, {}, {}},
  };
  return kSpecs;
}

ExpressionSubject subject_of(const Question& q) {
  ExpressionSubject s;
  s.id = q.id;
  s.type_name = question_type_name(q.type);
  s.can_decline = q.allow_decline;
  switch (q.type) {
    case QuestionType::Feelings:
    case QuestionType::Scale:
    case QuestionType::Number:
      s.kind = ExpressionSubject::Kind::Integer;
      s.min = q.lowest_value();
      s.max = q.highest_value();
      break;
    case QuestionType::YesNo: s.kind = ExpressionSubject::Kind::Boolean; break;
    case QuestionType::Single: s.kind = ExpressionSubject::Kind::Option; break;
    case QuestionType::Multiple: s.kind = ExpressionSubject::Kind::OptionSet; break;
    case QuestionType::FreeText: s.kind = ExpressionSubject::Kind::Text; break;
    case QuestionType::Info: s.kind = ExpressionSubject::Kind::NoAnswer; break;
  }
  for (const Option& o : q.options) s.options.push_back(o.id);
  return s;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Questions, by type
// ---------------------------------------------------------------------------------------------

class SurveyReader {
 public:
  SurveyReader(Reader& r) : r_(r) {}

  Survey read(const json& root);

 private:
  void read_top(const json& root, Survey& s);
  void read_section(const json& j, const std::string& ptr, Survey& s);
  std::optional<Question> read_question(const json& j, const std::string& ptr);
  void read_type_fields(const json& j, const std::string& ptr, Question& q);
  void read_options(const json& j, const std::string& ptr, Question& q);
  void read_labels(const json& j, const std::string& ptr, std::size_t count, const std::string& what,
                   std::vector<Text>& out);
  // Expressions see the questions read so far: for show_if the earlier ones, for alerts (read
  // after every section) the whole survey.
  Expression read_expression(const json& j, const std::string& ptr, const std::string& where);
  void read_scores(const json& j, const std::string& ptr, Survey& s);
  void read_safeguarding(const json& j, const std::string& ptr, Survey& s);

  std::vector<std::string> all_question_ids_;  // first pass: every question id in the document
  std::vector<ExpressionSubject> before_;      // questions read so far
  std::set<std::string> seen_ids_;
  Reader& r_;
};

void SurveyReader::read_labels(const json& j, const std::string& ptr, std::size_t count, const std::string& what,
                               std::vector<Text>& out) {
  if (!j.is_array()) {
    r_.problem(ptr,
               "expected " + what + " (an array of " + std::to_string(count) + " texts), found " + json_type_word(j));
    return;
  }
  if (j.size() != count) {
    r_.problem(ptr, what + " has " + std::to_string(j.size()) + " labels; expected exactly " + std::to_string(count));
    return;
  }
  for (std::size_t i = 0; i < j.size(); ++i) {
    auto t = r_.text(j[i], json_pointer_append(ptr, std::to_string(i)), "label " + std::to_string(i + 1), 80);
    if (t) out.push_back(*t);
  }
}

void SurveyReader::read_options(const json& j, const std::string& ptr, Question& q) {
  if (!j.is_array()) {
    r_.problem(ptr, "expected the options (an array of {\"id\", \"label\"}), found " + std::string(json_type_word(j)));
    return;
  }
  if (j.empty()) {
    r_.problem(ptr, "the option list is empty; a " + std::string(question_type_name(q.type)) +
                        " question needs 2 to 20 options");
    return;
  }
  if (j.size() < 2 || j.size() > 20) {
    r_.problem(ptr, "a " + std::string(question_type_name(q.type)) + " question needs 2 to 20 options; this one has " +
                        std::to_string(j.size()));
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < j.size(); ++i) {
    std::string p = json_pointer_append(ptr, std::to_string(i));
    if (!r_.object(j[i], p, {"id", "label"}, {"id", "label"}, "an option")) continue;
    Option o;
    auto id = j[i].contains("id") ? r_.id(j[i]["id"], json_pointer_append(p, "id"), "option id") : std::nullopt;
    auto label = j[i].contains("label") ? r_.text(j[i]["label"], json_pointer_append(p, "label"), "option label", 120)
                                        : std::nullopt;
    if (!id || !label) continue;
    if (!ids.insert(*id).second) {
      r_.problem(json_pointer_append(p, "id"),
                 "duplicate option id " + in_quotes(*id) + " in question " + in_quotes(q.id));
      continue;
    }
    o.id = *id;
    o.label = *label;
    q.options.push_back(std::move(o));
  }
}

void SurveyReader::read_type_fields(const json& j, const std::string& ptr, Question& q) {
  auto at = [&](const char* field) { return json_pointer_append(ptr, field); };
  switch (q.type) {
    case QuestionType::Feelings:
      q.points = 5;
      q.first_value = 1;
      if (j.contains("labels")) read_labels(j["labels"], at("labels"), 5, "the feelings labels", q.labels);
      break;
    case QuestionType::Scale: {
      auto points = j.contains("points") ? r_.integer(j["points"], at("points"), "points", 2, 11) : std::nullopt;
      q.points = points.value_or(2);
      if (j.contains("first_value")) {
        q.first_value = r_.integer(j["first_value"], at("first_value"), "first_value", -100, 100).value_or(0);
      }
      bool has_labels = j.contains("labels");
      bool has_ends = j.contains("min_label") || j.contains("max_label");
      if (has_labels && has_ends) {
        r_.problem(ptr, "a scale has either \"labels\" (one per point) or \"min_label\" and \"max_label\", not both");
      } else if (has_labels) {
        if (points)
          read_labels(j["labels"], at("labels"), static_cast<std::size_t>(*points), "the scale labels", q.labels);
      } else if (has_ends) {
        if (!j.contains("min_label") || !j.contains("max_label")) {
          r_.problem(ptr, "a scale with end labels needs both \"min_label\" and \"max_label\"");
        } else {
          auto lo = r_.text(j["min_label"], at("min_label"), "min_label", 80);
          auto hi = r_.text(j["max_label"], at("max_label"), "max_label", 80);
          if (lo && hi) q.labels = {*lo, *hi};
        }
      } else {
        r_.problem(ptr, "a scale needs \"labels\" (one per point) or \"min_label\" and \"max_label\"");
      }
      break;
    }
    case QuestionType::Single:
    case QuestionType::Multiple: {
      if (j.contains("options")) read_options(j["options"], at("options"), q);
      if (q.type == QuestionType::Single) break;
      auto n = static_cast<std::int64_t>(q.options.size());
      q.min_choices = q.required ? 1 : 0;
      q.max_choices = static_cast<int>(n);
      std::optional<std::int64_t> lo, hi;
      if (j.contains("min_choices")) lo = r_.integer(j["min_choices"], at("min_choices"), "min_choices", 0, 20);
      if (j.contains("max_choices")) hi = r_.integer(j["max_choices"], at("max_choices"), "max_choices", 1, 20);
      if (lo) q.min_choices = static_cast<int>(*lo);
      if (hi) q.max_choices = static_cast<int>(*hi);
      if (n >= 2) {
        if (q.max_choices > n) {
          r_.problem(at("max_choices"), "max_choices is " + std::to_string(q.max_choices) + " but there are only " +
                                            std::to_string(n) + " options");
        }
        if (q.min_choices > q.max_choices) {
          r_.problem(at("min_choices"), "min_choices (" + std::to_string(q.min_choices) +
                                            ") is more than max_choices (" + std::to_string(q.max_choices) + ")");
        }
      }
      if (lo && *lo == 0 && q.required) {
        r_.problem(at("min_choices"), "a required multiple-choice question needs min_choices of at least 1");
      }
      break;
    }
    case QuestionType::YesNo:
    case QuestionType::Info: break;
    case QuestionType::Number: {
      constexpr std::int64_t kLimit = 1000000000;
      auto lo = j.contains("min") ? r_.integer(j["min"], at("min"), "min", -kLimit, kLimit) : std::nullopt;
      auto hi = j.contains("max") ? r_.integer(j["max"], at("max"), "max", -kLimit, kLimit) : std::nullopt;
      q.min = lo.value_or(0);
      q.max = hi.value_or(0);
      if (lo.has_value() && hi.has_value() && q.min >= q.max) {
        r_.problem(at("max"),
                   "max (" + std::to_string(q.max) + ") must be more than min (" + std::to_string(q.min) + ")");
      }
      if (j.contains("unit")) q.unit = r_.text(j["unit"], at("unit"), "unit", 20);
      break;
    }
    case QuestionType::FreeText:
      if (j.contains("max_length")) {
        q.max_length =
            static_cast<int>(r_.integer(j["max_length"], at("max_length"), "max_length", 1, 500).value_or(1));
      }
      if (j.contains("placeholder")) q.placeholder = r_.text(j["placeholder"], at("placeholder"), "placeholder", 80);
      break;
  }
}

std::optional<Question> SurveyReader::read_question(const json& j, const std::string& ptr) {
  auto at = [&](const char* field) { return json_pointer_append(ptr, field); };
  if (!j.is_object()) {
    r_.problem(ptr, "expected a question (an object), found " + std::string(json_type_word(j)));
    return std::nullopt;
  }
  Question q;
  const TypeSpec* spec = nullptr;
  if (!j.contains("type")) {
    r_.problem(ptr, "a question is missing the required field \"type\"");
  } else if (!j["type"].is_string()) {
    r_.problem(at("type"), "expected the question type (a string), found " + std::string(json_type_word(j["type"])));
  } else {
    const std::string& word = j["type"].get_ref<const std::string&>();
    for (const TypeSpec& t : type_specs()) {
      if (word == t.word) spec = &t;
    }
    if (spec == nullptr) {
      std::vector<std::string> words;
      for (const TypeSpec& t : type_specs()) words.push_back(t.word);
      r_.problem(at("type"), "unknown question type " + in_quotes(word) + "; expected one of: " + join(words));
    }
  }
  std::vector<std::string> allowed = kCommonQuestionFields;
  std::vector<std::string> required = {"id", "type", "text"};
  if (spec != nullptr) {
    allowed.insert(allowed.end(), spec->own_fields.begin(), spec->own_fields.end());
    required.insert(required.end(), spec->own_required.begin(), spec->own_required.end());
    q.type = spec->type;
  }
  std::string what = spec != nullptr ? std::string("a ") + spec->word + " question" : std::string("a question");
  // Fields of another type are reported as not applying, which says more than "unknown".
  if (spec != nullptr) {
    for (const auto& [key, value] : j.items()) {
      (void)value;
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      for (const TypeSpec& t : type_specs()) {
        if (std::find(t.own_fields.begin(), t.own_fields.end(), key) != t.own_fields.end()) {
          r_.problem(json_pointer_append(ptr, key), "the field " + in_quotes(key) + " does not apply to " + what +
                                                        " (it belongs to " + t.word + " questions)");
          allowed.push_back(key);  // reported once, not again as unknown
          break;
        }
      }
    }
  }
  r_.object(j, ptr, allowed, required, what);

  std::optional<std::string> id;
  if (j.contains("id")) id = r_.id(j["id"], at("id"), "question id");
  if (id) {
    q.id = *id;
    if (!seen_ids_.insert(*id).second)
      r_.problem(at("id"), "duplicate id " + in_quotes(*id) + ": ids must be unique in a survey");
  }
  if (j.contains("text")) q.text = r_.text(j["text"], at("text"), "the question text", 600).value_or(Text());
  if (j.contains("help")) q.help = r_.text(j["help"], at("help"), "help", 300);
  if (j.contains("required")) q.required = r_.boolean(j["required"], at("required"), "required").value_or(false);
  if (j.contains("sensitive")) q.sensitive = r_.boolean(j["sensitive"], at("sensitive"), "sensitive").value_or(false);
  q.allow_decline = q.sensitive;
  if (j.contains("allow_decline")) {
    q.allow_decline = r_.boolean(j["allow_decline"], at("allow_decline"), "allow_decline").value_or(q.sensitive);
    if (q.sensitive && !q.allow_decline) {
      r_.problem(at("allow_decline"),
                 "a sensitive question must offer \"I'd rather not say\": remove "
                 "\"allow_decline\": false or make the question not sensitive");
    }
  }
  if (j.contains("tags")) {
    const json& tags = j["tags"];
    if (!tags.is_array()) {
      r_.problem(at("tags"), "expected tags (an array of strings), found " + std::string(json_type_word(tags)));
    } else {
      std::set<std::string> unique;
      for (std::size_t i = 0; i < tags.size(); ++i) {
        auto t = r_.string(tags[i], json_pointer_append(at("tags"), std::to_string(i)), "a tag", 64);
        if (t && unique.insert(*t).second) q.tags.push_back(*t);
      }
    }
  }
  if (j.contains("source")) q.source = r_.string(j["source"], at("source"), "source", 400);
  if (q.type == QuestionType::Info && spec != nullptr) {
    if (q.required) r_.problem(at("required"), "an info screen has no answer, so it cannot be required");
    if (q.sensitive) r_.problem(at("sensitive"), "an info screen has no answer, so it cannot be sensitive");
    if (j.contains("allow_decline") && q.allow_decline) {
      r_.problem(at("allow_decline"), "an info screen has no answer, so it cannot offer \"I'd rather not say\"");
    }
    q.allow_decline = false;
  }
  if (spec != nullptr) read_type_fields(j, ptr, q);
  if (j.contains("show_if")) q.show_if = read_expression(j["show_if"], at("show_if"), "show_if of question " + q.id);
  if (spec == nullptr || !id) return std::nullopt;
  return q;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Sections, scores, safeguarding, the top level
// ---------------------------------------------------------------------------------------------

Expression SurveyReader::read_expression(const json& j, const std::string& ptr, const std::string& where) {
  auto text = r_.string(j, ptr, "an expression", 2000);
  if (!text) return {};
  ExpressionScope scope;
  scope.available = before_;
  scope.all_question_ids = all_question_ids_;
  scope.where = where;
  try {
    return Expression::parse(*text, scope);
  } catch (const ExpressionError& e) {
    r_.problem(ptr, e.what());
    return {};
  }
}

void SurveyReader::read_section(const json& j, const std::string& ptr, Survey& s) {
  auto at = [&](const char* field) { return json_pointer_append(ptr, field); };
  if (!r_.object(j, ptr, kSectionFields, {"id", "title", "category", "questions"}, "a section")) return;
  Section section;
  if (j.contains("id")) {
    auto id = r_.id(j["id"], at("id"), "section id");
    if (id) {
      section.id = *id;
      for (const Section& other : s.sections) {
        if (other.id == *id) r_.problem(at("id"), "duplicate section id " + in_quotes(*id));
      }
    }
  }
  if (j.contains("title")) section.title = r_.text(j["title"], at("title"), "the section title", 120).value_or(Text());
  if (j.contains("category")) {
    static const std::vector<std::pair<std::string, Category>> kCategories = {{"wellbeing", Category::Wellbeing},
                                                                              {"skills", Category::Skills},
                                                                              {"careers", Category::Careers},
                                                                              {"pshe", Category::Pshe},
                                                                              {"other", Category::Other}};
    auto word = r_.string(j["category"], at("category"), "the category", 40);
    if (word) {
      auto it = std::find_if(kCategories.begin(), kCategories.end(), [&](const auto& c) { return c.first == *word; });
      if (it == kCategories.end()) {
        r_.problem(at("category"), "unknown category " + in_quotes(*word) +
                                       "; expected one of: wellbeing, skills, careers, pshe, other");
      } else {
        section.category = it->second;
        section.category_word = it->first;
      }
    }
  }
  if (j.contains("show_if")) {
    section.show_if = read_expression(j["show_if"], at("show_if"), "show_if of section " + section.id);
  }
  if (j.contains("questions")) {
    const json& qs = j["questions"];
    std::string qptr = at("questions");
    if (!qs.is_array()) {
      r_.problem(qptr, "expected the questions (an array), found " + std::string(json_type_word(qs)));
    } else if (qs.empty()) {
      r_.problem(qptr, "section " + in_quotes(section.id) + " has no questions");
    } else {
      for (std::size_t i = 0; i < qs.size(); ++i) {
        auto q = read_question(qs[i], json_pointer_append(qptr, std::to_string(i)));
        if (!q) continue;
        before_.push_back(subject_of(*q));
        section.questions.push_back(std::move(*q));
      }
    }
  }
  s.sections.push_back(std::move(section));
}

void SurveyReader::read_scores(const json& j, const std::string& ptr, Survey& s) {
  if (!j.is_array()) {
    r_.problem(ptr, "expected the scores (an array), found " + std::string(json_type_word(j)));
    return;
  }
  for (std::size_t i = 0; i < j.size(); ++i) {
    std::string p = json_pointer_append(ptr, std::to_string(i));
    auto at = [&](const char* field) { return json_pointer_append(p, field); };
    const json& sj = j[i];
    if (!r_.object(sj, p, kScoreFields, {"id", "label", "method", "items"}, "a score")) continue;
    Score score;
    if (sj.contains("id")) {
      auto id = r_.id(sj["id"], at("id"), "score id");
      if (id) {
        score.id = *id;
        if (!seen_ids_.insert(*id).second) {
          r_.problem(at("id"),
                     "duplicate id " + in_quotes(*id) + ": a score id must differ from every question and score id");
        }
      }
    }
    if (sj.contains("label")) score.label = r_.string(sj["label"], at("label"), "the score label", 120).value_or("");
    if (sj.contains("method")) {
      auto m = r_.string(sj["method"], at("method"), "the method", 20);
      if (m && *m == "sum") {
        score.method = Score::Method::Sum;
      } else if (m && *m == "mean") {
        score.method = Score::Method::Mean;
      } else if (m) {
        r_.problem(at("method"), "unknown method " + in_quotes(*m) + "; expected \"sum\" or \"mean\"");
      }
    }
    auto read_items = [&](const char* field, std::vector<std::string>& out) {
      const json& items = sj[field];
      std::string ip = at(field);
      if (!items.is_array()) {
        r_.problem(ip,
                   std::string("expected ") + field + " (an array of question ids), found " + json_type_word(items));
        return;
      }
      for (std::size_t k = 0; k < items.size(); ++k) {
        std::string kp = json_pointer_append(ip, std::to_string(k));
        auto id = r_.id(items[k], kp, "a question id");
        if (!id) continue;
        const Question* q = s.question(*id);
        if (q == nullptr) {
          r_.problem(kp, "score " + in_quotes(score.id) + " refers to " + in_quotes(*id) +
                             ", which is not a question of this survey");
        } else if (!q->is_numeric()) {
          r_.problem(kp, "score " + in_quotes(score.id) +
                             " can only use numeric questions (feelings, scale, number); " + *id + " is a " +
                             question_type_name(q->type) + " question");
        } else if (std::find(out.begin(), out.end(), *id) != out.end()) {
          r_.problem(kp, in_quotes(*id) + " is listed twice in " + field);
        } else {
          out.push_back(*id);
        }
      }
    };
    if (sj.contains("items")) {
      read_items("items", score.items);
      if (sj["items"].is_array() && sj["items"].empty()) r_.problem(at("items"), "a score needs at least one item");
    }
    if (sj.contains("reverse")) {
      read_items("reverse", score.reverse);
      for (const std::string& rid : score.reverse) {
        if (std::find(score.items.begin(), score.items.end(), rid) == score.items.end()) {
          r_.problem(at("reverse"), in_quotes(rid) + " is reversed but is not one of the score's items");
        }
      }
    }
    score.min_answered = static_cast<int>(score.items.size());
    if (sj.contains("min_answered")) {
      auto n = r_.integer(sj["min_answered"], at("min_answered"), "min_answered", 1,
                          std::max<std::int64_t>(1, static_cast<std::int64_t>(score.items.size())));
      if (n) score.min_answered = static_cast<int>(*n);
    }
    if (sj.contains("scale")) {
      auto f = r_.number(sj["scale"], at("scale"), "scale");
      if (f && *f == 0) r_.problem(at("scale"), "scale must not be 0");
      if (f) score.scale = *f;
    }
    if (sj.contains("thresholds")) {
      const json& ts = sj["thresholds"];
      if (!ts.is_array()) {
        r_.problem(at("thresholds"), "expected thresholds (an array), found " + std::string(json_type_word(ts)));
      } else {
        for (std::size_t k = 0; k < ts.size(); ++k) {
          std::string tp = json_pointer_append(at("thresholds"), std::to_string(k));
          if (!r_.object(ts[k], tp, {"flag", "below", "at_least"}, {"flag"}, "a threshold")) continue;
          Threshold t;
          auto flag =
              ts[k].contains("flag") ? r_.id(ts[k]["flag"], json_pointer_append(tp, "flag"), "the flag") : std::nullopt;
          bool below = ts[k].contains("below"), at_least = ts[k].contains("at_least");
          if (below == at_least) {
            r_.problem(tp, "a threshold needs exactly one of \"below\" or \"at_least\"");
            continue;
          }
          auto v = r_.number(ts[k][below ? "below" : "at_least"], json_pointer_append(tp, below ? "below" : "at_least"),
                             below ? "below" : "at_least");
          if (!flag || !v) continue;
          t.flag = *flag;
          t.kind = below ? Threshold::Kind::Below : Threshold::Kind::AtLeast;
          t.value = *v;
          score.thresholds.push_back(t);
        }
      }
    }
    s.scores.push_back(std::move(score));
  }
}

void SurveyReader::read_safeguarding(const json& j, const std::string& ptr, Survey& s) {
  auto at = [&](const char* field) { return json_pointer_append(ptr, field); };
  if (!r_.object(j, ptr, {"offer_talk_button", "signpost", "alerts"}, {}, "the safeguarding settings")) return;
  if (j.contains("offer_talk_button")) {
    s.safeguarding.offer_talk_button =
        r_.boolean(j["offer_talk_button"], at("offer_talk_button"), "offer_talk_button").value_or(true);
  }
  if (j.contains("signpost")) {
    s.safeguarding.signpost = r_.text(j["signpost"], at("signpost"), "the signpost", 400).value_or(Text());
  } else {
    std::map<std::string, std::string> by_language;
    for (const std::string& l : r_.languages_) {
      by_language[l] = "You can talk to Childline about anything, any time. Call 0800 1111 for free.";
    }
    s.safeguarding.signpost = Text(std::move(by_language));
  }
  if (j.contains("alerts")) {
    const json& as = j["alerts"];
    if (!as.is_array()) {
      r_.problem(at("alerts"), "expected alerts (an array), found " + std::string(json_type_word(as)));
      return;
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < as.size(); ++i) {
      std::string p = json_pointer_append(at("alerts"), std::to_string(i));
      if (!r_.object(as[i], p, {"id", "when", "reason"}, {"id", "when", "reason"}, "an alert")) continue;
      SafeguardingAlert alert;
      auto id = as[i].contains("id") ? r_.id(as[i]["id"], json_pointer_append(p, "id"), "alert id") : std::nullopt;
      if (id && !ids.insert(*id).second)
        r_.problem(json_pointer_append(p, "id"), "duplicate alert id " + in_quotes(*id));
      if (id) alert.id = *id;
      if (as[i].contains("when")) {
        alert.when = read_expression(as[i]["when"], json_pointer_append(p, "when"), "alert " + alert.id);
      }
      if (as[i].contains("reason")) {
        alert.reason = r_.string(as[i]["reason"], json_pointer_append(p, "reason"), "the reason", 300).value_or("");
      }
      s.safeguarding.alerts.push_back(std::move(alert));
    }
  }
}

void SurveyReader::read_top(const json& root, Survey& s) {
  auto at = [](const char* field) { return json_pointer_append("", field); };
  r_.object(root, "", kTopFields,
            {"format", "id", "version", "title", "languages", "audience", "identity", "sections", "end_message",
             "safeguarding"},
            "the survey");
  if (root.contains("format")) {
    auto f = r_.integer(root["format"], at("format"), "format", 1, 1000);
    if (f && *f != 1) {
      r_.problem(at("format"),
                 "format " + std::to_string(*f) + " is not supported; this version of Tutortime reads format 1");
    }
  }
  if (root.contains("id")) s.id = r_.id(root["id"], at("id"), "the survey id", true).value_or("");
  if (root.contains("version"))
    s.version = r_.integer(root["version"], at("version"), "version", 1, 1000000).value_or(0);
  // Languages first: every text depends on them.
  if (root.contains("languages")) {
    const json& ls = root["languages"];
    if (!ls.is_array()) {
      r_.problem(at("languages"), "expected the languages (an array such as [\"en\", \"pl\"]), found " +
                                      std::string(json_type_word(ls)));
    } else {
      static const std::regex kTag("[a-z]{2,3}(-[A-Za-z0-9]{2,8})*");
      std::vector<std::string> languages;
      for (std::size_t i = 0; i < ls.size(); ++i) {
        std::string p = json_pointer_append(at("languages"), std::to_string(i));
        auto l = r_.string(ls[i], p, "a language tag", 20);
        if (!l) continue;
        if (!std::regex_match(*l, kTag)) {
          r_.problem(p, in_quotes(*l) + " is not a language tag such as \"en\", \"pl\" or \"pa-Arab\"");
        } else if (std::find(languages.begin(), languages.end(), *l) != languages.end()) {
          r_.problem(p, "the language " + in_quotes(*l) + " is listed twice");
        } else {
          languages.push_back(*l);
        }
      }
      if (std::find(languages.begin(), languages.end(), "en") == languages.end()) {
        r_.problem(at("languages"), "the languages must include \"en\" (English is required)");
      } else {
        std::stable_partition(languages.begin(), languages.end(), [](const std::string& l) { return l == "en"; });
        r_.languages_ = languages;
      }
      s.languages = r_.languages_;
    }
  }
  if (root.contains("title")) s.title = r_.text(root["title"], at("title"), "the title", 120).value_or(Text());
  if (root.contains("description"))
    s.description = r_.string(root["description"], at("description"), "the description", 2000);
  if (root.contains("audience")) {
    const json& a = root["audience"];
    if (r_.object(a, at("audience"), {"year_groups"}, {"year_groups"}, "the audience") && a.contains("year_groups")) {
      std::string p = "/audience/year_groups";
      const json& ys = a["year_groups"];
      if (!ys.is_array() || ys.empty()) {
        r_.problem(p, "expected the year groups (a non-empty array of whole numbers 1 to 13)");
      } else {
        for (std::size_t i = 0; i < ys.size(); ++i) {
          auto y = r_.integer(ys[i], json_pointer_append(p, std::to_string(i)), "a year group", 1, 13);
          if (!y) continue;
          if (std::find(s.year_groups.begin(), s.year_groups.end(), *y) != s.year_groups.end()) {
            r_.problem(json_pointer_append(p, std::to_string(i)),
                       "year group " + std::to_string(*y) + " is listed twice");
          } else {
            s.year_groups.push_back(static_cast<int>(*y));
          }
        }
      }
    }
  }
  if (root.contains("identity")) {
    auto m = r_.string(root["identity"], at("identity"), "the identity mode", 20);
    if (m && *m == "anonymous") {
      s.identity = IdentityMode::Anonymous;
    } else if (m && *m == "pupil_code") {
      s.identity = IdentityMode::PupilCode;
    } else if (m) {
      r_.problem(at("identity"),
                 "unknown identity mode " + in_quotes(*m) + "; expected \"anonymous\" or \"pupil_code\"");
    }
  }
  if (root.contains("notice")) s.notice = r_.text(root["notice"], at("notice"), "the notice", 1000);
  // A first pass over question ids, so an expression naming a later question says so.
  if (root.contains("sections") && root["sections"].is_array()) {
    for (const json& section : root["sections"]) {
      if (!section.is_object() || !section.contains("questions") || !section["questions"].is_array()) continue;
      for (const json& q : section["questions"]) {
        if (q.is_object() && q.contains("id") && q["id"].is_string())
          all_question_ids_.push_back(q["id"].get<std::string>());
      }
    }
  }
  if (root.contains("sections")) {
    const json& ss = root["sections"];
    if (!ss.is_array()) {
      r_.problem(at("sections"), "expected the sections (an array), found " + std::string(json_type_word(ss)));
    } else if (ss.empty()) {
      r_.problem(at("sections"), "a survey needs at least one section");
    } else {
      for (std::size_t i = 0; i < ss.size(); ++i)
        read_section(ss[i], json_pointer_append(at("sections"), std::to_string(i)), s);
    }
  }
  s.index();
  if (root.contains("sections") && root["sections"].is_array() && !root["sections"].empty() &&
      s.answerable_count() == 0 && r_.problems().empty()) {
    r_.problem(at("sections"), "the survey has no question that takes an answer (only info screens)");
  }
  if (root.contains("scores")) read_scores(root["scores"], at("scores"), s);
  if (root.contains("end_message"))
    s.end_message = r_.text(root["end_message"], at("end_message"), "the end message", 1000).value_or(Text());
  if (root.contains("safeguarding")) read_safeguarding(root["safeguarding"], at("safeguarding"), s);
}

Survey SurveyReader::read(const json& root) {
  Survey s;
  if (!root.is_object()) {
    r_.problem("", "expected a survey (a JSON object), found " + std::string(json_type_word(root)));
    return s;
  }
  read_top(root, s);
  return s;
}

// Rejects nesting deeper than kMaxSurveyNesting before nlohmann sees it (its recursion is
// bounded by the input, and a hostile file could otherwise exhaust the stack).
std::optional<std::size_t> too_deep_at(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxSurveyNesting) return i;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// [SECTION] Entry points
// ---------------------------------------------------------------------------------------------

Survey load_survey_text(std::string_view json_text, const std::string& file_name) {
  auto fail = [&](std::size_t line, std::string message) -> Survey {
    throw SurveyError(file_name, {SurveyProblem{"", line, std::move(message)}});
  };
  if (json_text.size() > kMaxSurveyBytes) {
    return fail(0, "the file is " + std::to_string(json_text.size()) + " bytes; a survey may be at most " +
                       std::to_string(kMaxSurveyBytes) + " bytes");
  }
  if (!utf8_length(json_text)) return fail(0, "the file is not valid UTF-8");
  if (auto offset = too_deep_at(json_text)) {
    return fail(line_and_column(json_text, *offset).first,
                "the JSON is nested more than " + std::to_string(kMaxSurveyNesting) + " levels deep");
  }
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::parse_error& e) {
    auto [line, column] = line_and_column(json_text, e.byte > 0 ? e.byte - 1 : 0);
    std::string reason = e.what();
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line 3, column 5: …"
    auto colon = reason.find(": ", reason.find("parse error"));
    if (colon != std::string::npos) reason = reason.substr(colon + 2);
    return fail(
        line, "not valid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + reason);
  }
  JsonLocator locator(json_text);
  Reader reader(locator);
  Survey survey;
  try {
    for (const std::string& pointer : locator.duplicate_members()) {
      reader.problem(pointer, "the field " + in_quotes(pointer.substr(pointer.rfind('/') + 1)) +
                                  " appears twice in the same object; JSON keeps only the last, so remove one");
    }
    SurveyReader survey_reader(reader);
    survey = survey_reader.read(root);
  } catch (const TooManyProblems&) {
    reader.problems().push_back({"", 0, "too many problems; stopped after " + std::to_string(kMaxReportedProblems)});
  }
  if (!reader.problems().empty()) throw SurveyError(file_name, std::move(reader.problems()));
  return survey;
}

Survey load_survey_file(const std::filesystem::path& file) {
  std::string text;
  try {
    std::error_code ec;
    auto size = std::filesystem::file_size(file, ec);
    if (!ec && size > kMaxSurveyBytes) {
      throw Error("the file is " + std::to_string(size) + " bytes; a survey may be at most " +
                  std::to_string(kMaxSurveyBytes) + " bytes");
    }
    text = read_text_file(file);
  } catch (const Error& e) {
    throw SurveyError(file.string(), {SurveyProblem{"", 0, e.what()}});
  }
  return load_survey_text(text, file.string());
}

}  // namespace tt::survey
