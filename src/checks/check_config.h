// File: checks/check_config.h
//
// Per-model, per-check settings from the `models:` section of daybook.yml
// (Config::models_yaml), over defaults shipped in the binary. Only the
// `checks:` key of each model is read here; the other keys of a model
// (description, owner, grain, freshness_sla, columns, …) belong to the
// documentation stage and are ignored.
//
//   models:
//     daily_revenue:
//       checks:
//         anomaly:  { severity: error, max_z: 5 }
//         volume:   { min_orders: 200 }
//     order_events:
//       checks:
//         excluded_events: { enabled: false }
//
//   Result<ChecksConfig> checks = ParseChecksConfig(config);   // at start-up
//   const CheckSettings* s = checks->Find("daily_revenue", "anomaly");
//   double z = s->Param("max_z");
//
// Every check takes `severity: warn|error` and `enabled: true|false`, plus
// its own parameters. Errors (InvalidArgument, exit 2) name the file, the
// line when known and the key path: an unknown model with checks, a check
// that does not exist or does not guard that model, an unknown parameter (all
// with "did you mean"), a bad severity, a value of the wrong type or range.
//
// Built-in checks and their defaults (durations are "90s", "2h", "1d", …):
//
// | model         | check            | severity | parameters (default)                          |
// |---------------|------------------|----------|-----------------------------------------------|
// | order_events  | volume           | error    | min_rows_per_run (quality.min_rows_per_run)   |
// | order_events  | freshness        | warn     | max_age (24h), at_risk_window (1h)            |
// | order_events  | keys             | error    | —  (event_id unique, not null)                |
// | order_events  | drop_rate        | error    | —  (threshold: the run's max drop rate, i.e.  |
// |               |                  |          |     --max-drop-rate or quality.max_drop_rate) |
// | order_events  | schema_drift     | warn     | —                                             |
// | order_events  | duplicate_conflicts | warn  | —  (re-sent ids with different content)       |
// | order_events  | excluded_events  | warn     | max_ratio (0: any excluded event warns)       |
// | fct_orders    | keys             | error    | —  (order_id unique, not null)                |
// | fct_orders    | reconciliation   | error    | —                                             |
// | daily_revenue | volume           | warn     | min_orders (none: derived), history_weeks (4),|
// |               |                  |          | min_ratio (0.5), min_history (2)              |
// | daily_revenue | freshness        | warn     | at_risk_window (1h), completeness_gap (1h)    |
// | daily_revenue | keys             | error    | —  (business_date unique, not null)           |
// | daily_revenue | reconciliation   | error    | —                                             |
// | daily_revenue | restatement_size | warn     | max_ratio (quality.restatement_alert_ratio)   |
// | daily_revenue | anomaly          | warn     | history_weeks (6), max_z (4), min_points (4), |
// |               |                  |          | min_rel_spread (0.12)                         |
//
// What each check and parameter means is documented in runner.h.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "checks/check.h"
#include "core/config.h"
#include "core/status.h"

namespace daybook {

struct CheckSettings {
  std::string model, check;
  bool enabled = true;
  Severity severity = Severity::kWarn;
  // Numeric parameters; durations in microseconds. A parameter without a
  // default (daily_revenue.volume.min_orders) is present only when set.
  std::map<std::string, double> params;

  bool Has(const std::string& name) const { return params.count(name) > 0; }
  // The value of a parameter the catalog declares (0 when absent).
  double Param(const std::string& name) const;
};

struct ChecksConfig {
  std::vector<CheckSettings> checks;  // every built-in check, in catalog order
  // nullptr when (model, check) is not a built-in check.
  const CheckSettings* Find(const std::string& model, const std::string& check) const;
};

// Defaults (from the table above and config's `quality:` section) with the
// overrides of config.models_yaml applied.
Result<ChecksConfig> ParseChecksConfig(const Config& config);

}  // namespace daybook
