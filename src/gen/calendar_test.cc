#include "gen/internal/calendar.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace daybook::gen {
namespace {

constexpr int64_t kHour = 3600 * kMicrosPerSecond;

TimeZone Zone(const std::string& name) {
  Result<TimeZone> tz = TimeZone::Load(name);
  EXPECT_TRUE(tz.ok()) << tz.status().ToString();
  return *tz;
}

TEST(SlotCalendar, PlainDayHasTwentyFourHourSlotsFromLocalMidnight) {
  TimeZone tz = Zone("Asia/Tokyo");
  int32_t day = *ParseDate("2025-01-06");
  SlotCalendar cal(tz, day, 1, 0);
  ASSERT_EQ(cal.num_slots(), 24);
  EXPECT_EQ(cal.Start(0), day * kMicrosPerDay - 9 * kHour);  // 00:00+09:00
  for (int h = 0; h < 24; ++h) EXPECT_EQ(cal.Length(h), kHour) << h;
}

TEST(SlotCalendar, SpringForwardHourIsEmpty) {
  TimeZone tz = Zone("America/New_York");
  SlotCalendar cal(tz, *ParseDate("2025-03-09"), 1, 0);
  EXPECT_EQ(cal.Length(1), kHour);
  EXPECT_EQ(cal.Length(2), 0);  // 02:00-03:00 does not exist
  EXPECT_EQ(cal.Length(3), kHour);
  EXPECT_EQ(cal.Start(24) - cal.Start(0), 23 * kHour);
}

TEST(SlotCalendar, FallBackHourIsTwoHoursLong) {
  TimeZone tz = Zone("America/New_York");
  SlotCalendar cal(tz, *ParseDate("2025-11-02"), 1, 0);
  EXPECT_EQ(cal.Length(1), 2 * kHour);  // 01:00-02:00 happens twice
  EXPECT_EQ(cal.Start(24) - cal.Start(0), 25 * kHour);
}

TEST(SlotCalendar, SlotOfFindsTheSlotHoldingAnInstant) {
  TimeZone tz = Zone("Europe/Berlin");
  SlotCalendar cal(tz, *ParseDate("2025-03-29"), 3, 0);  // spans a DST change
  for (int s = 0; s < cal.num_slots(); ++s) {
    if (cal.Length(s) == 0) continue;
    EXPECT_EQ(cal.SlotOf(cal.Start(s)), s);
    EXPECT_EQ(cal.SlotOf(cal.Start(s) + cal.Length(s) - 1), s);
  }
  EXPECT_EQ(cal.SlotOf(cal.Start(0) - 1), -1);
  EXPECT_EQ(cal.SlotOf(cal.Start(cal.num_slots())), -1);
}

TEST(Seasonality, DailyCountsAddUpToTheOrders) {
  Rng rng(1, 1);
  std::vector<int64_t> days = OrdersPerDay(100003, *ParseDate("2025-01-06"), 31, rng);
  EXPECT_EQ(std::accumulate(days.begin(), days.end(), int64_t{0}), 100003);
  // 2025-01-11 is a Saturday, 2025-01-08 a Wednesday.
  EXPECT_GT(days[5], days[2]);
}

TEST(Seasonality, HourlyCountsAddUpAndSkipEmptyHours) {
  int64_t lengths[24], out[24];
  std::fill(lengths, lengths + 24, kHour);
  lengths[2] = 0;
  SplitOverHours(10007, lengths, out);
  EXPECT_EQ(std::accumulate(out, out + 24, int64_t{0}), 10007);
  EXPECT_EQ(out[2], 0);
  EXPECT_GT(out[20], 5 * out[4]);  // evening peak, quiet night
}

TEST(Rng, SameSeedAndStreamRepeat) {
  Rng a(42, 7), b(42, 7), c(42, 8);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    differs |= x != c.Next();
  }
  EXPECT_TRUE(differs);
}

TEST(Rng, BelowAndBetweenStayInRange) {
  Rng rng(3, 3);
  for (int i = 0; i < 10000; ++i) {
    EXPECT_LT(rng.Below(7), 7u);
    int64_t v = rng.Between(-3, 3);
    EXPECT_GE(v, -3);
    EXPECT_LE(v, 3);
  }
}

TEST(Rng, DetExpMatchesExp) {
  for (double x = -20; x <= 20; x += 0.37) {
    EXPECT_NEAR(DetExp(x) / std::exp(x), 1.0, 1e-14) << x;
  }
}

}  // namespace
}  // namespace daybook::gen
