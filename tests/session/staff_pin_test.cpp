// Staff PINs against a real KioskStore in a temporary directory: the hash format and its
// refusals, the PIN format, and the guard's delays, persistence and clock handling
// (kiosk/session/staff_pin.h).
#include "kiosk/session/staff_pin.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "kiosk/store/kiosk_store.h"

namespace tt::kiosk {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kPin = "48213957";
constexpr const char* kOtherPin = "48213958";

// Made outside OpenSSL, with a plain-Python PBKDF2 (HMAC loop written out) over
// salt = bytes(range(16)), 400000 iterations: proves the format is standard PBKDF2.
constexpr const char* kPythonHashOfPin =
    "pbkdf2-sha256$400000$AAECAwQFBgcICQoLDA0ODw==$"
    "a68SSKY0jdGSzipc6qDLILlsF+e0N4oaQ1fTMtQ+fPo=";

// The same PIN at kMaxPinHashIterations, salt = bytes(range(16, 32)): a check that takes a while.
constexpr const char* kPythonSlowHashOfPin =
    "pbkdf2-sha256$4000000$EBESExQVFhcYGRobHB0eHw==$"
    "RHxlt0KkDB4+v2VIS3ZYsCxB3xkx3jQDuzQdcdpRSB4=";

std::vector<std::string> split_fields(const std::string& encoded) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (std::size_t end; (end = encoded.find('$', start)) != std::string::npos; start = end + 1)
    fields.push_back(encoded.substr(start, end - start));
  fields.push_back(encoded.substr(start));
  return fields;
}

std::string join_fields(const std::vector<std::string>& fields) {
  std::string out;
  for (const std::string& f : fields) out += (out.empty() ? "" : "$") + f;
  return out;
}

// ---------------------------------------------------------------------------------------------
// The hash

TEST(PinHash, IsTheSelfDescribingPbkdf2Format) {
  std::string encoded = hash_pin(kPin);
  EXPECT_TRUE(
      std::regex_match(encoded, std::regex(R"(pbkdf2-sha256\$400000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=)")))
      << encoded;
  std::vector<std::string> fields = split_fields(encoded);
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[1], std::to_string(kPinHashIterations));
  EXPECT_EQ(from_base64(fields[2]).size(), 16u);
  EXPECT_EQ(from_base64(fields[3]).size(), 32u);
  EXPECT_THAT(encoded, Not(HasSubstr(kPin)));
  EXPECT_TRUE(is_pin_hash(encoded));
}

TEST(PinHash, AcceptsTheRightPinAndRefusesWrongOnes) {
  std::string encoded = hash_pin(kPin);
  EXPECT_TRUE(verify_pin(kPin, encoded));
  EXPECT_FALSE(verify_pin(kOtherPin, encoded));
  EXPECT_FALSE(verify_pin("4821395", encoded));    // a prefix
  EXPECT_FALSE(verify_pin("482139570", encoded));  // one digit more
  EXPECT_FALSE(verify_pin("", encoded));
}

TEST(PinHash, VerifiesAHashMadeByAnotherPbkdf2) {
  EXPECT_TRUE(is_pin_hash(kPythonHashOfPin));
  EXPECT_TRUE(verify_pin(kPin, kPythonHashOfPin));
  EXPECT_FALSE(verify_pin(kOtherPin, kPythonHashOfPin));
}

TEST(PinHash, TwoHashesOfOnePinDifferByTheirSalt) {
  std::string a = hash_pin(kPin);
  std::string b = hash_pin(kPin);
  EXPECT_NE(a, b);
  EXPECT_NE(split_fields(a)[2], split_fields(b)[2]);
  EXPECT_TRUE(verify_pin(kPin, a));
  EXPECT_TRUE(verify_pin(kPin, b));
}

TEST(PinHash, RefusesTamperedAndMalformedEncodings) {
  const std::string good = kPythonHashOfPin;
  std::vector<std::string> f = split_fields(good);
  auto with = [&](std::size_t i, const std::string& value) {
    std::vector<std::string> g = f;
    g[i] = value;
    return join_fields(g);
  };
  auto flipped = [](std::string text, std::size_t at) {
    text[at] = text[at] == 'A' ? 'B' : 'A';
    return text;
  };
  // Well formed but changed: still a hash, no longer this PIN's.
  const std::vector<std::pair<std::string, std::string>> tampered = {
      {"another iteration count", with(1, "400001")},
      {"a salt byte changed", with(2, flipped(f[2], 5))},
      {"a hash byte changed", with(3, flipped(f[3], 10))},
  };
  for (const auto& [what, encoded] : tampered) {
    EXPECT_TRUE(is_pin_hash(encoded)) << what;
    EXPECT_FALSE(verify_pin(kPin, encoded)) << what;
  }
  // Not a hash at all.
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"empty", ""},
      {"another scheme", with(0, "pbkdf2-sha1")},
      {"no scheme", with(0, "")},
      {"three fields", f[0] + "$" + f[1] + "$" + f[2]},
      {"five fields", good + "$"},
      {"a leading zero", with(1, "0400000")},
      {"a sign", with(1, "+400000")},
      {"not a number", with(1, "many")},
      {"empty count", with(1, "")},
      {"zero iterations", with(1, "0")},
      {"too few iterations", with(1, std::to_string(kMinPinHashIterations - 1))},
      {"a short salt", with(2, to_base64(Bytes(15, 1)))},
      {"a long salt", with(2, to_base64(Bytes(17, 1)))},
      {"a short hash", with(3, to_base64(Bytes(31, 1)))},
      {"a long hash", with(3, to_base64(Bytes(33, 1)))},
      {"salt not base64", with(2, "AAECAwQFBgcICQoLDA0OD!==")},
      {"hash without padding", with(3, f[3].substr(0, f[3].size() - 1))},
      {"a second spelling of the salt", with(2, "AAECAwQFBgcICQoLDA0ODx==")},
      {"trailing newline", good + "\n"},
      {"leading space", " " + good},
      {"a NUL inside", std::string(good).insert(20, 1, '\0')},
      {"very long", good + std::string(100'000, 'A')},
  };
  for (const auto& [what, encoded] : bad) {
    EXPECT_FALSE(is_pin_hash(encoded)) << what;
    EXPECT_FALSE(verify_pin(kPin, encoded)) << what;
  }
}

TEST(PinHash, RefusesHugeIterationCountsWithoutDerivingAnything) {
  std::vector<std::string> f = split_fields(kPythonHashOfPin);
  for (std::string count : {std::to_string(std::uint64_t{kMaxPinHashIterations} + 1), std::string("2147483647"),
                            std::string("4294967296"), std::string("99999999999999999999999999")}) {
    f[1] = count;
    std::string encoded = join_fields(f);
    auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(is_pin_hash(encoded)) << count;
    EXPECT_FALSE(verify_pin(kPin, encoded)) << count;
    // A derivation at even the cap takes about a second here; a refusal takes microseconds.
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200)) << count;
  }
  f[1] = std::to_string(kMaxPinHashIterations);
  EXPECT_TRUE(is_pin_hash(join_fields(f))) << "the cap itself is allowed";
}

// ---------------------------------------------------------------------------------------------
// The PIN format

TEST(PinFormat, IsFourToTwelveAsciiDigits) {
  for (const char* pin : {"0000", "1234", "48213957", "123456789012"}) EXPECT_TRUE(is_acceptable_pin(pin)) << pin;
  for (std::string pin : {std::string(""), std::string("123"), std::string("1234567890123"), std::string("12a4"),
                          std::string(" 1234"), std::string("1234 "), std::string("1234\n"), std::string("-1234"),
                          std::string("12.34"), std::string("\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4"),  // Arabic-Indic 1234
                          std::string("12\0"
                                      "34",
                                      5)}) {
    EXPECT_FALSE(is_acceptable_pin(pin)) << pin;
    EXPECT_THROW(hash_pin(pin), Error) << pin;
  }
}

// ---------------------------------------------------------------------------------------------
// The guard, on a real store

class StaffPinTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "tutortime-pin-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    dir_ = root_ / "data";
    store_ = KioskStore::create(dir_);
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  // Closes the store and opens it again from its files, as after a restart.
  void reopen() {
    store_.reset();
    store_ = KioskStore::open(dir_);
  }

  PinCheck check(const std::string& pin, UnixSeconds now, PinRole role = PinRole::Technician) {
    return check_pin(*store_, role, pin, now);
  }

  // `count` wrong tries at `now`, each expected to be checked (not Locked).
  void wrong_tries(int count, UnixSeconds now) {
    for (int i = 0; i < count; ++i) ASSERT_EQ(check(kOtherPin, now).outcome, PinOutcome::Wrong) << "try " << i;
  }

  fs::path root_;
  fs::path dir_;
  std::unique_ptr<KioskStore> store_;
  static constexpr UnixSeconds kT = 1'800'000'000;
};

TEST_F(StaffPinTest, NoPinIsNotSetAndRecordsNothing) {
  EXPECT_FALSE(pin_is_set(*store_, PinRole::Technician));
  PinCheck c = check(kPin, kT);
  EXPECT_EQ(c.outcome, PinOutcome::NotSet);
  EXPECT_FALSE(store_->setting(pin_guard_setting(PinRole::Technician)).has_value());
}

TEST_F(StaffPinTest, SetPinStoresOnlyTheHashUnderTheRolesKey) {
  set_pin(*store_, PinRole::Technician, kPin);
  EXPECT_TRUE(pin_is_set(*store_, PinRole::Technician));
  EXPECT_FALSE(pin_is_set(*store_, PinRole::Teacher));
  EXPECT_EQ(pin_hash_setting(PinRole::Technician), "technician_pin_hash");
  EXPECT_EQ(pin_hash_setting(PinRole::Teacher), "teacher_pin_hash");
  std::string stored = store_->setting("technician_pin_hash").value_or("");
  EXPECT_TRUE(is_pin_hash(stored)) << stored;
  EXPECT_TRUE(verify_pin(kPin, stored));
  EXPECT_EQ(store_->setting("technician_pin_guard").value_or(""), "failures=0 locked_until=0");
  EXPECT_EQ(check(kPin, kT).outcome, PinOutcome::Accepted);
}

TEST_F(StaffPinTest, SetPinRefusesAnUnacceptablePinAndStoresNothing) {
  for (const char* pin : {"", "123", "1234567890123", "12a4", "1234 "}) {
    try {
      set_pin(*store_, PinRole::Teacher, pin);
      ADD_FAILURE() << "accepted \"" << pin << "\"";
    } catch (const Error& e) {
      EXPECT_THAT(e.what(), HasSubstr("4 to 12 digits"));
      if (std::string(pin).size() >= 3) {
        EXPECT_THAT(e.what(), Not(HasSubstr(pin))) << "the message repeats the PIN";
      }
    }
  }
  EXPECT_FALSE(pin_is_set(*store_, PinRole::Teacher));
  // And an acceptable new PIN does not disturb an old one when it is refused.
  set_pin(*store_, PinRole::Teacher, kPin);
  EXPECT_THROW(set_pin(*store_, PinRole::Teacher, "12"), Error);
  EXPECT_EQ(check(kPin, kT, PinRole::Teacher).outcome, PinOutcome::Accepted);
}

TEST_F(StaffPinTest, FourWrongTriesSayHowManyAreLeft) {
  set_pin(*store_, PinRole::Technician, kPin);
  for (int i = 1; i <= 4; ++i) {
    PinCheck c = check(kOtherPin, kT + i);
    EXPECT_EQ(c.outcome, PinOutcome::Wrong) << i;
    EXPECT_EQ(c.tries_before_delay, 5 - i) << i;
    EXPECT_EQ(c.seconds_until_next_try, 0) << i;
  }
  EXPECT_EQ(pin_guard_state(*store_, PinRole::Technician).failures, 4);
}

TEST_F(StaffPinTest, TheFifthWrongTryLocksForThirtySecondsEvenAgainstTheRightPin) {
  set_pin(*store_, PinRole::Technician, kPin);
  ASSERT_NO_FATAL_FAILURE(wrong_tries(4, kT));
  PinCheck fifth = check(kOtherPin, kT);
  EXPECT_EQ(fifth.outcome, PinOutcome::Wrong);
  EXPECT_EQ(fifth.tries_before_delay, 0);
  EXPECT_EQ(fifth.seconds_until_next_try, 30);

  for (UnixSeconds t : {kT, kT + 1, kT + 29}) {
    PinCheck c = check(kPin, t);  // the right PIN
    EXPECT_EQ(c.outcome, PinOutcome::Locked) << t - kT;
    EXPECT_EQ(c.seconds_until_next_try, kT + 30 - t) << t - kT;
  }
  PinGuardState guard = pin_guard_state(*store_, PinRole::Technician);
  EXPECT_EQ(guard.failures, 5) << "a try while locked must not count";
  EXPECT_EQ(guard.locked_until, kT + 30);
}

TEST_F(StaffPinTest, WhileLockedThePinIsNotEvenLookedAt) {
  set_pin(*store_, PinRole::Technician, kPin);
  ASSERT_NO_FATAL_FAILURE(wrong_tries(5, kT));
  // Were the hash read, this one would throw as malformed; locked, it is never parsed.
  store_->set_setting(pin_hash_setting(PinRole::Technician), "not a hash");
  EXPECT_EQ(check(kPin, kT + 10).outcome, PinOutcome::Locked);
  EXPECT_THROW(check(kPin, kT + 30), Error) << "once the lock ends the malformed hash is reported";
  EXPECT_EQ(pin_guard_state(*store_, PinRole::Technician).failures, 5) << "a malformed hash costs no try";
}

TEST_F(StaffPinTest, TheDelayDoublesAfterEachLockAndStopsAtAnHour) {
  set_pin(*store_, PinRole::Technician, kPin);
  ASSERT_NO_FATAL_FAILURE(wrong_tries(4, kT));
  UnixSeconds now = kT;
  for (std::int64_t expected : {30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600}) {
    PinCheck c = check(kOtherPin, now);
    ASSERT_EQ(c.outcome, PinOutcome::Wrong) << expected;
    EXPECT_EQ(c.seconds_until_next_try, expected);
    EXPECT_EQ(check(kOtherPin, now + expected - 1).outcome, PinOutcome::Locked) << expected;
    now += expected;  // the lock has just ended: the next try is checked
  }
  EXPECT_EQ(pin_delay_after_failures(4), 0);
  EXPECT_EQ(pin_delay_after_failures(5), 30);
  EXPECT_EQ(pin_delay_after_failures(12), 3600);
  EXPECT_EQ(pin_delay_after_failures(1'000'000), 3600);
}

TEST_F(StaffPinTest, ARightPinAfterALockEndsStartsTheCountAgain) {
  set_pin(*store_, PinRole::Technician, kPin);
  ASSERT_NO_FATAL_FAILURE(wrong_tries(5, kT));  // locked until kT + 30
  EXPECT_EQ(check(kPin, kT + 30).outcome, PinOutcome::Accepted);
  EXPECT_EQ(pin_guard_state(*store_, PinRole::Technician).failures, 0);
  EXPECT_EQ(pin_guard_state(*store_, PinRole::Technician).locked_until, 0);
  PinCheck c = check(kOtherPin, kT + 31);
  EXPECT_EQ(c.outcome, PinOutcome::Wrong);
  EXPECT_EQ(c.tries_before_delay, 4);
  EXPECT_EQ(c.seconds_until_next_try, 0);
}

TEST_F(StaffPinTest, ARightPinResetsTheCount) {
  set_pin(*store_, PinRole::Technician, kPin);
  ASSERT_NO_FATAL_FAILURE(wrong_tries(3, kT));
  EXPECT_EQ(check(kPin, kT).outcome, PinOutcome::Accepted);
  EXPECT_EQ(check(kOtherPin, kT).tries_before_delay, 4);
}

TEST_F(StaffPinTest, TheStateSurvivesClosingAndReopeningTheStore) {
  set_pin(*store_, PinRole::Technician, kPin);
  ASSERT_NO_FATAL_FAILURE(wrong_tries(5, kT));
  reopen();
  PinCheck c = check(kPin, kT + 5);
  EXPECT_EQ(c.outcome, PinOutcome::Locked);
  EXPECT_EQ(c.seconds_until_next_try, 25);
  reopen();
  EXPECT_EQ(check(kOtherPin, kT + 30).seconds_until_next_try, 60) << "the count survived too";
  reopen();
  EXPECT_EQ(check(kPin, kT + 90).outcome, PinOutcome::Accepted);
  EXPECT_TRUE(verify_pin(kPin, store_->setting(pin_hash_setting(PinRole::Technician)).value_or("")));
}

TEST_F(StaffPinTest, AClockThatGoesBackDoesNotExtendTheLock) {
  set_pin(*store_, PinRole::Technician, kPin);
  ASSERT_NO_FATAL_FAILURE(wrong_tries(5, kT));  // locked until kT + 30
  const UnixSeconds back = kT - 86'400;         // the clock is set back a day
  PinCheck c = check(kPin, back);
  EXPECT_EQ(c.outcome, PinOutcome::Locked);
  EXPECT_EQ(c.seconds_until_next_try, 30) << "no more than the lock's own delay";
  EXPECT_EQ(check(kPin, back + 29).seconds_until_next_try, 1);
  EXPECT_EQ(check(kPin, back + 30).outcome, PinOutcome::Accepted) << "the lock ended 30 s after the clock went back";

  // And a lock seen to reach too far is not re-extended by each later look at it.
  ASSERT_NO_FATAL_FAILURE(wrong_tries(5, kT));
  EXPECT_EQ(check(kPin, back).seconds_until_next_try, 30);
  EXPECT_EQ(check(kPin, back + 20).seconds_until_next_try, 10);
  EXPECT_EQ(pin_seconds_locked(PinGuardState{5, kT + 30}, back), 30);
}

TEST_F(StaffPinTest, SettingThePinAgainUnlocksIt) {
  set_pin(*store_, PinRole::Technician, kPin);
  ASSERT_NO_FATAL_FAILURE(wrong_tries(5, kT));
  set_pin(*store_, PinRole::Technician, "2468");
  EXPECT_EQ(check("2468", kT + 1).outcome, PinOutcome::Accepted);
  EXPECT_EQ(check(kPin, kT + 1).outcome, PinOutcome::Wrong) << "the old PIN no longer opens it";
}

TEST_F(StaffPinTest, EachRoleHasItsOwnPinAndGuard) {
  set_pin(*store_, PinRole::Technician, kPin);
  set_pin(*store_, PinRole::Teacher, "2468");
  ASSERT_NO_FATAL_FAILURE(wrong_tries(5, kT));
  EXPECT_EQ(check(kPin, kT + 1).outcome, PinOutcome::Locked);
  EXPECT_EQ(check(kPin, kT + 1, PinRole::Teacher).outcome, PinOutcome::Wrong) << "one role's PIN opens only it";
  EXPECT_EQ(check("2468", kT + 1, PinRole::Teacher).outcome, PinOutcome::Accepted);
}

TEST_F(StaffPinTest, AMalformedGuardIsAnErrorThatSaysHowToResetIt) {
  set_pin(*store_, PinRole::Teacher, kPin);
  for (const char* guard : {"", "failures=5", "failures=-1 locked_until=0", "failures=05 locked_until=0",
                            "failures=5 locked_until=x", "failures=99999999999 locked_until=0"}) {
    store_->set_setting(pin_guard_setting(PinRole::Teacher), guard);
    try {
      check(kPin, kT, PinRole::Teacher);
      ADD_FAILURE() << "accepted guard \"" << guard << "\"";
    } catch (const Error& e) {
      EXPECT_THAT(e.what(), HasSubstr("pin set teacher")) << guard;
    }
  }
  set_pin(*store_, PinRole::Teacher, kPin);
  EXPECT_EQ(check(kPin, kT, PinRole::Teacher).outcome, PinOutcome::Accepted);
}

// Rule 1 of staff_pin.h, the way an attacker would test it: kill the process while it derives
// the hash (as cutting the power would). The try must already be on disk. The stored hash is the
// right PIN's at the largest allowed count (about a second), so a guard that wrote the try down
// only after checking would never show a failure before the child ends: it would reset to 0.
TEST_F(StaffPinTest, ATryKilledDuringTheCheckStillCounts) {
  store_->set_setting(pin_hash_setting(PinRole::Technician), kPythonSlowHashOfPin);
  store_.reset();
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = KioskStore::open(dir_);
    PinCheck c = check_pin(*store, PinRole::Technician, kPin, kT);
    _exit(c.outcome == PinOutcome::Accepted ? 0 : 1);
  }
  store_ = KioskStore::open(dir_);
  bool recorded = false;
  bool child_ended = false;
  int status = 0;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       !recorded && !child_ended && std::chrono::steady_clock::now() < deadline;) {
    recorded = pin_guard_state(*store_, PinRole::Technician).failures == 1;
    if (recorded) break;
    child_ended = ::waitpid(child, &status, WNOHANG) == child;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (!child_ended) {
    ::kill(child, SIGKILL);
    ASSERT_EQ(::waitpid(child, &status, 0), child);
  }
  ASSERT_TRUE(recorded) << "the try was not on disk while the PIN was being checked";
  ASSERT_TRUE(WIFSIGNALED(status)) << "the check ended before the kill; exit status " << WEXITSTATUS(status);
  reopen();
  PinGuardState guard = pin_guard_state(*store_, PinRole::Technician);
  EXPECT_EQ(guard.failures, 1) << "the killed try was forgotten";
  EXPECT_EQ(check(kPin, kT).outcome, PinOutcome::Accepted) << "and the PIN still works afterwards";
}

TEST_F(StaffPinTest, NoPlaintextPinReachesTheStoreFiles) {
  set_pin(*store_, PinRole::Technician, kPin);
  ASSERT_NO_FATAL_FAILURE(wrong_tries(2, kT));
  EXPECT_EQ(check(kPin, kT).outcome, PinOutcome::Accepted);
  store_.reset();
  for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find(kPin), std::string::npos) << entry.path();
    EXPECT_EQ(bytes.find(kOtherPin), std::string::npos) << entry.path();
  }
  store_ = KioskStore::open(dir_);
}

}  // namespace
}  // namespace tt::kiosk
