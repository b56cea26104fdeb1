#pragma once
// A per-device request rate limit: a token bucket for each device that has signed a request.
// A device may send `burst` requests at once, then `requests_per_minute` on average; beyond
// that its requests are refused with 429 and Retry-After, with nothing stored. The defaults let
// a kiosk drain 10,000 waiting responses in batches of 100 at full speed, retries included (a
// burst of 300 requests), while a runaway kiosk is held to 20 requests a second.
//
// Buckets live in memory, one per device seen since the server started (bounded by the fleet),
// and are per server process: several servers on one PostgreSQL each keep their own.
// Safe to call from several threads at once.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tt::central {

struct RateLimitSettings {
  std::int64_t requests_per_minute = 1200;  // 0: no limit
  std::int64_t burst = 300;
};

class DeviceRateLimiter {
 public:
  explicit DeviceRateLimiter(RateLimitSettings settings) : settings_(settings) {}

  // Takes one request from the device's bucket at `now` (Unix seconds). nullopt: allowed;
  // otherwise refused, and the whole seconds until a request would be allowed again (≥ 1).
  std::optional<std::int64_t> take(std::string_view device_id, std::int64_t now);

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t updated_at = 0;
  };
  RateLimitSettings settings_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace tt::central
