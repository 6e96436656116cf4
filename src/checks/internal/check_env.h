// File: checks/internal/check_env.h — internal to checks/ (and its tests).
//
// What one check sees while it runs: the warehouse, the context, its own
// settings, the run under check and the day ranges of runner.h, plus the
// helpers every check uses (status from severity, SQL date filters,
// rendering).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checks/check.h"
#include "checks/check_config.h"
#include "checks/runner.h"
#include "load/run_log.h"
#include "load/warehouse.h"

namespace daybook {

class CheckEnv {
 public:
  Warehouse& wh;
  const CheckContext& ctx;
  const CheckSettings& settings;
  const RunRecord* run = nullptr;  // ctx.run, else the latest recorded run; may be null
  int scale = 2;                   // reporting currency minor digits
  int32_t today = 0;               // local date of ctx.now
  int32_t window_start = 0;        // today - restatement_window_days
  int32_t last_closed = 0;         // latest day whose close <= now
  std::vector<int32_t> affected;   // ctx.affected_dates, sorted, unique

  CheckEnv(Warehouse& w, const CheckContext& c, const CheckSettings& s) : wh(w), ctx(c), settings(s) {}

  // kPass / kWarn / kFail from the check's severity.
  CheckStatus Verdict(bool violated) const { return StatusFor(settings.severity, violated); }
  CheckResult Make(bool violated) const;
  // A run-level check with no run to look at yet: one passing row saying so.
  CheckResult NoRun() const;

  // SQL predicate restricting `column` (a DATE) to the focus days.
  std::string FocusFilter(const std::string& column) const;
  // Human description of the focus days ("2025-01-01..2025-02-05").
  std::string FocusText() const;
  // Closed days (window ∪ affected), ascending, not before `first_day`.
  std::vector<int32_t> ClosedDays(int32_t first_day) const;
  // The close instant of day d.
  Timestamp Close(int32_t d) const;
};

namespace checks_internal {

// The latest `run` row of pipeline_runs (nullopt when none).
Result<std::optional<RunRecord>> LoadLastRun(Warehouse& wh);

// "DATE '2025-01-03'".
std::string SqlDate(int32_t d);
// "45s", "30m", "2h 5m", "1d", "3d 4h": two units at most.
std::string FormatAge(int64_t micros);
// Minor units -> "1234.50" at the reporting scale, with a leading '+' when
// `sign` and positive.
std::string Money(int64_t unscaled, int scale, bool sign = false);
// "12.34%".
std::string Percent(double ratio);
// The first value of the first row, as an int64 (0 if NULL / no rows).
Result<int64_t> QueryInt64OrZero(Warehouse& wh, const std::string& sql);

}  // namespace checks_internal
}  // namespace daybook
