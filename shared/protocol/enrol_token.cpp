#include "shared/protocol/enrol_token.h"

#include "shared/crypto/random.h"
#include "shared/protocol/digest.h"

namespace tt::protocol {

std::string generate_enrol_token() {
  // Rejection sampling: only bytes below the largest multiple of the alphabet size are used,
  // so every character is equally likely.
  constexpr unsigned kAlphabet = kEnrolTokenAlphabet.size();
  constexpr unsigned kLimit = 256 - 256 % kAlphabet;
  std::string canonical;
  while (canonical.size() < kEnrolTokenLength) {
    for (std::uint8_t b : crypto::random_bytes(32)) {
      if (b >= kLimit || canonical.size() == kEnrolTokenLength) continue;
      canonical += kEnrolTokenAlphabet[b % kAlphabet];
    }
  }
  return canonical.substr(0, 4) + "-" + canonical.substr(4, 4) + "-" + canonical.substr(8, 4);
}

std::optional<std::string> normalise_enrol_token(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (kEnrolTokenAlphabet.find(c) == std::string_view::npos) return std::nullopt;
    if (out.size() == kEnrolTokenLength) return std::nullopt;
    out += c;
  }
  if (out.size() != kEnrolTokenLength) return std::nullopt;
  return out;
}

std::string enrol_token_hash(std::string_view canonical_token) {
  return sha256_hex(as_bytes(canonical_token));
}

}  // namespace tt::protocol
