#include "shared/protocol/json_body.h"

#include <limits>
#include <unordered_set>
#include <vector>

namespace tt::protocol {

using nlohmann::json;

namespace {

// nlohmann's message is "[json.exception.parse_error.101] parse error at line 1, column 9: syntax
// error while parsing value - unexpected '}'; expected ..."; keep what follows the position.
std::string parse_error_reason(const json::parse_error& e) {
  std::string reason = e.what();
  auto at = reason.find("parse error");
  auto colon = at == std::string::npos ? std::string::npos : reason.find(": ", at);
  if (colon != std::string::npos) reason = reason.substr(colon + 2);
  return reason;
}

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

const char* json_type_words(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "true or false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "a whole number";
    case json::value_t::number_float: return "a number with a fraction";
    default: return "something else";
  }
}

json parse_json_object(std::string_view text, std::string_view what) {
  const std::string name(what);
  // One set of member names per open object, to refuse a name given twice; a depth bound so no
  // body can make the parser's stacks grow without limit.
  std::vector<std::unordered_set<std::string>> open_objects;
  int depth = 0;
  std::string duplicate;
  json::parser_callback_t callback = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start: open_objects.emplace_back(); [[fallthrough]];
      case json::parse_event_t::array_start:
        if (++depth > kMaxJsonNesting) {
          throw ProtocolError(name + " is nested more than " + std::to_string(kMaxJsonNesting) + " levels deep");
        }
        break;
      case json::parse_event_t::object_end: open_objects.pop_back(); [[fallthrough]];
      case json::parse_event_t::array_end: --depth; break;
      case json::parse_event_t::key:
        if (!open_objects.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
          duplicate = parsed.get<std::string>();
        }
        break;
      case json::parse_event_t::value: break;
    }
    return true;
  };
  json root;
  try {
    root = json::parse(text.begin(), text.end(), callback);
  } catch (const json::parse_error& e) {
    throw ProtocolError(name + " is not valid JSON: " + parse_error_reason(e) + " (at byte " + std::to_string(e.byte) +
                        ")");
  }
  if (!duplicate.empty()) {
    // The member's name is protocol vocabulary, not a value, but bound it anyway.
    std::string shown = duplicate.size() > 40 ? duplicate.substr(0, 40) + "…" : duplicate;
    throw ProtocolError(name + " has the member \"" + shown + "\" twice in one object");
  }
  if (!root.is_object()) {
    throw ProtocolError(name + " must be a JSON object, not " + std::string(json_type_words(root)));
  }
  return root;
}

JsonReader::JsonReader(const json& object, std::string what, std::string pointer)
    : object_(object), what_(std::move(what)), pointer_(std::move(pointer)) {}

std::string JsonReader::pointer_of(const char* key) const {
  return pointer_ + "/" + escape_pointer_token(key);
}

void JsonReader::fail(const char* key, const std::string& message) const {
  throw ProtocolError(what_ + ": " + (key != nullptr ? pointer_of(key) : (pointer_.empty() ? "/" : pointer_)) + " " +
                      message);
}

bool JsonReader::has(const char* key) const {
  auto it = object_.find(key);
  return it != object_.end() && !it->is_null();
}

const json& JsonReader::member(const char* key) const {
  auto it = object_.find(key);
  if (it == object_.end()) fail(key, "is missing");
  return *it;
}

std::string JsonReader::string(const char* key) const {
  const json& value = member(key);
  if (!value.is_string()) fail(key, std::string("must be a string, not ") + json_type_words(value));
  return value.get<std::string>();
}

std::optional<std::string> JsonReader::optional_string(const char* key) const {
  if (!has(key)) return std::nullopt;
  return string(key);
}

std::int64_t JsonReader::integer(const char* key, std::int64_t min, std::int64_t max) const {
  const json& value = member(key);
  auto range = [&] { return "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max); };
  if (value.is_number_unsigned()) {
    auto u = value.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) fail(key, range());
    auto i = static_cast<std::int64_t>(u);
    if (i < min || i > max) fail(key, range());
    return i;
  }
  if (!value.is_number_integer()) fail(key, range() + ", not " + json_type_words(value));
  auto i = value.get<std::int64_t>();
  if (i < min || i > max) fail(key, range());
  return i;
}

std::optional<std::int64_t> JsonReader::optional_integer(const char* key, std::int64_t min, std::int64_t max) const {
  if (!has(key)) return std::nullopt;
  return integer(key, min, max);
}

bool JsonReader::boolean(const char* key) const {
  const json& value = member(key);
  if (!value.is_boolean()) fail(key, std::string("must be true or false, not ") + json_type_words(value));
  return value.get<bool>();
}

Bytes JsonReader::base64(const char* key) const {
  std::string text = string(key);
  try {
    return from_base64(text);
  } catch (const Error&) {
    fail(key, "is not valid base64 (RFC 4648, with padding)");
  }
}

const json& JsonReader::array(const char* key) const {
  const json& value = member(key);
  if (!value.is_array()) fail(key, std::string("must be an array, not ") + json_type_words(value));
  return value;
}

const json& JsonReader::object(const char* key) const {
  const json& value = member(key);
  if (!value.is_object()) fail(key, std::string("must be an object, not ") + json_type_words(value));
  return value;
}

JsonReader JsonReader::nested(const json& value, const std::string& path) const {
  std::string pointer = pointer_ + "/" + path;
  if (!value.is_object()) {
    throw ProtocolError(what_ + ": " + pointer + " must be an object, not " + json_type_words(value));
  }
  return JsonReader(value, what_, pointer);
}

}  // namespace tt::protocol
