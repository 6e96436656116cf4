// File: pipeline/derive.h  (internal to pipeline/)
//
// Brings the order models up to date for the orders a run touches: groups
// the new events with the stored events of their orders, derives order
// state (models/order_state.h), inserts the new events, rewrites stored
// events whose derivation changed, and replaces their fct_orders rows.
#pragma once

#include <cstdint>
#include <vector>

#include "core/event.h"
#include "core/fx.h"
#include "load/event_store.h"
#include "load/warehouse.h"
#include "models/daily_tally.h"
#include "models/order_state.h"

namespace daybook {

struct ModelChanges {
  int64_t affected_orders = 0;
  int64_t rederived_events = 0;        // stored events whose derivation changed
  std::vector<int32_t> affected_dates; // sorted, unique
};

// The order models of one set of events, derived but not yet written: the
// rows UpdateOrderModels would write. `inserts` point into
// `fresh_derivations` and the fresh events, `updates` into the StoredEvents
// it was derived from; all of them must outlive the write. Moving keeps the
// pointers valid (the vectors' buffers move); copying would not.
struct DerivedOrders {
  DerivedOrders() = default;
  DerivedOrders(DerivedOrders&&) = default;
  DerivedOrders& operator=(DerivedOrders&&) = default;
  DerivedOrders(const DerivedOrders&) = delete;
  DerivedOrders& operator=(const DerivedOrders&) = delete;

  std::vector<Derivation> fresh_derivations;  // per fresh event
  std::vector<EventRow> inserts;              // the fresh events, to insert
  std::vector<EventRow> updates;              // stored events whose derivation changed
  std::vector<OrderSummary> summaries;        // the fct_orders rows
  ModelChanges changes;
};

// `fresh` are new accepted events (not yet stored). `stored` are the stored
// events of the same orders; their derivations are updated in place to the
// new ones. Reads and writes nothing in the warehouse.
// With `tally`, each order derived is added to it (a first load's
// daily metrics, models/daily_tally.h).
DerivedOrders DeriveOrderModels(const std::vector<const Event*>& fresh, StoredEvents& stored,
                                const FxTable& fx, const Currency& reporting, int64_t run_id,
                                DailyTally* tally = nullptr);

// Writes what DeriveOrderModels derived: inserts the fresh events (their
// channels numbered by `channels`), rewrites the changed derivations,
// replaces the orders' fct_orders rows. Requires temp table
// affected_orders (the orders that may have a row to replace).
Status WriteOrderModels(Warehouse& wh, const DerivedOrders& derived, int64_t run_id, ChannelNumbers& channels);

// The layouts of order_events and fct_orders (Warehouse::Layout), read once
// per run, and DerivedOrders converted with them: what a writer thread
// needs (with the StoredEvents `updates` point into), not the events.
struct OrderModelLayouts {
  std::shared_ptr<const TableLayout> events, orders;
};
Result<OrderModelLayouts> ReadOrderModelLayouts(Warehouse& wh);
struct PreparedOrderModels {
  std::vector<NewChannel> channels;  // numbered for these events, stored with them
  PreparedRows events;
  std::vector<EventRow> updates;
  PreparedRows orders;
};
Result<PreparedOrderModels> PrepareOrderModels(const DerivedOrders& derived, const OrderModelLayouts& layouts,
                                               int64_t run_id, ChannelNumbers& channels);
Status WriteOrderModels(Warehouse& wh, PreparedOrderModels& prepared, int64_t run_id);  // consumes the rows

// Both, one after the other.
Result<ModelChanges> UpdateOrderModels(Warehouse& wh, const std::vector<const Event*>& fresh,
                                       StoredEvents& stored, const FxTable& fx,
                                       const Currency& reporting, int64_t run_id, ChannelNumbers& channels);

}  // namespace daybook
