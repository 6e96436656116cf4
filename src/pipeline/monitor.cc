#include "pipeline/monitor.h"

#include <cstdio>

#include "alerts/alert_config.h"
#include "checks/check_config.h"
#include "checks/runner.h"

namespace daybook {
namespace {

AlertCondition ToCondition(const CheckResult& r) {
  AlertCondition c;
  c.check = r.check;
  c.model = r.model;
  c.severity = std::string(SeverityName(r.severity));
  c.business_date = r.business_date;
  c.message = r.message;
  c.violated = r.status != CheckStatus::kPass;
  return c;
}

}  // namespace

Status ValidateMonitoringConfig(const Config& config) {
  DAYBOOK_RETURN_IF_ERROR(ParseChecksConfig(config).status());
  return ParseAlertSettings(config).status();
}

Result<MonitorReport> Monitor(Warehouse& wh, const Config& config, const TimeZone& tz, Timestamp now,
                              int64_t run_id, const RunRecord* run, const std::vector<int32_t>& affected_dates) {
  MonitorReport report;
  CheckContext ctx{config, tz, now, run_id, run, affected_dates};
  DAYBOOK_ASSIGN_OR_RETURN(report.checks, RunChecks(wh, ctx));
  DAYBOOK_RETURN_IF_ERROR(wh.Exec("BEGIN TRANSACTION"));
  Status st = RecordCheckResults(wh, report.checks, run_id, now);
  if (!st.ok()) {
    (void)wh.Exec("ROLLBACK");
    return st;
  }
  DAYBOOK_RETURN_IF_ERROR(wh.Exec("COMMIT"));

  DAYBOOK_ASSIGN_OR_RETURN(AlertSettings settings, ParseAlertSettings(config));
  std::vector<AlertCondition> conditions;
  for (const CheckResult& r : report.checks) conditions.push_back(ToCondition(r));
  // A day-level check that passes reports one row without a date, so an
  // open alert about a particular day would never see its day pass: every
  // open day alert of a check that ran, whose day it no longer reports as
  // violating, gets an explicit passing condition (and is resolved).
  DAYBOOK_ASSIGN_OR_RETURN(std::vector<Alert> open, OpenAlerts(wh));
  for (const Alert& a : open) {
    if (!a.business_date) continue;
    bool ran = false, still_violating = false;
    for (const CheckResult& r : report.checks) {
      if (r.check != a.check || r.model != a.model) continue;
      ran = true;
      still_violating |= r.business_date == a.business_date && r.status != CheckStatus::kPass;
    }
    if (!ran || still_violating) continue;
    AlertCondition c;
    c.check = a.check;
    c.model = a.model;
    c.severity = a.severity;
    c.business_date = a.business_date;
    c.message = "no longer reported for " + FormatDate(*a.business_date);
    c.violated = false;
    conditions.push_back(std::move(c));
  }
  DAYBOOK_ASSIGN_OR_RETURN(report.alerts, ProcessConditions(wh, conditions, settings, run_id, now));
  return report;
}

}  // namespace daybook
