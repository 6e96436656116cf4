#include "models/order_state.h"

#include <gtest/gtest.h>

#include <deque>

namespace daybook {
namespace {

// Builds events of one order and renders derivations as readable text.
class OrderBuilder {
 public:
  OrderBuilder() : fx_("USD", 3) { fx_.Add("EUR", 0, *ParseRate("1.1")); }

  OrderBuilder& Placed(const char* id, int64_t t, int64_t cents, const char* cur = "USD") {
    return Add(id, EventType::kPlaced, t, cents, cur);
  }
  OrderBuilder& Refund(const char* id, int64_t t, int64_t cents, const char* cur = "USD") {
    return Add(id, EventType::kRefunded, t, cents, cur);
  }
  OrderBuilder& Cancel(const char* id, int64_t t) { return Add(id, EventType::kCancelled, t, -1, nullptr); }

  // "id:included" or "id:REASON", in derivation order, plus the summary.
  std::string Derive(OrderSummary* out = nullptr) {
    std::vector<DerivedEvent> evs;
    for (auto& e : events_) evs.push_back({&e, 0, {}});
    OrderSummary s = DeriveOrder(evs, fx_, *FindCurrency("USD"));
    if (out) *out = s;
    std::string r;
    for (auto& d : evs) {
      r += (r.empty() ? "" : " ") + d.event->event_id + ":" +
           (d.out.included ? std::string("in") : std::string(ReasonName(*d.out.excluded_reason)));
    }
    return r + " => " + std::string(OrderStatusName(s.status));
  }
  std::vector<DerivedEvent> Raw() {
    std::vector<DerivedEvent> evs;
    for (auto& e : events_) evs.push_back({&e, 0, {}});
    return evs;
  }
  FxTable& fx() { return fx_; }

 private:
  OrderBuilder& Add(const char* id, EventType type, int64_t t, int64_t cents, const char* cur) {
    Event e;
    e.event_id = id;
    e.type = type;
    e.order_id = "o1";
    e.occurred_at = Timestamp{t * kMicrosPerSecond};
    e.business_date = static_cast<int32_t>(t / 86400);
    if (cents >= 0) {
      e.has_amount = true;
      e.amount_minor = cents;
      e.currency = FindCurrency(cur);
      auto rate = fx_.Lookup(cur, e.business_date);
      e.fx_rate = *rate;
      e.reporting_minor = ConvertHalfEven(cents, *e.currency, *rate, *FindCurrency("USD"));
    }
    events_.push_back(e);
    return *this;
  }
  FxTable fx_;
  std::deque<Event> events_;
};

TEST(OrderState, PlacedRefundCancelAllIncluded) {
  OrderSummary s;
  EXPECT_EQ(OrderBuilder().Placed("a", 100, 10000).Refund("b", 200, 3000).Cancel("c", 300).Derive(&s),
            "a:in b:in c:in => cancelled");
  EXPECT_EQ(s.gross_reporting, 10000);
  EXPECT_EQ(s.refunds_reporting, 3000);
  EXPECT_EQ(s.cancellation_reporting, 7000);  // amount minus refunds before the cancel
  EXPECT_EQ(s.net_reporting(), 0);
}

TEST(OrderState, ArrivalOrderDoesNotMatterOnlyOccurredAt) {
  // Added in reverse arrival order: the refund sorts after the placement.
  EXPECT_EQ(OrderBuilder().Refund("b", 200, 500).Placed("a", 100, 1000).Derive(),
            "a:in b:in => partially_refunded");
}

TEST(OrderState, RefundBeforeOrderIsOrphan) {
  EXPECT_EQ(OrderBuilder().Refund("b", 50, 500).Placed("a", 100, 1000).Derive(),
            "b:ORPHAN_EVENT a:in => placed");
}

TEST(OrderState, CancelWithoutOrderIsOrphanAndOrderIsOrphaned) {
  EXPECT_EQ(OrderBuilder().Cancel("c", 50).Derive(), "c:ORPHAN_EVENT => orphaned");
}

TEST(OrderState, SecondPlacementIsDuplicateOrder) {
  EXPECT_EQ(OrderBuilder().Placed("a", 100, 1000).Placed("b", 200, 1000).Derive(),
            "a:in b:DUPLICATE_ORDER => placed");
}

TEST(OrderState, SameInstantTieBrokenByEventId) {
  EXPECT_EQ(OrderBuilder().Placed("z", 100, 1000).Placed("m", 100, 2000).Derive(),
            "m:in z:DUPLICATE_ORDER => placed");
}

TEST(OrderState, RefundInOtherCurrencyIsMismatch) {
  EXPECT_EQ(OrderBuilder().Placed("a", 100, 1000).Refund("b", 200, 100, "EUR").Derive(),
            "a:in b:CURRENCY_MISMATCH => placed");
}

TEST(OrderState, RefundsBeyondTheAmountAreExcludedOneByOne) {
  OrderSummary s;
  EXPECT_EQ(OrderBuilder()
                .Placed("a", 100, 1000)
                .Refund("b", 200, 600)
                .Refund("c", 300, 500)
                .Refund("d", 400, 400)
                .Derive(&s),
            "a:in b:in c:REFUND_EXCEEDS_ORDER d:in => refunded");
  EXPECT_EQ(s.refunded_minor, 1000);
}

TEST(OrderState, RefundOrCancelAfterCancelIsExcluded) {
  EXPECT_EQ(OrderBuilder().Placed("a", 100, 1000).Cancel("b", 200).Refund("c", 300, 100).Cancel("d", 400).Derive(),
            "a:in b:in c:AFTER_CANCEL d:AFTER_CANCEL => cancelled");
}

TEST(OrderState, CancelConvertsAtItsOwnDateRateHalfEven) {
  OrderBuilder b;
  // EUR: 1.1 on day 0, 1.25 from day 2. 0.50 EUR * 1.25 = 0.625 USD -> 0.62 (half-even).
  b.fx().Add("EUR", 2, *ParseRate("1.25"));
  OrderSummary s;
  b.Placed("a", 100, 50, "EUR").Cancel("c", 2 * 86400 + 5).Derive(&s);
  EXPECT_EQ(s.gross_reporting, 55);          // 0.50 * 1.1 = 0.55
  EXPECT_EQ(s.cancellation_reporting, 62);   // at the cancel date's rate
}

TEST(OrderState, CancelWithoutRateIsExcludedFxRateMissing) {
  OrderBuilder b;  // EUR rate only on day 0, staleness 3 days
  EXPECT_EQ(b.Placed("a", 100, 50, "EUR").Cancel("c", 10 * 86400).Derive(), "a:in c:FX_RATE_MISSING => placed");
}

TEST(OrderState, DerivationIsIdempotent) {
  OrderBuilder b;
  b.Placed("a", 100, 1000).Refund("b", 200, 300).Cancel("c", 300);
  auto evs = b.Raw();
  DeriveOrder(evs, b.fx(), *FindCurrency("USD"));
  std::vector<Derivation> first;
  for (auto& e : evs) first.push_back(e.out);
  DeriveOrder(evs, b.fx(), *FindCurrency("USD"));
  for (size_t i = 0; i < evs.size(); ++i) EXPECT_EQ(evs[i].out, first[i]);
}

}  // namespace
}  // namespace daybook
