#include <gmock/gmock.h>

#include "checks/internal/test_warehouse.h"

namespace daybook::checks_test {
namespace {

using ::testing::HasSubstr;

class FreshnessTest : public CheckTest {
 protected:
  std::vector<CheckResult> Events(const std::string& now) { return Of(Run(now), "order_events", "freshness"); }
  std::vector<CheckResult> Daily(const std::string& now) { return Of(Run(now), "daily_revenue", "freshness"); }
};

TEST_F(FreshnessTest, NewestEventAgeIsMetAtRiskOrMissed) {
  AddRun(1, "2025-03-01 12:30:00+00", 1);
  AddEvent("e1", "order_placed", "o1", "2025-03-01 12:00:00+00", 1000);
  auto met = Events("2025-03-01T14:00:00Z");
  EXPECT_EQ(Lines(met), "freshness|order_events|pass||met|newest event within 1d\n");
  EXPECT_EQ(met[0].message,
            "the newest event occurred at 2025-03-01T12:00:00Z, 2h before now (limit 1d); last load "
            "2025-03-01T12:30:00Z");
  auto at_risk = Events("2025-03-02T11:30:00Z");  // 23h30m old: within an hour of the limit
  EXPECT_EQ(Lines(at_risk), "freshness|order_events|warn||at risk|newest event within 1d\n");
  EXPECT_THAT(at_risk[0].message, HasSubstr("the limit is reached in 30m"));
  auto missed = Events("2025-03-02T13:00:00Z");
  EXPECT_EQ(Lines(missed), "freshness|order_events|warn||missed|newest event within 1d\n");
  EXPECT_THAT(missed[0].message, HasSubstr("1d 1h before now (limit 1d)"));
}

// The newest event is looked for on the newest business dates only: an
// event whose local date is behind a later one's (here a day behind the
// newest date, as when the clocks go back across midnight) still counts,
// and older days do not hide it.
TEST_F(FreshnessTest, TheNewestEventIsFoundWhateverItsBusinessDate) {
  AddEvent("old", "order_placed", "o0", "2025-02-20 09:00:00+00", 1000);
  AddEvent("e1", "order_placed", "o1", "2025-03-02 10:00:00+00", 1000);
  AddEvent("e2", "order_placed", "o2", "2025-03-02 13:00:00+00", 1000);
  Sql("UPDATE order_events SET business_date = DATE '2025-03-01' WHERE event_id = 'e2'");
  auto rs = Events("2025-03-02T14:00:00Z");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_THAT(rs[0].message, HasSubstr("the newest event occurred at 2025-03-02T13:00:00Z, 1h before now"));
  // Outside the window: the whole table is looked at.
  Sql("DELETE FROM order_events WHERE event_id <> 'old'");
  rs = Events("2025-06-01T00:00:00Z");
  EXPECT_THAT(rs[0].message, HasSubstr("the newest event occurred at 2025-02-20T09:00:00Z"));
}

TEST_F(FreshnessTest, MissedIsAFailureWhenTheCheckIsAnError) {
  config_.models_yaml = "order_events:\n  checks:\n    freshness: {severity: error, max_age: 2h}\n";
  AddEvent("e1", "order_placed", "o1", "2025-03-01 12:00:00+00", 1000);
  EXPECT_EQ(Lines(Events("2025-03-01T13:30:00Z")), "freshness|order_events|warn||at risk|newest event within 2h\n");
  EXPECT_EQ(Lines(Events("2025-03-01T14:30:00Z")), "freshness|order_events|fail||missed|newest event within 2h\n");
}

TEST_F(FreshnessTest, EmptyWarehouseMissesFreshness) {
  auto rs = Events("2025-03-01T14:00:00Z");
  EXPECT_EQ(rs[0].observed, "missed");
  EXPECT_EQ(rs[0].message, "order_events is empty: no events have been loaded; no run has loaded events yet");
}

// Day 2025-03-01 closes 2025-03-02T07:00Z (UTC, daily_close 07:00).
TEST_F(FreshnessTest, ClosedDayLoadedBeforeItsCloseMetTheSla) {
  AddRun(1, "2025-03-02 06:10:00+00", 2);
  AddEvent("e1", "order_placed", "o1", "2025-03-01 12:00:00+00", 1000);
  AddEvent("e2", "order_placed", "o2", "2025-03-01 23:50:00+00", 1000);
  auto rs = Daily("2025-03-02T08:00:00Z");
  EXPECT_EQ(Lines(rs), "freshness|daily_revenue|pass|2025-03-01|met|final by 2025-03-02T07:00:00Z\n");
  EXPECT_EQ(rs[0].message,
            "day 2025-03-01 was final by its close 2025-03-02T07:00:00Z: its last events were loaded "
            "2025-03-02T06:10:00Z (50m before close); not published yet (no run since its close)");
}

TEST_F(FreshnessTest, ClosedDayWithEventsLoadedAfterItsCloseMissedTheSla) {
  AddRun(1, "2025-03-02 06:10:00+00", 1);
  AddRun(2, "2025-03-02 09:12:00+00", 1);
  AddEvent("e1", "order_placed", "o1", "2025-03-01 12:00:00+00", 1000, true, "", 1);
  AddEvent("e2", "order_placed", "o2", "2025-03-01 23:50:00+00", 1000, true, "", 2);
  auto rs = Daily("2025-03-02T10:00:00Z");
  EXPECT_EQ(Lines(rs), "freshness|daily_revenue|warn|2025-03-01|missed|final by 2025-03-02T07:00:00Z\n");
  EXPECT_THAT(rs[0].message, HasSubstr("day 2025-03-01 was not final by its close 2025-03-02T07:00:00Z: events for "
                                       "it were loaded until 2025-03-02T09:12:00Z (2h 12m late)"));
}

TEST_F(FreshnessTest, ClosedDayWithoutEventsMissedTheSla) {
  auto rs = Daily("2025-03-02T08:00:00Z");
  EXPECT_EQ(Lines(rs), "freshness|daily_revenue|warn|2025-03-01|missed|final by 2025-03-02T07:00:00Z\n");
  EXPECT_EQ(rs[0].message,
            "day 2025-03-01 closed at 2025-03-02T07:00:00Z with no events loaded for it; check the sources for "
            "that day");
}

TEST_F(FreshnessTest, NextDayIsAtRiskShortlyBeforeItsCloseWhenItsDataLooksIncomplete) {
  AddRun(1, "2025-03-02 06:10:00+00", 2);
  AddEvent("e1", "order_placed", "o1", "2025-03-01 23:50:00+00", 1000);
  AddEvent("e2", "order_placed", "o2", "2025-03-02 20:00:00+00", 1000);  // nothing after 20:00
  // Two hours before the close of 2025-03-02: not yet within the window.
  EXPECT_EQ(Daily("2025-03-03T05:00:00Z").size(), 1u);
  auto rs = Daily("2025-03-03T06:30:00Z");
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(Line(rs[1]), "freshness|daily_revenue|warn|2025-03-02|at risk|final by 2025-03-03T07:00:00Z");
  EXPECT_EQ(rs[1].message,
            "day 2025-03-02 closes at 2025-03-03T07:00:00Z (in 30m) and not all data seems in: its newest "
            "event occurred at 2025-03-02T20:00:00Z, 4h before the day ended");
  // Data up to the end of the day: on track.
  AddEvent("e3", "order_placed", "o3", "2025-03-02 23:40:00+00", 1000);
  rs = Daily("2025-03-03T06:30:00Z");
  EXPECT_EQ(Line(rs[1]), "freshness|daily_revenue|pass|2025-03-02|met|final by 2025-03-03T07:00:00Z");
}

TEST_F(FreshnessTest, CloseFollowsTheBusinessTimezone) {
  config_.timezone = "America/New_York";
  tz_ = std::make_unique<TimeZone>(*TimeZone::Load("America/New_York"));
  // 2025-03-01 (EST) closes 07:00 EST on 03-02 = 12:00Z.
  auto rs = Daily("2025-03-02T11:00:00Z");
  EXPECT_EQ(FormatDate(*rs[0].business_date), "2025-02-28");
  rs = Daily("2025-03-02T12:00:00Z");
  EXPECT_EQ(rs[0].expected, "final by 2025-03-02T12:00:00Z");
}

}  // namespace
}  // namespace daybook::checks_test
