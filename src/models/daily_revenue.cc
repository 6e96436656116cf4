#include "models/daily_revenue.h"

#include "models/daily_tally.h"

#include <algorithm>
#include <optional>
#include <set>

namespace daybook {
namespace {

// Refunds and cancels at most 1/kRowidFetchRatio of fct_orders: fetch their
// orders by rowid (MetricsSql).
constexpr int64_t kRowidFetchRatio = 20;

// The metrics of §3 over included events, for the staged dates, optionally
// split by channel. Sums come back at the reporting scale.
// `orders_by_rowid`: see below.
std::string MetricsSql(bool by_channel, bool orders_by_rowid = false) {
  const std::string dates = "e.business_date IN (SELECT business_date FROM affected_dates)";
  if (!by_channel) {
    return "SELECT e.business_date"
           ", count(*) FILTER (WHERE e.event_type = 'order_placed') AS orders"
           ", count(DISTINCT e.order_id) FILTER (WHERE e.event_type = 'order_cancelled') AS cancelled_orders"
           ", count(DISTINCT e.order_id) FILTER (WHERE e.event_type = 'order_refunded') AS refunded_orders"
           ", count(DISTINCT e.customer_id) FILTER (WHERE e.event_type = 'order_placed') AS customers"
           ", coalesce(sum(e.reporting_amount) FILTER (WHERE e.event_type = 'order_placed'), 0) AS gross"
           ", coalesce(sum(e.reporting_amount) FILTER (WHERE e.event_type = 'order_cancelled'), 0) AS cancellations"
           ", coalesce(sum(e.reporting_amount) FILTER (WHERE e.event_type = 'order_refunded'), 0) AS refunds"
           " FROM order_events e WHERE e.included AND " + dates + " GROUP BY ALL";
  }
  // By channel, every included event counts under its order's channel (the
  // channel of its included order_placed, in fct_orders), so refunds and
  // cancels land where their order's revenue did. An included order_placed
  // is that placement, so its own channel is its order's: only refunds and
  // cancels are joined with fct_orders (a small share of the events; joining
  // every event took 2.5× as long on 10M events). With `orders_by_rowid`
  // (few of them against many orders: a late batch), their orders'
  // placements are found in order_events by key first and then fetched by
  // rowid: a plain join reads the id and channel of every fct_orders row
  // (1.5 s → 0.6 s for a late batch into 50M events, but 25 % slower for a
  // first load, where they are many), and a run into history has read
  // order_events' order_key already, so its blocks are in DuckDB's buffer
  // pool where fct_orders' are not (0.41–0.45 s → 0.19–0.21 s into 10M
  // events). An included refund or cancel always has its order's one
  // included order_placed (models/order_state.cc), whose channel is the
  // order's.
  const std::string refunds_and_cancels =
      "SELECT * FROM order_events e WHERE e.included AND e.event_type <> 'order_placed' AND " + dates;
  const std::string their_orders =
      orders_by_rowid
          ? "(SELECT p.order_key, p.order_id, c.channel FROM order_events p JOIN channels c ON c.channel_id = "
            "p.channel_id WHERE p.rowid IN (SELECT rowid FROM order_events WHERE order_key IN (SELECT order_key "
            "FROM (" + refunds_and_cancels + "))) AND p.included AND p.event_type = 'order_placed')"
          : std::string("fct_orders");
  // Placements are grouped by channel number and named after (few groups).
  return "WITH n AS (SELECT e.business_date, e.channel_id, count(*) AS orders"
         ", count(DISTINCT e.customer_id) AS customers, sum(e.reporting_amount) AS gross"
         " FROM order_events e WHERE e.included AND e.event_type = 'order_placed' AND " + dates + " GROUP BY ALL)"
         ", p AS (SELECT n.business_date, c.channel, n.orders, n.customers, n.gross"
         " FROM n JOIN channels c ON c.channel_id = n.channel_id)"
         ", x AS (SELECT e.business_date, o.channel"
         ", count(DISTINCT e.order_id) FILTER (WHERE e.event_type = 'order_cancelled') AS cancelled_orders"
         ", count(DISTINCT e.order_id) FILTER (WHERE e.event_type = 'order_refunded') AS refunded_orders"
         ", coalesce(sum(e.reporting_amount) FILTER (WHERE e.event_type = 'order_cancelled'), 0) AS cancellations"
         ", coalesce(sum(e.reporting_amount) FILTER (WHERE e.event_type = 'order_refunded'), 0) AS refunds"
         " FROM (" + refunds_and_cancels + ") e JOIN " + their_orders +
         " o ON o.order_key = e.order_key AND o.order_id = e.order_id GROUP BY ALL)"
         " SELECT business_date, channel, coalesce(p.orders, 0) AS orders"
         ", coalesce(x.cancelled_orders, 0) AS cancelled_orders, coalesce(x.refunded_orders, 0) AS refunded_orders"
         ", coalesce(p.customers, 0) AS customers, coalesce(p.gross, 0) AS gross"
         ", coalesce(x.cancellations, 0) AS cancellations, coalesce(x.refunds, 0) AS refunds"
         " FROM p FULL OUTER JOIN x USING (business_date, channel)";
}

DailyMetrics ReadMetrics(QueryRows& rows, size_t r, size_t first) {
  DailyMetrics m;
  m.orders = rows.Int64(first, r);
  m.cancelled_orders = rows.Int64(first + 1, r);
  m.refunded_orders = rows.Int64(first + 2, r);
  m.customers = rows.Int64(first + 3, r);
  m.gross = rows.Int64(first + 4, r);
  m.cancellations = rows.Int64(first + 5, r);
  m.refunds = rows.Int64(first + 6, r);
  return m;
}

void WriteMetrics(ChunkAppender& app, size_t& c, const DailyMetrics& m) {
  app.Int64(c++, m.orders);
  app.Int64(c++, m.cancelled_orders);
  app.Int64(c++, m.refunded_orders);
  app.Int64(c++, m.customers);
  app.Int64(c++, m.gross);
  app.Int64(c++, m.cancellations);
  app.Int64(c++, m.refunds);
  app.Int64(c++, m.net());
}

struct DayRow {
  DailyMetrics m;
  int version = 0;
  int64_t published_at = 0;  // 0: not published
  int64_t updated_at = 0;
  int64_t updated_run_id = 0;
};

std::string DateList(const std::vector<int32_t>& dates) {
  std::string s;
  for (int32_t d : dates) s += (s.empty() ? "" : ",") + std::string("DATE '") + FormatDate(d) + "'";
  return s;
}

Status StageDates(Warehouse& wh, const std::vector<int32_t>& dates) {
  DAYBOOK_RETURN_IF_ERROR(wh.Exec("CREATE OR REPLACE TEMP TABLE affected_dates (business_date DATE)"));
  DAYBOOK_ASSIGN_OR_RETURN(auto app, wh.Appender("temp.affected_dates"));
  for (int32_t d : dates) {
    app->Int32(0, d);
    DAYBOOK_RETURN_IF_ERROR(app->EndRow());
  }
  return app->Close();
}

// The staged days (affected_dates) with events, in groups of consecutive
// days of at most `max_events` stored events (a denser day is a group of
// its own), aggregated one group at a time: DuckDB's distinct counts and
// the by-channel join then stay within warehouse.memory_limit however many
// events the days hold (20M events over 90 days ran out of 512MB at once).
Result<std::vector<std::vector<int32_t>>> DayGroups(Warehouse& wh, int64_t max_events) {
  std::vector<std::vector<int32_t>> groups;
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, wh.Query(
      "SELECT business_date, count(*) FROM order_events "
      "WHERE business_date IN (SELECT business_date FROM affected_dates) GROUP BY ALL ORDER BY ALL"));
  int64_t in_group = 0;
  while (rows->NextChunk()) {
    for (size_t r = 0; r < rows->size(); ++r) {
      const int32_t day = static_cast<int32_t>(rows->Int64(0, r));
      const int64_t events = rows->Int64(1, r);
      if (groups.empty() || in_group + events > max_events) {
        groups.emplace_back();
        in_group = 0;
      }
      groups.back().push_back(day);
      in_group += events;
    }
  }
  DAYBOOK_RETURN_IF_ERROR(rows->status());
  return groups;
}

Status AppendVersion(ChunkAppender& app, int32_t date, const DayRow& row, const RevenueContext& ctx) {
  size_t c = 0;
  app.Int32(c++, date);
  app.Int32(c++, row.version);
  WriteMetrics(app, c, row.m);
  app.String(c++, ctx.reporting_currency);
  app.Int64(c++, ctx.now.micros);
  app.Null(c++);
  app.Int64(c++, ctx.run_id);
  return app.EndRow();
}

Status AppendRestatementRows(ChunkAppender& app, const Restatement& r, int scale_pow, const RevenueContext& ctx) {
  struct M { const char* name; int64_t before, after; bool money; };
  const M metrics[] = {
      {"orders", r.before.orders, r.after.orders, false},
      {"cancelled_orders", r.before.cancelled_orders, r.after.cancelled_orders, false},
      {"refunded_orders", r.before.refunded_orders, r.after.refunded_orders, false},
      {"customers", r.before.customers, r.after.customers, false},
      {"gross", r.before.gross, r.after.gross, true},
      {"cancellations", r.before.cancellations, r.after.cancellations, true},
      {"refunds", r.before.refunds, r.after.refunds, true},
      {"net", r.before.net(), r.after.net(), true},
  };
  for (const M& m : metrics) {
    if (m.before == m.after) continue;
    int64_t k = m.money ? 1 : scale_pow;  // counts are stored as whole numbers
    size_t c = 0;
    app.Int32(c++, r.business_date);
    app.Int32(c++, r.version);
    app.String(c++, m.name);
    app.Int64(c++, m.before * k);
    app.Int64(c++, m.after * k);
    app.Int64(c++, (m.after - m.before) * k);
    app.Int64(c++, ctx.run_id);
    app.Int64(c++, r.late_events);
    app.Int64(c++, ctx.now.micros);
    DAYBOOK_RETURN_IF_ERROR(app.EndRow());
  }
  return Status::Ok();
}

// A closed day inside the data's range with no events at all is published
// too, as zeros (a day the shop sold nothing, or whose data is missing:
// the volume check says which). Late events for it are then a restatement
// like any other. Only days inside the restatement window are considered.
Status AddEmptyClosedDays(Warehouse& wh, const RevenueContext& ctx, std::map<int32_t, DayRow>* write) {
  int32_t last_closed = ctx.tz.LocalDate(ctx.now);
  while (DayClose(ctx.tz, ctx.daily_close_minutes, last_closed).micros > ctx.now.micros) --last_closed;
  DAYBOOK_ASSIGN_OR_RETURN(std::string first_text, wh.QueryScalar("SELECT min(business_date) FROM daily_revenue"));
  std::optional<int32_t> first_day;
  if (!first_text.empty()) first_day = *ParseDate(first_text);
  if (!write->empty() && (!first_day || write->begin()->first < *first_day)) first_day = write->begin()->first;
  if (!first_day) return Status::Ok();
  int32_t first = std::max(*first_day, ctx.tz.LocalDate(ctx.now) - ctx.restatement_window_days);
  if (first > last_closed) return Status::Ok();
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, wh.Query(
      "SELECT business_date FROM daily_revenue WHERE business_date BETWEEN DATE '" + FormatDate(first) +
      "' AND DATE '" + FormatDate(last_closed) + "'"));
  std::set<int32_t> present;
  while (rows->NextChunk()) {
    for (size_t r = 0; r < rows->size(); ++r) present.insert(static_cast<int32_t>(rows->Int64(0, r)));
  }
  DAYBOOK_RETURN_IF_ERROR(rows->status());
  for (int32_t d = first; d <= last_closed; ++d) {
    if (!present.count(d) && !write->count(d)) (*write)[d] = DayRow{};
  }
  return Status::Ok();
}

}  // namespace

Timestamp DayClose(const TimeZone& tz, int daily_close_minutes, int32_t date) {
  return tz.LocalToUtc(date + 1, daily_close_minutes);
}

Result<std::vector<int32_t>> AllEventDates(Warehouse& wh) {
  std::vector<int32_t> out;
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, wh.Query(
      "SELECT DISTINCT business_date FROM order_events UNION SELECT business_date FROM daily_revenue ORDER BY 1"));
  while (rows->NextChunk()) {
    for (size_t r = 0; r < rows->size(); ++r) out.push_back(static_cast<int32_t>(rows->Int64(0, r)));
  }
  DAYBOOK_RETURN_IF_ERROR(rows->status());
  return out;
}

Result<RevenueUpdate> RefreshDailyRevenue(Warehouse& wh, const std::vector<int32_t>& dates_in,
                                          const std::map<int32_t, int64_t>& late_events_by_date,
                                          const RevenueContext& ctx, const TalliedMetrics* tallied) {
  RevenueUpdate update;
  const Currency* cur = FindCurrency(ctx.reporting_currency);
  const int64_t scale_pow = Pow10(cur->exponent);
  std::vector<int32_t> dates = dates_in;
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());

  std::map<int32_t, DayRow> old_rows;
  std::map<int32_t, DailyMetrics> fresh;
  std::vector<std::vector<int32_t>> groups;  // DayGroups
  if (!dates.empty()) {
    DAYBOOK_RETURN_IF_ERROR(StageDates(wh, dates));
    DAYBOOK_ASSIGN_OR_RETURN(auto rows, wh.Query(
        "SELECT business_date, orders, cancelled_orders, refunded_orders, customers, gross, "
        "cancellations, refunds, version, epoch_us(published_at), epoch_us(updated_at), updated_run_id "
        "FROM daily_revenue WHERE business_date IN (SELECT business_date FROM affected_dates)"));
    while (rows->NextChunk()) {
      for (size_t r = 0; r < rows->size(); ++r) {
        DayRow d;
        d.m = ReadMetrics(*rows, r, 1);
        d.version = static_cast<int>(rows->Int64(8, r));
        d.published_at = rows->IsNull(9, r) ? 0 : rows->Int64(9, r);
        d.updated_at = rows->Int64(10, r);
        d.updated_run_id = rows->Int64(11, r);
        old_rows[static_cast<int32_t>(rows->Int64(0, r))] = d;
      }
    }
    DAYBOOK_RETURN_IF_ERROR(rows->status());
    if (tallied) {
      for (int32_t d : dates) {
        auto t = tallied->days.find(d);
        if (t != tallied->days.end()) fresh[d] = t->second;
      }
    } else {
      DAYBOOK_ASSIGN_OR_RETURN(groups, DayGroups(wh, ctx.day_group_events));
    }
    for (const std::vector<int32_t>& group : groups) {
      if (groups.size() > 1) DAYBOOK_RETURN_IF_ERROR(StageDates(wh, group));
      DAYBOOK_ASSIGN_OR_RETURN(auto nrows, wh.Query(MetricsSql(false)));
      while (nrows->NextChunk()) {
        for (size_t r = 0; r < nrows->size(); ++r) {
          fresh[static_cast<int32_t>(nrows->Int64(0, r))] = ReadMetrics(*nrows, r, 1);
        }
      }
      DAYBOOK_RETURN_IF_ERROR(nrows->status());
    }
  }

  // Decide each touched day's new row.
  std::map<int32_t, DayRow> write;       // rows to (re)write
  std::vector<int32_t> remove;           // unpublished days left without events
  for (int32_t d : dates) {
    auto o = old_rows.find(d);
    auto f = fresh.find(d);
    DailyMetrics now_m = f == fresh.end() ? DailyMetrics{} : f->second;
    if (o == old_rows.end()) {
      if (f == fresh.end()) continue;
      DayRow row;
      row.m = now_m;
      write[d] = row;
      continue;
    }
    const DayRow& before = o->second;
    if (before.m == now_m && f != fresh.end()) continue;
    if (before.published_at == 0) {
      if (f == fresh.end()) {
        remove.push_back(d);
      } else {
        DayRow row = before;
        row.m = now_m;
        write[d] = row;
      }
      continue;
    }
    if (before.m == now_m) continue;
    // A published day changed: restatement.
    DayRow row = before;
    row.m = now_m;
    row.version = before.version + 1;
    write[d] = row;
    auto late = late_events_by_date.find(d);
    update.restatements.push_back(
        {d, row.version, before.m, now_m, late == late_events_by_date.end() ? 0 : late->second});
  }

  // Publication: provisional days (touched now or earlier) whose close passed.
  DAYBOOK_ASSIGN_OR_RETURN(auto prov, wh.Query(
      "SELECT business_date, orders, cancelled_orders, refunded_orders, customers, gross, "
      "cancellations, refunds, epoch_us(updated_at), updated_run_id FROM daily_revenue WHERE version = 0"));
  while (prov->NextChunk()) {
    for (size_t r = 0; r < prov->size(); ++r) {
      int32_t d = static_cast<int32_t>(prov->Int64(0, r));
      if (DayClose(ctx.tz, ctx.daily_close_minutes, d).micros > ctx.now.micros) continue;
      if (std::find(remove.begin(), remove.end(), d) != remove.end()) continue;
      if (!write.count(d)) {
        DayRow row;
        row.m = ReadMetrics(*prov, r, 1);
        row.updated_at = prov->Int64(8, r);
        row.updated_run_id = prov->Int64(9, r);
        row.version = 0;
        write[d] = row;
      }
    }
  }
  DAYBOOK_RETURN_IF_ERROR(prov->status());
  DAYBOOK_RETURN_IF_ERROR(AddEmptyClosedDays(wh, ctx, &write));
  for (auto& [d, row] : write) {
    if (row.published_at == 0 && row.version == 0 &&
        DayClose(ctx.tz, ctx.daily_close_minutes, d).micros <= ctx.now.micros) {
      row.version = 1;
      row.published_at = ctx.now.micros;
      ++update.published_days;
    }
  }

  // Write daily_revenue.
  std::vector<int32_t> rewrite;
  for (auto& [d, row] : write) rewrite.push_back(d);
  std::vector<int32_t> gone = remove;
  gone.insert(gone.end(), rewrite.begin(), rewrite.end());
  if (!gone.empty()) {
    DAYBOOK_RETURN_IF_ERROR(wh.Exec("DELETE FROM daily_revenue WHERE business_date IN (" + DateList(gone) + ")"));
  }
  std::set<int32_t> changed_metrics;  // days whose numbers changed in this run
  for (int32_t d : dates) {
    auto o = old_rows.find(d);
    auto w = write.find(d);
    if (w != write.end() && (o == old_rows.end() || !(o->second.m == w->second.m))) changed_metrics.insert(d);
  }
  changed_metrics.insert(remove.begin(), remove.end());
  update.changed_days = static_cast<int64_t>(changed_metrics.size());
  if (!write.empty()) {
    DAYBOOK_ASSIGN_OR_RETURN(auto app, wh.Appender("daily_revenue"));
    for (auto& [d, row] : write) {
      bool touched = changed_metrics.count(d) > 0 || row.updated_at == 0;
      size_t c = 0;
      app->Int32(c++, d);
      WriteMetrics(*app, c, row.m);
      app->String(c++, ctx.reporting_currency);
      app->Int32(c++, row.version);
      if (row.published_at) app->Int64(c++, row.published_at); else app->Null(c++);
      app->Int64(c++, touched ? ctx.now.micros : row.updated_at);
      app->Int64(c++, touched ? ctx.run_id : row.updated_run_id);
      DAYBOOK_RETURN_IF_ERROR(app->EndRow());
    }
    DAYBOOK_RETURN_IF_ERROR(app->Close());
  }

  // Versions: a new version row for each publication and restatement.
  std::vector<int32_t> restated;
  for (const auto& r : update.restatements) restated.push_back(r.business_date);
  if (!restated.empty()) {
    DAYBOOK_RETURN_IF_ERROR(wh.Exec(
        "UPDATE daily_revenue_versions SET valid_to = make_timestamptz(" + std::to_string(ctx.now.micros) +
        "::BIGINT) WHERE valid_to IS NULL AND business_date IN (" + DateList(restated) + ")"));
  }
  {
    DAYBOOK_ASSIGN_OR_RETURN(auto app, wh.Appender("daily_revenue_versions"));
    for (auto& [d, row] : write) {
      bool newly_published = row.version == 1 && row.published_at == ctx.now.micros &&
                             std::find(restated.begin(), restated.end(), d) == restated.end();
      bool is_restated = std::find(restated.begin(), restated.end(), d) != restated.end();
      if (newly_published || is_restated) DAYBOOK_RETURN_IF_ERROR(AppendVersion(*app, d, row, ctx));
    }
    DAYBOOK_RETURN_IF_ERROR(app->Close());
  }
  if (!update.restatements.empty()) {
    DAYBOOK_ASSIGN_OR_RETURN(auto app, wh.Appender("revenue_restatements"));
    for (const auto& r : update.restatements) DAYBOOK_RETURN_IF_ERROR(AppendRestatementRows(*app, r, scale_pow, ctx));
    DAYBOOK_RETURN_IF_ERROR(app->Close());
  }

  // By channel: recomputed for the touched dates (not versioned), a group
  // of days at a time; or written as tallied.
  if (!dates.empty() && tallied) {
    DAYBOOK_RETURN_IF_ERROR(wh.Exec(
        "DELETE FROM daily_revenue_by_channel WHERE business_date IN (SELECT business_date FROM affected_dates)"));
    DAYBOOK_ASSIGN_OR_RETURN(auto app, wh.Appender("daily_revenue_by_channel"));
    for (const auto& [key, m] : tallied->by_channel) {
      if (!std::binary_search(dates.begin(), dates.end(), key.first)) continue;
      size_t c = 0;
      app->Int32(c++, key.first);
      app->String(c++, key.second);
      WriteMetrics(*app, c, m);
      app->String(c++, ctx.reporting_currency);
      app->Int64(c++, ctx.now.micros);
      app->Int64(c++, ctx.run_id);
      DAYBOOK_RETURN_IF_ERROR(app->EndRow());
    }
    DAYBOOK_RETURN_IF_ERROR(app->Close());
  } else if (!dates.empty()) {
    if (groups.size() > 1) DAYBOOK_RETURN_IF_ERROR(StageDates(wh, dates));
    DAYBOOK_RETURN_IF_ERROR(wh.Exec(
        "DELETE FROM daily_revenue_by_channel WHERE business_date IN (SELECT business_date FROM affected_dates)"));
    DAYBOOK_ASSIGN_OR_RETURN(int64_t orders, wh.QueryInt("SELECT count(*) FROM fct_orders"));
    for (const std::vector<int32_t>& group : groups) {
      if (groups.size() > 1) DAYBOOK_RETURN_IF_ERROR(StageDates(wh, group));
      // Fetch the orders by rowid when they are few against the table.
      DAYBOOK_ASSIGN_OR_RETURN(int64_t followups, wh.QueryInt(
          "SELECT count(*) FROM order_events e WHERE e.included AND e.event_type <> 'order_placed' AND "
          "e.business_date IN (SELECT business_date FROM affected_dates)"));
      std::string m = MetricsSql(true, followups * kRowidFetchRatio < orders);
      DAYBOOK_RETURN_IF_ERROR(wh.Exec(
          "INSERT INTO daily_revenue_by_channel SELECT business_date, channel, orders, cancelled_orders, "
          "refunded_orders, customers, gross, cancellations, refunds, gross - cancellations - refunds, " +
          SqlQuote(ctx.reporting_currency) + ", make_timestamptz(" + std::to_string(ctx.now.micros) +
          "::BIGINT), " + std::to_string(ctx.run_id) + " FROM (" + m + ")"));
    }
  }
  return update;
}

}  // namespace daybook
