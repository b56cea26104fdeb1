#include "kiosk/session/pupil_code.h"

#include <cstdint>
#include <string>

#include "shared/common/error.h"
#include "shared/crypto/random.h"

namespace tt::kiosk {

namespace {

constexpr int kModulus = static_cast<int>(kPupilCodeAlphabet.size());
static_assert(kModulus == 23, "the check character needs a prime-sized alphabet (see pupil_code.h)");

// The alphabet index of c (either case), or -1.
int value_of(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  std::size_t at = kPupilCodeAlphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

// The weight of position i in a six-character code: 6, 5, 4, 3, 2 for the body, 1 for the check.
int weight(std::size_t i) {
  return static_cast<int>(kPupilCodeLength - i);
}

}  // namespace

std::optional<char> normalise_pupil_code_character(char c) {
  int v = value_of(c);
  if (v < 0) return std::nullopt;
  return kPupilCodeAlphabet[static_cast<std::size_t>(v)];
}

char pupil_code_check_character(std::string_view body) {
  if (body.size() != kPupilCodeBodyLength) {
    throw Error("a pupil code's body is " + std::to_string(kPupilCodeBodyLength) + " characters, not " +
                std::to_string(body.size()));
  }
  int sum = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    int v = value_of(body[i]);
    if (v < 0) throw Error("a pupil code has only the characters " + std::string(kPupilCodeAlphabet));
    sum += weight(i) * v;
  }
  // The check character's weight is 1: it brings the whole sum to 0 mod 23.
  return kPupilCodeAlphabet[static_cast<std::size_t>((kModulus - sum % kModulus) % kModulus)];
}

bool is_valid_pupil_code(std::string_view code) {
  if (code.size() != kPupilCodeLength) return false;
  int sum = 0;
  for (std::size_t i = 0; i < code.size(); ++i) {
    int v = value_of(code[i]);
    if (v < 0) return false;
    sum += weight(i) * v;
  }
  return sum % kModulus == 0;
}

std::string make_pupil_code(std::string_view body) {
  char check = pupil_code_check_character(body);
  std::string code;
  code.reserve(kPupilCodeLength);
  for (char c : body) code.push_back(*normalise_pupil_code_character(c));
  code.push_back(check);
  return code;
}

std::string random_pupil_code() {
  // Rejection sampling keeps every character equally likely: 253 = 11 · 23 is the largest
  // multiple of 23 that fits in a byte.
  constexpr int kLimit = 256 - 256 % kModulus;
  std::string body;
  while (body.size() < kPupilCodeBodyLength) {
    for (std::uint8_t byte : crypto::random_bytes(16)) {
      if (byte >= kLimit) continue;
      body.push_back(kPupilCodeAlphabet[byte % kModulus]);
      if (body.size() == kPupilCodeBodyLength) break;
    }
  }
  return make_pupil_code(body);
}

}  // namespace tt::kiosk
