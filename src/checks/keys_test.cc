#include <gmock/gmock.h>

#include "checks/internal/catalog.h"
#include "checks/internal/test_warehouse.h"

namespace daybook::checks_test {
namespace {

using ::testing::HasSubstr;

class KeysTest : public CheckTest {
 protected:
  void TearDown() override {
    checks_internal::KeysSemiJoinScopeRows() = saved_threshold_;
    checks_internal::KeysPerPass() = saved_per_pass_;
  }
  // Every scope counts as large: repeated keys are found by the one
  // aggregation over the table instead of the semi-join.
  void ScopeAlwaysLarge() { checks_internal::KeysSemiJoinScopeRows() = 0; }

  void AddOrder(const std::string& order, const std::string& day) {
    Sql("INSERT INTO fct_orders (order_id, order_key, placed_date, refunded, cancelled, status, gross_reporting, "
        "refunds_reporting, cancellation_reporting, net_reporting, events, excluded_events, last_event_at, "
        "updated_run_id) VALUES (" + SqlQuote(order) + ", 0, DATE '" + day +
        "', 0, false, 'placed', 0, 0, 0, 0, 1, 0, TIMESTAMPTZ '" + day + " 12:00:00+00', 1)");
  }
  void ARunIsCheckedOnTheRowsItWrote();
  void CheckAloneLooksAtTheWindowsRows();

 private:
  int64_t saved_threshold_ = checks_internal::KeysSemiJoinScopeRows();
  int64_t saved_per_pass_ = checks_internal::KeysPerPass();
};

TEST_F(KeysTest, UniqueNotNullKeysPass) {
  AddEvent("e1", "order_placed", "o1", "2025-03-01 10:00:00+00", 1000);
  AddEvent("e2", "order_placed", "o2", "2025-03-01 11:00:00+00", 1000);
  AddOrder("o1", "2025-03-01");
  AddOrder("o2", "2025-03-01");
  AddDay("2025-03-01", 2, 2000);
  auto rs = Run("2025-03-02T12:00:00Z");
  EXPECT_EQ(Lines(Of(rs, "order_events", "keys")) + Lines(Of(rs, "fct_orders", "keys")) +
                Lines(Of(rs, "daily_revenue", "keys")),
            "keys|order_events|pass||0 duplicated, 0 NULL|unique, not null\n"
            "keys|fct_orders|pass||0 duplicated, 0 NULL|unique, not null\n"
            "keys|daily_revenue|pass||0 duplicated, 0 NULL|unique, not null\n");
  EXPECT_EQ(Of(rs, "order_events", "keys")[0].message,
            "order_events.event_id: unique; no NULLs (NOT NULL constraint) [rows of 2025-01-26..2025-03-02]");
}

TEST_F(KeysTest, DuplicatedEventIdFails) {
  AddEvent("e1", "order_placed", "o1", "2025-03-01 10:00:00+00", 1000);
  AddEvent("e1", "order_placed", "o1", "2025-03-01 10:00:00+00", 1000);
  AddEvent("e2", "order_placed", "o2", "2025-03-01 11:00:00+00", 1000);
  auto rs = Of(Run("2025-03-02T12:00:00Z"), "order_events", "keys");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(Line(rs[0]), "keys|order_events|fail||1 duplicated, 0 NULL|unique, not null");
  EXPECT_EQ(rs[0].message,
            "order_events.event_id: 1 value appears more than once ('e1' x2); no NULLs (NOT NULL constraint) "
            "[rows of 2025-01-26..2025-03-02]");
}

TEST_F(KeysTest, NullBusinessDateFails) {
  // A warehouse whose table lacks the constraint (e.g. created by another
  // tool): the check then counts NULLs itself.
  Sql("ALTER TABLE daily_revenue ALTER COLUMN business_date DROP NOT NULL");
  AddDay("2025-03-01", 2, 2000);
  Sql("UPDATE daily_revenue SET business_date = NULL");
  AddDay("2025-03-02", 2, 2000);
  auto rs = Of(Run("2025-03-03T12:00:00Z"), "daily_revenue", "keys");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(Line(rs[0]), "keys|daily_revenue|fail||0 duplicated, 1 NULL|unique, not null");
  EXPECT_EQ(rs[0].message, "daily_revenue.business_date: unique; 1 NULL value [all rows]");
}

TEST_F(KeysTest, DuplicatedBusinessDateAndOrderIdFail) {
  AddDay("2025-03-01", 2, 2000);
  AddDay("2025-03-01", 3, 3000);
  AddOrder("o1", "2025-03-01");
  AddOrder("o1", "2025-03-01");
  AddOrder("o1", "2025-03-01");
  auto rs = Run("2025-03-03T12:00:00Z");
  EXPECT_THAT(Of(rs, "daily_revenue", "keys")[0].message, HasSubstr("('2025-03-01' x2)"));
  EXPECT_EQ(Of(rs, "daily_revenue", "keys")[0].status, CheckStatus::kFail);
  EXPECT_THAT(Of(rs, "fct_orders", "keys")[0].message, HasSubstr("('o1' x3)"));
}

void KeysTest::ARunIsCheckedOnTheRowsItWrote() {
  AddEvent("old", "order_placed", "o1", "2025-03-01 10:00:00+00", 1000, true, "", /*run_id=*/1);
  AddEvent("old", "order_placed", "o1", "2025-03-01 10:00:00+00", 1000, true, "", /*run_id=*/1);
  AddEvent("new", "order_placed", "o2", "2025-03-02 10:00:00+00", 1000, true, "", /*run_id=*/2);
  RunRecord run;
  run.run_id = 2;
  run.status = "succeeded";
  // Run 2 wrote no duplicate: the old one is not its concern (and not re-scanned).
  EXPECT_EQ(Of(Run("2025-03-03T12:00:00Z", &run), "order_events", "keys")[0].status, CheckStatus::kPass);
  // Run 2 writes a copy of an existing id: found through the whole table.
  AddEvent("new2", "order_placed", "o3", "2025-03-02 10:00:00+00", 1000, true, "", /*run_id=*/1);
  AddEvent("new2", "order_placed", "o3", "2025-03-02 10:00:00+00", 1000, true, "", /*run_id=*/2);
  auto rs = Of(Run("2025-03-03T12:00:00Z", &run), "order_events", "keys");
  EXPECT_EQ(rs[0].status, CheckStatus::kFail);
  EXPECT_THAT(rs[0].message, HasSubstr("('new2' x2)"));
  EXPECT_THAT(rs[0].message, HasSubstr("[rows written by run 2]"));
}

void KeysTest::CheckAloneLooksAtTheWindowsRows() {
  // Both copies long past the restatement window: not re-scanned.
  AddEvent("ancient", "order_placed", "o1", "2024-01-01 10:00:00+00", 1000);
  AddEvent("ancient", "order_placed", "o1", "2024-01-01 10:00:00+00", 1000);
  EXPECT_EQ(Of(Run("2025-03-02T12:00:00Z"), "order_events", "keys")[0].status, CheckStatus::kPass);
  // A recent event reusing an old id: found.
  AddEvent("ancient", "order_placed", "o9", "2025-03-01 10:00:00+00", 1000);
  auto rs = Of(Run("2025-03-02T12:00:00Z"), "order_events", "keys");
  EXPECT_EQ(rs[0].status, CheckStatus::kFail);
  EXPECT_THAT(rs[0].message, HasSubstr("('ancient' x3)"));
}

TEST_F(KeysTest, ARunIsCheckedOnTheRowsItWroteAgainstTheWholeTable) { ARunIsCheckedOnTheRowsItWrote(); }

TEST_F(KeysTest, ARunWithMoreRowsThanASemiJoinHoldsIsCheckedByOneAggregation) {
  ScopeAlwaysLarge();
  ARunIsCheckedOnTheRowsItWrote();
}

TEST_F(KeysTest, CheckAloneLooksAtTheWindowsRowsAgainstTheWholeTable) { CheckAloneLooksAtTheWindowsRows(); }

TEST_F(KeysTest, CheckAloneOverMoreRowsThanASemiJoinHoldsUsesOneAggregation) {
  ScopeAlwaysLarge();
  CheckAloneLooksAtTheWindowsRows();
}

TEST_F(KeysTest, ATableReadInPassesFindsTheRepeatedKeyOfEveryPass) {
  ScopeAlwaysLarge();
  checks_internal::KeysPerPass() = 2;  // 9 rows: 5 passes, one residue of the hash each
  for (int i = 0; i < 7; ++i) {
    AddEvent("e" + std::to_string(i), "order_placed", "o" + std::to_string(i), "2025-03-01 10:00:00+00", 1000);
  }
  AddEvent("e2", "order_placed", "o2", "2025-03-01 10:00:00+00", 1000);
  AddEvent("e5", "order_placed", "o5", "2025-03-01 10:00:00+00", 1000);
  Sql("UPDATE order_events SET event_key = hash(event_id)");
  auto rs = Of(Run("2025-03-02T12:00:00Z"), "order_events", "keys");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(Line(rs[0]), "keys|order_events|fail||2 duplicated, 0 NULL|unique, not null");
  EXPECT_THAT(rs[0].message, HasSubstr("2 values appear more than once ('e2' x2, 'e5' x2)"));

  Sql("DELETE FROM order_events WHERE event_id IN ('e2', 'e5')");
  EXPECT_EQ(Of(Run("2025-03-02T12:00:00Z"), "order_events", "keys")[0].status, CheckStatus::kPass);
}

TEST_F(KeysTest, MoreRepeatedKeysThanAListHoldsAreFoundByOneAggregation) {
  ScopeAlwaysLarge();
  // 1,200 ids stored twice each: too many repeated hashes to name in an IN
  // list, so DuckDB's aggregation finds them; the count is the same.
  for (int copy = 0; copy < 2; ++copy) {
    Sql("INSERT INTO order_events (event_id, event_key, event_type, order_id, order_key, customer_id, occurred_at, "
        "business_date, channel_id, reporting_amount, included, schema_version, extra_fields, content_hash, "
        "source_file_id, source_line, run_id, updated_run_id) SELECT 'e' || i, hash('e' || i), 'order_placed', "
        "'o' || i, hash('o' || i), 'c1', TIMESTAMPTZ '2025-03-01 10:00:00+00', DATE '2025-03-01', 1, 10, true, "
        "1, '{}', 0, 1, i, 1, 1 FROM range(1200) t(i)");
  }
  auto rs = Of(Run("2025-03-02T12:00:00Z"), "order_events", "keys");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(Line(rs[0]), "keys|order_events|fail||1200 duplicated, 0 NULL|unique, not null");
  EXPECT_THAT(rs[0].message, HasSubstr("1200 values appear more than once ('e0' x2, 'e1' x2, "));
}

}  // namespace
}  // namespace daybook::checks_test
