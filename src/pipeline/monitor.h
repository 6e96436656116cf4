// File: pipeline/monitor.h
//
// What happens after a run's data is committed (or after a run failed the
// drop-rate gate): the checks of every model (checks/runner.h) are run and
// stored in `check_results`, and every violated or cleared condition goes to
// the alert sinks (alerts/dispatcher.h). Never inside the run's
// transaction: a check or an alert delivery can never undo a load.
//
//   auto report = Monitor(wh, config, tz, now, run_id, &record, affected_dates);
//   if (report->failed()) exit_code = 1;     // an error-severity check failed
#pragma once

#include <cstdint>
#include <vector>

#include "alerts/dispatcher.h"
#include "checks/check.h"
#include "core/config.h"
#include "core/time.h"
#include "load/run_log.h"
#include "load/warehouse.h"

namespace daybook {

struct MonitorReport {
  std::vector<CheckResult> checks;
  DispatchReport alerts;
  bool failed() const { return AnyFailed(checks); }
};

// Runs and records the checks, then dispatches alerts. `run` is the run just
// executed (nullptr for `daybook check` alone).
Result<MonitorReport> Monitor(Warehouse& wh, const Config& config, const TimeZone& tz, Timestamp now,
                              int64_t run_id, const RunRecord* run, const std::vector<int32_t>& affected_dates);

// Start-up validation of the `models:` checks and the `alerts:` section, so a
// bad configuration stops a command before any data moves (exit 2).
Status ValidateMonitoringConfig(const Config& config);

}  // namespace daybook
