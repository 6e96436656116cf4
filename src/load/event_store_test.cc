#include "load/event_store.h"

#include <gtest/gtest.h>

#include "load/schema.h"

namespace daybook {
namespace {

Event Placed(const std::string& id, int64_t cents) {
  Event e;
  e.event_id = id;
  e.order_id = "o-" + id;
  e.customer_id = "c";
  e.occurred_at = Timestamp{1735725600000000};  // 2025-01-01T10:00:00Z
  e.business_date = 20089;
  e.has_amount = true;
  e.amount_minor = cents;
  e.currency = FindCurrency("USD");
  e.fx_rate = Rate{10000000000};
  e.reporting_minor = cents;
  e.locator = {"landing", "f.jsonl", 1};
  e.content_hash = ContentHash(e);
  return e;
}

class FindStoredEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto wh = Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite);
    ASSERT_TRUE(wh.ok());
    wh_ = std::move(*wh);
    ASSERT_TRUE(Migrate(*wh_, "USD").ok());
    stored_ = {Placed("a", 100), Placed("b", 200)};
    Derivation d;
    d.included = true;
    derivations_ = {d, d};
    std::vector<EventRow> rows = {{&stored_[0], &derivations_[0]}, {&stored_[1], &derivations_[1]}};
    auto channels = ChannelNumbers::Read(*wh_);
    ASSERT_TRUE(channels.ok()) << channels.status().message();
    ASSERT_TRUE(AppendEvents(*wh_, rows, 1, *channels).ok());
  }
  std::vector<StoredMatch> Find(const std::vector<Event>& batch) {
    std::vector<const Event*> ptrs;
    for (const Event& e : batch) ptrs.push_back(&e);
    auto r = FindStoredEvents(*wh_, ptrs);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : std::vector<StoredMatch>{};
  }
  std::unique_ptr<Warehouse> wh_;
  std::vector<Event> stored_;
  std::vector<Derivation> derivations_;
};

TEST_F(FindStoredEventsTest, SameIdMatchesWithTheStoredContentHash) {
  std::vector<Event> batch = {Placed("new", 1), Placed("b", 200), Placed("a", 999)};
  auto m = Find(batch);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].batch_index, 1u);  // a duplicate: same content
  EXPECT_EQ(m[0].stored_content_hash, stored_[1].content_hash);
  EXPECT_EQ(m[1].batch_index, 2u);  // a conflict: same id, other content
  EXPECT_EQ(m[1].stored_content_hash, stored_[0].content_hash);
}

// Two ids whose keys collide (forced here by rewriting a stored key): the
// key alone matches, the id does not, so nothing is found; the stored id
// itself is still found.
TEST_F(FindStoredEventsTest, AKeyCollisionWithAnotherIdIsNotAMatch) {
  std::vector<Event> batch = {Placed("x", 5), Placed("a", 100)};
  ASSERT_TRUE(wh_->Exec("UPDATE order_events SET event_key = " + std::to_string(KeyHash("x")) +
                        " WHERE event_id = 'b'").ok());
  auto m = Find(batch);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].batch_index, 1u);
}

// The stored events of staged orders come back; when none of the staged
// orders has any, the staging is emptied, so ReplaceOrders does not look
// for fct_orders rows that cannot exist.
TEST_F(FindStoredEventsTest, OrdersWithoutStoredEventsLeaveNothingStaged) {
  ASSERT_TRUE(StageAffectedOrders(*wh_, {"o-a", "o-new"}).ok());
  auto found = LoadEventsOfAffectedOrders(*wh_);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_EQ(found->events.size(), 1u);
  EXPECT_EQ(found->events[0].event_id, "a");
  auto any = AnyAffectedOrders(*wh_);
  ASSERT_TRUE(any.ok());
  EXPECT_TRUE(*any);

  ASSERT_TRUE(StageAffectedOrders(*wh_, {"o-new", "o-other"}).ok());
  found = LoadEventsOfAffectedOrders(*wh_);
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_TRUE(found->events.empty());
  any = AnyAffectedOrders(*wh_);
  ASSERT_TRUE(any.ok());
  EXPECT_FALSE(*any);
}

// Events are read back with their channel's name; one whose number
// `channels` does not hold is reported, never dropped from the result.
TEST_F(FindStoredEventsTest, AnEventWhoseChannelIsNotNumberedIsCorruptNotLost) {
  ASSERT_TRUE(StageAffectedOrders(*wh_, {"o-a", "o-b"}).ok());
  auto found = LoadEventsOfAffectedOrders(*wh_);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_EQ(found->events.size(), 2u);
  EXPECT_EQ(found->events[0].channel, "unknown");
  EXPECT_EQ(*wh_->QueryScalar("SELECT string_agg(channel_id || ':' || channel, ' ') FROM channels"), "1:unknown");

  ASSERT_TRUE(wh_->Exec("DELETE FROM channels").ok());
  ASSERT_TRUE(StageAffectedOrders(*wh_, {"o-a", "o-b"}).ok());
  found = LoadEventsOfAffectedOrders(*wh_);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(found.status().message().find("channel_id"), std::string::npos) << found.status().message();
  auto all = LoadEventsOfPartition(*wh_, 0, 0);
  EXPECT_EQ(all.status().code(), StatusCode::kCorrupt);
}

}  // namespace
}  // namespace daybook
