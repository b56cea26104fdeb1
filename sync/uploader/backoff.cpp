#include "sync/uploader/backoff.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

namespace tt::sync {

std::chrono::milliseconds backoff_ceiling(int failures, const BackoffPolicy& policy) {
  if (failures <= 0) return std::chrono::milliseconds(0);
  // Doubling stops at the cap, so a tablet left in a drawer for weeks cannot overflow it.
  std::int64_t ceiling = policy.base.count();
  for (int i = 1; i < failures && ceiling < policy.cap.count(); ++i) ceiling *= 2;
  return std::chrono::milliseconds(std::min<std::int64_t>(ceiling, policy.cap.count()));
}

std::chrono::milliseconds backoff_delay(int failures, double unit, const BackoffPolicy& policy) {
  if (!(unit >= 0.0)) unit = 0.0;  // also NaN
  if (unit >= 1.0) unit = std::nextafter(1.0, 0.0);
  double ceiling = static_cast<double>(backoff_ceiling(failures, policy).count());
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::floor(unit * ceiling)));
}

UnitRandom default_unit_random() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

std::optional<std::string> FailureLog::on_failure(const std::string& why, std::chrono::milliseconds retry_in) {
  ++failures_;
  if (failures_ > 1) return std::nullopt;
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(retry_in + std::chrono::milliseconds(999)).count();
  return std::string("upload failed: ") + why + "; retrying in " + std::to_string(seconds) + " s";
}

std::optional<std::string> FailureLog::on_success() {
  if (failures_ == 0) return std::nullopt;
  int n = failures_;
  failures_ = 0;
  return std::string("upload recovered after ") + std::to_string(n) + (n == 1 ? " failure" : " failures");
}

}  // namespace tt::sync
