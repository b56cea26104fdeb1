#include "shared/survey/answer.h"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "shared/common/error.h"

namespace tt::survey {

namespace {

// The value as it appears in a message, cut short.
std::string shown(const nlohmann::json& value) {
  std::string s = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

[[noreturn]] void bad_shape(const nlohmann::json& value, const std::string& why) {
  throw Error("answer " + shown(value) + ": " + why +
              "; an answer is an integer, true or false, a string, an array of option ids or "
              "{\"declined\": true}");
}

}  // namespace

nlohmann::json answer_to_json(const Answer& answer) {
  if (std::holds_alternative<Declined>(answer)) return nlohmann::json{{"declined", true}};
  if (const auto* n = std::get_if<std::int64_t>(&answer)) return *n;
  if (const auto* b = std::get_if<bool>(&answer)) return *b;
  if (const auto* s = std::get_if<std::string>(&answer)) return *s;
  nlohmann::json array = nlohmann::json::array();
  for (const auto& id : std::get<OptionIds>(answer)) array.push_back(id);
  return array;
}

Answer answer_from_json(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::boolean: return value.get<bool>();
    case nlohmann::json::value_t::number_integer: return value.get<std::int64_t>();
    case nlohmann::json::value_t::number_unsigned: {
      const auto n = value.get<std::uint64_t>();
      if (n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        bad_shape(value, "the integer is too large");
      }
      return static_cast<std::int64_t>(n);
    }
    case nlohmann::json::value_t::number_float:
      bad_shape(value, "a number with a fraction or exponent is not an answer");
    case nlohmann::json::value_t::string: return value.get<std::string>();
    case nlohmann::json::value_t::array: {
      OptionIds ids;
      ids.reserve(value.size());
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string()) {
          bad_shape(value, "item " + std::to_string(i + 1) + " of the array is " + value[i].type_name() +
                               ", not an option id (a string)");
        }
        ids.push_back(value[i].get<std::string>());
      }
      return ids;
    }
    case nlohmann::json::value_t::object:
      if (value.size() == 1 && value.contains("declined") && value.at("declined").is_boolean() &&
          value.at("declined").get<bool>()) {
        return Declined{};
      }
      bad_shape(value, "the only object an answer can be is {\"declined\": true}");
    default: bad_shape(value, std::string("a JSON ") + value.type_name() + " is not an answer");
  }
}

}  // namespace tt::survey
