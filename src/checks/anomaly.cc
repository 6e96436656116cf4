// anomaly: a closed day's net far from the same weekday's recent history,
// by robust z-score (runner.h). SQL fetches one row per day; the statistics
// are C++ (robust_stats.h).
#include <cmath>
#include <cstdio>
#include <map>

#include "checks/internal/catalog.h"
#include "checks/internal/check_env.h"
#include "checks/internal/robust_stats.h"
#include "core/money.h"

namespace daybook {
namespace checks_internal {
namespace {
const char* kWeekdays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
}  // namespace

Status Anomaly(const CheckEnv& env, std::vector<CheckResult>* out) {
  const CheckSettings& s = env.settings;
  const int weeks = static_cast<int>(s.Param("history_weeks"));
  const size_t min_points = static_cast<size_t>(s.Param("min_points"));
  const double max_z = s.Param("max_z");
  const double rel_floor = s.Param("min_rel_spread");
  const double unit = 1.0;  // one minor unit, in minor units

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
  std::map<int32_t, int64_t> net;  // minor units
  if (!days.empty()) {
    DAYBOOK_ASSIGN_OR_RETURN(auto rows, env.wh.Query(
        "SELECT business_date, net FROM daily_revenue WHERE business_date BETWEEN " +
        SqlDate(days.front() - 7 * weeks) + " AND " + SqlDate(days.back())));
    while (rows->NextChunk()) {
      for (size_t r = 0; r < rows->size(); ++r) {
        if (!rows->IsNull(0, r)) net[static_cast<int32_t>(rows->Int64(0, r))] = rows->Int64(1, r);
      }
    }
    DAYBOOK_RETURN_IF_ERROR(rows->status());
  }
  auto net_on = [&](int32_t d) -> int64_t {
    auto it = net.find(d);
    return it == net.end() ? 0 : it->second;
  };

  size_t examined = 0;
  auto value = [&](int32_t d) { return static_cast<double>(net_on(d)); };
  for (int32_t d : days) {
    DayScore sc = ScoreDay(value, d, first_day, weeks, min_points, rel_floor, unit);
    if (!sc.evaluated) continue;
    ++examined;
    if (!(sc.z > max_z)) continue;
    const int64_t x = net_on(d);
    const int64_t median = std::llround(sc.median);
    char buf[256];
    std::snprintf(buf, sizeof buf, "%g", max_z);
    const std::string mz = buf;
    CheckResult r = env.Make(true);
    r.business_date = d;
    r.observed = Money(x, env.scale);
    r.expected = "robust z <= " + mz + " (median " + Money(median, env.scale) + ")";
    const double rel = sc.median != 0 ? (static_cast<double>(x) - sc.median) / std::fabs(sc.median) : 0;
    std::snprintf(buf, sizeof buf, "%.1f%% %s ", std::fabs(rel) * 100, rel < 0 ? "below" : "above");
    std::string how = sc.median != 0 ? buf : "far from ";
    std::snprintf(buf, sizeof buf, "robust z %.1f > %s, noise %.1f%% of the median", sc.z, mz.c_str(),
                  100 * sc.sigma / std::max(std::fabs(sc.median), 1.0));
    r.message = "net " + Money(x, env.scale) + " on " + FormatDate(d) + " (" + kWeekdays[Weekday(d)] + ") is " + how +
                "the median " + Money(median, env.scale) + " of the previous " + std::to_string(sc.points) + " " +
                kWeekdays[Weekday(d)] + "s (" + buf + "); check for missing or duplicated input that day";
    out->push_back(std::move(r));
  }
  if (out->empty()) {
    CheckResult r = env.Make(false);
    r.observed = std::to_string(examined) + " days";
    char buf[64];
    std::snprintf(buf, sizeof buf, "robust z <= %g", max_z);
    r.expected = buf;
    r.message = days.empty() ? "no closed day to check"
                             : std::to_string(examined) + " closed days in " + FormatDate(days.front()) + ".." +
                                   FormatDate(days.back()) + " have " + buf + " against their weekday history" +
                                   (examined < days.size() ? " (" + std::to_string(days.size() - examined) +
                                                                 " without enough history)"
                                                           : "");
    out->push_back(std::move(r));
  }
  return Status::Ok();
}

}  // namespace checks_internal
}  // namespace daybook
