// File: core/event.h
//
// The vocabulary every stage shares for one order event (contract v1, spec
// §1): what decode produces, validate completes (business date, FX), load
// stores and models derive from. Plain data, no behaviour beyond naming.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <optional>

#include "core/id_string.h"
#include "core/money.h"
#include "core/reason.h"
#include "core/time.h"

namespace daybook {

enum class EventType : uint8_t { kPlaced = 0, kCancelled = 1, kRefunded = 2 };
std::string_view EventTypeName(EventType t);  // "order_placed", …

// Where a line came from: "source", file path and 1-based line number (or,
// later, partition and offset). Rendered as "path:line". The source and the
// path are views of the input file's own names (sources/, which a run keeps
// until its end): every event of a run carries a locator, and two string
// copies per event were tens of millions of allocations a day. file_id is
// the file's number in `source_files`, which order_events stores instead
// of the two names (0 until the run has numbered its files).
struct Locator {
  std::string_view source;
  std::string_view file;
  int64_t line = 0;
  int32_t file_id = 0;
  std::string ToString() const { return std::string(file) + ":" + std::to_string(line); }
};

struct Event {
  IdString event_id;
  EventType type = EventType::kPlaced;
  IdString order_id;
  Timestamp occurred_at;
  IdString customer_id;  // empty when absent (only order_placed requires it)
  bool has_amount = false;
  int64_t amount_minor = 0;            // minor units of `currency`
  const Currency* currency = nullptr;  // always with an amount; optional on a cancel
  std::string channel = "unknown";
  int32_t schema_version = 1;
  // Fields the contract does not type, as a canonical JSON object (keys
  // sorted, values minified); "{}" when none. Kept so the original event can
  // be reconstructed.
  std::string extra_json = "{}";
  // XXH3 over the typed values and extra_json: equal events (whatever their
  // key order or whitespace) hash equal. Identifies duplicates.
  uint64_t content_hash = 0;
  // KeyHash of event_id and of order_id, set by the decoder, which has the
  // ids in cache (the loader's passes over a batch would each miss on them);
  // 0 in an event built otherwise. Read through EventKey and OrderKey.
  uint64_t event_key = 0, order_key = 0;

  // Filled by validate.
  int32_t business_date = 0;   // days since epoch in business.timezone
  Rate fx_rate;                // to the reporting currency; zero when no amount
  int64_t reporting_minor = 0; // amount in reporting-currency minor units

  Locator locator;
};

// Computes Event::content_hash from the typed fields.
uint64_t ContentHash(const Event& e);

// xxh64 of an id: the warehouse's join key for event_id and order_id.
uint64_t KeyHash(std::string_view id);

// KeyHash(e.event_id) and KeyHash(e.order_id): as the decoder stored them,
// or computed now for an event built otherwise.
inline uint64_t EventKey(const Event& e) { return e.event_key != 0 ? e.event_key : KeyHash(e.event_id); }
inline uint64_t OrderKey(const Event& e) { return e.order_key != 0 ? e.order_key : KeyHash(e.order_id); }

// The order-level outputs stored with each event (see models/order_state.h):
// whether it counts toward revenue, why not, and the reporting-currency
// value it counts with (for a cancel, the derived cancellation value).
struct Derivation {
  bool included = false;
  std::optional<Reason> excluded_reason;
  int64_t reporting_minor = 0;
  Rate fx_rate;
  bool operator==(const Derivation&) const = default;
};

}  // namespace daybook
