// duplicate_conflicts: event ids re-sent with different content in the run
// (spec §3: the first accepted version stays, the newcomer is quarantined and
// an alert is raised).
#include "checks/internal/catalog.h"
#include "checks/internal/check_env.h"

namespace daybook {
namespace checks_internal {

Status DuplicateConflicts(const CheckEnv& env, std::vector<CheckResult>* out) {
  if (!env.run) {
    out->push_back(env.NoRun());
    return Status::Ok();
  }
  auto it = env.run->quarantined_by_reason.find("DUPLICATE_CONFLICT");
  int64_t n = it == env.run->quarantined_by_reason.end() ? 0 : it->second;
  CheckResult r = env.Make(n > 0);
  r.observed = std::to_string(n);
  r.expected = "0";
  if (n == 0) {
    r.message = "run " + std::to_string(env.run->run_id) + " received no conflicting re-deliveries";
  } else {
    std::string examples;
    if (env.run->status == "succeeded") {
      DAYBOOK_ASSIGN_OR_RETURN(auto rows, env.wh.Query(
          "SELECT event_id, locator FROM quarantine WHERE reason_code = 'DUPLICATE_CONFLICT' AND run_id = " +
          std::to_string(env.run->run_id) + " ORDER BY locator LIMIT 3"));
      while (rows->NextChunk()) {
        for (size_t i = 0; i < rows->size(); ++i) {
          examples += (examples.empty() ? "" : ", ") + std::string(rows->String(0, i)) + " at " +
                      std::string(rows->String(1, i));
        }
      }
      DAYBOOK_RETURN_IF_ERROR(rows->status());
    }
    r.message = "run " + std::to_string(env.run->run_id) + " quarantined " + std::to_string(n) +
                " event" + (n == 1 ? "" : "s") +
                " whose event_id was already accepted with different content (the first version stays)" +
                (examples.empty() ? "" : ": " + examples) +
                "; ask the producer which version is right (see `daybook quarantine list --reason DUPLICATE_CONFLICT`)";
  }
  out->push_back(std::move(r));
  return Status::Ok();
}

}  // namespace checks_internal
}  // namespace daybook
