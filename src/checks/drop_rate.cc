// drop_rate: the run's drop-rate gate (spec §3) recorded as a check.
#include <algorithm>
#include <cstdio>

#include "checks/internal/catalog.h"
#include "checks/internal/check_env.h"

namespace daybook {
namespace checks_internal {

Status DropRate(const CheckEnv& env, std::vector<CheckResult>* out) {
  if (!env.run) {
    out->push_back(env.NoRun());
    return Status::Ok();
  }
  const RunRecord& run = *env.run;
  const int64_t denom = run.rows_read - run.duplicates;
  const double limit = run.max_drop_rate;
  const bool violated = run.drop_rate > limit;
  char buf[256];
  CheckResult r = env.Make(violated);
  std::snprintf(buf, sizeof buf, "%.4f", run.drop_rate);
  r.observed = buf;
  std::snprintf(buf, sizeof buf, "<= %.4f", limit);
  r.expected = buf;
  std::snprintf(buf, sizeof buf,
                "run %lld: drop rate %.4f (%lld quarantined of %lld non-duplicate rows) %s max_drop_rate %.4f",
                static_cast<long long>(run.run_id), run.drop_rate, static_cast<long long>(run.quarantined),
                static_cast<long long>(denom), violated ? "exceeds" : "within", limit);
  r.message = buf;
  if (!run.quarantined_by_reason.empty()) {
    std::vector<std::pair<std::string, int64_t>> reasons(run.quarantined_by_reason.begin(),
                                                         run.quarantined_by_reason.end());
    std::stable_sort(reasons.begin(), reasons.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    r.message += "; by reason:";
    for (size_t i = 0; i < reasons.size(); ++i) {
      r.message += (i ? ", " : " ") + reasons[i].first + " " + std::to_string(reasons[i].second);
    }
  }
  if (violated) {
    r.message += run.status == "succeeded"
                     ? "; see `daybook quarantine list`"
                     : "; nothing of the batch was committed — sample rows in pipeline_runs.sample_rejections, "
                       "fix the producer or raise --max-drop-rate and re-run";
  }
  out->push_back(std::move(r));
  return Status::Ok();
}

}  // namespace checks_internal
}  // namespace daybook
