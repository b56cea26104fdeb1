// The retry policy's pure parts: the delay function and the throttled failure log.
#include "sync/uploader/backoff.h"

#include <gtest/gtest.h>

namespace tt::sync {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, TheCeilingDoublesFromTheBaseUpToTheCap) {
  BackoffPolicy policy{milliseconds(2'000), milliseconds(900'000)};
  EXPECT_EQ(backoff_ceiling(0, policy), milliseconds(0));
  EXPECT_EQ(backoff_ceiling(1, policy), milliseconds(2'000));
  EXPECT_EQ(backoff_ceiling(2, policy), milliseconds(4'000));
  EXPECT_EQ(backoff_ceiling(3, policy), milliseconds(8'000));
  EXPECT_EQ(backoff_ceiling(9, policy), milliseconds(512'000));
  EXPECT_EQ(backoff_ceiling(10, policy), milliseconds(900'000)) << "1024 s is over the 15-minute cap";
  EXPECT_EQ(backoff_ceiling(1'000'000, policy), milliseconds(900'000)) << "weeks of failures do not overflow";
}

TEST(BackoffTest, FullJitterSpansTheWholeWindow) {
  BackoffPolicy policy;  // 2 s, 15 min
  EXPECT_EQ(backoff_delay(3, 0.0, policy), milliseconds(0));
  EXPECT_EQ(backoff_delay(3, 0.5, policy), milliseconds(4'000));
  EXPECT_EQ(backoff_delay(3, 0.999999, policy), milliseconds(7'999));
  // Out-of-range draws are clamped into [0, ceiling).
  EXPECT_EQ(backoff_delay(3, -1.0, policy), milliseconds(0));
  EXPECT_EQ(backoff_delay(3, 1.0, policy), milliseconds(7'999));
  EXPECT_EQ(backoff_delay(3, 7.0, policy), milliseconds(7'999));
}

TEST(BackoffTest, DrawsStayInRangeAndGrowWithFailures) {
  UnitRandom random = default_unit_random();
  BackoffPolicy policy;
  for (int failures = 1; failures <= 20; ++failures) {
    milliseconds ceiling = backoff_ceiling(failures, policy);
    milliseconds low = ceiling;
    milliseconds high(0);
    for (int i = 0; i < 200; ++i) {
      milliseconds d = backoff_delay(failures, random(), policy);
      ASSERT_GE(d.count(), 0);
      ASSERT_LT(d, ceiling) << failures;
      low = std::min(low, d);
      high = std::max(high, d);
    }
    // 200 uniform draws cover most of the window (the chance of failing this is ~1e-17).
    EXPECT_LT(low, ceiling / 5) << failures;
    EXPECT_GT(high, ceiling * 4 / 5) << failures;
  }
}

TEST(FailureLogTest, LogsTheFirstFailureThenSilenceThenTheRecovery) {
  FailureLog log;
  EXPECT_EQ(log.on_success(), std::nullopt) << "nothing to recover from";
  EXPECT_EQ(log.on_failure("could not connect", milliseconds(1'500)),
            "upload failed: could not connect; retrying in 2 s");
  EXPECT_EQ(log.on_failure("could not connect", milliseconds(3'000)), std::nullopt);
  EXPECT_EQ(log.on_failure("timed out", milliseconds(7'000)), std::nullopt);
  EXPECT_EQ(log.failures_in_a_row(), 3);
  EXPECT_EQ(log.on_success(), "upload recovered after 3 failures");
  EXPECT_EQ(log.on_success(), std::nullopt);
  EXPECT_EQ(log.on_failure("x", milliseconds(0)), "upload failed: x; retrying in 0 s");
  EXPECT_EQ(log.on_success(), "upload recovered after 1 failure");
}

}  // namespace
}  // namespace tt::sync
