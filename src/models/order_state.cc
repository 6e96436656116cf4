#include "models/order_state.h"

#include <algorithm>

namespace daybook {

static_assert(static_cast<int>(OrderStatus::kOrphaned) == 4, "order matches kOrderStatusNames");

std::string_view OrderStatusName(OrderStatus s) {
  switch (s) {
    case OrderStatus::kPlaced: return "placed";
    case OrderStatus::kPartiallyRefunded: return "partially_refunded";
    case OrderStatus::kRefunded: return "refunded";
    case OrderStatus::kCancelled: return "cancelled";
    case OrderStatus::kOrphaned: return "orphaned";
  }
  return "?";
}

OrderSummary DeriveOrder(std::vector<DerivedEvent>& events, const FxTable& fx,
                         const Currency& reporting) {
  std::sort(events.begin(), events.end(), [](const DerivedEvent& a, const DerivedEvent& b) {
    if (a.event->occurred_at.micros != b.event->occurred_at.micros) {
      return a.event->occurred_at.micros < b.event->occurred_at.micros;
    }
    return a.event->event_id < b.event->event_id;
  });
  OrderSummary s;
  if (!events.empty()) {
    s.order_id = events.front().event->order_id;
    s.order_key = OrderKey(*events.front().event);
  }
  for (DerivedEvent& ev : events) {
    const Event& e = *ev.event;
    Derivation& d = ev.out;
    d = Derivation{};
    d.reporting_minor = e.reporting_minor;
    d.fx_rate = e.fx_rate;
    ++s.events;
    s.last_event_at = e.occurred_at;  // sorted: the last one is the latest
    auto exclude = [&](Reason r) {
      d.excluded_reason = r;
      ++s.excluded_events;
    };
    switch (e.type) {
      case EventType::kPlaced:
        if (s.placed) {
          exclude(Reason::kDuplicateOrder);
        } else {
          d.included = true;
          s.placed = &e;
          s.gross_reporting += d.reporting_minor;
        }
        break;
      case EventType::kRefunded:
        if (!s.placed) {
          exclude(Reason::kOrphanEvent);
        } else if (s.cancel) {
          exclude(Reason::kAfterCancel);
        } else if (e.currency != s.placed->currency) {
          exclude(Reason::kCurrencyMismatch);
        } else if (s.refunded_minor + e.amount_minor > s.placed->amount_minor) {
          exclude(Reason::kRefundExceedsOrder);
        } else {
          d.included = true;
          s.refunded_minor += e.amount_minor;
          s.refunds_reporting += d.reporting_minor;
        }
        break;
      case EventType::kCancelled: {
        if (!s.placed) {
          exclude(Reason::kOrphanEvent);
          break;
        }
        if (s.cancel) {
          exclude(Reason::kAfterCancel);
          break;
        }
        const Currency& currency = *s.placed->currency;
        auto rate = fx.Lookup(currency.Code(), e.business_date);
        if (!rate) {
          d.reporting_minor = 0;
          d.fx_rate = Rate{0};
          exclude(Reason::kFxRateMissing);
          break;
        }
        int64_t remaining = s.placed->amount_minor - s.refunded_minor;
        d.fx_rate = *rate;
        d.reporting_minor = ConvertHalfEven(remaining, currency, *rate, reporting);
        d.included = true;
        s.cancel = &e;
        s.cancellation_reporting += d.reporting_minor;
        break;
      }
    }
  }
  if (!s.placed) {
    s.status = OrderStatus::kOrphaned;
  } else if (s.cancel) {
    s.status = OrderStatus::kCancelled;
  } else if (s.refunded_minor > 0 && s.refunded_minor >= s.placed->amount_minor) {
    s.status = OrderStatus::kRefunded;
  } else if (s.refunded_minor > 0) {
    s.status = OrderStatus::kPartiallyRefunded;
  } else {
    s.status = OrderStatus::kPlaced;
  }
  return s;
}

}  // namespace daybook
