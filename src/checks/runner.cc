#include "checks/runner.h"

#include <algorithm>

#include "checks/internal/catalog.h"
#include "checks/internal/check_env.h"
#include "core/clock.h"
#include "core/money.h"
#include "models/daily_revenue.h"

namespace daybook {

Result<std::vector<CheckResult>> RunChecks(Warehouse& wh, const CheckContext& ctx) {
  DAYBOOK_ASSIGN_OR_RETURN(ChecksConfig cfg, ParseChecksConfig(ctx.config));
  const Currency* cur = FindCurrency(ctx.config.reporting_currency);
  if (!cur) return InvalidArgument("unknown reporting currency " + ctx.config.reporting_currency);

  std::optional<RunRecord> last;
  if (!ctx.run) {
    DAYBOOK_ASSIGN_OR_RETURN(last, checks_internal::LoadLastRun(wh));
  }
  std::vector<int32_t> affected = ctx.affected_dates;
  std::sort(affected.begin(), affected.end());
  affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
  const int32_t today = ctx.tz.LocalDate(ctx.now);
  // The latest day whose close (daily_close on D+1) is not after now.
  int32_t last_closed = today;
  while (DayClose(ctx.tz, ctx.config.daily_close_minutes, last_closed).micros > ctx.now.micros) --last_closed;

  std::vector<CheckResult> results;
  const auto& catalog = checks_internal::Catalog();
  for (size_t i = 0; i < catalog.size(); ++i) {
    const CheckSettings& s = cfg.checks[i];
    if (!s.enabled) continue;
    CheckEnv env(wh, ctx, s);
    env.run = ctx.run ? ctx.run : (last ? &*last : nullptr);
    env.scale = cur->exponent;
    env.today = today;
    env.window_start = today - ctx.config.restatement_window_days;
    env.last_closed = last_closed;
    env.affected = affected;
    std::vector<CheckResult> got;
    const int64_t started = MonotonicMillis();
    Status st = catalog[i].run(env, &got);
    const int64_t took = MonotonicMillis() - started;
    if (!st.ok()) {
      got.clear();
      CheckResult r = env.Make(/*violated=*/true);
      r.observed = "error";
      r.message = s.check + " on " + s.model + " could not run: " + st.message();
      got.push_back(std::move(r));
    }
    for (auto& r : got) {
      r.check = s.check;
      r.model = s.model;
      r.severity = s.severity;
      r.duration_ms = took;
      results.push_back(std::move(r));
    }
  }
  return results;
}

Status RecordCheckResults(Warehouse& wh, const std::vector<CheckResult>& results, int64_t run_id,
                          Timestamp now) {
  if (results.empty()) return Status::Ok();
  DAYBOOK_ASSIGN_OR_RETURN(auto app, wh.Appender("check_results"));
  for (const CheckResult& r : results) {
    size_t c = 0;
    app->Int64(c++, run_id);
    app->String(c++, r.check);
    app->String(c++, r.model);
    app->String(c++, SeverityName(r.severity));
    app->String(c++, CheckStatusName(r.status));
    if (r.business_date) app->Int32(c++, *r.business_date); else app->Null(c++);
    if (r.observed.empty()) app->Null(c++); else app->String(c++, r.observed);
    if (r.expected.empty()) app->Null(c++); else app->String(c++, r.expected);
    app->String(c++, r.message);
    app->Int64(c++, now.micros);
    DAYBOOK_RETURN_IF_ERROR(app->EndRow());
  }
  return app->Close();
}

}  // namespace daybook
