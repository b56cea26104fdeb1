#pragma once
// Reading the JSON bodies of the wire protocol (docs/protocol.md) strictly, with messages that say
// exactly what is wrong and where, and never repeat a value (bodies carry tokens and keys):
//   "the batch upload: /responses/3/survey_version must be a whole number from 1 to 2147483647".
//
// Contract:
// - parse_json_object() accepts one JSON object and nothing else: not valid UTF-8 JSON, another
//   type at the top, a member name twice in one object (nlohmann would keep only the last, and
//   two readers of one body must not disagree), or nesting deeper than kMaxJsonNesting are all
//   refused with ProtocolError.
// - Unknown members are ignored, so a newer kiosk can add fields within /v1 (docs/protocol.md).
// - JsonReader's getters throw ProtocolError naming the member's JSON pointer.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "shared/common/bytes.h"
#include "shared/common/error.h"

namespace tt::protocol {

// A body that is not what the protocol says. The message starts with what was being read.
class ProtocolError : public Error {
 public:
  using Error::Error;
};

inline constexpr int kMaxJsonNesting = 16;

// `what` names the body in messages ("the batch upload").
nlohmann::json parse_json_object(std::string_view text, std::string_view what);

// Typed access to the members of one JSON object, for the parse_* functions of this library.
class JsonReader {
 public:
  JsonReader(const nlohmann::json& object, std::string what, std::string pointer = "");

  const nlohmann::json& value() const { return object_; }
  bool has(const char* key) const;  // present and not null

  std::string string(const char* key) const;
  std::optional<std::string> optional_string(const char* key) const;  // absent or null → nullopt
  std::int64_t integer(const char* key, std::int64_t min, std::int64_t max) const;
  std::optional<std::int64_t> optional_integer(const char* key, std::int64_t min, std::int64_t max) const;
  bool boolean(const char* key) const;
  Bytes base64(const char* key) const;
  const nlohmann::json& array(const char* key) const;
  const nlohmann::json& object(const char* key) const;
  // A reader for an object inside this one, `path` below this reader's pointer as JSON pointer
  // tokens already escaped ("responses/3"). Throws ProtocolError when `value` is not an object.
  JsonReader nested(const nlohmann::json& value, const std::string& path) const;

  // Throws ProtocolError "<what>: <pointer/key> <message>".
  [[noreturn]] void fail(const char* key, const std::string& message) const;
  std::string pointer_of(const char* key) const;

 private:
  const nlohmann::json& member(const char* key) const;  // throws when absent

  const nlohmann::json& object_;
  std::string what_;
  std::string pointer_;
};

// The JSON type of `value` in words ("a string", "null") for messages.
const char* json_type_words(const nlohmann::json& value);

}  // namespace tt::protocol
