// File: alerts/dispatcher.h
//
// Turns check verdicts into alerts: raises new ones, holds back repeats
// within the cooldown, reminds after it, resolves the ones whose check passes
// again, delivers every notice to the configured sinks and records each alert
// and its deliveries in the warehouse table `alerts`.
//
//   auto settings = ParseAlertSettings(config);          // at start-up, exit 2 on error
//   ... the run commits ...
//   std::vector<AlertCondition> conds = ...;             // one per check result
//   Result<DispatchReport> r = ProcessConditions(*wh, conds, *settings, run_id, now);
//   if (!r.ok()) return r.status();                      // a warehouse error only
//   for (const auto& e : r->errors) std::cerr << "warning: alert delivery: " << e << "\n";
//
// Rules, per identity (check, model, business_date):
//  - violated, no open alert: a new alert (kind "raised") is sent to every
//    sink that accepts its severity and inserted with status 'open'.
//  - violated, an open alert: nothing is sent ("suppressed") while the last
//    successful notice is younger than the cooldown; after it, a "reminder"
//    with the same alert_id goes out. If no sink has ever accepted a notice
//    of this alert (every delivery failed), it is sent again as "raised" on
//    this evaluation, cooldown or not. A rise from warn to error is sent at
//    once as "raised" (error-only sinks have not heard of it). The row's
//    severity and message follow the latest verdict.
//  - passing (violated = false) with an open alert: a "resolved" notice is
//    sent and the row gets status 'resolved' and resolved_at = now.
//  - passing, nothing open: nothing happens.
//  - identities not in `conditions` are left as they are (a check that did
//    not run says nothing).
// Several conditions with one identity count as one: violated if any is
// (message of the first violated one, the highest severity among them).
//
// Table `alerts`: one row per alert (open condition), alert_id stable from
// raise to resolution; run_id is the raising run (NULL when run_id <= 0);
// raised_at is when it was raised; status 'open' | 'resolved'. `deliveries`
// is a JSON array with one object per notice per sink, oldest first:
//   {"at":"2024-02-01T07:00:00Z","kind":"raised","sink":"webhook:http://127.0.0.1:9000",
//    "ok":false,"attempts":4,"error":"HTTP 500: busy"}
// ("error" is null when ok). A sink that fails is retried at the next
// evaluation only as described above; there is no other retry queue.
//
// Errors: InvalidArgument for a condition without check/model or with a
// severity other than warn/error (nothing is processed then); warehouse
// errors as the warehouse reports them. Delivery failures are never errors:
// they are in the report and in `deliveries`.
//
// Each alert's row is written after its deliveries, in its own statement:
// call this outside the run's transaction (deliveries take network time and
// must not hold it). A crash between a delivery and its row re-sends that
// notice at the next evaluation (at least once, never silently lost).
// Time is `now` only; the process clock is never read for data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "alerts/alert.h"
#include "alerts/alert_config.h"
#include "alerts/sink.h"
#include "core/status.h"
#include "core/time.h"
#include "load/warehouse.h"

namespace daybook {

struct DispatchReport {
  int raised = 0;      // new alerts (and re-sends of never-delivered ones)
  int reminded = 0;    // still open after the cooldown, sent again
  int suppressed = 0;  // still open within the cooldown, not sent
  int resolved = 0;    // closed because the check passes again
  int delivery_failures = 0;
  std::vector<Alert> notices;       // every notice produced, in order
  std::vector<std::string> errors;  // "<sink>: <error> (alert <id>, <attempts> attempts)"
};

// `env` injects the sleeps and jitter of webhook retries and the log stream.
Result<DispatchReport> ProcessConditions(Warehouse& wh, const std::vector<AlertCondition>& conditions,
                                         const AlertSettings& settings, int64_t run_id, Timestamp now,
                                         const SinkEnv& env = {});

// The alerts with status 'open', oldest first (for `daybook status`);
// kind is "raised", time is raised_at, run_id the raising run.
Result<std::vector<Alert>> OpenAlerts(Warehouse& wh);

}  // namespace daybook
