// freshness: the age of the newest events (order_events) and the daily
// close SLA (daily_revenue). States met / at risk / missed (runner.h).
#include <algorithm>

#include "checks/internal/catalog.h"
#include "checks/internal/check_env.h"

namespace daybook {
namespace checks_internal {
namespace {

enum class Sla { kMet, kAtRisk, kMissed };

// met -> pass; at risk -> warn whatever the severity; missed -> by severity.
CheckResult WithState(const CheckEnv& env, Sla state) {
  CheckResult r = env.Make(state == Sla::kMissed);
  if (state == Sla::kAtRisk) r.status = CheckStatus::kWarn;
  r.observed = state == Sla::kMet ? "met" : state == Sla::kAtRisk ? "at risk" : "missed";
  return r;
}

std::string Ts(int64_t micros) { return FormatTimestamp(Timestamp{micros}); }

// Events of one business date: how many, the newest occurred_at, and when
// the last of them was loaded (the loading run's finish; `now` for the run
// being checked when it is not recorded yet).
struct DayData {
  int64_t events = 0, newest = 0, last_load = 0;
};

Result<DayData> LoadDay(const CheckEnv& env, int32_t d) {
  DayData out;
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, env.wh.Query(
      "SELECT count(*), epoch_us(max(e.occurred_at)), max(coalesce(epoch_us(p.finished_at), " +
      std::to_string(env.ctx.now.micros) + ")) FROM order_events e LEFT JOIN pipeline_runs p ON p.run_id = e.run_id "
      "WHERE e.business_date = " + SqlDate(d)));
  while (rows->NextChunk()) {
    for (size_t r = 0; r < rows->size(); ++r) {
      out.events = rows->Int64(0, r);
      if (out.events) {
        out.newest = rows->Int64(1, r);
        out.last_load = rows->Int64(2, r);
      }
    }
  }
  DAYBOOK_RETURN_IF_ERROR(rows->status());
  return out;
}

}  // namespace

Status FreshnessEvents(const CheckEnv& env, std::vector<CheckResult>* out) {
  const int64_t max_age = static_cast<int64_t>(env.settings.Param("max_age"));
  const int64_t at_risk = static_cast<int64_t>(env.settings.Param("at_risk_window"));
  const std::string limit = FormatAge(max_age);
  // The newest event lies on the newest business dates: a later instant's
  // local date is never more than a day behind an earlier one's (clocks
  // going back across midnight), so the newest day and the two before it
  // hold it. Finding that day reads the compact date column (recent days
  // first: zone maps skip the rest; all days only if none); the timestamps
  // are then read for those days only (0.21 → 0.03 s on 50M events with a
  // ten-year window).
  DAYBOOK_ASSIGN_OR_RETURN(std::string newest_day, env.wh.QueryScalar(
      "SELECT max(business_date) FROM order_events WHERE business_date >= " + SqlDate(env.window_start - 1)));
  if (newest_day.empty()) {
    DAYBOOK_ASSIGN_OR_RETURN(newest_day, env.wh.QueryScalar("SELECT max(business_date) FROM order_events"));
  }
  int64_t newest = 0;
  if (!newest_day.empty()) {
    DAYBOOK_ASSIGN_OR_RETURN(newest, QueryInt64OrZero(env.wh,
        "SELECT epoch_us(max(occurred_at)) FROM order_events WHERE business_date >= DATE " + SqlQuote(newest_day) +
        " - 2"));
  }
  DAYBOOK_ASSIGN_OR_RETURN(int64_t last_load, QueryInt64OrZero(env.wh,
      "SELECT epoch_us(max(finished_at)) FROM pipeline_runs WHERE status = 'succeeded' AND accepted > 0"));
  if (env.run && env.run->status == "succeeded" && env.run->accepted > 0) {
    last_load = std::max(last_load, env.run->finished_at.micros);
  }
  std::string load_text = last_load ? "; last load " + Ts(last_load) : "; no run has loaded events yet";
  if (!newest) {
    CheckResult r = WithState(env, Sla::kMissed);
    r.expected = "newest event within " + limit;
    r.message = "order_events is empty: no events have been loaded" + load_text;
    out->push_back(std::move(r));
    return Status::Ok();
  }
  const int64_t age = env.ctx.now.micros - newest;
  const Sla state = age > max_age ? Sla::kMissed : age > max_age - at_risk ? Sla::kAtRisk : Sla::kMet;
  CheckResult r = WithState(env, state);
  r.expected = "newest event within " + limit;
  r.message = "the newest event occurred at " + Ts(newest) + ", " + FormatAge(age) + " before now (limit " + limit +
              ")" + load_text;
  if (state == Sla::kMissed) r.message += "; check that the sources are still delivering";
  if (state == Sla::kAtRisk) r.message += "; the limit is reached in " + FormatAge(max_age - age);
  out->push_back(std::move(r));
  return Status::Ok();
}

Status FreshnessDaily(const CheckEnv& env, std::vector<CheckResult>* out) {
  const int64_t at_risk = static_cast<int64_t>(env.settings.Param("at_risk_window"));
  const int64_t gap = static_cast<int64_t>(env.settings.Param("completeness_gap"));

  // The last closed day: was it final by its close?
  const int32_t d = env.last_closed;
  const int64_t close = env.Close(d).micros;
  DAYBOOK_ASSIGN_OR_RETURN(DayData day, LoadDay(env, d));
  // Before the first day with data, no day can be late: the warehouse starts there.
  DAYBOOK_ASSIGN_OR_RETURN(std::string first, env.wh.QueryScalar("SELECT min(business_date) FROM order_events"));
  const bool before_data = day.events == 0 && !first.empty() && d < *ParseDate(first);
  DAYBOOK_ASSIGN_OR_RETURN(auto pub, env.wh.Query(
      "SELECT version, epoch_us(published_at) FROM daily_revenue WHERE business_date = " + SqlDate(d)));
  std::string published = "; not published yet (no run since its close)";
  while (pub->NextChunk()) {
    for (size_t r = 0; r < pub->size(); ++r) {
      if (!pub->IsNull(1, r)) {
        published = "; published " + Ts(pub->Int64(1, r)) + " (version " + std::to_string(pub->Int64(0, r)) + ")";
      }
    }
  }
  DAYBOOK_RETURN_IF_ERROR(pub->status());
  if (before_data) {
    CheckResult r = WithState(env, Sla::kMet);
    r.business_date = d;
    r.expected = "final by " + Ts(close);
    r.message = "the last closed day " + FormatDate(d) + " is before the first day with data (" + first +
                "); nothing to be late";
    out->push_back(std::move(r));
  } else {
    const Sla state = day.events == 0 || day.last_load > close ? Sla::kMissed : Sla::kMet;
    CheckResult r = WithState(env, state);
    r.business_date = d;
    r.expected = "final by " + Ts(close);
    if (day.events == 0) {
      r.message = "day " + FormatDate(d) + " closed at " + Ts(close) +
                  " with no events loaded for it; check the sources for that day";
    } else if (state == Sla::kMissed) {
      r.message = "day " + FormatDate(d) + " was not final by its close " + Ts(close) +
                  ": events for it were loaded until " + Ts(day.last_load) + " (" + FormatAge(day.last_load - close) +
                  " late)" + published;
    } else {
      r.message = "day " + FormatDate(d) + " was final by its close " + Ts(close) + ": its last events were loaded " +
                  Ts(day.last_load) + " (" + FormatAge(close - day.last_load) + " before close)" + published;
    }
    out->push_back(std::move(r));
  }

  // The next day to close: at risk shortly before its close when its data
  // does not seem complete.
  const int32_t next = d + 1;
  const int64_t next_close = env.Close(next).micros;
  if (env.ctx.now.micros >= next_close - at_risk && env.ctx.now.micros < next_close) {
    DAYBOOK_ASSIGN_OR_RETURN(DayData nd, LoadDay(env, next));
    const int64_t day_end = env.ctx.tz.LocalToUtc(next + 1, 0).micros;
    const bool incomplete = nd.events == 0 || nd.newest < day_end - gap;
    CheckResult r = WithState(env, incomplete ? Sla::kAtRisk : Sla::kMet);
    r.business_date = next;
    r.expected = "final by " + Ts(next_close);
    std::string head = "day " + FormatDate(next) + " closes at " + Ts(next_close) + " (in " +
                       FormatAge(next_close - env.ctx.now.micros) + ")";
    if (nd.events == 0) {
      r.message = head + " and no events have been loaded for it yet";
    } else if (incomplete) {
      r.message = head + " and not all data seems in: its newest event occurred at " + Ts(nd.newest) + ", " +
                  FormatAge(day_end - nd.newest) + " before the day ended";
    } else {
      r.message = head + "; its newest event occurred at " + Ts(nd.newest) + ", within " + FormatAge(gap) +
                  " of the day's end";
    }
    out->push_back(std::move(r));
  }
  return Status::Ok();
}

}  // namespace checks_internal
}  // namespace daybook
