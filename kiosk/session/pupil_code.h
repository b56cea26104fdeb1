#pragma once
// Pupil codes as a school issues them: five characters a child can read and type without
// mistaking one for another, then one check character that catches a mistyped or swapped
// character on the kiosk's keypad before the survey starts ("7K3MPA").
//
// The alphabet (23 characters) leaves out what a child could read as something else: 0, O and Q;
// 1, I and L; 2 and Z; 5 and S; B (for 8), G (for 6) and V (for U). Lower-case letters are
// accepted and read as upper case.
//
// The check character: a weighted sum modulo 23, the alphabet's size, which is prime. With the
// characters' values v0…v4 (their index in the alphabet) and the check character's value c, a
// code is valid when 6·v0 + 5·v1 + 4·v2 + 3·v3 + 2·v4 + 1·c ≡ 0 (mod 23). Why it catches errors:
//   - one character changed from a to b changes the sum by w·(b − a); w is 1…6 and b − a is
//     ±1…±22, neither a multiple of 23, so (23 being prime) neither is their product;
//   - two characters a, b swapped at positions with weights w1 ≠ w2 change the sum by
//     (w1 − w2)·(b − a), again never a multiple of 23 when a ≠ b — so every adjacent
//     transposition is caught, and every non-adjacent one as well (all six weights differ).
// The Luhn mod N algorithm was not used: for every N it misses the swap of the first and last
// characters of the alphabet (the "09" ↔ "90" blind spot of Luhn mod 10), and a plain weighted
// sum over an even-sized alphabet (26) cannot catch every transposition. The properties are
// checked by tests/session/pupil_code_test.cpp.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tt::kiosk {

inline constexpr std::string_view kPupilCodeAlphabet = "346789ACDEFHJKMNPRTUWXY";
inline constexpr std::size_t kPupilCodeBodyLength = 5;
inline constexpr std::size_t kPupilCodeLength = kPupilCodeBodyLength + 1;

// The character as it is in the alphabet (lower-case letters read as upper case), or nullopt
// when it is not a pupil-code character.
std::optional<char> normalise_pupil_code_character(char c);

// The check character for a five-character body (either case). Throws tt::Error when the body
// is not five alphabet characters.
char pupil_code_check_character(std::string_view body);

// True when the code is six alphabet characters (either case) and the last is the check
// character of the first five.
bool is_valid_pupil_code(std::string_view code);

// The body in upper case followed by its check character. Throws tt::Error like
// pupil_code_check_character.
std::string make_pupil_code(std::string_view body);

// A fresh code with a uniformly random body, from the cryptographic generator (for the tools
// that issue codes; the kiosk never makes them).
std::string random_pupil_code();

}  // namespace tt::kiosk
