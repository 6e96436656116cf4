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

namespace daybook {

struct ModelChanges {
  int64_t affected_orders = 0;
  int64_t rederived_events = 0;        // stored events whose derivation changed
  std::vector<int32_t> affected_dates; // sorted, unique
};

// `fresh` are new accepted events (not yet stored). `stored` are the stored
// events of the same orders; their derivations are updated in place to the
// new ones. Requires temp table affected_orders.
Result<ModelChanges> UpdateOrderModels(Warehouse& wh, const std::vector<const Event*>& fresh,
                                       StoredEvents& stored, const FxTable& fx,
                                       const Currency& reporting, int64_t run_id);

}  // namespace daybook
