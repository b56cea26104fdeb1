#pragma once
// The retry policy of the sync loop: capped exponential backoff with full jitter, and the
// throttled log that goes with it.
//
//   delay(n) = uniform(0, min(cap, base · 2^(n−1)))   for the n-th failure in a row (n ≥ 1)
//
// Full jitter (a uniform draw over the whole window, not around its end) spreads a school's
// tablets apart when the Wi-Fi comes back for all of them at once. The function is pure: the
// random draw is passed in, so tests can pin it.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace tt::sync {

struct BackoffPolicy {
  std::chrono::milliseconds base{2'000};
  std::chrono::milliseconds cap{15 * 60 * 1'000};
};

// The longest the n-th failure in a row may wait: min(cap, base · 2^(n−1)); 0 for n ≤ 0.
std::chrono::milliseconds backoff_ceiling(int failures, const BackoffPolicy& policy = {});
// The delay after the n-th failure in a row, for a draw `unit` in [0, 1) (values outside are
// clamped): floor(unit · ceiling), so always in [0, ceiling).
std::chrono::milliseconds backoff_delay(int failures, double unit, const BackoffPolicy& policy = {});
// The same, drawing `unit` from `random` (default: a std::mt19937_64 seeded from random_device).
using UnitRandom = std::function<double()>;
UnitRandom default_unit_random();

// Counts failures in a row and says what to log: the FIRST failure only
// ("upload failed: <why>; retrying in N s"), then nothing, then one
// "upload recovered after N failures" on the next success.
class FailureLog {
 public:
  // The line to log for this failure, or nullopt (not the first in a row).
  std::optional<std::string> on_failure(const std::string& why, std::chrono::milliseconds retry_in);
  // The line to log for this success, or nullopt (there was nothing to recover from).
  std::optional<std::string> on_success();
  int failures_in_a_row() const { return failures_; }

 private:
  int failures_ = 0;
};

}  // namespace tt::sync
