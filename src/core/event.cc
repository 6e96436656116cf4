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
  // One pass over a flat buffer: the typed values with length-prefixed
  // strings, so no two different events serialise alike.
  thread_local std::string buf;
  buf.clear();
  auto str = [&](std::string_view s) {
    uint32_t n = static_cast<uint32_t>(s.size());
    buf.append(reinterpret_cast<const char*>(&n), sizeof n);
    buf.append(s);
  };
  auto num = [&](int64_t v) { buf.append(reinterpret_cast<const char*>(&v), sizeof v); };
  str(e.event_id);
  num(static_cast<int64_t>(e.type));
  str(e.order_id);
  num(e.occurred_at.micros);
  str(e.customer_id);
  num(e.has_amount ? e.amount_minor : INT64_MIN);
  str(e.currency ? e.currency->Code() : std::string_view());
  str(e.channel);
  num(e.schema_version);
  str(e.extra_json);
  return XXH3_64bits(buf.data(), buf.size());
}
}  // namespace daybook
