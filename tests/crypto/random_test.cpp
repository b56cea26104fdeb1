#include "shared/crypto/random.h"

#include <gtest/gtest.h>

#include <set>

namespace tt::crypto {
namespace {

TEST(Random, BytesHaveTheRequestedSizeAndDiffer) {
  Bytes a = random_bytes(32);
  Bytes b = random_bytes(32);
  ASSERT_EQ(a.size(), 32u);
  ASSERT_EQ(b.size(), 32u);
  EXPECT_NE(a, b);  // a collision has probability 2^-256
  EXPECT_NE(a, Bytes(32, 0));
  EXPECT_TRUE(random_bytes(0).empty());
}

TEST(Random, FillOverwritesTheWholeSpan) {
  Bytes buffer(64, 0);
  random_fill(buffer);
  // All-zero halves would mean part of the span was skipped (probability 2^-256 each).
  EXPECT_NE(Bytes(buffer.begin(), buffer.begin() + 32), Bytes(32, 0));
  EXPECT_NE(Bytes(buffer.begin() + 32, buffer.end()), Bytes(32, 0));
}

TEST(Random, Id128IsThirtyTwoLowerCaseHexDigits) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string id = random_id128();
    ASSERT_EQ(id.size(), 32u) << id;
    for (char c : id) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 100u);
}

}  // namespace
}  // namespace tt::crypto
