#pragma once
// Enrolment tokens: one-time, expiring, short enough for a technician to type on a tablet.
// Twelve characters from an alphabet without look-alikes (no 0/O, 1/I/L, U), shown in three
// groups: "7KQ4-M2XD-9RTB". That is 30^12 ≈ 2^59 possibilities, for a secret that lives hours
// and is refused after one use. The server stores only enrol_token_hash(), never the token.
#include <optional>
#include <string>
#include <string_view>

namespace tt::protocol {

inline constexpr std::string_view kEnrolTokenAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
inline constexpr std::size_t kEnrolTokenLength = 12;  // without the dashes

// A fresh random token, grouped "XXXX-XXXX-XXXX".
std::string generate_enrol_token();
// The token as typed → its canonical form (12 characters, upper case, no dashes or spaces);
// nullopt when it cannot be a token (wrong length or a character outside the alphabet).
std::optional<std::string> normalise_enrol_token(std::string_view typed);
// Hex SHA-256 of the canonical form: what the server stores and looks up.
std::string enrol_token_hash(std::string_view canonical_token);

}  // namespace tt::protocol
