#pragma once
// Staff PINs: the technician's and the teacher's, which open the staff-only parts of the kiosk.
// A PIN is kept only as a salted PBKDF2-HMAC-SHA256 hash in the store's settings, and every try
// goes through a guard that makes guessing slow once 5 tries in a row were wrong.
//
// What the hash is for, honestly: a PIN has few values (10^4 for four digits), so whoever copies
// kiosk.db can still find a four-digit PIN offline in minutes. The salt and the slow derivation stop the
// PIN being read off the file at a glance or looked up in a table, and make long PINs expensive;
// what stops a pupil guessing at the screen is the guard.
//
// The hash, as stored:  pbkdf2-sha256$ITERATIONS$SALT$HASH
//   ITERATIONS  decimal, no leading zero, within [kMinPinHashIterations, kMaxPinHashIterations]
//   SALT        16 random bytes, base64 (with padding)
//   HASH        PBKDF2-HMAC-SHA256(PIN, SALT, ITERATIONS), 32 bytes, base64 (with padding)
// It is plain PBKDF2 (RFC 8018), so other tools can check it: Python's
// hashlib.pbkdf2_hmac("sha256", pin, salt, iterations) gives the same HASH.
//
// The guard, for each role, kept in the setting "<role>_pin_guard" as
// "failures=N locked_until=T" (one setting, so one durable write: the count and the lock can
// never disagree after a crash or a full disk between two writes):
//   N = wrong tries in a row since the last right one or since set_pin().
//   N < 5    a try is checked at once.
//   N >= 5   the Nth wrong try, at time t, locked the PIN until T = t + delay(N), with
//            delay(N) = 30 s × 2^(N−5), capped at 3600 s: 30, 60, 120, 240, … 3600.
//   While now < T, check_pin() answers Locked and does not look at the PIN at all.
//   A right PIN sets N = 0 and T = 0.
// Two rules make it hold up:
//  1. A try is written down as wrong BEFORE the PIN is checked, and put right afterwards if it was
//     right. Cutting the power during the slow check (the trick that beat some phones' guards)
//     earns no free try, and a store that cannot record the try (full disk, read-only) means the
//     PIN is not checked at all.
//  2. If the clock goes back, a lock still ends at most delay(N) after now: a lock that reaches
//     further than its own delay is moved to now + delay(N) and saved, so it never lasts longer
//     than its delay from the moment the clock was seen to go back.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/store/kiosk_store.h"

namespace tt::kiosk {

enum class PinRole { Technician, Teacher };

// "technician" / "teacher": the word the command line takes and the settings keys start with.
std::string_view pin_role_name(PinRole role);
std::optional<PinRole> pin_role_from_name(std::string_view name);
// The settings keys: "<role>_pin_hash" (the encoded hash) and "<role>_pin_guard" (the guard).
std::string pin_hash_setting(PinRole role);
std::string pin_guard_setting(PinRole role);

// ---------------------------------------------------------------------------------------------
// The PIN and its hash

inline constexpr std::size_t kMinPinDigits = 4;
inline constexpr std::size_t kMaxPinDigits = 12;
// The whole rule, for messages; a message about a refused PIN never repeats the PIN.
inline constexpr const char* kPinFormatRule = "a PIN is 4 to 12 digits (0-9)";

// 4 to 12 ASCII digits, nothing else (no spaces, no other scripts' digits).
bool is_acceptable_pin(std::string_view pin);

// One verification (PKCS5_PBKDF2_HMAC, OpenSSL 3.0) measured 89-94 ms on the development machine
// (AMD EPYC VM) when idle and 135-150 ms with its other core busy, so several times that on a
// school tablet: about the longest a teacher should wait after typing a PIN. Raise it when
// tablets get faster; old hashes keep their own count and still verify while it is within the
// range below.
inline constexpr std::uint32_t kPinHashIterations = 400'000;
// Counts outside this range are refused without deriving anything: below it a hash is too weak
// to be one we wrote; above it a planted or corrupt setting could make a try run for hours.
inline constexpr std::uint32_t kMinPinHashIterations = 100'000;
inline constexpr std::uint32_t kMaxPinHashIterations = 4'000'000;

// The encoded hash of `pin` with a fresh random salt and kPinHashIterations. Throws tt::Error
// (kPinFormatRule) if the PIN is not acceptable, or if OpenSSL fails.
std::string hash_pin(std::string_view pin);
// Whether `encoded` is a hash in the format above, with sane parameters. Cheap: derives nothing.
bool is_pin_hash(std::string_view encoded);
// Whether `pin` matches `encoded`; the comparison takes the same time wherever the hashes
// differ (CRYPTO_memcmp). Never throws on bad input: a malformed, tampered or out-of-range
// encoded string, or an unacceptable PIN, is simply false (is_pin_hash() tells the cases apart).
// Throws tt::Error only if OpenSSL itself fails.
bool verify_pin(std::string_view pin, std::string_view encoded);

// ---------------------------------------------------------------------------------------------
// The guard

// Tries in a row that may be made without waiting; the last of them, if wrong, starts a delay.
inline constexpr int kFreePinTries = 5;
inline constexpr std::int64_t kFirstPinDelaySeconds = 30;
inline constexpr std::int64_t kMaxPinDelaySeconds = 3600;

struct PinGuardState {
  int failures = 0;              // wrong tries in a row
  UnixSeconds locked_until = 0;  // 0, or when the current delay ends
};

// The delay that the `failures`th wrong try in a row starts: 0 below kFreePinTries, then 30 s
// doubling, capped at kMaxPinDelaySeconds.
std::int64_t pin_delay_after_failures(int failures);
// Seconds from `now` until a try is looked at again: 0 when not locked; never more than the
// delay of `state.failures` (so a clock that went back cannot make it longer).
std::int64_t pin_seconds_locked(const PinGuardState& state, UnixSeconds now);

enum class PinOutcome {
  Accepted,  // the right PIN; the count is back to 0
  Wrong,     // checked and wrong; recorded
  Locked,    // not checked: a delay is running (nothing recorded, the count is unchanged)
  NotSet,    // no PIN has been set for this role (nothing recorded)
};

struct PinCheck {
  PinOutcome outcome = PinOutcome::NotSet;
  // Wrong: how many more tries may be made before a wait: 4 after the first wrong try, 1 after
  // the 4th, 0 from the 5th on (each of which starts a wait). 0 for the other outcomes.
  int tries_before_delay = 0;
  // Wrong or Locked: seconds until the next try will be looked at (30 after the 5th wrong try);
  // 0 when a try may be made at once.
  std::int64_t seconds_until_next_try = 0;
};

// Checks `pin` for `role` at time `now` (Unix seconds; the caller's clock, so tests can move it),
// keeping the rules at the top of this file. Throws StoreError when the store cannot read or
// record the try (the PIN is then not checked), and tt::Error when the stored hash or guard is
// malformed (the message says to set the PIN again; the try is not counted). An unacceptable
// PIN (too short, not digits) is a wrong try like any other: callers refuse to submit one.
PinCheck check_pin(KioskStore& store, PinRole role, std::string_view pin, UnixSeconds now);

// Hashes and stores a new PIN and resets its guard (a locked PIN is unlocked). Throws tt::Error
// with kPinFormatRule, storing nothing, when the PIN is not acceptable (callers that take a PIN
// from a person check is_acceptable_pin() first to say so in their own way).
void set_pin(KioskStore& store, PinRole role, std::string_view pin);
bool pin_is_set(const KioskStore& store, PinRole role);

// The guard as stored (failures 0, locked_until 0 when none is stored). Throws tt::Error when
// the setting is malformed.
PinGuardState pin_guard_state(const KioskStore& store, PinRole role);

}  // namespace tt::kiosk
