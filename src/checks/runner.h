// File: checks/runner.h
//
// Runs the data-quality checks (spec §6) over the warehouse and records
// their results in `check_results`. Checks only read the warehouse; the
// caller decides the transaction (the CLI runs them after a run commits, or
// alone for `daybook check`) and maps results to the exit code (AnyFailed ->
// exit 1) and to alerts.
//
//   auto checks = ParseChecksConfig(config);          // once, at start-up (exit 2)
//   CheckContext ctx{config, tz, now, run_id, &summary.record, affected_dates};
//   DAYBOOK_ASSIGN_OR_RETURN(auto results, RunChecks(wh, ctx));
//   DAYBOOK_RETURN_IF_ERROR(RecordCheckResults(wh, results, run_id, now));
//   return AnyFailed(results) ? 1 : 0;
//
// Errors: RunChecks returns an error only when the configuration is invalid
// (InvalidArgument) or the warehouse cannot be read at all. A single check
// whose SQL fails becomes a result row (status per its severity, observed
// "error", message "could not run: …") so the other checks still report.
// Thread safety: uses `wh` from the calling thread only.
//
// ---------------------------------------------------------------------------
// What is examined (cost on tens of millions of events)
//
// "The run" is ctx.run, or for `daybook check` alone (ctx.run == nullptr)
// the latest `run` row of pipeline_runs. "Today" is the local date of
// ctx.now in business.timezone; the window is [today −
// restatement_window_days, today] — older days can no longer change.
// "Focus days" are ctx.affected_dates when not empty, else the window.
// "Closed days" are days whose daily_close has passed, in the window or in
// ctx.affected_dates, and not before the first day in daily_revenue.
//   - Checks on daily_revenue read one row per day (cheap whatever the
//     history); reconciliation and excluded_events scan order_events of the
//     focus days only (business_date filter: DuckDB zone maps skip the rest).
//     After a run into history, fct_orders is reconciled for the orders the
//     run wrote (updated_run_id), found by key in the whole tables.
//   - keys look at the rows the run wrote (run_id / updated_run_id = the
//     run) or, for `daybook check` alone, the rows of the focus days, and
//     find their duplicates in the whole table through the UBIGINT key
//     hashes (event_key, order_key) — for a large scope by sorting the key
//     column in memory, in passes of at most 8M keys (keys.cc); daily_revenue
//     is read whole. NOT NULL
//     is taken from the schema when the column has the constraint. A
//     duplicate can only arrive with a run, so checking every run's rows
//     covers the table.
//   - The run's restatements, drift and counts come from its own rows.
// Measured by checks_bench_test.cc (disabled by default) on 20 million
// events over three years (12 million orders), 2 shared cores: all checks
// for a run touching two days 0.9 s; `daybook check` alone over the 35-day
// window 3.1 s, of which fct_orders reconciliation 1.5 s (it reads every
// event of the window's orders) and keys 1.0 s.
//
// Results: every enabled check yields at least one row. Checks about a model
// as a whole yield one row (business_date NULL). Day-level checks (daily
// volume, reconciliation of daily_revenue, restatement_size, anomaly) yield
// one row per violating day, or, when no examined day violates, a single
// pass row with business_date NULL that says what was examined. So an open
// alert (check, model, day) is resolved when the latest results of that
// (check, model) no longer list that day as violating.
//
// ---------------------------------------------------------------------------
// The checks (defaults in check_config.h)
//
// volume / order_events — the absence of data. The run's new accepted
//   events (0 when the run failed before committing) below
//   min_rows_per_run: "run 7 loaded 0 new events from source 'landing'
//   (0 new files, 3 already loaded; 0 rows read, 0 duplicates, 0
//   quarantined); expected at least 1000 (quality.min_rows_per_run) — no
//   new input: the source delivered nothing". min_rows_per_run 0 disables it.
// volume / daily_revenue — each closed day's `orders` (0 when the day has no
//   row) below its expected minimum: min_orders when configured; else
//   min_ratio × the median orders of the same weekday over the previous
//   history_weeks weeks (days before the first day of data are not history;
//   days without a row count 0), evaluated only with at least min_history
//   such weeks.
// freshness / order_events — the age of the newest occurred_at at ctx.now
//   (and the last load time, for information): met; at risk when within
//   at_risk_window of max_age (kWarn whatever the severity); missed beyond
//   max_age or with no events at all. observed is "met", "at risk" or
//   "missed".
// freshness / daily_revenue — the SLA "day D is final by daily_close (local
//   time on D+1)". For the last closed day D: met when D has events and all
//   of them were loaded by runs that finished at or before D's close; missed
//   when D has no events or some were loaded after its close (late data:
//   the message names the load time and how late). For the next day to
//   close, while ctx.now is within at_risk_window before its close: at risk
//   (kWarn) when it has no events or its newest event occurred more than
//   completeness_gap before the end of that day ("not all data seems in"),
//   else met. One row per day (business_date = D).
// keys — uniqueness and not-null of order_events.event_id,
//   fct_orders.order_id and daily_revenue.business_date: one row per model
//   naming up to 5 duplicated values with their counts, and the NULL count.
// drop_rate / order_events — the run's drop-rate gate (spec §3) as a check:
//   quarantined / (rows_read − duplicates) against the run's max drop rate,
//   with the counts per reason.
// schema_drift / order_events — fields outside the contract seen by the
//   run (schema_drift.last_seen_run_id), new ones marked as such.
// excluded_events / order_events — events of the focus days excluded from
//   revenue, by reason (ORPHAN_EVENT, …), when their share of the focus
//   days' events exceeds max_ratio (default 0: any).
// reconciliation / daily_revenue — for each focus day, daily_revenue's
//   orders, cancelled_orders, refunded_orders, customers, gross,
//   cancellations, refunds and net against a recomputation from the
//   included events (a FULL OUTER JOIN, so a missing or extra day counts):
//   one row per disagreeing day naming each metric, both values and the
//   difference, exact at the reporting currency's scale.
// reconciliation / fct_orders — each order with an event in the focus days:
//   gross/refunds/cancellation/net_reporting against the sums of its
//   included events, events and excluded_events against its event counts
//   (and orders missing on either side). One row naming up to 10 orders.
// restatement_size / daily_revenue — each day the run restated: |Δnet| /
//   |old net| above max_ratio (a change from 0 always exceeds it).
// anomaly / daily_revenue — each closed day's net x against the same
//   weekday in the previous history_weeks weeks (days without a row count 0;
//   days before the first day of data are not history), with robust
//   statistics (internal/robust_stats.h):
//     median = median of those same-weekday values (at least min_points);
//     noise  = 1.4826 · MAD of the relative residuals value / median − 1 of
//              every day of those weeks, each against its own weekday's
//              median — pooled over the weekdays because a MAD of 4–6 points
//              alone is too noisy (see below);
//     z      = |x − median| / max(noise · |median|, min_rel_spread · |median|,
//              one minor unit);
//   flagged when z > max_z. The floor handles MAD = 0 (a constant history:
//   a day is then flagged when more than max_z · min_rel_spread, 48 % by
//   default, away from its median) and keeps a small sample's too-tight
//   noise from raising alarms.
//   False positives, on 90 synthetic days (weekly seasonality, +0.2 %/day
//   trend, Gaussian noise σ = 8 %, one day cut to 30 %, cut day moving with
//   the seed; anomaly_test.cc):
//     - through the check on a warehouse, 30 seeds: the cut day flagged in
//       30 of 30, no other day flagged (0 of 1,830 evaluated days);
//     - the statistics alone, 2,000 seeds: the cut day flagged in 2,000 of
//       2,000, 1 other day flagged in 122,000 (0.0008 %).
//   Tuning, same data, 1,000–4,000 seeds: a per-weekday MAD with a 5 %
//   floor flagged 2.2 % of normal days (and missed 1 % of cuts); with a
//   12 % floor 0.002 % but still missed 0.8 % of cuts, where the 6 points
//   happen to be spread wide; the pooled noise with the 12 % floor keeps
//   0.002 % and misses none.
#pragma once

#include <cstdint>
#include <vector>

#include "checks/check.h"
#include "checks/check_config.h"
#include "core/config.h"
#include "core/status.h"
#include "core/time.h"
#include "load/run_log.h"
#include "load/warehouse.h"

namespace daybook {

struct CheckContext {
  const Config& config;
  const TimeZone& tz;  // business.timezone
  Timestamp now;       // the run's (or the command's) --now
  // The run the results belong to. For `daybook check` alone, the CLI passes
  // the id under which it records the results (e.g. the latest run's id).
  int64_t run_id = 0;
  // The run just executed (its record, also when it failed the drop-rate
  // gate); nullptr for `daybook check` alone: the latest recorded run is
  // used for the run-level checks.
  const RunRecord* run = nullptr;
  // Days this run touched (recomputed, restated); empty = the whole window.
  std::vector<int32_t> affected_dates;
};

// Runs every enabled check, in catalog order (check_config.h).
Result<std::vector<CheckResult>> RunChecks(Warehouse& wh, const CheckContext& ctx);

// Appends the results to `check_results` (checked_at = now).
Status RecordCheckResults(Warehouse& wh, const std::vector<CheckResult>& results, int64_t run_id,
                          Timestamp now);

}  // namespace daybook
