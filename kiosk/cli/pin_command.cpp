// tutortime-kiosk pin set technician|teacher, pin status: the staff PINs (kiosk/session/staff_pin.h).
// A PIN comes in on standard input, never as an argument: arguments are visible to every user in
// `ps` and stay in shell history. Nothing here ever prints a PIN or its hash, not even in an error.
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "kiosk/cli/commands.h"
#include "kiosk/cli/open_store.h"
#include "kiosk/session/staff_pin.h"

namespace tt::kiosk {

namespace {

constexpr const char* kPinHelp = R"(tutortime-kiosk pin — the staff PINs

Usage: tutortime-kiosk [--data-dir DIR] pin set technician|teacher
       tutortime-kiosk [--data-dir DIR] pin status [--json]

  set ROLE   Reads the new PIN (4 to 12 digits) from the first line of standard input, never
             from the command line (other users can see arguments in ps). On a terminal it asks
             twice and does not show what is typed. Stores only a salted PBKDF2 hash and clears
             any lock on that PIN. Prints "ROLE PIN set".
  status     Whether each PIN is set and whether it is locked now (never a PIN or its hash).

At the kiosk, 5 wrong tries in a row are free; from the 5th on, each wrong try locks that PIN
for 30 s, then 60 s, 120 s, ... up to an hour. A right PIN ends it, and so does `pin set`.

Exit codes: 0 ok · 2 wrong arguments · 3 the PIN is not 4 to 12 digits, or the two typed differ ·
5 the store refused (not set up, wrong key, disk full, read-only).
)";

UnixSeconds now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// An argument for an error message, unless it could be a PIN typed in the wrong place.
std::string quoted_argument(const std::string& argument) {
  bool could_be_a_pin = !argument.empty() && argument.find_first_not_of("0123456789") == std::string::npos;
  if (could_be_a_pin) return "(a number, not repeated here: a PIN is read from standard input)";
  return "\"" + argument + "\"";
}

// Like CommandLine::expect_done(), but it never repeats what was left over: on this command a
// stray argument may well be a PIN.
void expect_nothing_more(const CommandLine& args, const std::string& usage) {
  if (!args.empty()) {
    throw UsageError("unexpected arguments (not repeated here, in case one is a PIN); usage: " + usage +
                     " (a PIN is read from standard input, because other users can see arguments in ps)");
  }
}

PinRole role_argument(CommandLine& args) {
  auto name = args.next_positional();
  if (!name) {
    expect_nothing_more(args, "pin set technician|teacher");
    throw UsageError("missing a role (technician or teacher)");
  }
  if (auto role = pin_role_from_name(*name)) return *role;
  throw UsageError("unknown PIN role " + quoted_argument(*name) + " (expected technician or teacher)");
}

// Turns off the terminal's echo while a PIN is typed, and turns it back on however the read ends.
class TerminalEchoOff {
 public:
  TerminalEchoOff() {
    if (::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~TerminalEchoOff() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  TerminalEchoOff(const TerminalEchoOff&) = delete;
  TerminalEchoOff& operator=(const TerminalEchoOff&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

// The first line of standard input without its line ending (a trailing CR too, for a file saved
// on Windows); nullopt at end of input.
std::optional<std::string> read_line() {
  std::string line;
  if (!std::getline(std::cin, line) && line.empty()) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

InvalidInputError refused_pin(PinRole role) {
  return InvalidInputError("refusing the new " + std::string(pin_role_name(role)) + " PIN: " + kPinFormatRule +
                           "; nothing was changed");
}

// The new PIN, checked against the format. From a pipe or file: its first line. From a terminal:
// typed twice, unseen, because a typo nobody can see would lock the staff out.
std::string read_new_pin(PinRole role) {
  const std::string role_name(pin_role_name(role));
  if (::isatty(STDIN_FILENO) == 0) {
    auto line = read_line();
    if (!line) {
      throw InvalidInputError("no " + role_name + " PIN on standard input (its first line is the PIN; " +
                              kPinFormatRule + ")");
    }
    if (!is_acceptable_pin(*line)) throw refused_pin(role);
    return *line;
  }
  TerminalEchoOff echo_off;
  std::cerr << "New " << role_name << " PIN, 4 to 12 digits (not shown): " << std::flush;
  auto first = read_line();
  std::cerr << "\n";
  if (!first || !is_acceptable_pin(*first)) throw refused_pin(role);
  std::cerr << "The same PIN again: " << std::flush;
  auto second = read_line();
  std::cerr << "\n";
  if (!second || *second != *first) throw InvalidInputError("the two PINs typed differ; nothing was changed");
  return *first;
}

int set(const std::filesystem::path& data_dir, CommandLine& args) {
  PinRole role = role_argument(args);
  expect_nothing_more(args, "pin set technician|teacher");
  // Opened first, so that a kiosk that is not set up says so before anyone types a PIN.
  auto store = open_store_for_command(data_dir);
  std::string pin = read_new_pin(role);
  set_pin(*store, role, pin);
  std::cout << pin_role_name(role) << " PIN set\n";
  return kExitOk;
}

int status(const std::filesystem::path& data_dir, CommandLine& args) {
  bool as_json = args.flag("--json");
  expect_nothing_more(args, "pin status [--json]");
  auto store = open_store_for_command(data_dir);
  UnixSeconds now = now_seconds();
  nlohmann::json out = nlohmann::json::object();
  for (PinRole role : {PinRole::Technician, PinRole::Teacher}) {
    bool is_set = pin_is_set(*store, role);
    PinGuardState guard = pin_guard_state(*store, role);
    std::int64_t locked = is_set ? pin_seconds_locked(guard, now) : 0;
    std::string name(pin_role_name(role));
    out[name] = {{"set", is_set}, {"wrong_tries", guard.failures}, {"locked_seconds", locked}};
    if (as_json) continue;
    std::cout << name << " PIN: " << std::string(name.size() < 10 ? 10 - name.size() : 0, ' ');
    if (!is_set) {
      std::cout << "not set\n";
      continue;
    }
    std::cout << "set, " << (locked > 0 ? "locked for " + std::to_string(locked) + " s more" : "not locked");
    if (guard.failures > 0) {
      std::cout << " (" << guard.failures << " wrong tr" << (guard.failures == 1 ? "y" : "ies") << " in a row)";
    }
    std::cout << "\n";
  }
  if (as_json) std::cout << out.dump() << "\n";
  return kExitOk;
}

}  // namespace

int command_pin(const std::filesystem::path& data_dir, CommandLine& args) {
  // main.cpp answers a --help anywhere on the line with the whole tool's help before dispatching,
  // so `pin help` is the way to this text today; --help is taken too, for when it gets here.
  if (args.flag("--help")) {
    std::cout << kPinHelp;
    return kExitOk;
  }
  auto verb = args.next_positional();
  if (!verb) {
    std::cout << kPinHelp;
    return kExitUsage;
  }
  if (*verb == "help") {
    expect_nothing_more(args, "pin help");
    std::cout << kPinHelp;
    return kExitOk;
  }
  if (*verb == "set") return set(data_dir, args);
  if (*verb == "status") return status(data_dir, args);
  throw UsageError("unknown pin command " + quoted_argument(*verb) + " (expected set or status)");
}

}  // namespace tt::kiosk
