// File: load/event_store.h
//
// Reading and writing the event-level tables: `order_events` (accepted
// events with their derivation) and `quarantine` (rejected lines). All
// functions run inside the caller's transaction on the given warehouse.
//
//   auto stored = FindStoredEvents(wh, batch);     // ids already accepted
//   AppendEvents(wh, rows, run_id);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/reason.h"
#include "load/channels.h"
#include "load/warehouse.h"

namespace daybook {

// An event of `batch` whose event_id is already in order_events (index into
// `batch`; matches come back sorted by it).
struct StoredMatch {
  uint32_t batch_index;
  uint64_t stored_content_hash;
};
Result<std::vector<StoredMatch>> FindStoredEvents(Warehouse& wh, const std::vector<const Event*>& batch);

// Whether order_events holds any row (a first load has no history to consult).
Result<bool> HasStoredEvents(Warehouse& wh);

// Stages the touched orders that may already be stored in temp table
// `affected_orders` (order_key, order_id), which LoadEventsOfAffectedOrders
// and ReplaceOrders use to find their stored events and fct_orders rows.
Status StageAffectedOrders(Warehouse& wh, const std::vector<std::string_view>& order_ids);
// Whether `affected_orders` holds any order (nothing to look up otherwise).
Result<bool> AnyAffectedOrders(Warehouse& wh);

// The order keys (KeyHash of order_id) among `order_ids` that order_events
// holds events for. Matched by key alone, so a key collision can name an
// order without stored events: a caller may only use it to look closer.
Result<std::vector<uint64_t>> FindOrderKeysWithStoredEvents(Warehouse& wh,
                                                            const std::vector<std::string_view>& order_ids);

// Every stored event of the affected orders, with the derivation stored for
// it and the run that loaded it: the typed fields order derivation uses
// (currency pointers resolved); extras, content hash and locator are left
// empty. When no affected order has a stored event, `affected_orders` is
// emptied: without stored events an order has no fct_orders row to replace.
struct StoredEvents {
  std::vector<Event> events;
  std::vector<Derivation> derivations;
  std::vector<int64_t> run_ids;
};
Result<StoredEvents> LoadEventsOfAffectedOrders(Warehouse& wh);

// The same for every stored event of the orders in one partition: those
// whose order_key has `partition` as its top `bits` bits (bits = 0: every
// stored event). An order's events are all in one partition. Each call
// scans the key column of order_events (`daybook rebuild` derives the
// warehouse partition by partition, so its memory follows a partition).
Result<StoredEvents> LoadEventsOfPartition(Warehouse& wh, int bits, uint64_t partition);

struct EventRow {
  const Event* event;
  const Derivation* derivation;
};
// Inserts new events (run_id is both the loading and the updating run),
// their channels numbered by `channels`; channels new to the warehouse are
// stored first (load/channels.h).
Status AppendEvents(Warehouse& wh, const std::vector<EventRow>& rows, int64_t run_id, ChannelNumbers& channels);
// The same rows converted for `order_events` (its Warehouse::Layout) without
// a connection, for Warehouse::InsertRows(PreparedRows) later. The channels
// it numbered anew wait in `channels` (TakeNew) for the caller to store
// with the rows.
Result<PreparedRows> PrepareEvents(std::shared_ptr<const TableLayout> layout, const std::vector<EventRow>& rows,
                                   int64_t run_id, ChannelNumbers& channels);
// Rewrites the derivation of stored events whose order changed.
Status UpdateDerivations(Warehouse& wh, const std::vector<EventRow>& rows, int64_t run_id);

struct QuarantineRow {
  Locator locator;
  Reason reason;
  std::string detail;
  std::string raw;       // the line's bytes (possibly truncated for OVERSIZED_RECORD)
  int64_t raw_size = 0;  // the line's full length
  std::string event_id;  // when it could be read
};
Status AppendQuarantine(Warehouse& wh, const std::vector<QuarantineRow>& rows, int64_t run_id,
                        Timestamp now);

// Replaces invalid UTF-8 sequences with U+FFFD (and reports whether any were).
std::string SanitizeUtf8(std::string_view bytes, bool* changed);

}  // namespace daybook
