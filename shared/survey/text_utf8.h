#pragma once
// UTF-8 checks for text a pupil types and text a survey designer writes.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tt::survey {

// Number of code points, or nullopt when `text` is not valid UTF-8 (overlongs, surrogates and
// values above U+10FFFF are invalid).
std::optional<std::size_t> utf8_length(std::string_view text);

// Empty when `text` is acceptable as a free-text answer: valid UTF-8, 1..max_length code points,
// no control characters other than newline. Otherwise a short reason.
std::string check_pupil_text(std::string_view text, std::size_t max_length);

}  // namespace tt::survey
