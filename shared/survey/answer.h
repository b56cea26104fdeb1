#pragma once
// A pupil's answer to one question, as the flow holds it in memory and as it is sealed.
// The question's type says which alternative is valid (survey.h: Question::accepts()).
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <variant>
#include <vector>

namespace tt::survey {

// "I'd rather not say": an answer in its own right, not a missing one.
struct Declined {
  bool operator==(const Declined&) const = default;
};

using OptionIds = std::vector<std::string>;  // multiple choice, in the order of the options

// int64: feelings, scale, number · bool: yes_no · string: single (an option id) or text ·
// OptionIds: multiple.
using Answer = std::variant<Declined, std::int64_t, bool, std::string, OptionIds>;
// A pupil's answers by question id. std::less<> lets a lookup by string_view (skip logic, every
// frame) find an answer without building a std::string key.
using Answers = std::map<std::string, Answer, std::less<>>;

inline bool is_declined(const Answer& a) {
  return std::holds_alternative<Declined>(a);
}

// JSON form (docs/sealed-response.md): the value itself, or {"declined": true}.
nlohmann::json answer_to_json(const Answer& answer);
// Shape only; the question checks the value. Throws tt::Error on a shape no answer has.
Answer answer_from_json(const nlohmann::json& value);

}  // namespace tt::survey
