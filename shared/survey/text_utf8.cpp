#include "shared/survey/text_utf8.h"

namespace tt::survey {

namespace {

// Decodes one code point at `i`, advancing it; returns -1 on invalid UTF-8.
long decode(std::string_view s, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) {
    ++i;
    return c;
  }
  int extra;
  long cp;
  if ((c & 0xE0) == 0xC0) {
    extra = 1;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    extra = 2;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    extra = 3;
    cp = c & 0x07;
  } else {
    return -1;
  }
  if (i + static_cast<std::size_t>(extra) >= s.size()) return -1;  // truncated sequence
  for (int k = 1; k <= extra; ++k) {
    unsigned char cc = byte(i + static_cast<std::size_t>(k));
    if ((cc & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (cc & 0x3F);
  }
  static constexpr long kMinimum[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMinimum[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  i += static_cast<std::size_t>(extra) + 1;
  return cp;
}

}  // namespace

std::optional<std::size_t> utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (decode(text, i) < 0) return std::nullopt;
    ++count;
  }
  return count;
}

std::string check_pupil_text(std::string_view text, std::size_t max_length) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size();) {
    long cp = decode(text, i);
    if (cp < 0) return "the text is not valid UTF-8";
    if ((cp < 0x20 && cp != '\n') || cp == 0x7F) return "the text has a control character";
    ++count;
  }
  if (count == 0) return "the text is empty";
  if (count > max_length) {
    return "the text is " + std::to_string(count) + " characters long; at most " + std::to_string(max_length) +
           " are allowed";
  }
  return {};
}

}  // namespace tt::survey
