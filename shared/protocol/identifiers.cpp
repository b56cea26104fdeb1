#include "shared/protocol/identifiers.h"

namespace tt::protocol {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The number in text[at, at + width), which must be all digits; -1 otherwise.
int digits_at(std::string_view text, std::size_t at, std::size_t width) {
  int value = 0;
  for (std::size_t i = at; i < at + width; ++i) {
    if (!is_digit(text[i])) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

bool is_id128(std::string_view text) {
  if (text.size() != 32) return false;
  for (char c : text) {
    if (!(is_digit(c) || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool is_survey_id(std::string_view text) {
  if (text.empty() || text.size() > 64 || !(text[0] >= 'a' && text[0] <= 'z')) return false;
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == '-')) return false;
  }
  return true;
}

bool is_utc_minute(std::string_view text) {
  // YYYY-MM-DDTHH:MMZ
  if (text.size() != 17 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != 'Z') {
    return false;
  }
  int year = digits_at(text, 0, 4), month = digits_at(text, 5, 2), day = digits_at(text, 8, 2);
  int hour = digits_at(text, 11, 2), minute = digits_at(text, 14, 2);
  return year >= 2000 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23 && minute >= 0 &&
         minute <= 59;
}

}  // namespace tt::protocol
