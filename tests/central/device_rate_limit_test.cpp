// The per-device token bucket (sync/central/device_rate_limit.h) on a clock the test sets.
#include "sync/central/device_rate_limit.h"

#include <gtest/gtest.h>

namespace tt::central {
namespace {

TEST(DeviceRateLimiter, ABurstThenTheRateWithRetryAfter) {
  DeviceRateLimiter limiter({60, 3});  // one a second on average, three at once
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.take("a", 1000)) << "request " << i;
  std::optional<std::int64_t> refused = limiter.take("a", 1000);
  ASSERT_TRUE(refused);
  EXPECT_EQ(*refused, 1);
  EXPECT_FALSE(limiter.take("b", 1000)) << "another device has its own bucket";
  EXPECT_FALSE(limiter.take("a", 1001)) << "one second refills one request";
  EXPECT_TRUE(limiter.take("a", 1001));
  EXPECT_FALSE(limiter.take("a", 1100)) << "after a long pause";
  EXPECT_FALSE(limiter.take("a", 1100));
  EXPECT_FALSE(limiter.take("a", 1100));
  EXPECT_TRUE(limiter.take("a", 1100)) << "the bucket holds no more than the burst";
}

TEST(DeviceRateLimiter, RetryAfterSaysWhenARequestWillPass) {
  DeviceRateLimiter limiter({6, 1});  // one every ten seconds
  EXPECT_FALSE(limiter.take("a", 0));
  EXPECT_EQ(limiter.take("a", 0), 10);
  EXPECT_EQ(limiter.take("a", 4), 6);
  EXPECT_FALSE(limiter.take("a", 10));
}

TEST(DeviceRateLimiter, AClockSteppingBackDrainsNothingAndZeroTurnsItOff) {
  DeviceRateLimiter limiter({60, 1});
  EXPECT_FALSE(limiter.take("a", 1000));
  EXPECT_TRUE(limiter.take("a", 900));
  EXPECT_FALSE(limiter.take("a", 1001));
  DeviceRateLimiter off({0, 1});
  for (int i = 0; i < 1000; ++i) ASSERT_FALSE(off.take("a", 0));
}

}  // namespace
}  // namespace tt::central
