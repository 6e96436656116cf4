// reconciliation: daily_revenue and fct_orders against a recomputation from
// order_events, in SQL (FULL OUTER JOINs), exact DECIMAL comparisons
// (runner.h).
#include <optional>

#include "checks/internal/catalog.h"
#include "checks/internal/check_env.h"

namespace daybook {
namespace checks_internal {
namespace {

// Exact difference text with a sign ("+1.00", "-0.50", "+3").
std::string Signed(const std::string& text) {
  if (text.empty() || text[0] == '-') return text;
  return "+" + text;
}

struct Metric {
  const char* name;    // column in the model
  const char* recomp;  // column of the recomputation
};

// daily_revenue metrics and their recomputation over included events (the
// definitions of models/daily_revenue.cc MetricsSql).
constexpr Metric kDailyMetrics[] = {
    {"orders", "orders"},   {"cancelled_orders", "cancelled_orders"}, {"refunded_orders", "refunded_orders"},
    {"customers", "customers"}, {"gross", "gross"}, {"cancellations", "cancellations"},
    {"refunds", "refunds"}, {"net", "net"},
};
constexpr const char* kDailyRecompute =
    "SELECT business_date, orders, cancelled_orders, refunded_orders, customers, gross, cancellations, refunds, "
    "gross - cancellations - refunds AS net FROM ("
    "SELECT business_date"
    ", count(*) FILTER (WHERE event_type = 'order_placed') AS orders"
    ", count(DISTINCT order_id) FILTER (WHERE event_type = 'order_cancelled') AS cancelled_orders"
    ", count(DISTINCT order_id) FILTER (WHERE event_type = 'order_refunded') AS refunded_orders"
    ", count(DISTINCT customer_id) FILTER (WHERE event_type = 'order_placed') AS customers"
    ", coalesce(sum(reporting_amount) FILTER (WHERE event_type = 'order_placed'), 0) AS gross"
    ", coalesce(sum(reporting_amount) FILTER (WHERE event_type = 'order_cancelled'), 0) AS cancellations"
    ", coalesce(sum(reporting_amount) FILTER (WHERE event_type = 'order_refunded'), 0) AS refunds"
    " FROM order_events WHERE included AND {FOCUS} GROUP BY business_date)";

// fct_orders columns and their recomputation per order.
constexpr Metric kOrderMetrics[] = {
    {"gross_reporting", "gross"},
    {"refunds_reporting", "refunds"},
    {"cancellation_reporting", "cancellation"},
    {"net_reporting", "net"},
    {"events", "events"},
    {"excluded_events", "excluded"},
};
constexpr const char* kOrderRecompute =
    "SELECT order_key, order_id, gross, refunds, cancellation, gross - refunds - cancellation AS net, events, "
    "excluded FROM ("
    "SELECT order_key, order_id"
    ", coalesce(sum(reporting_amount) FILTER (WHERE included AND event_type = 'order_placed'), 0) AS gross"
    ", coalesce(sum(reporting_amount) FILTER (WHERE included AND event_type = 'order_refunded'), 0) AS refunds"
    ", coalesce(sum(reporting_amount) FILTER (WHERE included AND event_type = 'order_cancelled'), 0) AS cancellation"
    ", count(*) AS events, count(*) FILTER (WHERE NOT included) AS excluded"
    " FROM order_events JOIN focus_orders USING (order_key, order_id) GROUP BY order_key, order_id)";

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  for (size_t p; (p = s.find(from)) != std::string::npos;) s.replace(p, from.size(), to);
  return s;
}

// SELECT list comparing model m (alias a) with recomputation (alias b):
// for each metric a value, b value, difference; and the WHERE clause.
template <size_t N>
void CompareColumns(const Metric (&metrics)[N], std::string* select, std::string* differs) {
  for (const Metric& m : metrics) {
    std::string a = std::string("coalesce(a.") + m.name + ", 0)", b = std::string("coalesce(b.") + m.recomp + ", 0)";
    *select += ", " + a + ", " + b + ", " + a + " - " + b;
    *differs += (differs->empty() ? "" : " OR ") + a + " <> " + b;
  }
}

}  // namespace

Status ReconcileDaily(const CheckEnv& env, std::vector<CheckResult>* out) {
  std::string select, differs;
  CompareColumns(kDailyMetrics, &select, &differs);
  const std::string sql =
      "WITH a AS (SELECT * FROM daily_revenue WHERE " + env.FocusFilter("business_date") + "), b AS (" +
      Replace(kDailyRecompute, "{FOCUS}", env.FocusFilter("business_date")) +
      ") SELECT coalesce(a.business_date, b.business_date) AS d, a.business_date IS NULL" + select +
      " FROM a FULL OUTER JOIN b ON a.business_date = b.business_date"
      " WHERE coalesce(a.business_date, b.business_date) IS NOT NULL AND (" + differs + ") ORDER BY d";
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, env.wh.Query(sql));
  while (rows->NextChunk()) {
    for (size_t r = 0; r < rows->size(); ++r) {
      const int32_t d = static_cast<int32_t>(rows->Int64(0, r));
      const bool no_row = rows->Bool(1, r);
      std::string observed, expected, diffs;
      for (size_t i = 0; i < std::size(kDailyMetrics); ++i) {
        size_t c = 2 + 3 * i;
        std::string a = rows->Text(c, r), b = rows->Text(c + 1, r);
        if (a == b) continue;
        const char* name = kDailyMetrics[i].name;
        observed += (observed.empty() ? "" : ", ") + std::string(name) + "=" + a;
        expected += (expected.empty() ? "" : ", ") + std::string(name) + "=" + b;
        diffs += (diffs.empty() ? "" : "; ") + std::string(name) + " " + a + " vs " + b + " (difference " +
                 Signed(rows->Text(c + 2, r)) + ")";
      }
      CheckResult res = env.Make(true);
      res.business_date = d;
      res.observed = observed;
      res.expected = expected;
      res.message = no_row ? "daily_revenue has no row for " + FormatDate(d) + " but its included events give " +
                                 expected + "; run `daybook rebuild`"
                           : "daily_revenue " + FormatDate(d) + " disagrees with the sum of its included events: " +
                                 diffs + "; run `daybook rebuild` and find what changed the table";
      out->push_back(std::move(res));
    }
  }
  DAYBOOK_RETURN_IF_ERROR(rows->status());
  if (out->empty()) {
    DAYBOOK_ASSIGN_OR_RETURN(int64_t days, QueryInt64OrZero(env.wh, "SELECT count(*) FROM daily_revenue WHERE " +
                                                                        env.FocusFilter("business_date")));
    CheckResult res = env.Make(false);
    res.observed = std::to_string(days) + " days agree";
    res.expected = "daily totals = sums of included events";
    res.message = "daily_revenue agrees with its included events on every day of " + env.FocusText() + " (" +
                  std::to_string(days) + " days with a row)";
    out->push_back(std::move(res));
  }
  return Status::Ok();
}

namespace {

// Linear fingerprints of fct_orders and of its recomputation from
// order_events, without grouping events by order: with a per-order weight w
// (31 odd bits of order_key) and h (31 bits of hash(order_id)),
//   Σ_events w·[included placed]·amount = Σ_orders w·gross_reporting
// and likewise for refunds, cancellations, event counts (Σ_events w =
// Σ_orders w·events), excluded counts, the order id (Σ_events w·h =
// Σ_orders w·h·events) and net = gross − refunds − cancellation. Exact
// arithmetic (HUGEINT / DECIMAL(38)). One wrong order always breaks an
// equality (w is odd, so never 0); several wrong orders can only cancel out
// with odds of about 2^-31. `{EVENTS_FOCUS}` and `{ORDERS_FOCUS}` restrict
// the two sides to the focus orders, by order_key (a colliding key only
// adds an order). A mismatch falls back to the per-order query, which names
// the orders.
constexpr const char* kOrderFingerprints =
    "WITH e AS (SELECT"
    " sum(w * CASE WHEN included AND event_type = 'order_placed' THEN reporting_amount END) AS gross"
    ", sum(w * CASE WHEN included AND event_type = 'order_refunded' THEN reporting_amount END) AS refunds"
    ", sum(w * CASE WHEN included AND event_type = 'order_cancelled' THEN reporting_amount END) AS cancellation"
    ", sum(w) AS events, sum(CASE WHEN included THEN 0 ELSE w END) AS excluded, sum(w * h) AS ids"
    " FROM (SELECT ((order_key >> 33) | 1)::BIGINT AS w, (hash(order_id) >> 33)::BIGINT AS h, included,"
    " event_type, reporting_amount FROM order_events {EVENTS_FOCUS})),"
    " f AS (SELECT sum(w * gross_reporting) AS gross, sum(w * refunds_reporting) AS refunds"
    ", sum(w * cancellation_reporting) AS cancellation, sum(w * events) AS events"
    ", sum(w * excluded_events) AS excluded, sum(w::HUGEINT * h * events) AS ids"
    ", sum(w * (net_reporting - (gross_reporting - refunds_reporting - cancellation_reporting))) AS bad_net"
    ", count(*) AS orders"
    " FROM (SELECT ((order_key >> 33) | 1)::BIGINT AS w, (hash(order_id) >> 33)::BIGINT AS h, * FROM fct_orders {ORDERS_FOCUS}))"
    " SELECT CASE WHEN coalesce(e.gross, 0) = coalesce(f.gross, 0) AND coalesce(e.refunds, 0) = coalesce(f.refunds, 0)"
    " AND coalesce(e.cancellation, 0) = coalesce(f.cancellation, 0) AND coalesce(e.events, 0) = coalesce(f.events, 0)"
    " AND coalesce(e.excluded, 0) = coalesce(f.excluded, 0) AND coalesce(e.ids, 0) = coalesce(f.ids, 0)"
    " AND coalesce(f.bad_net, 0) = 0 THEN f.orders ELSE -1 END FROM e, f";

// The orders a run that just committed wrote: its events (inserted, or
// stored ones it derived again: updated_run_id) and its fct_orders rows.
// Each has an event on one of the run's days, so they are a subset of the
// focus days' orders; the others on those days did not change. Both columns
// only grow with the run id, so DuckDB's zone maps skip the row groups of
// earlier runs.
std::optional<std::string> RunOrderKeys(const CheckEnv& env) {
  if (env.ctx.run == nullptr || env.ctx.run->status != "succeeded") return std::nullopt;
  const std::string run = std::to_string(env.ctx.run->run_id);
  return "SELECT order_key FROM order_events WHERE updated_run_id = " + run +
         " UNION SELECT order_key FROM fct_orders WHERE updated_run_id = " + run;
}

// The number of fct_orders rows of the focus orders when their fingerprints
// agree, -1 when they do not. When every event is in the focus days (a first
// load, or a window that covers the history), every order is in focus and
// the whole tables are compared, one pass over each. Otherwise the focus is
// the orders the run wrote, when there is one (`*focus_text`), else the
// orders with events in the focus days.
Result<int64_t> FocusFingerprintsAgree(const CheckEnv& env, std::string* focus_text) {
  DAYBOOK_ASSIGN_OR_RETURN(int64_t outside, QueryInt64OrZero(env.wh,
      "SELECT count(*) FROM (SELECT 1 FROM order_events WHERE NOT (" + env.FocusFilter("business_date") + ") LIMIT 1)"));
  std::string events_focus, orders_focus;
  if (outside) {
    // The focus rows are found by key, then read by rowid: filtered by key
    // alone, DuckDB reads every row's order_id to hash it (0.5–0.9 s → 0.35 s
    // on 10M events for a late batch's three days). A key set of the run's
    // orders (thousands for a late batch, not the hundreds of thousands on
    // its days) keeps each key probe in cache (0.36 → 0.16 s into 10M).
    std::string keys = "SELECT order_key FROM order_events WHERE " + env.FocusFilter("business_date") +
                       " UNION SELECT order_key FROM fct_orders WHERE " + env.FocusFilter("placed_date");
    if (std::optional<std::string> run_keys = RunOrderKeys(env)) {
      keys = *run_keys;
      *focus_text = "run " + std::to_string(env.ctx.run->run_id) + " wrote, with events in " + env.FocusText();
    }
    const std::string in_keys = "order_key IN (" + keys + ")";
    events_focus = "WHERE rowid IN (SELECT rowid FROM order_events WHERE " + in_keys + ")";
    orders_focus = "WHERE rowid IN (SELECT rowid FROM fct_orders WHERE " + in_keys + ")";
  }
  return QueryInt64OrZero(env.wh, Replace(Replace(kOrderFingerprints, "{EVENTS_FOCUS}", events_focus),
                                          "{ORDERS_FOCUS}", orders_focus));
}

}  // namespace

Status ReconcileOrders(const CheckEnv& env, std::vector<CheckResult>* out) {
  constexpr int kListed = 10;
  std::string focus_text = "with events in " + env.FocusText();
  DAYBOOK_ASSIGN_OR_RETURN(int64_t agreeing, FocusFingerprintsAgree(env, &focus_text));
  if (agreeing >= 0) {
    CheckResult res = env.Make(false);
    res.expected = "fct_orders = sums of order_events";
    res.observed = std::to_string(agreeing) + " orders agree";
    res.message = "fct_orders agrees with order_events for the " + std::to_string(agreeing) + " orders " +
                  focus_text;
    out->push_back(std::move(res));
    return Status::Ok();
  }
  // The orders to compare: those with an event in the focus days, and
  // fct_orders rows placed on them (catches rows without events).
  const std::string focus_orders =
      "focus_orders AS (SELECT DISTINCT order_key, order_id FROM order_events WHERE " +
      env.FocusFilter("business_date") + " UNION SELECT order_key, order_id FROM fct_orders WHERE " +
      env.FocusFilter("placed_date") + ")";
  std::string select, differs;
  CompareColumns(kOrderMetrics, &select, &differs);
  const std::string sql =
      "WITH " + focus_orders +
      ", a AS (SELECT f.* FROM fct_orders f JOIN focus_orders USING (order_key, order_id)), b AS (" +
      std::string(kOrderRecompute) +
      "), d AS (SELECT coalesce(a.order_id, b.order_id) AS o, a.order_id IS NULL, b.order_id IS NULL" + select +
      " FROM a FULL OUTER JOIN b ON a.order_key = b.order_key AND a.order_id = b.order_id"
      " WHERE a.order_id IS NULL OR b.order_id IS NULL OR " +
      differs + ") SELECT *, (SELECT count(*) FROM d) FROM d ORDER BY o LIMIT " + std::to_string(kListed);
  int64_t bad = 0;
  std::string listed;
  Status st = [&]() -> Status {
    DAYBOOK_ASSIGN_OR_RETURN(auto rows, env.wh.Query(sql));
    const size_t total_col = 3 + 3 * std::size(kOrderMetrics);
    while (rows->NextChunk()) {
      for (size_t r = 0; r < rows->size(); ++r) {
        bad = rows->Int64(total_col, r);
        std::string id(rows->String(0, r)), what;
        if (rows->Bool(1, r)) {
          what = "has events but no fct_orders row";
        } else if (rows->Bool(2, r)) {
          what = "is in fct_orders but has no events";
        } else {
          for (size_t i = 0; i < std::size(kOrderMetrics); ++i) {
            size_t c = 3 + 3 * i;
            std::string a = rows->Text(c, r), b = rows->Text(c + 1, r);
            if (a == b) continue;
            what += (what.empty() ? "" : ", ") + std::string(kOrderMetrics[i].name) + " " + a + " vs " + b +
                    " from its events (difference " + Signed(rows->Text(c + 2, r)) + ")";
          }
        }
        listed += (listed.empty() ? "" : "; ") + ("order '" + id + "' ") + what;
      }
    }
    return rows->status();
  }();
  DAYBOOK_RETURN_IF_ERROR(st);
  int64_t checked = 0;
  if (!bad) {
    DAYBOOK_ASSIGN_OR_RETURN(checked,
                             QueryInt64OrZero(env.wh, "WITH " + focus_orders + " SELECT count(*) FROM focus_orders"));
  }
  CheckResult res = env.Make(bad > 0);
  res.expected = "fct_orders = sums of order_events";
  if (bad) {
    res.observed = std::to_string(bad) + (bad == 1 ? " order disagrees" : " orders disagree");
    res.message = "fct_orders disagrees with order_events for " + std::to_string(bad) + " order" +
                  (bad == 1 ? "" : "s") + " with events in " + env.FocusText() + ": " + listed +
                  (bad > kListed ? "; …" : "") + "; run `daybook rebuild`";
  } else {
    res.observed = std::to_string(checked) + " orders agree";
    res.message = "fct_orders agrees with order_events for the " + std::to_string(checked) + " orders with events in " +
                  env.FocusText();
  }
  out->push_back(std::move(res));
  return Status::Ok();
}

}  // namespace checks_internal
}  // namespace daybook
