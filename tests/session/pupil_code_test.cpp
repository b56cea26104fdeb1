// Pupil codes: the alphabet, the check character (examples, and the proof that it catches every
// single-character substitution and every adjacent transposition: a large sample that tries
// every kind of error, and a disabled exhaustive run over all 23^5 codes),
// normalisation of lower case, the random generator, and that the session's looser shape check
// accepts every valid code.
#include "kiosk/session/pupil_code.h"

#include <gtest/gtest.h>

#include <array>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "kiosk/session/pupil_session.h"
#include "shared/common/error.h"

namespace tt::kiosk {
namespace {

constexpr std::size_t kN = kPupilCodeAlphabet.size();

// Calls f(code) for every valid code (23^5 of them) in a reused buffer, bodies in order.
template <typename F>
void for_every_code(F&& f) {
  std::array<std::size_t, kPupilCodeBodyLength> index{};
  std::string code(kPupilCodeLength, ' ');
  while (true) {
    for (std::size_t i = 0; i < kPupilCodeBodyLength; ++i) code[i] = kPupilCodeAlphabet[index[i]];
    code[kPupilCodeBodyLength] = pupil_code_check_character(std::string_view(code).substr(0, kPupilCodeBodyLength));
    f(code);
    std::size_t i = kPupilCodeBodyLength;
    while (i > 0 && ++index[i - 1] == kN) index[--i] = 0;
    if (i == 0) return;
  }
}

TEST(PupilCodeAlphabet, IsPrimeSizedUniqueUpperCaseAndUnambiguous) {
  EXPECT_EQ(kN, 23u);
  for (std::size_t d = 2; d * d <= kN; ++d) EXPECT_NE(kN % d, 0u) << d;
  EXPECT_EQ(std::set<char>(kPupilCodeAlphabet.begin(), kPupilCodeAlphabet.end()).size(), kN);
  for (char c : kPupilCodeAlphabet) EXPECT_TRUE((c >= '3' && c <= '9') || (c >= 'A' && c <= 'Z')) << c;
  for (char c : std::string_view("0O1IL5S2ZQB8GV")) {
    if (c == '8') continue;  // 8 is kept; B, which looks like it, is not
    EXPECT_EQ(kPupilCodeAlphabet.find(c), std::string_view::npos) << c;
  }
}

TEST(PupilCode, Examples) {
  // 6·v0 + 5·v1 + 4·v2 + 3·v3 + 2·v4 + c ≡ 0 (mod 23), v = index in "346789ACDEFHJKMNPRTUWXY".
  EXPECT_EQ(pupil_code_check_character("33333"), '3');  // all zero
  EXPECT_EQ(make_pupil_code("33333"), "333333");
  // "34333": 5·1 = 5 → c = 18 = 'T'.
  EXPECT_EQ(pupil_code_check_character("34333"), 'T');
  // "7K3MP": 6·3 + 5·13 + 4·0 + 3·14 + 2·16 = 157 = 6·23 + 19 → c = 4 = '8'.
  EXPECT_EQ(make_pupil_code("7K3MP"), "7K3MP8");
  EXPECT_TRUE(is_valid_pupil_code("7K3MP8"));
  EXPECT_FALSE(is_valid_pupil_code("7K3MP9"));  // check character off by one
  EXPECT_FALSE(is_valid_pupil_code("K73MP8"));  // first two swapped
  EXPECT_FALSE(is_valid_pupil_code("7K3M8P"));  // last body character swapped with the check
}

TEST(PupilCode, RejectsWrongShapes) {
  EXPECT_FALSE(is_valid_pupil_code(""));
  EXPECT_FALSE(is_valid_pupil_code("7K3MP"));
  EXPECT_FALSE(is_valid_pupil_code("7K3MP8A"));
  EXPECT_FALSE(is_valid_pupil_code(" 7K3MP8"));
  EXPECT_FALSE(is_valid_pupil_code("7K3-MP8"));
  EXPECT_FALSE(is_valid_pupil_code(std::string_view("7K3MP\0", 6)));
  EXPECT_FALSE(is_valid_pupil_code("0K3MP8"));  // 0 is not in the alphabet
  // A substitution of a left-out character never makes a valid code, whatever it stands for.
  EXPECT_FALSE(is_valid_pupil_code("7K3MPO"));
  EXPECT_THROW(pupil_code_check_character("7K3M"), Error);
  EXPECT_THROW(pupil_code_check_character("7K3MPA"), Error);
  EXPECT_THROW(pupil_code_check_character("7K3M0"), Error);
  EXPECT_THROW(pupil_code_check_character("7K3MS"), Error);
  EXPECT_THROW(make_pupil_code("7K3M "), Error);
}

TEST(PupilCode, LowerCaseIsReadAsUpperCase) {
  EXPECT_TRUE(is_valid_pupil_code("7k3mp8"));
  EXPECT_TRUE(is_valid_pupil_code("7K3mP8"));
  EXPECT_EQ(pupil_code_check_character("7k3mp"), '8');
  EXPECT_EQ(make_pupil_code("7k3mp"), "7K3MP8");
  EXPECT_EQ(normalise_pupil_code_character('a'), 'A');
  EXPECT_EQ(normalise_pupil_code_character('A'), 'A');
  EXPECT_EQ(normalise_pupil_code_character('7'), '7');
  EXPECT_EQ(normalise_pupil_code_character('o'), std::nullopt);
  EXPECT_EQ(normalise_pupil_code_character('0'), std::nullopt);
  EXPECT_EQ(normalise_pupil_code_character('-'), std::nullopt);
  // Every code is valid in lower case too, and only alphabet letters have a lower case.
  for (char c : kPupilCodeAlphabet) {
    char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    EXPECT_EQ(normalise_pupil_code_character(lower), c);
  }
}

// Tries every single-character substitution and every adjacent transposition of two different
// characters (the check character included) on `code`; counts them, and the ones not rejected.
struct ErrorCounts {
  std::size_t substitutions = 0, transpositions = 0, missed = 0;
  std::string first_missed;
  // Which (position, from, to) errors were tried at least once.
  std::vector<bool> substitution_seen = std::vector<bool>(kPupilCodeLength * kN * kN);
  std::vector<bool> transposition_seen = std::vector<bool>(kPupilCodeLength * kN * kN);
};
void try_every_error(std::string& code, ErrorCounts& counts) {
  auto miss = [&](const char* kind) {
    ++counts.missed;
    if (counts.first_missed.empty()) counts.first_missed = std::string(kind) + ": " + code;
  };
  for (std::size_t p = 0; p < kPupilCodeLength; ++p) {
    const char original = code[p];
    for (char c : kPupilCodeAlphabet) {
      if (c == original) continue;
      code[p] = c;
      ++counts.substitutions;
      counts.substitution_seen[(p * kN + kPupilCodeAlphabet.find(original)) * kN + kPupilCodeAlphabet.find(c)] = true;
      if (is_valid_pupil_code(code)) miss("substitution");
    }
    code[p] = original;
  }
  for (std::size_t p = 0; p + 1 < kPupilCodeLength; ++p) {
    if (code[p] == code[p + 1]) continue;
    counts.transposition_seen[(p * kN + kPupilCodeAlphabet.find(code[p])) * kN + kPupilCodeAlphabet.find(code[p + 1])] =
        true;
    std::swap(code[p], code[p + 1]);
    ++counts.transpositions;
    if (is_valid_pupil_code(code)) miss("transposition");
    std::swap(code[p], code[p + 1]);
  }
}

// A large random sample (fixed seed) of valid codes, every substitution and adjacent
// transposition of each, and a check that the sample tried every kind of error there is: each
// (position, character, replacement) substitution and each (position, a, b) swap, a ≠ b.
TEST(PupilCode, EverySubstitutionAndAdjacentTranspositionIsCaught) {
  std::mt19937 random(20240907);
  std::uniform_int_distribution<std::size_t> pick(0, kN - 1);
  ErrorCounts counts;
  constexpr int kSample = 50000;
  for (int i = 0; i < kSample; ++i) {
    std::string body;
    for (std::size_t p = 0; p < kPupilCodeBodyLength; ++p) body.push_back(kPupilCodeAlphabet[pick(random)]);
    std::string code = make_pupil_code(body);
    ASSERT_TRUE(is_valid_pupil_code(code)) << code;
    try_every_error(code, counts);
  }
  EXPECT_EQ(counts.missed, 0u) << counts.first_missed;
  EXPECT_EQ(counts.substitutions, std::size_t{kSample} * kPupilCodeLength * (kN - 1));
  for (std::size_t p = 0; p < kPupilCodeLength; ++p) {
    for (std::size_t a = 0; a < kN; ++a) {
      for (std::size_t b = 0; b < kN; ++b) {
        if (a == b) continue;
        EXPECT_TRUE(counts.substitution_seen[(p * kN + a) * kN + b]) << p << " " << a << " " << b;
        if (p + 1 < kPupilCodeLength) {
          EXPECT_TRUE(counts.transposition_seen[(p * kN + a) * kN + b]) << p << " " << a << " " << b;
        }
      }
    }
  }
}

// The same over all 23^5 codes: ~850 million substitutions, ~2 minutes in a Debug build, so it
// is not in the everyday run. Run it with --gtest_also_run_disabled_tests.
TEST(PupilCode, DISABLED_EverySubstitutionAndAdjacentTranspositionOfEveryCodeIsCaught) {
  ErrorCounts counts;
  std::size_t codes = 0;
  for_every_code([&](std::string& code) {
    ++codes;
    try_every_error(code, counts);
  });
  EXPECT_EQ(codes, 23u * 23 * 23 * 23 * 23);
  EXPECT_EQ(counts.substitutions, codes * kPupilCodeLength * (kN - 1));
  EXPECT_EQ(counts.missed, 0u) << counts.first_missed;
  std::cout << codes << " codes, " << counts.substitutions << " substitutions, " << counts.transpositions
            << " transpositions, " << counts.missed << " missed\n";
}

// Every one of the 23^5 codes is valid and passes the session's looser shape check
// (is_pupil_code: 4 to 16 ASCII letters and digits), in either case; and every body has exactly
// one check character (checked on a slice of 23^3 bodies).
TEST(PupilCode, EveryCodeIsValidAndAPupilCodeToTheSession) {
  std::size_t codes = 0, failures = 0;
  for_every_code([&](std::string& code) {
    ++codes;
    if (!is_valid_pupil_code(code) || !is_pupil_code(code)) {
      if (++failures < 5) ADD_FAILURE() << code;
    }
    if (code[0] != '3' || code[1] != 'K') return;
    int valid = 0;
    std::string candidate = code;
    for (char c : kPupilCodeAlphabet) {
      candidate.back() = c;
      valid += is_valid_pupil_code(candidate) ? 1 : 0;
    }
    EXPECT_EQ(valid, 1) << code;
  });
  EXPECT_EQ(codes, 23u * 23 * 23 * 23 * 23);
  EXPECT_EQ(failures, 0u);
  for (char c : kPupilCodeAlphabet) {
    std::string lower = make_pupil_code(std::string(5, c));
    for (char& l : lower) l = (l >= 'A' && l <= 'Z') ? static_cast<char>(l - 'A' + 'a') : l;
    EXPECT_TRUE(is_valid_pupil_code(lower)) << lower;
    EXPECT_TRUE(is_pupil_code(lower)) << lower;
  }
}

TEST(PupilCode, RandomCodesAreValidAndVary) {
  std::set<std::string> seen;
  std::array<int, kN> counts{};
  for (int i = 0; i < 2000; ++i) {
    std::string code = random_pupil_code();
    ASSERT_EQ(code.size(), kPupilCodeLength);
    ASSERT_TRUE(is_valid_pupil_code(code)) << code;
    ASSERT_TRUE(is_pupil_code(code)) << code;
    seen.insert(code);
    for (std::size_t p = 0; p < kPupilCodeBodyLength; ++p) ++counts[kPupilCodeAlphabet.find(code[p])];
  }
  EXPECT_GT(seen.size(), 1990u);  // 23^5 ≈ 6.4 million codes: collisions are rare
  // 10,000 body characters, ~435 of each: every character turns up, none dominates.
  for (std::size_t v = 0; v < kN; ++v) {
    EXPECT_GT(counts[v], 300) << kPupilCodeAlphabet[v];
    EXPECT_LT(counts[v], 600) << kPupilCodeAlphabet[v];
  }
}

}  // namespace
}  // namespace tt::kiosk
