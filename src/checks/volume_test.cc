#include <gmock/gmock.h>

#include "checks/internal/test_warehouse.h"

namespace daybook::checks_test {
namespace {

using ::testing::HasSubstr;

class VolumeTest : public CheckTest {};

RunRecord EmptyRun(int64_t id) {
  RunRecord r;
  r.run_id = id;
  r.status = "succeeded";
  r.finished_at = T("2025-03-01T08:00:00Z");
  return r;
}

TEST_F(VolumeTest, ZeroNewRowsFailsAndSaysTheSourceDeliveredNothing) {
  config_.min_rows_per_run = 1000;
  RunRecord run = EmptyRun(7);
  auto rs = Of(Run("2025-03-01T08:00:00Z", &run), "order_events", "volume");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(Line(rs[0]), "volume|order_events|fail||0|>= 1000");
  EXPECT_EQ(rs[0].message,
            "run 7 loaded 0 new events from source 'landing' (0 new files, 0 already loaded; 0 rows read, "
            "0 duplicates, 0 quarantined); expected at least 1000 (quality.min_rows_per_run) — no new input: the "
            "source delivered nothing");
}

TEST_F(VolumeTest, EmptyFileIsAnEmptyResponse) {
  RunRecord run = EmptyRun(3);
  run.files_loaded = 1;
  auto rs = Of(Run("2025-03-01T08:00:00Z", &run), "order_events", "volume");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].status, CheckStatus::kFail);
  EXPECT_THAT(rs[0].message, HasSubstr("expected at least 1 (quality.min_rows_per_run) — the source returned an "
                                       "empty response"));
}

TEST_F(VolumeTest, OnlyDuplicatesAreNoNewRows) {
  RunRecord run = EmptyRun(3);
  run.files_loaded = 1;
  run.rows_read = 50;
  run.duplicates = 50;
  auto rs = Of(Run("2025-03-01T08:00:00Z", &run), "order_events", "volume");
  EXPECT_EQ(rs[0].status, CheckStatus::kFail);
  EXPECT_THAT(rs[0].message, HasSubstr("run 3 loaded 0 new events from source 'landing' (1 new file, 0 already "
                                       "loaded; 50 rows read, 50 duplicates, 0 quarantined)"));
}

TEST_F(VolumeTest, EnoughNewRowsPass) {
  RunRecord run = EmptyRun(3);
  run.rows_read = run.accepted = 5;
  auto rs = Of(Run("2025-03-01T08:00:00Z", &run), "order_events", "volume");
  EXPECT_EQ(Line(rs[0]), "volume|order_events|pass||5|>= 1");
}

TEST_F(VolumeTest, AFailedRunCommittedNothing) {
  RunRecord run = EmptyRun(4);
  run.status = "failed";
  run.rows_read = run.accepted = 500;
  run.error = "drop rate 0.2 exceeds max_drop_rate 0.01";
  auto rs = Of(Run("2025-03-01T08:00:00Z", &run), "order_events", "volume");
  EXPECT_EQ(Line(rs[0]), "volume|order_events|fail||0|>= 1");
  EXPECT_THAT(rs[0].message,
              HasSubstr("run 4 committed 0 new events from source 'landing': the run failed (drop rate"));
}

TEST_F(VolumeTest, CheckAloneLooksAtTheLatestRecordedRun) {
  AddRun(1, "2025-03-01 07:00:00+00", 10);
  AddRun(2, "2025-03-01 08:00:00+00", 0);
  auto rs = Of(Run("2025-03-01T09:00:00Z"), "order_events", "volume");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(Line(rs[0]), "volume|order_events|fail||0|>= 1");
  EXPECT_THAT(rs[0].message, HasSubstr("run 2 loaded 0 new events"));
}

TEST_F(VolumeTest, ZeroMinimumDisablesThePerRunVolume) {
  config_.min_rows_per_run = 0;
  RunRecord run = EmptyRun(3);
  EXPECT_EQ(Of(Run("2025-03-01T08:00:00Z", &run), "order_events", "volume")[0].status, CheckStatus::kPass);
}

// Wednesdays 2025-02-05, 12, 19, 26 had 100, 110, 90, 100 orders; 2025-03-05
// has 40: below 50% of the median 100.
TEST_F(VolumeTest, ClosedDayBelowHalfTheSameWeekdayMedianWarns) {
  for (int32_t d = D("2025-02-03"); d <= D("2025-03-06"); ++d) AddDay(FormatDate(d), 100, 100000);
  Sql("UPDATE daily_revenue SET orders = 110 WHERE business_date = DATE '2025-02-12'");
  Sql("UPDATE daily_revenue SET orders = 90 WHERE business_date = DATE '2025-02-19'");
  Sql("UPDATE daily_revenue SET orders = 40 WHERE business_date = DATE '2025-03-05'");
  auto rs = Of(Run("2025-03-07T08:00:00Z"), "daily_revenue", "volume");
  EXPECT_EQ(Lines(rs), "volume|daily_revenue|warn|2025-03-05|40|>= 50\n");
  EXPECT_EQ(rs[0].message,
            "closed day 2025-03-05 (Wednesday) has 40 orders, below its expected minimum 50 (50% of the median 100 "
            "orders of the previous 4 Wednesdays); check that every source delivered that day's events");
}

TEST_F(VolumeTest, ClosedDayWithoutAnyEventCountsAsZeroOrders) {
  for (int32_t d = D("2025-02-03"); d <= D("2025-03-06"); ++d) {
    if (d != D("2025-03-04")) AddDay(FormatDate(d), 100, 100000);
  }
  auto rs = Of(Run("2025-03-07T08:00:00Z"), "daily_revenue", "volume");
  EXPECT_EQ(Lines(rs), "volume|daily_revenue|warn|2025-03-04|0|>= 50\n");
}

TEST_F(VolumeTest, DerivedMinimumNeedsTwoWeeksOfHistory) {
  // Only one previous Wednesday: nothing is judged, even a day with 1 order.
  for (int32_t d = D("2025-02-26"); d <= D("2025-03-06"); ++d) AddDay(FormatDate(d), 100, 100000);
  Sql("UPDATE daily_revenue SET orders = 1 WHERE business_date = DATE '2025-03-05'");
  auto rs = Of(Run("2025-03-07T08:00:00Z"), "daily_revenue", "volume");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].status, CheckStatus::kPass);
  EXPECT_THAT(rs[0].message, HasSubstr("without enough same-weekday history"));
  // A second Wednesday of history makes it judged.
  AddDay("2025-02-19", 100, 100000);
  rs = Of(Run("2025-03-07T08:00:00Z"), "daily_revenue", "volume");
  EXPECT_EQ(Lines(rs), "volume|daily_revenue|warn|2025-03-05|1|>= 50\n");
}

TEST_F(VolumeTest, ConfiguredMinimumAppliesToEveryClosedDay) {
  config_.models_yaml = "daily_revenue:\n  checks:\n    volume: {min_orders: 150, severity: error}\n";
  AddDay("2025-03-05", 200, 100000);
  AddDay("2025-03-06", 120, 100000);
  AddDay("2025-03-07", 10, 100000);  // not closed yet at now: not judged
  auto rs = Of(Run("2025-03-08T06:00:00Z"), "daily_revenue", "volume");
  EXPECT_EQ(Lines(rs), "volume|daily_revenue|fail|2025-03-06|120|>= 150\n");
}

}  // namespace
}  // namespace daybook::checks_test

namespace daybook::checks_test {
namespace {

class ConflictsTest : public CheckTest {};

TEST_F(ConflictsTest, ConflictingRedeliveryWarnsWithTheIdAndWhere) {
  ASSERT_TRUE(wh_->Exec("INSERT INTO quarantine VALUES (7, 'landing', 'f.jsonl', 12, 'f.jsonl:12', "
                        "'DUPLICATE_CONFLICT', 'different content', 'evt-1', '{}', NULL, 2, now(), 'pending', NULL)").ok());
  RunRecord run = EmptyRun(7);
  run.status = "succeeded";
  run.quarantined_by_reason["DUPLICATE_CONFLICT"] = 1;
  auto rs = Of(Run("2025-03-01T08:00:00Z", &run), "order_events", "duplicate_conflicts");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(Line(rs[0]), "duplicate_conflicts|order_events|warn||1|0");
  EXPECT_THAT(rs[0].message, ::testing::HasSubstr("evt-1 at f.jsonl:12"));
}

TEST_F(ConflictsTest, NoConflictPasses) {
  RunRecord run = EmptyRun(7);
  auto rs = Of(Run("2025-03-01T08:00:00Z", &run), "order_events", "duplicate_conflicts");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].status, CheckStatus::kPass);
}

}  // namespace
}  // namespace daybook::checks_test
