#include <gmock/gmock.h>

#include "checks/internal/test_warehouse.h"

namespace daybook::checks_test {
namespace {

using ::testing::HasSubstr;

class RunnerTest : public CheckTest {};

TEST_F(RunnerTest, EmptyWarehouseYieldsARowPerCheckAndNoFailure) {
  auto rs = Run("2025-03-01T12:00:00Z");
  EXPECT_EQ(Lines(rs),
            "volume|order_events|pass||no run|>= 1\n"
            "freshness|order_events|warn||missed|newest event within 1d\n"
            "keys|order_events|pass||0 duplicated, 0 NULL|unique, not null\n"
            "drop_rate|order_events|pass||no run|\n"
            "schema_drift|order_events|pass||no run|\n"
            "duplicate_conflicts|order_events|pass||no run|\n"
            "excluded_events|order_events|pass||0|0\n"
            "keys|fct_orders|pass||0 duplicated, 0 NULL|unique, not null\n"
            "reconciliation|fct_orders|pass||0 orders agree|fct_orders = sums of order_events\n"
            "volume|daily_revenue|pass||no days|\n"
            "freshness|daily_revenue|warn|2025-02-28|missed|final by 2025-03-01T07:00:00Z\n"
            "keys|daily_revenue|pass||0 duplicated, 0 NULL|unique, not null\n"
            "reconciliation|daily_revenue|pass||0 days agree|daily totals = sums of included events\n"
            "restatement_size|daily_revenue|pass||no run|\n"
            "anomaly|daily_revenue|pass||no days|\n");
  EXPECT_FALSE(AnyFailed(rs));
}

TEST_F(RunnerTest, ResultsAreRecordedInCheckResults) {
  AddEvent("e1", "order_placed", "o1", "2025-03-01 10:00:00+00", 1000);
  AddEvent("e1", "order_placed", "o1", "2025-03-01 10:00:00+00", 1000);
  auto rs = Run("2025-03-02T12:00:00Z");
  ASSERT_TRUE(RecordCheckResults(*wh_, rs, 9, T("2025-03-02T12:00:00Z")).ok());
  EXPECT_EQ(Rows("SELECT count(*) FROM check_results"), std::to_string(rs.size()) + "\n");
  EXPECT_EQ(Rows("SELECT run_id, check_name, model, severity, status, business_date, observed, expected, message, "
                 "checked_at FROM check_results WHERE check_name = 'keys' AND model = 'order_events'"),
            "9|keys|order_events|error|fail||1 duplicated, 0 NULL|unique, not null|order_events.event_id: 1 value "
            "appears more than once ('e1' x2); no NULLs (NOT NULL constraint) [rows of "
            "2025-01-26..2025-03-02]|2025-03-02T12:00:00Z\n");
  EXPECT_EQ(Rows("SELECT business_date, status FROM check_results WHERE check_name = 'freshness' AND "
                 "model = 'daily_revenue'"),
            "2025-03-01|warn\n");
  EXPECT_TRUE(AnyFailed(rs));
}

TEST_F(RunnerTest, DisabledChecksDoNotRun) {
  config_.models_yaml =
      "order_events:\n  checks:\n    freshness: {enabled: false}\n    keys: {enabled: false}\n"
      "daily_revenue:\n  checks:\n    freshness: {enabled: false}\n";
  auto rs = Run("2025-03-01T12:00:00Z");
  EXPECT_TRUE(Of(rs, "order_events", "freshness").empty());
  EXPECT_TRUE(Of(rs, "order_events", "keys").empty());
  EXPECT_TRUE(Of(rs, "daily_revenue", "freshness").empty());
  EXPECT_EQ(rs.size(), 12u);
}

TEST_F(RunnerTest, InvalidConfigurationIsAnError) {
  config_.models_yaml = "order_events:\n  checks:\n    volum: {}\n";
  CheckContext ctx{config_, *tz_, T("2025-03-01T12:00:00Z"), 1, nullptr, {}};
  auto r = RunChecks(*wh_, ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("did you mean 'volume'?"));
}

TEST_F(RunnerTest, ACheckThatCannotRunBecomesAResultRow) {
  Sql("DROP TABLE schema_drift");
  AddRun(1, "2025-03-01 10:00:00+00", 1);
  auto rs = Of(Run("2025-03-01T12:00:00Z"), "order_events", "schema_drift");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].status, CheckStatus::kWarn);
  EXPECT_EQ(rs[0].observed, "error");
  EXPECT_THAT(rs[0].message, HasSubstr("schema_drift on order_events could not run: "));
}

TEST_F(RunnerTest, DropRateGateIsRecordedAsAnErrorCheck) {
  RunRecord run;
  run.run_id = 5;
  run.status = "failed";
  run.rows_read = 110;
  run.duplicates = 10;
  run.quarantined = 5;
  run.quarantined_by_reason = {{"MISSING_FIELD", 3}, {"WRONG_TYPE", 2}};
  run.drop_rate = 0.05;
  run.max_drop_rate = 0.01;
  auto rs = Of(Run("2025-03-01T12:00:00Z", &run), "order_events", "drop_rate");
  EXPECT_EQ(Lines(rs), "drop_rate|order_events|fail||0.0500|<= 0.0100\n");
  EXPECT_EQ(rs[0].message,
            "run 5: drop rate 0.0500 (5 quarantined of 100 non-duplicate rows) exceeds max_drop_rate 0.0100; by "
            "reason: MISSING_FIELD 3, WRONG_TYPE 2; nothing of the batch was committed — sample rows in "
            "pipeline_runs.sample_rejections, fix the producer or raise --max-drop-rate and re-run");
  run.status = "succeeded";
  run.drop_rate = 0.005;
  EXPECT_EQ(Of(Run("2025-03-01T12:00:00Z", &run), "order_events", "drop_rate")[0].status, CheckStatus::kPass);
}

TEST_F(RunnerTest, CheckAloneReadsTheLatestRunsReasonCounts) {
  Sql("INSERT INTO pipeline_runs VALUES (4, 'run', 'failed', TIMESTAMPTZ '2025-03-01 10:00:00+00', "
      "TIMESTAMPTZ '2025-03-01 10:00:00+00', 0, 10, 0, 0, 2, '{\"INVALID_AMOUNT\":2}', 1, 0, 0, 0, 0, 0, 0.2, 0.01, "
      "'{}', 'drop rate', NULL, '0.1.0')");
  auto rs = Of(Run("2025-03-01T12:00:00Z"), "order_events", "drop_rate");
  EXPECT_EQ(Lines(rs), "drop_rate|order_events|fail||0.2000|<= 0.0100\n");
  EXPECT_THAT(rs[0].message, HasSubstr("by reason: INVALID_AMOUNT 2"));
}

TEST_F(RunnerTest, SchemaDriftSeenByTheRunWarns) {
  Sql("INSERT INTO schema_drift VALUES ('coupon_code', TIMESTAMPTZ '2025-03-01 10:00:00+00', 3, 'a.jsonl:12', 3, 40), "
      "('gift_wrap', TIMESTAMPTZ '2025-02-01 10:00:00+00', 1, 'b.jsonl:1', 3, 300), "
      "('old_field', TIMESTAMPTZ '2025-01-01 10:00:00+00', 1, 'c.jsonl:1', 2, 5)");
  RunRecord run;
  run.run_id = 3;
  run.status = "succeeded";
  auto rs = Of(Run("2025-03-01T12:00:00Z", &run), "order_events", "schema_drift");
  EXPECT_EQ(Lines(rs), "schema_drift|order_events|warn||coupon_code, gift_wrap|no fields outside the contract\n");
  EXPECT_EQ(rs[0].message,
            "run 3 saw 2 fields outside the contract (1 new): 'coupon_code' (new, first seen at a.jsonl:12, 40 "
            "occurrences so far); 'gift_wrap' (known since run 1, 300 occurrences so far); they are kept in "
            "extra_fields — declare them in a contract version (contracts:) or ask the producer");
  run.run_id = 4;
  EXPECT_EQ(Of(Run("2025-03-01T12:00:00Z", &run), "order_events", "schema_drift")[0].status, CheckStatus::kPass);
}

TEST_F(RunnerTest, ExcludedEventsWarnByReason) {
  AddEvent("p1", "order_placed", "o1", "2025-03-01 10:00:00+00", 1000);
  AddEvent("p2", "order_placed", "o1", "2025-03-01 11:00:00+00", 1000, false, "DUPLICATE_ORDER");
  AddEvent("r1", "order_refunded", "o9", "2025-03-01 12:00:00+00", 500, false, "ORPHAN_EVENT");
  AddEvent("r2", "order_refunded", "o8", "2025-03-02 12:00:00+00", 500, false, "ORPHAN_EVENT");
  auto rs = Of(Run("2025-03-03T12:00:00Z"), "order_events", "excluded_events");
  EXPECT_EQ(Lines(rs), "excluded_events|order_events|warn||3 (75.00%)|0\n");
  EXPECT_THAT(rs[0].message, HasSubstr("3 of 4 events in 2025-01-27..2025-03-03 are excluded from revenue: "
                                       "ORPHAN_EVENT 2 (2025-03-01..2025-03-02), DUPLICATE_ORDER 1 (2025-03-01)"));
  config_.models_yaml = "order_events:\n  checks:\n    excluded_events: {max_ratio: 0.8}\n";
  EXPECT_EQ(Of(Run("2025-03-03T12:00:00Z"), "order_events", "excluded_events")[0].status, CheckStatus::kPass);
}

}  // namespace
}  // namespace daybook::checks_test
