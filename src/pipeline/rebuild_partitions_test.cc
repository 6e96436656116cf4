#include <gtest/gtest.h>

#include "pipeline/run.h"

namespace daybook {
namespace {

// 2^k partitions, k the smallest with at most partition_events events per
// partition on average.
TEST(RebuildPartitionBits, TheFewestPartitionsThatHoldAtMostTheAskedEventsEach) {
  EXPECT_EQ(RebuildPartitionBits(0, 1000000), 0);
  EXPECT_EQ(RebuildPartitionBits(1000000, 1000000), 0);
  EXPECT_EQ(RebuildPartitionBits(1000001, 1000000), 1);
  EXPECT_EQ(RebuildPartitionBits(2000000, 1000000), 1);
  EXPECT_EQ(RebuildPartitionBits(2000002, 1000000), 2);
  EXPECT_EQ(RebuildPartitionBits(10000000, 1000000), 4);   // 16 partitions of 625K
  EXPECT_EQ(RebuildPartitionBits(50000000, 1000000), 6);   // 64 of 781K
  EXPECT_EQ(RebuildPartitionBits(7, 1), 3);
}

TEST(RebuildPartitionBits, AtMostTwoToTheSixteenPartitions) {
  EXPECT_EQ(RebuildPartitionBits(int64_t{1} << 40, 1), kMaxRebuildPartitionBits);
  EXPECT_EQ(RebuildPartitionBits(100, 0), 7);  // a partition size below 1 counts as 1
}

}  // namespace
}  // namespace daybook
