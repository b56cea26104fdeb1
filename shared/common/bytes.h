#pragma once
// Byte buffers, hex and base64 helpers shared by every part of Tutortime.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tt {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string to_string(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

std::string to_hex(ByteView bytes);
// Throws tt::Error naming the problem when `hex` has odd length or a non-hex character.
Bytes from_hex(std::string_view hex);

std::string to_base64(ByteView bytes);
// Strict: throws tt::Error on bad characters or padding.
Bytes from_base64(std::string_view text);

}  // namespace tt
