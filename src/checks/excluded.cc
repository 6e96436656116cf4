// excluded_events: events of the focus days excluded from revenue, by
// reason (runner.h).
#include "checks/internal/catalog.h"
#include "checks/internal/check_env.h"

namespace daybook {
namespace checks_internal {

Status ExcludedEvents(const CheckEnv& env, std::vector<CheckResult>* out) {
  const double max_ratio = env.settings.Param("max_ratio");
  const std::string focus = env.FocusFilter("business_date");
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, env.wh.Query(
      "SELECT coalesce(excluded_reason, '(none)'), count(*), min(business_date), max(business_date) "
      "FROM order_events WHERE NOT included AND " + focus + " GROUP BY 1 ORDER BY 2 DESC, 1"));
  int64_t excluded = 0;
  std::string by_reason;
  while (rows->NextChunk()) {
    for (size_t r = 0; r < rows->size(); ++r) {
      excluded += rows->Int64(1, r);
      std::string first = rows->Text(2, r), last = rows->Text(3, r);
      by_reason += (by_reason.empty() ? "" : ", ") + std::string(rows->String(0, r)) + " " +
                   std::to_string(rows->Int64(1, r)) + " (" + (first == last ? first : first + ".." + last) + ")";
    }
  }
  DAYBOOK_RETURN_IF_ERROR(rows->status());
  int64_t total = 0;
  if (excluded) {
    DAYBOOK_ASSIGN_OR_RETURN(total, QueryInt64OrZero(env.wh, "SELECT count(*) FROM order_events WHERE " + focus));
  }
  const double share = total ? static_cast<double>(excluded) / static_cast<double>(total) : 0.0;
  const bool violated = excluded > 0 && share > max_ratio;
  CheckResult r = env.Make(violated);
  r.observed = excluded ? std::to_string(excluded) + " (" + Percent(share) + ")" : "0";
  r.expected = max_ratio > 0 ? "<= " + Percent(max_ratio) + " of events" : "0";
  if (excluded) {
    r.message = std::to_string(excluded) + " of " + std::to_string(total) + " events in " + env.FocusText() +
                " are excluded from revenue: " + by_reason +
                "; they stay stored and are re-evaluated when their order gains events (an ORPHAN_EVENT is "
                "included once its order_placed arrives) — inspect them with "
                "SELECT * FROM order_events WHERE NOT included";
  } else {
    r.message = "no excluded events in " + env.FocusText();
  }
  out->push_back(std::move(r));
  return Status::Ok();
}

}  // namespace checks_internal
}  // namespace daybook
