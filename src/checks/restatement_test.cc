#include <gmock/gmock.h>

#include "checks/internal/test_warehouse.h"
#include "models/daily_revenue.h"

namespace daybook::checks_test {
namespace {

using ::testing::HasSubstr;

// Restatements produced by the model itself: day 2025-03-01 is published
// with net 1000.00 by run 1, then late events arrive in later runs.
class RestatementTest : public CheckTest {
 protected:
  void SetUp() override {
    CheckTest::SetUp();
    AddEvent("p1", "order_placed", "o1", "2025-03-01 10:00:00+00", 100000);
    AddEvent("q1", "order_placed", "q1", "2025-03-02 10:00:00+00", 100000);
    Refresh(1, "2025-03-04T00:00:00Z");
  }
  void Refresh(int64_t run_id, const std::string& now) {
    RevenueContext ctx{*tz_, 7 * 60, 35, "USD", T(now), run_id};
    auto u = RefreshDailyRevenue(*wh_, {D("2025-03-01"), D("2025-03-02")}, {{D("2025-03-01"), 1}}, ctx);
    ASSERT_TRUE(u.ok()) << u.status().message();
  }
  std::vector<CheckResult> Check(int64_t run_id, const std::string& now) {
    RunRecord run;
    run.run_id = run_id;
    run.status = "succeeded";
    return Of(Run(now, &run), "daily_revenue", "restatement_size");
  }
};

TEST_F(RestatementTest, RestatementUnderTheRatioPasses) {
  AddEvent("p2", "order_placed", "o2", "2025-03-01 11:00:00+00", 400, true, "", 2);  // +4.00 = 0.40%
  Refresh(2, "2025-03-05T00:00:00Z");
  auto rs = Check(2, "2025-03-05T00:00:00Z");
  EXPECT_EQ(Lines(rs), "restatement_size|daily_revenue|pass||1 days restated|<= 0.50%\n");
  EXPECT_EQ(rs[0].message, "run 2 restated net on 1 days, each within 0.50% of the published value");
}

TEST_F(RestatementTest, RestatementOverTheRatioWarnsNamingTheDayAndDelta) {
  AddEvent("p2", "order_placed", "o2", "2025-03-01 11:00:00+00", 1000, true, "", 2);  // +10.00 = 1%
  Refresh(2, "2025-03-05T00:00:00Z");
  auto rs = Check(2, "2025-03-05T00:00:00Z");
  EXPECT_EQ(Lines(rs), "restatement_size|daily_revenue|warn|2025-03-01|1.00%|<= 0.50%\n");
  EXPECT_EQ(rs[0].message,
            "run 2 restated 2025-03-01 (version 2) net from 1000.00 to 1010.00 (difference +10.00, 1.00% > 0.50%) "
            "with 1 late events; a published figure changed — tell its readers, see revenue_restatements");
}

TEST_F(RestatementTest, TheRatioComesFromQualityAndCanBeOverriddenPerCheck) {
  AddEvent("p2", "order_placed", "o2", "2025-03-01 11:00:00+00", 1000, true, "", 2);  // 1%
  Refresh(2, "2025-03-05T00:00:00Z");
  config_.restatement_alert_ratio = 0.02;
  EXPECT_EQ(Check(2, "2025-03-05T00:00:00Z")[0].status, CheckStatus::kPass);
  config_.models_yaml = "daily_revenue:\n  checks:\n    restatement_size: {max_ratio: 0.001, severity: error}\n";
  EXPECT_EQ(Lines(Check(2, "2025-03-05T00:00:00Z")), "restatement_size|daily_revenue|fail|2025-03-01|1.00%|<= 0.10%\n");
}

TEST_F(RestatementTest, OnlyTheRunsOwnRestatementsCount) {
  AddEvent("p2", "order_placed", "o2", "2025-03-01 11:00:00+00", 50000, true, "", 2);  // 50%, by run 2
  Refresh(2, "2025-03-05T00:00:00Z");
  EXPECT_EQ(Check(3, "2025-03-06T00:00:00Z")[0].status, CheckStatus::kPass);
  EXPECT_EQ(Check(3, "2025-03-06T00:00:00Z")[0].message, "run 3 restated no day's net");
}

TEST_F(RestatementTest, ARestatementFromZeroAlwaysExceedsTheRatio) {
  Sql("INSERT INTO revenue_restatements VALUES (DATE '2025-03-02', 2, 'net', 0, 5, 5, 4, 1, "
      "TIMESTAMPTZ '2025-03-06 00:00:00+00')");
  auto rs = Check(4, "2025-03-06T00:00:00Z");
  EXPECT_EQ(Lines(rs), "restatement_size|daily_revenue|warn|2025-03-02|from 0|<= 0.50%\n");
  EXPECT_THAT(rs[0].message, HasSubstr("net from 0.00 to 5.00 (difference +5.00, from zero > 0.50%)"));
}

}  // namespace
}  // namespace daybook::checks_test
