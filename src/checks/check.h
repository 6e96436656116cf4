// File: checks/check.h
//
// The vocabulary of data-quality checks (spec §6): what a check reports.
// A check guards one model (`order_events`, `fct_orders`, `daily_revenue`),
// has a severity (warn or error, configurable, see check_config.h) and turns
// what it observes into one or more CheckResult rows, stored in
// `check_results` (runner.h) and turned into alerts by the alerts stage.
//
//   CheckResult r;                      // filled by a check
//   r.status = StatusFor(Severity::kError, /*violated=*/true);   // kFail
//   std::cout << CheckStatusName(r.status);                        // "fail"
//
// Status semantics: a satisfied check is kPass; a violated warn-severity
// check is kWarn; a violated error-severity check is kFail. (Freshness "at
// risk" is kWarn whatever the severity: it is a warning that the SLA may be
// missed, not a miss.) A kFail result makes `daybook run` / `daybook check`
// exit 1; kWarn never changes the exit code.
//
// Identity: a result's identity for alert de-duplication is
// (check, model, business_date). A check emits at most one result per
// identity in one evaluation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daybook {

enum class Severity { kWarn, kError };
enum class CheckStatus { kPass, kWarn, kFail };

// "warn" / "error"; "pass" / "warn" / "fail" — the texts stored in
// check_results.severity and check_results.status.
std::string_view SeverityName(Severity s);
std::string_view CheckStatusName(CheckStatus s);
// "warn" or "error"; false for anything else.
bool ParseSeverity(std::string_view text, Severity* out);

// The status of a check of severity `s`: kPass when not violated, else kWarn
// (warn) or kFail (error).
CheckStatus StatusFor(Severity s, bool violated);

struct CheckResult {
  std::string check;   // "volume", "keys", …
  std::string model;   // "order_events", "fct_orders", "daily_revenue"
  Severity severity = Severity::kWarn;
  CheckStatus status = CheckStatus::kPass;
  // The business date a day-level result is about; nullopt for results about
  // the model as a whole (or, for day-level checks, "every examined day").
  std::optional<int32_t> business_date;
  std::string observed;  // what was measured, rendered ("0", "net=1001.00", "missed")
  std::string expected;  // the expectation or threshold (">= 1000", "net=1000.00")
  std::string message;   // one sentence a person can act on
  int64_t duration_ms = 0;  // how long the check took (shared by the results of one check)
};

// True when some result is kFail (an error-severity check failed): the run
// or `daybook check` exits 1.
bool AnyFailed(const std::vector<CheckResult>& results);

}  // namespace daybook
