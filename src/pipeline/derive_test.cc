#include "pipeline/derive.h"

#include <gtest/gtest.h>

#include "load/schema.h"

namespace daybook {
namespace {

constexpr int32_t kJan1 = 20089;                     // 2025-01-01
constexpr int64_t kJan1At10 = 1735725600000000;      // 2025-01-01T10:00:00Z
constexpr int64_t kDay = 86400000000;

Event At(const std::string& id, EventType type, int day, const std::string& channel, int64_t cents) {
  Event e;
  e.event_id = id;
  e.type = type;
  e.order_id = "o1";
  e.customer_id = "c1";
  e.occurred_at = Timestamp{kJan1At10 + day * kDay};
  e.business_date = kJan1 + day;
  e.channel = channel;
  e.has_amount = true;
  e.amount_minor = cents;
  e.currency = FindCurrency("USD");
  e.fx_rate = Rate{10000000000};
  e.reporting_minor = cents;
  e.locator = {"landing", "f.jsonl", 1};
  e.content_hash = ContentHash(e);
  return e;
}

// An order placed through the app and refunded (stored by run 1), then a
// second placement through the web, earlier, that run 2 loaded in a later
// batch with a provisional derivation (included: it was alone in its
// batch). Derived again, the web placement wins, so the whole order moves
// to the web channel: every day of the order is affected — also the
// refund's, whose own derivation does not change. The baseline is the
// placement run 1 stored, not run 2's provisional one (listed last here,
// where it would otherwise be taken for the stored placement).
TEST(UpdateOrderModels, AMoveToAnotherChannelIsJudgedAgainstWhatEarlierRunsStored) {
  auto opened = Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite);
  ASSERT_TRUE(opened.ok());
  Warehouse& wh = **opened;
  ASSERT_TRUE(Migrate(wh, "USD").ok());

  StoredEvents stored;
  stored.events = {At("p-app", EventType::kPlaced, 3, "app", 5000), At("r", EventType::kRefunded, 4, "app", 500),
                   At("p-web", EventType::kPlaced, 2, "web", 5000)};
  Derivation included;
  included.included = true;
  included.fx_rate = Rate{10000000000};
  stored.derivations = {included, included, included};
  stored.derivations[0].reporting_minor = 5000;
  stored.derivations[1].reporting_minor = 500;
  stored.derivations[2].reporting_minor = 5000;
  stored.run_ids = {1, 1, 2};
  std::vector<EventRow> rows;
  for (size_t i = 0; i < 3; ++i) rows.push_back({&stored.events[i], &stored.derivations[i]});
  auto channels = ChannelNumbers::Read(wh);
  ASSERT_TRUE(channels.ok()) << channels.status().message();
  ASSERT_TRUE(AppendEvents(wh, rows, 1, *channels).ok());
  ASSERT_TRUE(StageAffectedOrders(wh, {"o1"}).ok());

  FxTable fx("USD", 3);
  auto changes = UpdateOrderModels(wh, {}, stored, fx, *FindCurrency("USD"), /*run_id=*/2, *channels);
  ASSERT_TRUE(changes.ok()) << changes.status().message();
  EXPECT_EQ(changes->affected_dates, (std::vector<int32_t>{kJan1 + 2, kJan1 + 3, kJan1 + 4}));
  EXPECT_EQ(*wh.QueryScalar("SELECT channel FROM fct_orders WHERE order_id = 'o1'"), "web");
  EXPECT_FALSE(stored.derivations[0].included);  // the app placement is now the duplicate
}

}  // namespace
}  // namespace daybook
