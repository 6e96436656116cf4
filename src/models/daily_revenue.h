// File: models/daily_revenue.h
//
// `daily_revenue` and `daily_revenue_by_channel` (spec §3–§4), recomputed
// for the business dates a run touched from the included events in
// `order_events`, plus publication and restatement:
//   - a day is *published* (version 1) by the first run whose `now` is at or
//     after the day's close (business.daily_close local time on D+1);
//   - a later change to a published day is a *restatement*: version + 1, the
//     previous version closed in `daily_revenue_versions` (valid_to = now),
//     one `revenue_restatements` row per changed metric;
//   - an unpublished day is provisional (version 0) and changes in place;
//   - a closed day within the restatement window and after the first day
//     with data, that has no events at all, is published as zeros, so late
//     data for it is a restatement too (reports hide rows without events).
//
//   RevenueContext ctx{tz, close_minutes, window_days, "USD", now, run_id};
//   auto r = RefreshDailyRevenue(wh, touched_dates, late_by_date, ctx);
//   auto r = RefreshDailyRevenue(wh, touched_dates, late_by_date, ctx, &tallied);  // a first load
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/money.h"
#include "core/time.h"
#include "load/warehouse.h"

namespace daybook {

struct RevenueContext {
  const TimeZone& tz;
  int daily_close_minutes;
  int restatement_window_days;
  std::string reporting_currency;
  Timestamp now;
  int64_t run_id;
  // Stored events aggregated at a time, about: the touched days are
  // recomputed in groups of consecutive days holding at most this many
  // events (a denser day is a group of its own), so that DuckDB's distinct
  // counts stay within warehouse.memory_limit. The result does not depend
  // on it.
  int64_t day_group_events = 5000000;
};

struct DailyMetrics {
  int64_t orders = 0, cancelled_orders = 0, refunded_orders = 0, customers = 0;
  int64_t gross = 0, cancellations = 0, refunds = 0;  // reporting minor units
  int64_t net() const { return gross - cancellations - refunds; }
  bool operator==(const DailyMetrics&) const = default;
};

struct Restatement {
  int32_t business_date;
  int version;
  DailyMetrics before, after;
  int64_t late_events;
};

struct RevenueUpdate {
  int64_t changed_days = 0;
  int64_t published_days = 0;
  std::vector<Restatement> restatements;
};

// The instant day `date` closes: daily_close local time on date + 1.
Timestamp DayClose(const TimeZone& tz, int daily_close_minutes, int32_t date);

struct TalliedMetrics;  // models/daily_tally.h

// `tallied`: the touched days' metrics, by day and by day and channel,
// already known (a first load's DailyTally); otherwise they are aggregated
// from order_events.
Result<RevenueUpdate> RefreshDailyRevenue(Warehouse& wh, const std::vector<int32_t>& dates,
                                          const std::map<int32_t, int64_t>& late_events_by_date,
                                          const RevenueContext& ctx, const TalliedMetrics* tallied = nullptr);

// Every date with events or a daily_revenue row (what `daybook rebuild`
// recomputes; a changed published day is restated as in any run).
Result<std::vector<int32_t>> AllEventDates(Warehouse& wh);

}  // namespace daybook
