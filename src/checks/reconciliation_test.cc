#include <gmock/gmock.h>

#include "checks/internal/test_warehouse.h"
#include "models/daily_revenue.h"

namespace daybook::checks_test {
namespace {

using ::testing::HasSubstr;

// Consistent models built from events: daily_revenue by the model code
// itself, fct_orders by an equivalent SQL aggregation.
class ReconciliationTest : public CheckTest {
 protected:
  void SetUp() override {
    CheckTest::SetUp();
    AddEvent("p1", "order_placed", "o1", "2025-03-01 09:00:00+00", 10000, true, "", 1, "alice");
    AddEvent("r1", "order_refunded", "o1", "2025-03-02 10:00:00+00", 3000);
    AddEvent("p2", "order_placed", "o2", "2025-03-01 11:00:00+00", 5000, true, "", 1, "bob");
    AddEvent("c2", "order_cancelled", "o2", "2025-03-03 12:00:00+00", 5000);
    AddEvent("r3", "order_refunded", "o3", "2025-03-02 13:00:00+00", 1000, false, "ORPHAN_EVENT");
    AddEvent("p4", "order_placed", "o4", "2025-03-02 14:00:00+00", 2000, true, "", 1, "carol");
    RevenueContext ctx{*tz_, 7 * 60, 35, "USD", T("2025-03-05T12:00:00Z"), 1};
    auto u = RefreshDailyRevenue(*wh_, {D("2025-03-01"), D("2025-03-02"), D("2025-03-03")}, {}, ctx);
    ASSERT_TRUE(u.ok()) << u.status().message();
    const std::string g = "coalesce(sum(reporting_amount) FILTER (WHERE included AND event_type = 'order_placed'), 0)";
    const std::string r =
        "coalesce(sum(reporting_amount) FILTER (WHERE included AND event_type = 'order_refunded'), 0)";
    const std::string c =
        "coalesce(sum(reporting_amount) FILTER (WHERE included AND event_type = 'order_cancelled'), 0)";
    Sql("INSERT INTO fct_orders (order_id, order_key, placed_date, refunded, cancelled, status, gross_reporting, "
        "refunds_reporting, cancellation_reporting, net_reporting, events, excluded_events, last_event_at, "
        "updated_run_id) SELECT order_id, 0, min(business_date) FILTER (WHERE event_type = 'order_placed'), 0, "
        "coalesce(bool_or(included AND event_type = 'order_cancelled'), false), 'placed', " + g + ", " + r + ", " +
        c + ", " + g + " - " + r + " - " + c + ", count(*), count(*) FILTER (WHERE NOT included), "
        "max(occurred_at), 1 FROM order_events GROUP BY order_id");
  }
  std::vector<CheckResult> Daily(std::vector<int32_t> affected = {}) {
    return Of(Run("2025-03-05T12:00:00Z", nullptr, std::move(affected)), "daily_revenue", "reconciliation");
  }
  // The fixture's order_key is 0 everywhere; the fingerprints weigh orders by it.
  void UseRealOrderKeys() {
    Sql("UPDATE order_events SET order_key = hash(order_id)");
    Sql("UPDATE fct_orders SET order_key = hash(order_id)");
  }
  std::vector<CheckResult> Orders(std::vector<int32_t> affected = {}) {
    return Of(Run("2025-03-05T12:00:00Z", nullptr, std::move(affected)), "fct_orders", "reconciliation");
  }
};

TEST_F(ReconciliationTest, ConsistentModelsPass) {
  EXPECT_EQ(Rows("SELECT business_date, orders, refunded_orders, cancelled_orders, net FROM daily_revenue "
                 "WHERE business_date <= DATE '2025-03-03' ORDER BY 1"),
            "2025-03-01|2|0|0|150.00\n2025-03-02|1|1|0|-10.00\n2025-03-03|0|0|1|-50.00\n");
  auto daily = Daily();
  ASSERT_EQ(daily.size(), 1u);
  EXPECT_EQ(daily[0].status, CheckStatus::kPass);
  EXPECT_THAT(daily[0].message, HasSubstr("daily_revenue agrees with its included events on every day of "
                                          "2025-01-29..2025-03-05"));
  EXPECT_EQ(Lines(Orders()), "reconciliation|fct_orders|pass||4 orders agree|fct_orders = sums of order_events\n");
}

TEST_F(ReconciliationTest, TamperedNetFailsNamingTheDayAndTheDifference) {
  Sql("UPDATE daily_revenue SET net = net + 1 WHERE business_date = DATE '2025-03-02'");
  auto rs = Daily();
  EXPECT_EQ(Lines(rs), "reconciliation|daily_revenue|fail|2025-03-02|net=-9.00|net=-10.00\n");
  EXPECT_EQ(rs[0].message,
            "daily_revenue 2025-03-02 disagrees with the sum of its included events: net -9.00 vs -10.00 "
            "(difference +1.00); run `daybook rebuild` and find what changed the table");
}

TEST_F(ReconciliationTest, EveryDisagreeingMetricIsNamed) {
  Sql("UPDATE daily_revenue SET orders = orders - 1, gross = gross - 0.01 WHERE business_date = DATE '2025-03-01'");
  auto rs = Daily();
  EXPECT_EQ(Lines(rs), "reconciliation|daily_revenue|fail|2025-03-01|orders=1, gross=149.99|orders=2, gross=150.00\n");
  EXPECT_THAT(rs[0].message, HasSubstr("orders 1 vs 2 (difference -1); gross 149.99 vs 150.00 (difference -0.01)"));
}

TEST_F(ReconciliationTest, MissingDayRowFails) {
  Sql("DELETE FROM daily_revenue WHERE business_date = DATE '2025-03-03'");
  auto rs = Daily();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].business_date, D("2025-03-03"));
  EXPECT_THAT(rs[0].message, HasSubstr("daily_revenue has no row for 2025-03-03 but its included events give "
                                       "cancelled_orders=1, cancellations=50.00, net=-50.00"));
}

TEST_F(ReconciliationTest, OnlyTheFocusDaysAreRecomputed) {
  Sql("UPDATE daily_revenue SET net = net + 1 WHERE business_date = DATE '2025-03-02'");
  EXPECT_EQ(Daily({D("2025-03-01")})[0].status, CheckStatus::kPass);
  EXPECT_EQ(Daily({D("2025-03-01"), D("2025-03-02")})[0].status, CheckStatus::kFail);
}

TEST_F(ReconciliationTest, TamperedOrderFailsNamingTheOrder) {
  Sql("UPDATE fct_orders SET refunds_reporting = refunds_reporting + 0.01, net_reporting = net_reporting - 0.01 "
      "WHERE order_id = 'o1'");
  auto rs = Orders();
  EXPECT_EQ(Lines(rs), "reconciliation|fct_orders|fail||1 order disagrees|fct_orders = sums of order_events\n");
  EXPECT_EQ(rs[0].message,
            "fct_orders disagrees with order_events for 1 order with events in 2025-01-29..2025-03-05: order 'o1' "
            "refunds_reporting 30.01 vs 30.00 from its events (difference +0.01), net_reporting 69.99 vs 70.00 "
            "from its events (difference -0.01); run `daybook rebuild`");
}

// When every event is in focus, whole-table fingerprints decide first; two
// errors that cancel out in the totals (one order +0.01, another -0.01)
// must still fail, naming both orders.
TEST_F(ReconciliationTest, CompensatingErrorsInTwoOrdersFail) {
  UseRealOrderKeys();
  EXPECT_EQ(Lines(Orders()), "reconciliation|fct_orders|pass||4 orders agree|fct_orders = sums of order_events\n");
  Sql("UPDATE fct_orders SET gross_reporting = gross_reporting + 0.01, net_reporting = net_reporting + 0.01 "
      "WHERE order_id = 'o1'");
  Sql("UPDATE fct_orders SET gross_reporting = gross_reporting - 0.01, net_reporting = net_reporting - 0.01 "
      "WHERE order_id = 'o4'");
  auto rs = Orders();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].observed, "2 orders disagree");
  EXPECT_THAT(rs[0].message, HasSubstr("order 'o1' gross_reporting 100.01 vs 100.00"));
  EXPECT_THAT(rs[0].message, HasSubstr("order 'o4' gross_reporting 19.99 vs 20.00"));
}

// A net that is not gross − refunds − cancellation fails even when every
// sum of events agrees with the row's other columns.
TEST_F(ReconciliationTest, NetThatDoesNotAddUpFails) {
  UseRealOrderKeys();
  Sql("UPDATE fct_orders SET net_reporting = net_reporting + 1 WHERE order_id = 'o2'");
  auto rs = Orders();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].observed, "1 order disagrees");
  EXPECT_THAT(rs[0].message, HasSubstr("order 'o2' net_reporting"));
}

// A run's focus is its affected days: the fingerprints cover the orders
// with an event on them (o1, o2 on 2025-03-01), not the others.
TEST_F(ReconciliationTest, FocusedFingerprintsCoverOnlyTheFocusOrders) {
  UseRealOrderKeys();
  EXPECT_EQ(Lines(Orders({D("2025-03-01")})),
            "reconciliation|fct_orders|pass||2 orders agree|fct_orders = sums of order_events\n");
  Sql("UPDATE fct_orders SET gross_reporting = gross_reporting + 1, net_reporting = net_reporting + 1 "
      "WHERE order_id = 'o4'");  // placed 2025-03-02: outside the focus
  EXPECT_EQ(Orders({D("2025-03-01")})[0].status, CheckStatus::kPass);
  Sql("UPDATE fct_orders SET refunds_reporting = refunds_reporting + 1, net_reporting = net_reporting - 1 "
      "WHERE order_id = 'o2'");
  Sql("UPDATE fct_orders SET refunds_reporting = refunds_reporting - 1, net_reporting = net_reporting + 1 "
      "WHERE order_id = 'o1'");
  auto rs = Orders({D("2025-03-01")});
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].observed, "2 orders disagree");
  EXPECT_THAT(rs[0].message, HasSubstr("order 'o1' refunds_reporting 29.00 vs 30.00"));
  EXPECT_THAT(rs[0].message, HasSubstr("order 'o2' refunds_reporting 1.00 vs 0.00"));
}

// After a run, the focus is the orders the run wrote (updated_run_id = the
// run, in order_events or fct_orders): o1 here. o2 has an event on the
// same day but the run did not touch it; `daybook check` alone, or a run
// that failed, still compares every order with events on the focus days.
TEST_F(ReconciliationTest, AfterARunTheFingerprintsCoverTheOrdersTheRunWrote) {
  UseRealOrderKeys();
  Sql("UPDATE order_events SET updated_run_id = 2 WHERE order_id = 'o1'");
  Sql("UPDATE fct_orders SET updated_run_id = 2 WHERE order_id = 'o1'");
  RunRecord run;
  run.run_id = 2;
  run.status = "succeeded";
  auto after_run = [&] {
    return Of(Run("2025-03-05T12:00:00Z", &run, {D("2025-03-01")}), "fct_orders", "reconciliation");
  };
  auto rs = after_run();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(Lines(rs), "reconciliation|fct_orders|pass||1 orders agree|fct_orders = sums of order_events\n");
  EXPECT_EQ(rs[0].message, "fct_orders agrees with order_events for the 1 orders run 2 wrote, with events in 2025-03-01");

  Sql("UPDATE fct_orders SET gross_reporting = gross_reporting + 1, net_reporting = net_reporting + 1 "
      "WHERE order_id = 'o2'");
  EXPECT_EQ(after_run()[0].status, CheckStatus::kPass);
  EXPECT_EQ(Orders({D("2025-03-01")})[0].observed, "1 order disagrees");  // `daybook check`
  run.status = "failed";
  EXPECT_EQ(after_run()[0].observed, "1 order disagrees");
  run.status = "succeeded";

  // A row the run wrote that disagrees, or a row of its order that it lost.
  Sql("UPDATE fct_orders SET refunds_reporting = refunds_reporting + 1, net_reporting = net_reporting - 1 "
      "WHERE order_id = 'o1'");
  rs = after_run();
  EXPECT_EQ(rs[0].status, CheckStatus::kFail);
  EXPECT_THAT(rs[0].message, HasSubstr("order 'o1' refunds_reporting 31.00 vs 30.00"));
  Sql("DELETE FROM fct_orders WHERE order_id = 'o1'");
  rs = after_run();
  EXPECT_EQ(rs[0].status, CheckStatus::kFail);
  EXPECT_THAT(rs[0].message, HasSubstr("order 'o1' has events but no fct_orders row"));
}

TEST_F(ReconciliationTest, OrdersMissingOnEitherSideFail) {
  Sql("DELETE FROM fct_orders WHERE order_id = 'o4'");
  Sql("UPDATE fct_orders SET events = 3 WHERE order_id = 'o3'");
  Sql("INSERT INTO fct_orders SELECT 'ghost', 0, customer_id, channel, currency, placed_at, placed_date, amount, "
      "refunded, cancelled, cancelled_at, status, gross_reporting, refunds_reporting, cancellation_reporting, "
      "net_reporting, "
      "events, excluded_events, last_event_at, updated_run_id FROM fct_orders WHERE order_id = 'o1'");
  auto rs = Orders();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].observed, "3 orders disagree");
  EXPECT_THAT(rs[0].message, HasSubstr("order 'ghost' is in fct_orders but has no events"));
  EXPECT_THAT(rs[0].message, HasSubstr("order 'o3' events 3 vs 1 from its events (difference +2)"));
  EXPECT_THAT(rs[0].message, HasSubstr("order 'o4' has events but no fct_orders row"));
}

}  // namespace
}  // namespace daybook::checks_test
