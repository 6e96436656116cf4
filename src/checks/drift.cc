// schema_drift: fields outside the contract seen by the run (runner.h).
#include "checks/internal/catalog.h"
#include "checks/internal/check_env.h"

namespace daybook {
namespace checks_internal {

Status SchemaDriftCheck(const CheckEnv& env, std::vector<CheckResult>* out) {
  if (!env.run) {
    out->push_back(env.NoRun());
    return Status::Ok();
  }
  const int64_t run_id = env.run->run_id;
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, env.wh.Query(
      "SELECT field_name, first_seen_run_id, first_seen_locator, occurrences FROM schema_drift "
      "WHERE last_seen_run_id = " + std::to_string(run_id) + " ORDER BY field_name"));
  std::string names, details;
  int64_t fields = 0, fresh = 0;
  while (rows->NextChunk()) {
    for (size_t r = 0; r < rows->size(); ++r) {
      std::string name(rows->String(0, r));
      bool is_new = rows->Int64(1, r) == run_id;
      ++fields;
      fresh += is_new;
      names += (names.empty() ? "" : ", ") + name;
      details += (details.empty() ? "" : "; ") + ("'" + name + "' (") +
                 (is_new ? "new, first seen at " + std::string(rows->String(2, r))
                         : "known since run " + std::to_string(rows->Int64(1, r))) +
                 ", " + std::to_string(rows->Int64(3, r)) + " occurrences so far)";
    }
  }
  DAYBOOK_RETURN_IF_ERROR(rows->status());
  CheckResult r = env.Make(fields > 0);
  r.observed = fields ? names : "none";
  r.expected = "no fields outside the contract";
  if (fields) {
    r.message = "run " + std::to_string(run_id) + " saw " + std::to_string(fields) + " field" +
                (fields == 1 ? "" : "s") + " outside the contract (" + std::to_string(fresh) + " new): " + details +
                "; they are kept in extra_fields — declare them in a contract version (contracts:) or ask the "
                "producer";
  } else {
    r.message = "run " + std::to_string(run_id) + " saw no fields outside the contract";
  }
  out->push_back(std::move(r));
  return Status::Ok();
}

}  // namespace checks_internal
}  // namespace daybook
