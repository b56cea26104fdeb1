#include "sync/admin/response_csv.h"

#include <vector>

namespace tt::admin {

using nlohmann::json;

namespace {

constexpr const char* kDeclinedCode = "declined";
constexpr const char* kDeclinedLabel = "I'd rather not say";
const char* const kDefaultFeelings[] = {"Very sad", "Sad", "OK", "Happy", "Very happy"};

// Text a person or pupil wrote, made safe from formula evaluation.
std::string as_text_cell(std::string text) {
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t')) {
    text.insert(text.begin(), '\'');
  }
  return text;
}

std::string line(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += csv_field(fields[i]);
  }
  out += "\r\n";
  return out;
}

std::string string_or_empty(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

std::string number_text(const json& value) {
  if (value.is_number_float()) {
    // Scores are computed as doubles; 52.0 reads better as 52.
    double d = value.get<double>();
    if (d == static_cast<double>(static_cast<std::int64_t>(d))) return std::to_string(static_cast<std::int64_t>(d));
  }
  return value.dump();
}

// The English words for a numeric answer, where the survey gives them.
std::string numeric_label(const survey::Question& q, std::int64_t value) {
  using survey::QuestionType;
  if (q.type == QuestionType::Feelings) {
    if (value < 1 || value > 5) return std::to_string(value);
    auto i = static_cast<std::size_t>(value - 1);
    return q.labels.size() == 5 ? q.labels[i].english() : kDefaultFeelings[i];
  }
  if (q.type == QuestionType::Scale) {
    std::int64_t offset = value - q.first_value;
    if (q.labels.size() == static_cast<std::size_t>(q.points) && offset >= 0 && offset < q.points) {
      return q.labels[static_cast<std::size_t>(offset)].english();
    }
    if (q.labels.size() == 2 && value == q.lowest_value())
      return std::to_string(value) + " (" + q.labels[0].english() + ")";
    if (q.labels.size() == 2 && value == q.highest_value())
      return std::to_string(value) + " (" + q.labels[1].english() + ")";
    return std::to_string(value);
  }
  if (q.type == QuestionType::Number && q.unit) return std::to_string(value) + " " + q.unit->english();
  return std::to_string(value);
}

std::string option_label(const survey::Question& q, const std::string& id) {
  const survey::Option* o = q.option(id);
  return o != nullptr ? o->label.english() : id;
}

// The code and label columns of one answer (both empty when there is none).
std::pair<std::string, std::string> answer_cells(const survey::Question& q, const json* answer) {
  if (answer == nullptr || answer->is_null()) return {};
  if (answer->is_object() && answer->value("declined", false)) return {kDeclinedCode, kDeclinedLabel};
  if (answer->is_boolean()) {
    bool yes = answer->get<bool>();
    return {yes ? "yes" : "no", yes ? "Yes" : "No"};
  }
  if (answer->is_number_integer()) {
    auto value = answer->get<std::int64_t>();
    return {std::to_string(value), as_text_cell(numeric_label(q, value))};
  }
  if (answer->is_string()) {
    std::string text = answer->get<std::string>();
    if (q.type == survey::QuestionType::Single) return {text, as_text_cell(option_label(q, text))};
    text = as_text_cell(std::move(text));
    return {text, text};
  }
  if (answer->is_array()) {
    std::string codes, labels;
    for (const json& id : *answer) {
      std::string option = id.is_string() ? id.get<std::string>() : id.dump();
      codes += (codes.empty() ? "" : ";") + option;
      labels += (labels.empty() ? "" : "; ") + option_label(q, option);
    }
    return {codes, as_text_cell(labels)};
  }
  return {answer->dump(), answer->dump()};
}

}  // namespace

std::string csv_field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string ResponseCsv::header() const {
  std::vector<std::string> fields = {"response_id", "survey",          "version",    "finished_at",
                                     "tutor_group", "talk_to_someone", "pupil_code", "language",
                                     "started_at",  "device_id",       "flags"};
  for (const auto& ref : survey_.questions()) {
    if (!ref.question->has_answer()) continue;
    fields.push_back(ref.question->id);
    fields.push_back(ref.question->id + "_label");
  }
  for (const survey::Score& s : survey_.scores) fields.push_back("score_" + s.id);
  return line(fields);
}

std::string ResponseCsv::row(const json& response) const {
  const json empty = json::object();
  const json& survey = response.contains("survey") ? response["survey"] : empty;
  const json& identity = response.contains("identity") ? response["identity"] : empty;
  const json& answers = response.contains("answers") && response["answers"].is_object() ? response["answers"] : empty;
  const json& scores = response.contains("scores") && response["scores"].is_object() ? response["scores"] : empty;
  std::string flags;
  if (response.contains("flags") && response["flags"].is_array()) {
    for (const json& f : response["flags"])
      flags += (flags.empty() ? "" : ";") + (f.is_string() ? f.get<std::string>() : f.dump());
  }
  std::vector<std::string> fields = {string_or_empty(response, "response_id"),
                                     string_or_empty(survey, "id"),
                                     string_or_empty(survey, "version"),
                                     string_or_empty(response, "finished_at"),
                                     as_text_cell(string_or_empty(response, "tutor_group")),
                                     response.value("talk_to_someone", false) ? "yes" : "no",
                                     as_text_cell(string_or_empty(identity, "pupil_code")),
                                     string_or_empty(response, "language"),
                                     string_or_empty(response, "started_at"),
                                     string_or_empty(response, "device_id"),
                                     flags};
  for (const auto& ref : survey_.questions()) {
    const survey::Question& q = *ref.question;
    if (!q.has_answer()) continue;
    auto it = answers.find(q.id);
    auto [code, label] = answer_cells(q, it == answers.end() ? nullptr : &*it);
    fields.push_back(std::move(code));
    fields.push_back(std::move(label));
  }
  for (const survey::Score& s : survey_.scores) {
    auto it = scores.find(s.id);
    bool has_value = it != scores.end() && it->is_object() && it->contains("value") && (*it)["value"].is_number();
    fields.push_back(has_value ? number_text((*it)["value"]) : "");
  }
  return line(fields);
}

}  // namespace tt::admin
