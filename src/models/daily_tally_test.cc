#include "models/daily_tally.h"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <set>

namespace daybook {
namespace {

// Orders as DeriveOrderModels hands them to the tally: a summary whose
// `placed` is the included placement, and each event with its derivation.
struct TestOrder {
  std::vector<Event> events;
  std::vector<Derivation> out;
};

class Orders {
 public:
  // Events and orders must not move once added (the tally gets pointers).
  TestOrder& New() { return orders_.emplace_back(); }
  static void Add(TestOrder& o, EventType type, int32_t day, const std::string& channel,
                  const std::string& customer, int64_t value, bool included) {
    Event e;
    e.type = type;
    e.business_date = day;
    e.channel = channel;
    e.customer_id = customer;
    o.events.push_back(e);
    Derivation d;
    d.included = included;
    d.reporting_minor = value;
    o.out.push_back(d);
  }
  static void Tally(const TestOrder& o, DailyTally* tally) {
    OrderSummary s;
    std::vector<DerivedEvent> group;
    for (size_t i = 0; i < o.events.size(); ++i) {
      group.push_back({&o.events[i], static_cast<uint32_t>(i), o.out[i]});
      if (o.out[i].included && o.events[i].type == EventType::kPlaced) s.placed = &o.events[i];
    }
    tally->AddOrder(s, group);
  }
  const std::deque<TestOrder>& all() const { return orders_; }

 private:
  std::deque<TestOrder> orders_;
};

// The metrics as models/daily_revenue.cc defines them in SQL, recomputed
// the slow way: distinct sets of strings, one pass per order.
TalliedMetrics BruteForce(const std::deque<TestOrder>& orders) {
  TalliedMetrics t;
  std::map<int32_t, std::set<std::string>> customers;
  std::map<std::pair<int32_t, std::string>, std::set<std::string>> channel_customers;
  for (const TestOrder& o : orders) {
    std::string order_channel;
    for (size_t i = 0; i < o.events.size(); ++i) {
      if (o.out[i].included && o.events[i].type == EventType::kPlaced) order_channel = o.events[i].channel;
    }
    std::set<std::pair<int32_t, EventType>> counted;
    for (size_t i = 0; i < o.events.size(); ++i) {
      const Event& e = o.events[i];
      if (!o.out[i].included) continue;
      const int64_t v = o.out[i].reporting_minor;
      DailyMetrics& m = t.days[e.business_date];
      if (e.type == EventType::kPlaced) {
        DailyMetrics& c = t.by_channel[{e.business_date, e.channel}];
        ++m.orders;
        ++c.orders;
        m.gross += v;
        c.gross += v;
        if (!e.customer_id.empty()) {
          customers[e.business_date].insert(e.customer_id.str());
          channel_customers[{e.business_date, e.channel}].insert(e.customer_id.str());
        }
        continue;
      }
      DailyMetrics& c = t.by_channel[{e.business_date, order_channel}];
      const bool first = counted.insert({e.business_date, e.type}).second;
      if (e.type == EventType::kCancelled) {
        m.cancellations += v;
        c.cancellations += v;
        m.cancelled_orders += first;
        c.cancelled_orders += first;
      } else {
        m.refunds += v;
        c.refunds += v;
        m.refunded_orders += first;
        c.refunded_orders += first;
      }
    }
  }
  for (auto& [day, set] : customers) t.days[day].customers = static_cast<int64_t>(set.size());
  for (auto& [key, set] : channel_customers) t.by_channel[key].customers = static_cast<int64_t>(set.size());
  return t;
}

TEST(DailyTally, EqualsTheDefinitionsWhateverTheBatchesTheOrdersComeIn) {
  std::mt19937_64 rng(7);
  auto below = [&rng](uint64_t n) { return rng() % n; };
  const std::vector<std::string> channels = {"web", "app", "marketplace", "a-channel-name-longer-than-sso"};
  Orders orders;
  for (int n = 0; n < 5000; ++n) {
    TestOrder& o = orders.New();
    const int32_t day = 20000 + static_cast<int32_t>(below(6));
    // A small pool of customers: the same customer on one day, on several
    // channels, and across batches; some placements without a customer.
    const std::string customer = below(20) == 0 ? "" : "cus-" + std::to_string(below(700));
    const bool placed_included = below(10) != 0;
    Orders::Add(o, EventType::kPlaced, day, channels[below(channels.size())], customer,
                static_cast<int64_t>(below(100000)), placed_included);
    if (below(10) == 0) {  // a second placement, excluded
      Orders::Add(o, EventType::kPlaced, day, channels[below(channels.size())], customer, 500, false);
    }
    for (int k = static_cast<int>(below(4)); k > 0 && placed_included; --k) {
      const EventType type = below(3) == 0 ? EventType::kCancelled : EventType::kRefunded;
      Orders::Add(o, type, day + static_cast<int32_t>(below(3)), "ignored", "", static_cast<int64_t>(below(5000)),
                  below(5) != 0);
    }
  }
  const TalliedMetrics expected = BruteForce(orders.all());
  ASSERT_GT(expected.by_channel.size(), 20u);
  for (size_t batch : {size_t{1}, size_t{7}, size_t{500}, size_t{100000}}) {
    SCOPED_TRACE("orders per batch: " + std::to_string(batch));
    DailyTally tally;
    size_t in_batch = 0;
    // Late orders: every third order comes after the rest, into days
    // already merged.
    for (int pass = 0; pass < 2; ++pass) {
      for (size_t i = 0; i < orders.all().size(); ++i) {
        if ((i % 3 == 0) != (pass == 1)) continue;
        Orders::Tally(orders.all()[i], &tally);
        if (++in_batch == batch) {
          tally.EndBatch();
          in_batch = 0;
        }
      }
    }
    ASSERT_TRUE(tally.usable());
    const TalliedMetrics got = tally.Finish();
    EXPECT_EQ(got.days, expected.days);
    EXPECT_EQ(got.by_channel, expected.by_channel);
  }
}

TEST(DailyTally, OneCustomerOnTwoChannelsCountsOnceForTheDayAndOncePerChannel) {
  Orders orders;
  for (const char* channel : {"web", "app", "web"}) {
    Orders::Add(orders.New(), EventType::kPlaced, 20000, channel, "cus-1", 100, true);
  }
  DailyTally tally;
  for (const TestOrder& o : orders.all()) {
    Orders::Tally(o, &tally);
    tally.EndBatch();  // each order in a batch of its own
  }
  const TalliedMetrics t = tally.Finish();
  EXPECT_EQ(t.days.at(20000).customers, 1);
  EXPECT_EQ(t.days.at(20000).orders, 3);
  EXPECT_EQ(t.days.at(20000).gross, 300);
  EXPECT_EQ(t.by_channel.at({20000, "web"}).customers, 1);
  EXPECT_EQ(t.by_channel.at({20000, "web"}).orders, 2);
  EXPECT_EQ(t.by_channel.at({20000, "app"}).customers, 1);
}

TEST(DailyTally, ADayWithOnlyExcludedEventsHasNoRow) {
  Orders orders;
  Orders::Add(orders.New(), EventType::kPlaced, 20001, "web", "cus-1", 100, false);
  DailyTally tally;
  Orders::Tally(orders.all()[0], &tally);
  const TalliedMetrics t = tally.Finish();
  EXPECT_TRUE(t.days.empty());
  EXPECT_TRUE(t.by_channel.empty());
}

// A refund counts under its order's channel, which only an included
// placement gives: without one the tally cannot place it, says so, and the
// caller aggregates in SQL instead.
TEST(DailyTally, AnIncludedFollowUpWithoutAnIncludedPlacementMakesTheTallyUnusable) {
  Orders orders;
  TestOrder& o = orders.New();
  Orders::Add(o, EventType::kPlaced, 20000, "web", "cus-1", 100, false);
  Orders::Add(o, EventType::kRefunded, 20000, "web", "", 40, true);
  DailyTally tally;
  Orders::Tally(o, &tally);
  EXPECT_FALSE(tally.usable());
}

}  // namespace
}  // namespace daybook
