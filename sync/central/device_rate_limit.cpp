#include "sync/central/device_rate_limit.h"

#include <algorithm>
#include <cmath>

namespace tt::central {

std::optional<std::int64_t> DeviceRateLimiter::take(std::string_view device_id, std::int64_t now) {
  if (settings_.requests_per_minute <= 0) return std::nullopt;
  const double per_second = static_cast<double>(settings_.requests_per_minute) / 60.0;
  const auto capacity = static_cast<double>(std::max<std::int64_t>(settings_.burst, 1));
  std::lock_guard lock(mutex_);
  auto [it, added] = buckets_.try_emplace(std::string(device_id), Bucket{capacity, now});
  Bucket& bucket = it->second;
  // A clock that steps back refills nothing rather than draining the bucket.
  if (now > bucket.updated_at) {
    bucket.tokens = std::min(capacity, bucket.tokens + static_cast<double>(now - bucket.updated_at) * per_second);
    bucket.updated_at = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return std::nullopt;
  }
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil((1.0 - bucket.tokens) / per_second)));
}

}  // namespace tt::central
