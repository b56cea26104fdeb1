// tutortime-kiosk pin set / pin status, run as real processes: the PIN comes in on standard
// input, is refused with the documented exit codes when it is not 4 to 12 digits, and never
// appears in the output, in an error or, in plaintext, in the data directory.
#include <chrono>

#include "kiosk/session/staff_pin.h"
#include "kiosk/store/kiosk_store.h"
#include "tests/cli/cli_test_support.h"

namespace tt::cli_testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Eight digits, so that finding it by chance in a hash or a timestamp is out of the question.
constexpr const char* kPin = "73915824";

class PinCliTest : public CliTest {
 protected:
  // tutortime-kiosk --data-dir <data_> ARGS < input
  RunResult kiosk_with_stdin(const std::vector<std::string>& args, const std::string& input) const {
    std::vector<std::string> argv = {kKioskBin.string(), "--data-dir", data_.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process_with_stdin(argv, input, root_ / "pin-input.txt", options());
  }

  void expect_not_shown(const RunResult& r, const std::string& pin) {
    EXPECT_THAT(r.out, Not(HasSubstr(pin))) << r;
    EXPECT_THAT(r.err, Not(HasSubstr(pin))) << r;
  }

  bool stored_pin_is(kiosk::PinRole role, const std::string& pin) const {
    auto store = kiosk::KioskStore::open(data_);
    return kiosk::verify_pin(pin, store->setting(kiosk::pin_hash_setting(role)).value_or(""));
  }

  static kiosk::UnixSeconds now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

TEST_F(PinCliTest, SetReadsThePinFromStandardInputAndStatusShowsItSet) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({}));
  RunResult set = kiosk_with_stdin({"pin", "set", "technician"}, std::string(kPin) + "\n");
  ASSERT_EQ(set.exit_code, 0) << set;
  EXPECT_EQ(set.out, "technician PIN set\n");
  expect_not_shown(set, kPin);

  RunResult status = kiosk({"pin", "status"});
  ASSERT_EQ(status.exit_code, 0) << status;
  EXPECT_THAT(status.out, HasSubstr("technician PIN: set, not locked")) << status;
  EXPECT_THAT(status.out, HasSubstr("teacher PIN:    not set")) << status;
  expect_not_shown(status, kPin);
  EXPECT_THAT(status.out, Not(HasSubstr("pbkdf2"))) << "status shows the hash";

  nlohmann::json j = parse_json(kiosk({"pin", "status", "--json"}).out);
  EXPECT_EQ(j["technician"]["set"], true) << j;
  EXPECT_EQ(j["technician"]["locked_seconds"], 0) << j;
  EXPECT_EQ(j["teacher"]["set"], false) << j;

  EXPECT_TRUE(stored_pin_is(kiosk::PinRole::Technician, kPin));
  for (const auto& [file, bytes] : contents_of(data_))
    EXPECT_THAT(bytes, Not(HasSubstr(kPin))) << "the PIN is in plaintext in " << file;
}

TEST_F(PinCliTest, SetTakesTheFirstLineOnlyAndAWindowsLineEnding) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({}));
  RunResult r = kiosk_with_stdin({"pin", "set", "teacher"}, "2468\r\nsomething else\n");
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "teacher PIN set\n");
  EXPECT_TRUE(stored_pin_is(kiosk::PinRole::Teacher, "2468"));
  RunResult no_newline = kiosk_with_stdin({"pin", "set", "technician"}, kPin);
  ASSERT_EQ(no_newline.exit_code, 0) << no_newline;
  EXPECT_TRUE(stored_pin_is(kiosk::PinRole::Technician, kPin));
}

TEST_F(PinCliTest, ABadPinIsRefusedAsInvalidInputWithoutRepeatingItOrChangingAnything) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({}));
  ASSERT_EQ(kiosk_with_stdin({"pin", "set", "technician"}, std::string(kPin) + "\n").exit_code, 0);
  for (std::string bad : {"739", "7391582a", "7391582473915", " 73915824", "73915824 "}) {
    RunResult r = kiosk_with_stdin({"pin", "set", "technician"}, bad + "\n");
    EXPECT_EQ(r.exit_code, 3) << r;
    EXPECT_THAT(r.err, HasSubstr("4 to 12 digits")) << r;
    EXPECT_THAT(r.err, HasSubstr("nothing was changed")) << r;
    EXPECT_THAT(r.err, Not(HasSubstr(bad))) << r;
    EXPECT_EQ(r.out, "") << r;
  }
  RunResult empty = kiosk_with_stdin({"pin", "set", "teacher"}, "");
  EXPECT_EQ(empty.exit_code, 3) << empty;
  EXPECT_THAT(empty.err, HasSubstr("no teacher PIN on standard input")) << empty;
  RunResult blank = kiosk_with_stdin({"pin", "set", "teacher"}, "\n");
  EXPECT_EQ(blank.exit_code, 3) << blank;

  EXPECT_TRUE(stored_pin_is(kiosk::PinRole::Technician, kPin)) << "a refused PIN replaced the old one";
  auto store = kiosk::KioskStore::open(data_);
  EXPECT_FALSE(kiosk::pin_is_set(*store, kiosk::PinRole::Teacher));
}

TEST_F(PinCliTest, APinOnTheCommandLineIsRefusedAndNotRepeated) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({}));
  const std::vector<std::vector<std::string>> misuses = {
      {"pin", "set", "technician", kPin},
      {"pin", "set", kPin},
      {"pin", "set", "technician", std::string("--pin=") + kPin},
      {"pin", kPin},
      {"pin", "status", kPin},
  };
  for (const auto& args : misuses) {
    RunResult r = kiosk_with_stdin(args, std::string(kPin) + "\n");
    EXPECT_EQ(r.exit_code, 2) << r;
    expect_not_shown(r, kPin);
  }
  auto store = kiosk::KioskStore::open(data_);
  EXPECT_FALSE(kiosk::pin_is_set(*store, kiosk::PinRole::Technician));
}

TEST_F(PinCliTest, WrongArgumentsAreUsageErrors) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({}));
  RunResult role = kiosk_with_stdin({"pin", "set", "headteacher"}, std::string(kPin) + "\n");
  EXPECT_EQ(role.exit_code, 2) << role;
  EXPECT_THAT(role.err, HasSubstr("technician or teacher")) << role;
  RunResult no_role = kiosk({"pin", "set"});
  EXPECT_EQ(no_role.exit_code, 2) << no_role;
  RunResult verb = kiosk({"pin", "reset"});
  EXPECT_EQ(verb.exit_code, 2) << verb;
  EXPECT_THAT(verb.err, HasSubstr("expected set or status")) << verb;
  RunResult bare = kiosk({"pin"});
  EXPECT_EQ(bare.exit_code, 2) << bare;
  EXPECT_THAT(bare.out, HasSubstr("pin set technician|teacher")) << bare;
  RunResult help = kiosk({"pin", "help"});
  EXPECT_EQ(help.exit_code, 0) << help;
  EXPECT_THAT(help.out, HasSubstr("pin status")) << help;
}

TEST_F(PinCliTest, AKioskThatIsNotSetUpIsTheStoreRefusing) {
  RunResult set = kiosk_with_stdin({"pin", "set", "technician"}, std::string(kPin) + "\n");
  EXPECT_EQ(set.exit_code, 5) << set;
  expect_not_shown(set, kPin);
  RunResult status = kiosk({"pin", "status"});
  EXPECT_EQ(status.exit_code, 5) << status;
}

TEST_F(PinCliTest, StatusShowsALockAndSetClearsIt) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({}));
  ASSERT_EQ(kiosk_with_stdin({"pin", "set", "teacher"}, std::string(kPin) + "\n").exit_code, 0);
  {
    auto store = kiosk::KioskStore::open(data_);
    for (int i = 0; i < 5; ++i) kiosk::check_pin(*store, kiosk::PinRole::Teacher, "0000", now());
  }
  RunResult status = kiosk({"pin", "status"});
  ASSERT_EQ(status.exit_code, 0) << status;
  EXPECT_THAT(status.out, HasSubstr("teacher PIN:    set, locked for ")) << status;
  EXPECT_THAT(status.out, HasSubstr("(5 wrong tries in a row)")) << status;
  nlohmann::json j = parse_json(kiosk({"pin", "status", "--json"}).out);
  EXPECT_GT(j["teacher"]["locked_seconds"].get<int>(), 0) << j;
  EXPECT_LE(j["teacher"]["locked_seconds"].get<int>(), 30) << j;
  EXPECT_EQ(j["teacher"]["wrong_tries"], 5) << j;

  ASSERT_EQ(kiosk_with_stdin({"pin", "set", "teacher"}, "2468\n").exit_code, 0);
  j = parse_json(kiosk({"pin", "status", "--json"}).out);
  EXPECT_EQ(j["teacher"]["locked_seconds"], 0) << j;
  EXPECT_EQ(j["teacher"]["wrong_tries"], 0) << j;
}

}  // namespace
}  // namespace tt::cli_testing
