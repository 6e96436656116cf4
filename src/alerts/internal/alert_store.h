// File: alerts/internal/alert_store.h — internal to alerts/ (and its tests).
//
// Rows of the warehouse table `alerts` and the JSON of their `deliveries`
// column (format documented in dispatcher.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alert.h"
#include "alerts/sink.h"
#include "load/warehouse.h"

namespace daybook::alerts_internal {

struct AlertRow {
  std::string alert_id, severity, check, model, message;
  std::optional<int32_t> business_date;
  int64_t run_id = 0;  // 0 when NULL
  Timestamp raised_at;
  std::string deliveries;  // JSON array, "" when NULL
};

// Rows with status 'open', oldest first.
Result<std::vector<AlertRow>> LoadOpenAlerts(Warehouse& wh);
// Inserts an open alert raised by `a` (a.kind == "raised").
Status InsertOpenAlert(Warehouse& wh, const Alert& a, const std::string& deliveries);
// Updates severity, message and deliveries of an open alert.
Status UpdateOpenAlert(Warehouse& wh, const std::string& alert_id, const std::string& severity,
                       const std::string& message, const std::string& deliveries);
// Marks an alert resolved at `now`, with its final deliveries.
Status ResolveAlert(Warehouse& wh, const std::string& alert_id, Timestamp now, const std::string& deliveries);

// `existing` (a JSON array or "") with one entry per delivery appended.
std::string AppendDeliveries(const std::string& existing, const std::string& kind, Timestamp at,
                             const std::vector<Delivery>& deliveries);

// What the deliveries say about "raised"/"reminder" notices so far.
struct NoticeHistory {
  bool any = false;                       // at least one entry
  std::optional<Timestamp> last_success;  // latest entry with ok = true
};
NoticeHistory ScanNotices(const std::string& deliveries);

}  // namespace daybook::alerts_internal
