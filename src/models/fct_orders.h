// File: models/fct_orders.h
//
// `fct_orders`: one row per order (spec §4), rebuilt for the orders a run
// touches (temp table `affected_orders`, see load/event_store.h) from their
// derived state.
#pragma once

#include <vector>

#include "load/warehouse.h"
#include "models/order_state.h"

namespace daybook {

Status ReplaceOrders(Warehouse& wh, const std::vector<OrderSummary>& orders, int64_t run_id);
// The rows of `orders` converted for `fct_orders` (its Warehouse::Layout)
// without a connection; and the replacement with rows so prepared.
Result<PreparedRows> PrepareOrders(std::shared_ptr<const TableLayout> layout,
                                   const std::vector<OrderSummary>& orders, int64_t run_id);
Status ReplaceOrders(Warehouse& wh, PreparedRows orders);

}  // namespace daybook
