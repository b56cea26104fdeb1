// Staff PINs: the hash (PBKDF2 through OpenSSL) and the guard. The format and the guard's rules
// are in staff_pin.h.
#include "kiosk/session/staff_pin.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <vector>

#include "shared/common/bytes.h"
#include "shared/common/error.h"
#include "shared/crypto/random.h"

namespace tt::kiosk {
namespace {

constexpr std::string_view kHashScheme = "pbkdf2-sha256";
constexpr std::size_t kSaltSize = 16;
constexpr std::size_t kHashSize = 32;  // SHA-256's output: more would only slow us, not attackers
// Longer than any hash we write (about 90 characters); anything longer is refused unread.
constexpr std::size_t kMaxEncodedSize = 128;
// The count stops here so that neither it nor the delay's arithmetic can overflow.
constexpr int kMaxCountedFailures = 1'000'000;

using DerivedHash = std::array<std::uint8_t, kHashSize>;

DerivedHash derive(std::string_view pin, ByteView salt, std::uint32_t iterations) {
  DerivedHash out{};
  if (PKCS5_PBKDF2_HMAC(pin.data(), static_cast<int>(pin.size()), salt.data(), static_cast<int>(salt.size()),
                        static_cast<int>(iterations), EVP_sha256(), static_cast<int>(out.size()), out.data()) != 1) {
    char reason[256];
    ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
    ERR_clear_error();
    throw Error(std::string("hash PIN: PKCS5_PBKDF2_HMAC failed: ") + reason);
  }
  return out;
}

// A non-negative decimal with no sign, no leading zero (one spelling per value) and at most
// `max_value`; nullopt for anything else.
std::optional<std::int64_t> parse_decimal(std::string_view text, std::int64_t max_value) {
  if (text.empty() || text.size() > 19 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value > max_value) return std::nullopt;
  return value;
}

// Base64 that decodes to exactly `size` bytes and is the one spelling to_base64 gives them, so a
// hash has exactly one encoding.
std::optional<Bytes> parse_base64(std::string_view text, std::size_t size) {
  Bytes bytes;
  try {
    bytes = from_base64(text);
  } catch (const Error&) {
    return std::nullopt;
  }
  if (bytes.size() != size || to_base64(bytes) != text) return std::nullopt;
  return bytes;
}

struct ParsedPinHash {
  std::uint32_t iterations = 0;
  Bytes salt;
  Bytes hash;
};

std::optional<ParsedPinHash> parse_pin_hash(std::string_view encoded) {
  if (encoded.size() > kMaxEncodedSize) return std::nullopt;
  std::vector<std::string_view> fields;
  for (std::size_t start = 0;;) {
    std::size_t end = encoded.find('$', start);
    fields.push_back(encoded.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (fields.size() != 4 || fields[0] != kHashScheme) return std::nullopt;
  auto iterations = parse_decimal(fields[1], kMaxPinHashIterations);
  if (!iterations || *iterations < kMinPinHashIterations) return std::nullopt;
  auto salt = parse_base64(fields[2], kSaltSize);
  auto hash = parse_base64(fields[3], kHashSize);
  if (!salt || !hash) return std::nullopt;
  return ParsedPinHash{static_cast<std::uint32_t>(*iterations), std::move(*salt), std::move(*hash)};
}

std::string encode_guard(const PinGuardState& state) {
  return "failures=" + std::to_string(state.failures) + " locked_until=" + std::to_string(state.locked_until);
}

void save_guard(KioskStore& store, PinRole role, const PinGuardState& state) {
  store.set_setting(pin_guard_setting(role), encode_guard(state));
}

}  // namespace

std::string_view pin_role_name(PinRole role) {
  switch (role) {
    case PinRole::Technician: return "technician";
    case PinRole::Teacher: return "teacher";
  }
  throw Error("unknown PIN role");
}

std::optional<PinRole> pin_role_from_name(std::string_view name) {
  for (PinRole role : {PinRole::Technician, PinRole::Teacher}) {
    if (name == pin_role_name(role)) return role;
  }
  return std::nullopt;
}

std::string pin_hash_setting(PinRole role) {
  return std::string(pin_role_name(role)) + "_pin_hash";
}
std::string pin_guard_setting(PinRole role) {
  return std::string(pin_role_name(role)) + "_pin_guard";
}

bool is_acceptable_pin(std::string_view pin) {
  return pin.size() >= kMinPinDigits && pin.size() <= kMaxPinDigits &&
         std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string hash_pin(std::string_view pin) {
  if (!is_acceptable_pin(pin)) throw Error(std::string("hash PIN: ") + kPinFormatRule);
  Bytes salt = crypto::random_bytes(kSaltSize);
  DerivedHash hash = derive(pin, salt, kPinHashIterations);
  return std::string(kHashScheme) + "$" + std::to_string(kPinHashIterations) + "$" + to_base64(salt) + "$" +
         to_base64(hash);
}

bool is_pin_hash(std::string_view encoded) {
  return parse_pin_hash(encoded).has_value();
}

bool verify_pin(std::string_view pin, std::string_view encoded) {
  auto parsed = parse_pin_hash(encoded);
  if (!parsed || !is_acceptable_pin(pin)) return false;
  DerivedHash hash = derive(pin, parsed->salt, parsed->iterations);
  // Constant time, so how long a wrong try takes says nothing about how much of it was right.
  return CRYPTO_memcmp(hash.data(), parsed->hash.data(), kHashSize) == 0;
}

std::int64_t pin_delay_after_failures(int failures) {
  if (failures < kFreePinTries) return 0;
  int doublings = failures - kFreePinTries;
  // 30 s × 2^7 is already past the cap; stopping there keeps the shift small.
  if (doublings >= 7) return kMaxPinDelaySeconds;
  return std::min(kFirstPinDelaySeconds << doublings, kMaxPinDelaySeconds);
}

std::int64_t pin_seconds_locked(const PinGuardState& state, UnixSeconds now) {
  std::int64_t delay = pin_delay_after_failures(state.failures);
  if (delay == 0 || state.locked_until <= now) return 0;
  // Written so that nothing overflows: locked_until > now and 0 < delay <= 3600.
  if (now < state.locked_until - delay) return delay;  // the clock went back
  return state.locked_until - now;
}

PinGuardState pin_guard_state(const KioskStore& store, PinRole role) {
  std::string key = pin_guard_setting(role);
  auto text = store.setting(key);
  if (!text) return {};
  // The one form encode_guard() writes: "failures=N locked_until=T".
  std::string_view view = *text;
  constexpr std::string_view kFailures = "failures=";
  constexpr std::string_view kLockedUntil = " locked_until=";
  std::size_t middle = view.find(kLockedUntil);
  std::optional<std::int64_t> failures;
  std::optional<std::int64_t> locked_until;
  if (view.substr(0, kFailures.size()) == kFailures && middle != std::string_view::npos) {
    failures = parse_decimal(view.substr(kFailures.size(), middle - kFailures.size()), kMaxCountedFailures);
    locked_until = parse_decimal(view.substr(middle + kLockedUntil.size()), std::numeric_limits<std::int64_t>::max());
  }
  if (!failures || !locked_until) {
    throw Error("read the " + std::string(pin_role_name(role)) + " PIN's guard: setting '" + key +
                "' is malformed; set the PIN again (tutortime-kiosk pin set " + std::string(pin_role_name(role)) +
                ") to reset it");
  }
  return PinGuardState{static_cast<int>(*failures), *locked_until};
}

PinCheck check_pin(KioskStore& store, PinRole role, std::string_view pin, UnixSeconds now) {
  auto encoded = store.setting(pin_hash_setting(role));
  if (!encoded) return PinCheck{PinOutcome::NotSet, 0, 0};

  PinGuardState guard = pin_guard_state(store, role);
  std::int64_t delay = pin_delay_after_failures(guard.failures);
  if (delay > 0 && guard.locked_until > now && now < guard.locked_until - delay) {
    // The clock went back: the lock reaches further than its own delay. Move it to now + delay
    // and save that, so it ends on time by this clock (rule 2 in staff_pin.h).
    guard.locked_until = now + delay;
    save_guard(store, role, guard);
  }
  if (std::int64_t locked = pin_seconds_locked(guard, now); locked > 0) {
    return PinCheck{PinOutcome::Locked, 0, locked};
  }

  if (!is_pin_hash(*encoded)) {
    throw Error("check the " + std::string(pin_role_name(role)) + " PIN: the stored hash (setting '" +
                pin_hash_setting(role) + "') is malformed or has an unsafe iteration count; set the PIN again (" +
                "tutortime-kiosk pin set " + std::string(pin_role_name(role)) + ")");
  }

  // Rule 1: record this try as wrong before checking it; a right PIN puts it right below.
  PinGuardState if_wrong;
  if_wrong.failures = std::min(guard.failures + 1, kMaxCountedFailures);
  std::int64_t delay_if_wrong = pin_delay_after_failures(if_wrong.failures);
  if_wrong.locked_until = delay_if_wrong > 0 ? now + delay_if_wrong : 0;
  save_guard(store, role, if_wrong);

  if (verify_pin(pin, *encoded)) {
    save_guard(store, role, PinGuardState{});
    return PinCheck{PinOutcome::Accepted, 0, 0};
  }
  return PinCheck{PinOutcome::Wrong, std::max(0, kFreePinTries - if_wrong.failures), delay_if_wrong};
}

void set_pin(KioskStore& store, PinRole role, std::string_view pin) {
  if (!is_acceptable_pin(pin)) {
    throw Error("set the " + std::string(pin_role_name(role)) + " PIN: " + kPinFormatRule);
  }
  // The new hash first, then the reset: a crash between them leaves the new PIN under the old
  // guard (at worst locked for a while), never the old PIN with its guard reset.
  store.set_setting(pin_hash_setting(role), hash_pin(pin));
  save_guard(store, role, PinGuardState{});
}

bool pin_is_set(const KioskStore& store, PinRole role) {
  return store.setting(pin_hash_setting(role)).has_value();
}

}  // namespace tt::kiosk
