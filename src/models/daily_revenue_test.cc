#include "models/daily_revenue.h"

#include <gtest/gtest.h>

#include "load/schema.h"

namespace daybook {
namespace {

Timestamp T(const char* s) {
  std::string why;
  return *ParseRfc3339(s, &why);
}

// SQL-level model tests: events in, RefreshDailyRevenue, rows out as text.
class DailyRevenueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    wh_ = std::move(Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite)).value();
    ASSERT_TRUE(Migrate(*wh_, "USD").ok());
    tz_ = std::make_unique<TimeZone>(*TimeZone::Load("UTC"));
  }
  // type, order, day, channel, reporting amount (cents), customer.
  void AddOrder(const char* order, const char* channel) {
    ASSERT_TRUE(wh_->Exec(std::string("INSERT INTO fct_orders (order_id, order_key, channel, refunded, cancelled, "
                                      "status, gross_reporting, refunds_reporting, cancellation_reporting, "
                                      "net_reporting, events, excluded_events, last_event_at, updated_run_id) "
                                      "VALUES ('") + order + "', 0, '" + channel +
                          "', 0, false, 'placed', 0, 0, 0, 0, 1, 0, now(), 1)").ok());
  }
  void AddEvent(const char* id, const char* type, const char* order, const char* day, int64_t cents,
                const char* channel = "web", const char* customer = "c1", bool included = true) {
    // The channel is numbered as the loader would: once, the next free number.
    const std::string name = std::string("'") + channel + "'";
    ASSERT_TRUE(wh_->Exec("INSERT INTO channels SELECT next, " + name + ", 1 FROM (SELECT coalesce(max(channel_id), "
                          "0) + 1 AS next FROM channels) WHERE NOT EXISTS (SELECT 1 FROM channels WHERE channel = " +
                          name + ")").ok());
    std::string sql = std::string("INSERT INTO order_events (event_id, event_key, event_type, order_id, order_key, "
                                  "customer_id, occurred_at, business_date, channel_id, reporting_amount, included, "
                                  "schema_version, extra_fields, content_hash, source_file_id, source_line, "
                                  "run_id, updated_run_id) VALUES ('") +
                      id + "', 0, '" + type + "', '" + order + "', 0, '" + customer + "', TIMESTAMPTZ '" + day +
                      " 12:00:00+00', DATE '" + day + "', (SELECT channel_id FROM channels WHERE channel = " + name +
                      "), " + std::to_string(cents) + "/100, " + (included ? "true" : "false") + ", 1, '{}', 0, 1, 1, 1, 1)";
    ASSERT_TRUE(wh_->Exec(sql).ok()) << sql;
  }
  RevenueUpdate Refresh(std::vector<const char*> days, const char* now, int64_t run = 2,
                        int64_t day_group_events = 5000000) {
    std::vector<int32_t> dates;
    for (auto d : days) dates.push_back(*ParseDate(d));
    RevenueContext ctx{*tz_, 7 * 60, 35, "USD", T(now), run, day_group_events};
    auto r = RefreshDailyRevenue(*wh_, dates, {}, ctx);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : RevenueUpdate{};
  }
  std::string Rows(const std::string& sql) {
    auto rows = wh_->Query(sql);
    EXPECT_TRUE(rows.ok()) << rows.status().message();
    std::string out;
    while ((*rows)->NextChunk()) {
      for (size_t r = 0; r < (*rows)->size(); ++r) {
        for (size_t c = 0; c < (*rows)->column_count(); ++c) out += (c ? "|" : "") + (*rows)->Text(c, r);
        out += "\n";
      }
    }
    return out;
  }
  std::unique_ptr<Warehouse> wh_;
  std::unique_ptr<TimeZone> tz_;
};

TEST_F(DailyRevenueTest, MetricsFollowBookingBasis) {
  AddEvent("p1", "order_placed", "o1", "2025-01-01", 10000, "web", "alice");
  AddEvent("p2", "order_placed", "o2", "2025-01-01", 5000, "app", "alice");
  AddEvent("p3", "order_placed", "o3", "2025-01-01", 999, "app", "bob", /*included=*/false);
  AddEvent("r1", "order_refunded", "o1", "2025-01-02", 3000);
  AddEvent("r2", "order_refunded", "o1", "2025-01-02", 1000);
  AddEvent("c1", "order_cancelled", "o1", "2025-01-03", 6000);
  AddOrder("o1", "web");
  AddOrder("o2", "app");
  Refresh({"2025-01-01", "2025-01-02", "2025-01-03"}, "2025-01-02T00:00:00Z");
  EXPECT_EQ(Rows("SELECT business_date, orders, cancelled_orders, refunded_orders, customers, gross, "
                 "cancellations, refunds, net, version FROM daily_revenue ORDER BY 1"),
            "2025-01-01|2|0|0|1|150.00|0.00|0.00|150.00|0\n"
            "2025-01-02|0|0|1|0|0.00|0.00|40.00|-40.00|0\n"
            "2025-01-03|0|1|0|0|0.00|60.00|0.00|-60.00|0\n");
  EXPECT_EQ(Rows("SELECT business_date, channel, orders, net FROM daily_revenue_by_channel ORDER BY 1, 2"),
            "2025-01-01|app|1|50.00\n2025-01-01|web|1|100.00\n2025-01-02|web|0|-40.00\n2025-01-03|web|0|-60.00\n");
}

TEST_F(DailyRevenueTest, DayIsPublishedByFirstRunAfterItsClose) {
  AddEvent("p1", "order_placed", "o1", "2025-01-01", 10000);
  auto before = Refresh({"2025-01-01"}, "2025-01-02T06:59:59Z");
  EXPECT_EQ(before.published_days, 0);
  EXPECT_EQ(Rows("SELECT version, published_at FROM daily_revenue"), "0|\n");
  auto after = Refresh({}, "2025-01-02T07:00:00Z", 3);  // a run with no data still publishes
  EXPECT_EQ(after.published_days, 1);
  EXPECT_EQ(Rows("SELECT version, published_at FROM daily_revenue"), "1|2025-01-02T07:00:00Z\n");
  EXPECT_EQ(Rows("SELECT business_date, version, net, valid_from, valid_to FROM daily_revenue_versions"),
            "2025-01-01|1|100.00|2025-01-02T07:00:00Z|\n");
}

TEST_F(DailyRevenueTest, LateEventForPublishedDayIsARestatement) {
  AddEvent("p1", "order_placed", "o1", "2025-01-01", 10000);
  Refresh({"2025-01-01"}, "2025-01-05T00:00:00Z");
  AddEvent("p2", "order_placed", "o2", "2025-01-01", 2500, "web", "bob");
  auto u = Refresh({"2025-01-01"}, "2025-01-06T00:00:00Z", 3);
  ASSERT_EQ(u.restatements.size(), 1u);
  EXPECT_EQ(u.restatements[0].version, 2);
  const std::string day1 = " WHERE business_date = DATE '2025-01-01'";
  EXPECT_EQ(Rows("SELECT version, net FROM daily_revenue" + day1), "2|125.00\n");
  EXPECT_EQ(Rows("SELECT version, net, valid_from, valid_to FROM daily_revenue_versions" + day1 + " ORDER BY version"),
            "1|100.00|2025-01-05T00:00:00Z|2025-01-06T00:00:00Z\n"
            "2|125.00|2025-01-06T00:00:00Z|\n");
  EXPECT_EQ(Rows("SELECT metric, old_value, new_value, delta, run_id FROM revenue_restatements ORDER BY metric"),
            "customers|1.00|2.00|1.00|3\ngross|100.00|125.00|25.00|3\nnet|100.00|125.00|25.00|3\norders|1.00|2.00|1.00|3\n");
}

TEST_F(DailyRevenueTest, ProvisionalDayChangesInPlaceWithoutVersions) {
  AddEvent("p1", "order_placed", "o1", "2025-01-01", 10000);
  Refresh({"2025-01-01"}, "2025-01-01T20:00:00Z");
  AddEvent("p2", "order_placed", "o2", "2025-01-01", 100);
  auto u = Refresh({"2025-01-01"}, "2025-01-01T21:00:00Z", 3);
  EXPECT_TRUE(u.restatements.empty());
  EXPECT_EQ(Rows("SELECT version, net FROM daily_revenue"), "0|101.00\n");
  EXPECT_EQ(Rows("SELECT count(*) FROM daily_revenue_versions"), "0\n");
}

TEST_F(DailyRevenueTest, UnchangedDayKeepsItsUpdateStamp) {
  AddEvent("p1", "order_placed", "o1", "2025-01-01", 10000);
  Refresh({"2025-01-01"}, "2025-01-05T00:00:00Z");
  auto u = Refresh({"2025-01-01"}, "2025-01-06T00:00:00Z", 3);
  EXPECT_EQ(u.changed_days, 0);
  EXPECT_EQ(Rows("SELECT version, updated_at, updated_run_id FROM daily_revenue WHERE business_date = DATE '2025-01-01'"),
            "1|2025-01-05T00:00:00Z|2\n");
}

TEST_F(DailyRevenueTest, ClosedDayWithoutEventsIsPublishedAsZerosAndLateDataRestatesIt) {
  AddEvent("p1", "order_placed", "o1", "2025-01-01", 10000);
  AddEvent("p3", "order_placed", "o3", "2025-01-03", 3000);
  Refresh({"2025-01-01", "2025-01-03"}, "2025-01-04T08:00:00Z");
  EXPECT_EQ(Rows("SELECT business_date, version, orders, net FROM daily_revenue ORDER BY 1"),
            "2025-01-01|1|1|100.00\n2025-01-02|1|0|0.00\n2025-01-03|1|1|30.00\n");
  AddEvent("p2", "order_placed", "o2", "2025-01-02", 2000);
  auto u = Refresh({"2025-01-02"}, "2025-01-05T08:00:00Z", 3);
  ASSERT_EQ(u.restatements.size(), 1u);
  EXPECT_EQ(Rows("SELECT version, net FROM daily_revenue_versions WHERE business_date = DATE '2025-01-02' ORDER BY 1"),
            "1|0.00\n2|20.00\n");
}

TEST_F(DailyRevenueTest, RefundsAndCancelsCountUnderTheOrdersChannel) {
  AddEvent("p1", "order_placed", "o1", "2025-01-01", 10000, "app");
  AddEvent("r1", "order_refunded", "o1", "2025-01-02", 1000, "unknown");
  AddOrder("o1", "app");
  Refresh({"2025-01-01", "2025-01-02"}, "2025-01-01T12:00:00Z");
  EXPECT_EQ(Rows("SELECT business_date, channel, net FROM daily_revenue_by_channel ORDER BY 1"),
            "2025-01-01|app|100.00\n2025-01-02|app|-10.00\n");
}

// With few refunds and cancels against many orders (a late batch), their
// orders' placements are fetched from order_events by rowid rather than
// joined with fct_orders: they still count under their order's channel,
// never their own.
TEST_F(DailyRevenueTest, AFewRefundsAmongManyOrdersCountUnderTheOrdersChannelToo) {
  AddEvent("p1", "order_placed", "o1", "2025-01-01", 10000, "app");
  AddOrder("o1", "app");
  for (int i = 0; i < 40; ++i) {
    const std::string id = std::to_string(i);
    AddEvent(("pw" + id).c_str(), "order_placed", ("ow" + id).c_str(), "2025-01-01", 100, "web", "cw");
    AddOrder(("ow" + id).c_str(), "web");
  }
  AddEvent("r1", "order_refunded", "o1", "2025-01-02", 1000, "unknown");
  AddEvent("c7", "order_cancelled", "ow7", "2025-01-02", 100, "pos");
  Refresh({"2025-01-01", "2025-01-02"}, "2025-01-01T12:00:00Z");
  EXPECT_EQ(Rows("SELECT business_date, channel, orders, cancelled_orders, refunded_orders, net FROM "
                 "daily_revenue_by_channel ORDER BY 1, 2"),
            "2025-01-01|app|1|0|0|100.00\n2025-01-01|web|40|0|0|40.00\n"
            "2025-01-02|app|0|0|1|-10.00\n2025-01-02|web|0|1|0|-1.00\n");
}

// The touched days are aggregated a group of days at a time (bounded by
// events); however they are grouped, every table is the same.
TEST_F(DailyRevenueTest, DaysAggregatedInGroupsGiveTheSameTables) {
  auto load = [&] {
    AddEvent("p1", "order_placed", "o1", "2025-01-01", 10000, "app", "alice");
    AddEvent("p2", "order_placed", "o2", "2025-01-01", 2000, "web", "alice");  // one customer, two channels
    AddEvent("p3", "order_placed", "o3", "2025-01-02", 3000, "web", "bob");
    AddEvent("r1", "order_refunded", "o1", "2025-01-02", 1000, "unknown");
    AddEvent("r1b", "order_refunded", "o1", "2025-01-02", 500, "unknown");
    AddEvent("c3", "order_cancelled", "o3", "2025-01-03", 3000, "web");
    AddEvent("p4", "order_placed", "o4", "2025-01-04", 4000, "app", "carol");
    AddEvent("p5", "order_placed", "o5", "2025-01-04", 5000, "app", "dave", /*included=*/false);
    AddOrder("o1", "app");
    AddOrder("o2", "web");
    AddOrder("o3", "web");
    AddOrder("o4", "app");
  };
  const std::vector<const char*> days = {"2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04", "2025-01-05"};
  const std::string tables =
      "SELECT 'day', business_date, NULL, orders, cancelled_orders, refunded_orders, customers, gross, "
      "cancellations, refunds, net, version FROM daily_revenue UNION ALL "
      "SELECT 'channel', business_date, channel, orders, cancelled_orders, refunded_orders, customers, gross, "
      "cancellations, refunds, net, NULL FROM daily_revenue_by_channel ORDER BY ALL";
  load();
  Refresh(days, "2025-01-06T12:00:00Z");
  const std::string together = Rows(tables);
  EXPECT_NE(together.find("day|2025-01-01||2|0|0|1|120.00|0.00|0.00|120.00|1"), std::string::npos) << together;
  for (int64_t group : {1, 2, 3}) {
    SetUp();  // an empty warehouse
    load();
    Refresh(days, "2025-01-06T12:00:00Z", 2, group);
    EXPECT_EQ(Rows(tables), together) << "groups of at most " << group << " events";
  }
}

TEST_F(DailyRevenueTest, CloseIsLocalTimeOnTheNextDayAcrossDst) {
  auto ny = TimeZone::Load("America/New_York");
  // Day 2024-03-09 closes 07:00 EDT on 03-10 (the 23-hour day) = 11:00Z.
  EXPECT_EQ(FormatTimestamp(DayClose(*ny, 7 * 60, *ParseDate("2024-03-09"))), "2024-03-10T11:00:00Z");
  EXPECT_EQ(FormatTimestamp(DayClose(*ny, 7 * 60, *ParseDate("2024-03-08"))), "2024-03-09T12:00:00Z");
}

}  // namespace
}  // namespace daybook
