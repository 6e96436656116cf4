#include "core/event.h"

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

namespace daybook {

std::string_view EventTypeName(EventType t) {
  switch (t) {
    case EventType::kPlaced: return "order_placed";
    case EventType::kCancelled: return "order_cancelled";
    case EventType::kRefunded: return "order_refunded";
  }
  return "?";
}

uint64_t KeyHash(std::string_view id) { return XXH64(id.data(), id.size(), 0); }

uint64_t ContentHash(const Event& e) {
  XXH64_state_t state;
  XXH64_state_t* st = &state;
  XXH64_reset(st, 0x64617962);
  auto str = [&](std::string_view s) {
    uint64_t n = s.size();
    XXH64_update(st, &n, sizeof n);
    XXH64_update(st, s.data(), s.size());
  };
  auto num = [&](int64_t v) { XXH64_update(st, &v, sizeof v); };
  str(e.event_id);
  num(static_cast<int64_t>(e.type));
  str(e.order_id);
  num(e.occurred_at.micros);
  str(e.customer_id);
  num(e.has_amount ? 1 : 0);
  num(e.amount_minor);
  str(e.currency ? e.currency->Code() : std::string_view());
  str(e.channel);
  num(e.schema_version);
  str(e.extra_json);
  return XXH64_digest(st);
}

}  // namespace daybook
