#pragma once
// The shapes of the plain values the protocol carries, checked the same way at both ends.
#include <string_view>

namespace tt::protocol {

// 32 lower-case hex digits (128 random bits): device ids, response ids, request nonces.
bool is_id128(std::string_view text);
// A survey id as the survey format allows: 1–64 of [a-z0-9_-], starting with a letter.
bool is_survey_id(std::string_view text);
// A UTC time to the minute, as in the sealed response: "2026-12-04T09:05Z" (the fields in range).
bool is_utc_minute(std::string_view text);

}  // namespace tt::protocol
