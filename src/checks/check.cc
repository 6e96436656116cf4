#include "checks/check.h"

namespace daybook {

std::string_view SeverityName(Severity s) { return s == Severity::kError ? "error" : "warn"; }

std::string_view CheckStatusName(CheckStatus s) {
  switch (s) {
    case CheckStatus::kPass: return "pass";
    case CheckStatus::kWarn: return "warn";
    case CheckStatus::kFail: return "fail";
  }
  return "?";
}

bool ParseSeverity(std::string_view text, Severity* out) {
  if (text == "warn") {
    *out = Severity::kWarn;
    return true;
  }
  if (text == "error") {
    *out = Severity::kError;
    return true;
  }
  return false;
}

CheckStatus StatusFor(Severity s, bool violated) {
  if (!violated) return CheckStatus::kPass;
  return s == Severity::kError ? CheckStatus::kFail : CheckStatus::kWarn;
}

bool AnyFailed(const std::vector<CheckResult>& results) {
  for (const auto& r : results) {
    if (r.status == CheckStatus::kFail) return true;
  }
  return false;
}

}  // namespace daybook
