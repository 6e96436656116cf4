// File: gen/internal/order_model.h
//
// Internal to src/gen. What one order looks like: who buys (heavy-tailed
// repeat customers), in which currency and channel, for how much
// (log-normal amounts with shop-like price endings), and whether it is later
// refunded (partially or fully, up to 10 days on) or cancelled (within 48 h).
// Also decides how each event is spelled (timestamp form, amount as string
// or number, optional fields), so that a re-delivery can repeat it exactly.
//
//   OrderModel model(seed, /*refund_rate=*/0.05, /*cancel_rate=*/0.03);
//   GenEvent ev[kMaxEventsPerOrder];
//   int n = model.Make(placed_at, ev);   // ev[0] is order_placed
#pragma once

#include <cstdint>
#include <vector>

#include "core/event.h"
#include "gen/internal/rng.h"

namespace daybook::gen {

// How occurred_at is written.
enum TimeStyle : uint8_t {
  kZulu = 0,         // 2025-01-01T10:00:00Z
  kZuluMillis,       // 2025-01-01T10:00:00.123Z
  kZuluMicros,       // 2025-01-01T10:00:00.123456Z
  kBusinessOffset,   // local time in the business zone with its ±hh:mm
  kFixedOffset,      // +kFixedOffsets[offset_index]
};
inline constexpr int kFixedOffsetMinutes[] = {60, -300, 330, 540, -210, 0};

// Spelling flags.
enum : uint8_t {
  kAmountAsNumber = 1,   // "amount":12.30 instead of "amount":"12.30"
  kSchemaVersion = 2,    // carries "schema_version":1
  kExtraField = 4,       // carries coupon_code (placed) or reason (others)
  kSpacedLayout = 8,     // written with ", " and ": " separators
};

// One generated event. Plain data (56 bytes); all of its text derives from it.
struct GenEvent {
  int64_t at = 0;          // occurred_at, UTC micros, at the precision it is written with
  int64_t key = 0;         // position in the stream: `at`, or a late event's arrival time
  uint64_t seq = 0;        // event number: event_id
  uint64_t order = 0;      // order number: order_id
  uint64_t customer = 0;   // customer number: customer_id (order_placed only)
  int64_t amount = 0;      // minor units (order_placed, order_refunded)
  EventType type = EventType::kPlaced;
  uint8_t currency = 0;    // index into GenCurrencies()
  uint8_t channel = 0;     // index into kChannels, or kNoChannel
  uint8_t time_style = kZulu;
  uint8_t offset_index = 0;  // for kFixedOffset
  uint8_t flags = 0;
  uint8_t extra_index = 0;   // which coupon code or reason
};

inline constexpr int kMaxEventsPerOrder = 4;          // placed, 2 refunds, cancel
inline constexpr int64_t kMaxRefundDelay = 10 * kMicrosPerDay;
inline constexpr int64_t kMaxCancelDelay = 2 * kMicrosPerDay;

class OrderModel {
 public:
  OrderModel(uint64_t seed, double refund_rate, double cancel_rate);

  // One order placed at `placed_at` (UTC micros; written at its second,
  // millisecond or microsecond, so out[0].at may be a little earlier) with
  // its follow-up events, in time order. Call in order of placed_at: event
  // numbers then follow time. Returns how many events were written to `out`
  // (1 to kMaxEventsPerOrder).
  int Make(int64_t placed_at, GenEvent* out);

 private:
  uint64_t PickCustomer();
  int64_t PickAmount(int currency);
  uint8_t PickChannel(uint64_t customer);
  // Chooses how `e` is spelled; truncates e->at to the written precision.
  void Spell(GenEvent* e);
  GenEvent FollowUp(const GenEvent& placed, EventType type, int64_t at, int64_t amount);

  Rng rng_;
  uint64_t customer_key_;
  uint64_t refund_threshold_, cancel_threshold_;
  uint64_t next_event_ = 0, next_order_ = 0, next_customer_ = 0;
  // Customers of a uniform sample of past orders; a returning customer is
  // drawn from here, so a customer's chance to order again grows with their
  // past orders (a Yule-Simon heavy tail).
  std::vector<uint64_t> recent_customers_;
  uint64_t orders_seen_ = 0;
};

}  // namespace daybook::gen
