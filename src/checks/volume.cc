// volume: the absence of data — per run on order_events, per closed day on
// daily_revenue (see runner.h).
#include <algorithm>
#include <cmath>
#include <map>

#include "checks/internal/catalog.h"
#include "checks/internal/check_env.h"
#include "checks/internal/robust_stats.h"

namespace daybook {
namespace checks_internal {
namespace {

std::string Quoted(const std::vector<std::string>& names) {
  std::string s;
  for (size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + ("'" + names[i] + "'");
  return s;
}

const char* kWeekdays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

}  // namespace

Status VolumePerRun(const CheckEnv& env, std::vector<CheckResult>* out) {
  const int64_t min_rows = static_cast<int64_t>(env.settings.Param("min_rows_per_run"));
  if (!env.run) {
    CheckResult r = env.NoRun();
    r.expected = ">= " + std::to_string(min_rows);
    out->push_back(std::move(r));
    return Status::Ok();
  }
  const RunRecord& run = *env.run;
  const bool committed = run.status == "succeeded";
  const int64_t loaded = committed ? run.accepted : 0;

  // Which sources the run read: its manifest rows, else the configured ones.
  std::vector<std::string> sources;
  if (committed) {
    DAYBOOK_ASSIGN_OR_RETURN(auto rows, env.wh.Query("SELECT DISTINCT source FROM loaded_files WHERE run_id = " +
                                                     std::to_string(run.run_id) + " ORDER BY 1"));
    while (rows->NextChunk()) {
      for (size_t r = 0; r < rows->size(); ++r) sources.emplace_back(rows->String(0, r));
    }
    DAYBOOK_RETURN_IF_ERROR(rows->status());
  }
  if (sources.empty()) {
    for (const auto& s : env.ctx.config.sources) sources.push_back(s.name);
  }
  std::string from =
      sources.empty() ? "" : (sources.size() == 1 ? " from source " : " from sources ") + Quoted(sources);

  CheckResult r = env.Make(loaded < min_rows);
  r.observed = std::to_string(loaded);
  r.expected = ">= " + std::to_string(min_rows);
  std::string counts = std::to_string(run.files_loaded) + " new file" + (run.files_loaded == 1 ? "" : "s") + ", " +
                       std::to_string(run.files_skipped) + " already loaded; " + std::to_string(run.rows_read) +
                       " rows read, " + std::to_string(run.duplicates) + " duplicates, " +
                       std::to_string(run.quarantined) + " quarantined";
  std::string head = "run " + std::to_string(run.run_id);
  if (!committed) {
    r.message = head + " committed 0 new events" + from + ": the run failed (" + run.error + "); expected at least " +
                std::to_string(min_rows) + " (quality.min_rows_per_run)";
  } else if (loaded < min_rows) {
    std::string why = run.rows_read == 0 ? (run.files_loaded == 0 ? " — no new input: the source delivered nothing"
                                                                  : " — the source returned an empty response")
                                         : "";
    r.message = head + " loaded " + std::to_string(loaded) + " new events" + from + " (" + counts +
                "); expected at least " + std::to_string(min_rows) + " (quality.min_rows_per_run)" + why;
  } else {
    r.message = head + " loaded " + std::to_string(loaded) + " new events" + from + " (" + counts + ")";
  }
  out->push_back(std::move(r));
  return Status::Ok();
}

Status VolumeDaily(const CheckEnv& env, std::vector<CheckResult>* out) {
  const CheckSettings& s = env.settings;
  const bool fixed = s.Has("min_orders");
  const int weeks = static_cast<int>(s.Param("history_weeks"));
  const int min_history = static_cast<int>(s.Param("min_history"));
  const double min_ratio = s.Param("min_ratio");

  DAYBOOK_ASSIGN_OR_RETURN(std::string first_text, env.wh.QueryScalar("SELECT min(business_date) FROM daily_revenue"));
  if (first_text.empty()) {
    CheckResult r = env.Make(false);
    r.observed = "no days";
    r.message = "daily_revenue has no days yet; nothing to check";
    out->push_back(std::move(r));
    return Status::Ok();
  }
  const int32_t first_day = *ParseDate(first_text);
  std::vector<int32_t> days = env.ClosedDays(first_day);
  if (days.empty()) {
    CheckResult r = env.Make(false);
    r.observed = "no closed days";
    r.message = "no closed day in " + FormatDate(env.window_start) + ".." + FormatDate(env.today) + " to check";
    out->push_back(std::move(r));
    return Status::Ok();
  }
  std::map<int32_t, int64_t> orders;
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, env.wh.Query(
      "SELECT business_date, orders FROM daily_revenue WHERE business_date BETWEEN " +
      SqlDate(days.front() - 7 * weeks) + " AND " + SqlDate(days.back())));
  while (rows->NextChunk()) {
    for (size_t r = 0; r < rows->size(); ++r) {
      if (rows->IsNull(0, r)) continue;
      orders[static_cast<int32_t>(rows->Int64(0, r))] = rows->Int64(1, r);
    }
  }
  DAYBOOK_RETURN_IF_ERROR(rows->status());
  auto orders_on = [&](int32_t d) {
    auto it = orders.find(d);
    return it == orders.end() ? 0 : it->second;
  };

  int examined = 0;
  for (int32_t d : days) {
    const int64_t n = orders_on(d);
    std::string basis;
    double threshold = 0;  // violated when n < threshold
    std::string expected;
    if (fixed) {
      threshold = s.Param("min_orders");
      expected = ">= " + std::to_string(static_cast<int64_t>(threshold));
      basis = "the configured min_orders";
    } else {
      std::vector<double> hist;
      for (int k = 1; k <= weeks; ++k) {
        if (d - 7 * k >= first_day) hist.push_back(static_cast<double>(orders_on(d - 7 * k)));
      }
      if (static_cast<int>(hist.size()) < min_history) continue;
      double med = Median(hist);
      threshold = min_ratio * med;
      expected = ">= " + std::to_string(static_cast<int64_t>(std::ceil(threshold)));
      char buf[160];
      std::snprintf(buf, sizeof buf, "%.0f%% of the median %g orders of the previous %zu %ss", min_ratio * 100, med,
                    hist.size(), kWeekdays[Weekday(d)]);
      basis = buf;
    }
    ++examined;
    if (!(static_cast<double>(n) < threshold)) continue;
    CheckResult r = env.Make(true);
    r.business_date = d;
    r.observed = std::to_string(n);
    r.expected = expected;
    r.message = "closed day " + FormatDate(d) + " (" + kWeekdays[Weekday(d)] + ") has " + std::to_string(n) +
                " orders, below its expected minimum " + expected.substr(3) + " (" + basis +
                "); check that every source delivered that day's events";
    out->push_back(std::move(r));
  }
  if (out->empty()) {
    CheckResult r = env.Make(false);
    r.observed = std::to_string(examined) + " days";
    r.expected = fixed ? ">= " + std::to_string(static_cast<int64_t>(s.Param("min_orders"))) + " orders"
                       : "same-weekday minimum";
    r.message = std::to_string(examined) + " closed days in " + FormatDate(days.front()) + ".." +
                FormatDate(days.back()) + " checked, none below the expected minimum" +
                (examined < static_cast<int>(days.size())
                     ? " (" + std::to_string(days.size() - examined) + " without enough same-weekday history)"
                     : "");
    out->push_back(std::move(r));
  }
  return Status::Ok();
}

}  // namespace checks_internal
}  // namespace daybook
