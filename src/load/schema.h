// File: load/schema.h
//
// The warehouse schema (spec §4) and its migrations. The schema version
// lives in `daybook_meta`; Migrate brings an older file forward inside one
// transaction and refuses a file written by a newer Daybook. The reporting
// currency is fixed when a warehouse is created (its money columns use the
// currency's minor digits as DECIMAL scale); opening it with another one is
// a configuration error.
#pragma once

#include <string>

#include "core/status.h"
#include "load/warehouse.h"

namespace daybook {

// 1: the first. 2: order_events.source_file_id and source_files instead of
// order_events.source and source_file (decision 64). 3: order_events.
// channel_id and channels instead of order_events.channel (decision 65).
inline constexpr int kSchemaVersion = 3;

// fct_orders.status values, in the order of models' OrderStatus.
inline constexpr const char* kOrderStatusNames[] = {"placed", "partially_refunded", "refunded", "cancelled",
                                                    "orphaned"};

// Creates the tables of a new warehouse or migrates an old one. Idempotent.
Status Migrate(Warehouse& wh, const std::string& reporting_currency);

// For read-only commands: checks that the file is a Daybook warehouse of a
// version this binary understands (it is never migrated read-only).
Status CheckReadable(Warehouse& wh);

// The reporting currency the warehouse was created with.
Result<std::string> WarehouseCurrency(Warehouse& wh);

}  // namespace daybook
