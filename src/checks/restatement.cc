// restatement_size: |Δnet| / |old net| of each day the run restated
// (runner.h).
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "checks/internal/catalog.h"
#include "checks/internal/check_env.h"

namespace daybook {
namespace checks_internal {

Status RestatementSize(const CheckEnv& env, std::vector<CheckResult>* out) {
  const double max_ratio = env.settings.Param("max_ratio");
  if (!env.run) {
    out->push_back(env.NoRun());
    return Status::Ok();
  }
  const int64_t run_id = env.run->run_id;
  char ratio_sql[64];
  std::snprintf(ratio_sql, sizeof ratio_sql, "%.17g", max_ratio);
  // |delta| > ratio · |old| in SQL (no division, so a restatement from 0
  // is always over the ratio).
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, env.wh.Query(
      "SELECT business_date, version, old_value, new_value, delta, late_events, "
      "abs(delta) > " + std::string(ratio_sql) + " * abs(old_value), abs(old_value) = 0 FROM revenue_restatements "
      "WHERE metric = 'net' AND run_id = " + std::to_string(run_id) + " ORDER BY business_date"));
  int examined = 0;
  while (rows->NextChunk()) {
    for (size_t r = 0; r < rows->size(); ++r) {
      ++examined;
      if (!rows->Bool(6, r)) continue;
      const std::string old_v = rows->Text(2, r), new_v = rows->Text(3, r), delta = rows->Text(4, r);
      const bool from_zero = rows->Bool(7, r);
      const double ratio = from_zero ? INFINITY : std::fabs(std::strtod(delta.c_str(), nullptr)) /
                                                      std::fabs(std::strtod(old_v.c_str(), nullptr));
      CheckResult res = env.Make(true);
      res.business_date = static_cast<int32_t>(rows->Int64(0, r));
      res.observed = from_zero ? "from 0" : Percent(ratio);
      res.expected = "<= " + Percent(max_ratio);
      res.message = "run " + std::to_string(run_id) + " restated " + FormatDate(*res.business_date) + " (version " +
                    std::to_string(rows->Int64(1, r)) + ") net from " + old_v + " to " + new_v + " (difference " +
                    (delta[0] == '-' ? delta : "+" + delta) + ", " + (from_zero ? "from zero" : Percent(ratio)) +
                    " > " + Percent(max_ratio) + ") with " + std::to_string(rows->Int64(5, r)) +
                    " late events; a published figure changed — tell its readers, see revenue_restatements";
      out->push_back(std::move(res));
    }
  }
  DAYBOOK_RETURN_IF_ERROR(rows->status());
  if (out->empty()) {
    CheckResult res = env.Make(false);
    res.observed = std::to_string(examined) + " days restated";
    res.expected = "<= " + Percent(max_ratio);
    res.message = examined ? "run " + std::to_string(run_id) + " restated net on " + std::to_string(examined) +
                                 " days, each within " + Percent(max_ratio) + " of the published value"
                           : "run " + std::to_string(run_id) + " restated no day's net";
    out->push_back(std::move(res));
  }
  return Status::Ok();
}

}  // namespace checks_internal
}  // namespace daybook
