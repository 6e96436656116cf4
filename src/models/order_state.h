// File: models/order_state.h
//
// Order state is a pure function of an order's accepted events sorted by
// (occurred_at, event_id), whatever order they arrived in (spec §3). Walking
// that sequence, an event that breaks a business rule stays stored but is
// excluded from revenue with a reason:
//   ORPHAN_EVENT          refund/cancel with no included order_placed before it
//   DUPLICATE_ORDER       a second order_placed
//   AFTER_CANCEL          refund/cancel after an included cancel
//   CURRENCY_MISMATCH     refund currency differs from the order's
//   REFUND_EXCEEDS_ORDER  included refunds so far plus this one pass the amount
//   FX_RATE_MISSING       a cancel whose business date has no rate for the
//                         order currency (Daybook decision: a cancellation's
//                         value converts at the cancel's own date)
// An included cancel's value is (amount − refunds before it), converted at
// the cancel's business date, half-even.
//
//   std::vector<DerivedEvent> evs = ...;          // all events of one order
//   OrderSummary s = DeriveOrder(evs, fx, *usd);  // fills evs[i].included, …
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/fx.h"
#include "core/reason.h"

namespace daybook {

// One event of an order: its typed values (business_date and FX already
// set by validate) and the derivation this module computes for it.
struct DerivedEvent {
  const Event* event = nullptr;
  uint32_t tag = 0;  // the caller's own index, carried through the sort
  Derivation out;
};

enum class OrderStatus { kPlaced, kPartiallyRefunded, kRefunded, kCancelled, kOrphaned };
std::string_view OrderStatusName(OrderStatus s);

// Like `placed` and `cancel`, `order_id` points into the order's events,
// which must outlive the summary.
struct OrderSummary {
  std::string_view order_id;
  uint64_t order_key = 0;            // KeyHash(order_id)
  const Event* placed = nullptr;     // the included order_placed, if any
  const Event* cancel = nullptr;     // the included cancel, if any
  int64_t refunded_minor = 0;        // included refunds, order currency
  int64_t gross_reporting = 0;       // included placed value
  int64_t refunds_reporting = 0;
  int64_t cancellation_reporting = 0;
  int64_t net_reporting() const { return gross_reporting - refunds_reporting - cancellation_reporting; }
  OrderStatus status = OrderStatus::kOrphaned;
  int events = 0;
  int excluded_events = 0;
  Timestamp last_event_at;
};

// Sorts `events` by (occurred_at, event_id) and derives each one's outputs.
// All events must share one order_id.
OrderSummary DeriveOrder(std::vector<DerivedEvent>& events, const FxTable& fx,
                         const Currency& reporting);

}  // namespace daybook
