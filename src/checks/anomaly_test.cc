#include <gmock/gmock.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "checks/internal/robust_stats.h"
#include "checks/internal/test_warehouse.h"

namespace daybook::checks_test {
namespace {

using ::testing::HasSubstr;

// Synthetic daily net: weekly seasonality, a gentle upward trend and
// Gaussian noise (sigma 8 %) from a seeded PRNG; optionally one day cut to
// 30 %. Values in cents.
std::vector<int64_t> SyntheticNet(uint64_t seed, int days, int cut_index) {
  static const double kWeekday[] = {0.85, 0.90, 0.95, 1.00, 1.15, 1.35, 1.25};  // Monday first
  std::mt19937_64 rng(seed);
  auto uniform = [&] { return (static_cast<double>(rng() >> 11) + 0.5) / 9007199254740992.0; };
  std::vector<int64_t> out;
  for (int i = 0; i < days; ++i) {
    double gauss = std::sqrt(-2 * std::log(uniform())) * std::cos(2 * M_PI * uniform());  // Box-Muller
    double v = 1000000.0 * kWeekday[i % 7] * (1 + 0.002 * i) * (1 + 0.08 * gauss);
    if (i == cut_index) v *= 0.3;
    out.push_back(std::llround(v));
  }
  return out;
}

class AnomalyTest : public CheckTest {
 protected:
  static constexpr const char* kStart = "2025-01-06";  // a Monday
  static constexpr int kDays = 90;

  // Loads a series starting at kStart and runs the checks after its last
  // day closed, over all its days (as a rebuild would).
  std::vector<CheckResult> Check(const std::vector<int64_t>& net) {
    Sql("DELETE FROM daily_revenue");
    std::string values;
    for (size_t i = 0; i < net.size(); ++i) {
      values += std::string(i ? "," : "") + "(DATE '" + FormatDate(D(kStart) + static_cast<int32_t>(i)) +
                "', 100, 0, 0, 100, " + std::to_string(net[i]) + "/100, 0, 0, " + std::to_string(net[i]) +
                "/100, 'USD', 1, NULL, TIMESTAMPTZ '2025-01-01 00:00:00+00', 1)";
    }
    Sql("INSERT INTO daily_revenue VALUES " + values);
    std::vector<int32_t> all;
    for (int i = 0; i < static_cast<int>(net.size()); ++i) all.push_back(D(kStart) + i);
    std::string now = FormatDate(D(kStart) + static_cast<int32_t>(net.size())) + "T08:00:00Z";
    return Of(Run(now, nullptr, all), "daily_revenue", "anomaly");
  }
  static std::vector<int32_t> Flagged(const std::vector<CheckResult>& rs) {
    std::vector<int32_t> out;
    for (const auto& r : rs) {
      if (r.status != CheckStatus::kPass) out.push_back(*r.business_date);
    }
    return out;
  }
};

TEST_F(AnomalyTest, DayCutTo30PercentIsFlaggedAndNoOther) {
  const int cut = 61;
  auto rs = Check(SyntheticNet(1, kDays, cut));
  ASSERT_EQ(Flagged(rs), std::vector<int32_t>{D(kStart) + cut});
  EXPECT_EQ(rs[0].status, CheckStatus::kWarn);
  EXPECT_EQ(FormatDate(*rs[0].business_date), "2025-03-08");
  EXPECT_THAT(rs[0].message, HasSubstr("on 2025-03-08 (Saturday) is"));
  EXPECT_THAT(rs[0].message, HasSubstr("below the median"));
  EXPECT_THAT(rs[0].message, HasSubstr("of the previous 6 Saturdays (robust z"));
}

TEST_F(AnomalyTest, SeriesWithoutACutIsQuiet) {
  auto rs = Check(SyntheticNet(2, kDays, -1));
  EXPECT_EQ(Lines(rs), "anomaly|daily_revenue|pass||62 days|robust z <= 4\n");
  EXPECT_EQ(rs[0].message,
            "62 closed days in 2025-01-06..2025-04-05 have robust z <= 4 against their weekday history "
            "(28 without enough history)");
}

// The false-positive measurement reported in runner.h, through the whole
// check on a warehouse: over 30 seeds, with the cut on a different day each
// time, the cut day is always flagged and no other day ever is.
TEST_F(AnomalyTest, FalsePositiveRateOverThirtySeedsIsZero) {
  const int kSeeds = 30;
  int cut_found = 0, false_positives = 0, evaluated_others = 0;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    const int cut = 40 + (seed * 7 + seed / 7) % 50;  // days 40..89, every weekday
    auto flagged = Flagged(Check(SyntheticNet(static_cast<uint64_t>(seed), kDays, cut)));
    for (int32_t d : flagged) {
      if (d == D(kStart) + cut) {
        ++cut_found;
      } else {
        ++false_positives;
        ADD_FAILURE() << "seed " << seed << ": " << FormatDate(d) << " flagged (cut " << cut << ")";
      }
    }
    evaluated_others += kDays - 28 - 1;  // days with >= 4 same-weekday points, minus the cut day
  }
  std::printf("anomaly: cut day flagged in %d of %d seeds; %d false positives in %d other evaluated days\n",
              cut_found, kSeeds, false_positives, evaluated_others);
  EXPECT_EQ(cut_found, kSeeds);
  EXPECT_EQ(false_positives, 0);
}

TEST_F(AnomalyTest, ConstantHistoryUsesTheRelativeFloor) {
  // MAD = 0: sigma falls back to min_rel_spread (12 %) of the median, so
  // 40 % off passes (z 3.3) and 60 % off (z 5) is flagged.
  std::vector<int64_t> net(42, 100000);
  net[35] = 60000;
  net[41] = 40000;
  auto flagged = Flagged(Check(net));
  EXPECT_EQ(flagged, std::vector<int32_t>{D(kStart) + 41});
}

TEST_F(AnomalyTest, MissingClosedDayIsAnAnomaly) {
  std::vector<int64_t> net(42, 100000);
  Check(net);
  Sql("DELETE FROM daily_revenue WHERE business_date = DATE '2025-02-14'");
  auto rs = Of(Run("2025-02-17T08:00:00Z"), "daily_revenue", "anomaly");
  EXPECT_EQ(Lines(rs), "anomaly|daily_revenue|warn|2025-02-14|0.00|robust z <= 4 (median 1000.00)\n");
}

TEST(RobustStats, MedianAndMad) {
  using namespace checks_internal;
  EXPECT_EQ(Median({3, 1, 2}), 2);
  EXPECT_EQ(Median({4, 1, 2, 3}), 2.5);
  EXPECT_EQ(Mad({1, 1, 2, 2, 4, 6, 9}), 1);
}

TEST(RobustStats, ScoreUsesTheSameWeekdayMedianAndThePooledNoise) {
  using namespace checks_internal;
  // Four weeks alternating 90 / 110 on every weekday: each weekday's
  // median is 100 and every relative residual is +-10 %, so the pooled
  // spread is 1.4826 * 0.1 and day 28 at 40 scores 60 / 14.826.
  auto value = [](int32_t d) { return d == 28 ? 40.0 : ((d / 7) % 2 ? 110.0 : 90.0); };
  DayScore s = ScoreDay(value, 28, 0, 4, 4, 0.0, 1.0);
  ASSERT_TRUE(s.evaluated);
  EXPECT_EQ(s.points, 4u);
  EXPECT_EQ(s.median, 100);
  EXPECT_NEAR(s.spread, 0.14826, 1e-12);
  EXPECT_NEAR(s.z, 60 / 14.826, 1e-9);
  // The relative floor wins over a smaller spread.
  EXPECT_NEAR(ScoreDay(value, 28, 0, 4, 4, 0.2, 1.0).z, 3.0, 1e-12);
}

TEST(RobustStats, ConstantZeroHistoryKeepsTheScoreFinite) {
  using namespace checks_internal;
  auto value = [](int32_t d) { return d == 42 ? 3.0 : 0.0; };
  DayScore s = ScoreDay(value, 42, 0, 6, 4, 0.12, 1.0);
  EXPECT_EQ(s.sigma, 1.0);  // MAD 0, median 0: one minor unit
  EXPECT_EQ(s.z, 3.0);
  EXPECT_FALSE(ScoreDay(value, 20, 0, 6, 4, 0.12, 1.0).evaluated);  // 2 same-weekday points < 4
}

// The large-sample figures quoted in runner.h, on the statistics alone
// (no warehouse): 2,000 seeds of the same synthetic series.
TEST(RobustStats, FalsePositiveRateOnTwoThousandSeeds) {
  using namespace checks_internal;
  const int kSeeds = 2000;
  int cut_found = 0, false_positives = 0, evaluated = 0;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    const int cut = 40 + (seed * 7 + seed / 7) % 50;
    std::vector<int64_t> net = SyntheticNet(static_cast<uint64_t>(seed), 90, cut);
    auto value = [&](int32_t d) { return static_cast<double>(net[d]); };
    for (int32_t d = 0; d < 90; ++d) {
      DayScore s = ScoreDay(value, d, 0, 6, 4, 0.12, 1.0);
      if (!s.evaluated) continue;
      if (d == cut) {
        cut_found += s.z > 4;
      } else {
        ++evaluated;
        false_positives += s.z > 4;
      }
    }
  }
  std::printf("anomaly statistics: cut day flagged in %d of %d series; %d false positives in %d other days\n",
              cut_found, kSeeds, false_positives, evaluated);
  EXPECT_GE(cut_found, kSeeds * 999 / 1000);
  EXPECT_LE(false_positives, evaluated / 10000);
}

}  // namespace
}  // namespace daybook::checks_test
