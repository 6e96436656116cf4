#include "checks/internal/catalog.h"

#include <cstring>
#include <limits>

namespace daybook {
namespace checks_internal {

namespace {
constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
constexpr double kHour = 3600.0 * 1e6;  // microseconds
}  // namespace

const std::vector<CheckDef>& Catalog() {
  static const std::vector<CheckDef> kCatalog = {
      {"order_events", "volume", Severity::kError,
       {{"min_rows_per_run", ParamKind::kCount, 1, "min_rows_per_run"}}, VolumePerRun},
      {"order_events", "freshness", Severity::kWarn,
       {{"max_age", ParamKind::kDuration, 24 * kHour, nullptr},
        {"at_risk_window", ParamKind::kDuration, 1 * kHour, nullptr}},
       FreshnessEvents},
      {"order_events", "keys", Severity::kError, {}, KeysCheck},
      {"order_events", "drop_rate", Severity::kError, {}, DropRate},
      {"order_events", "schema_drift", Severity::kWarn, {}, SchemaDriftCheck},
      {"order_events", "duplicate_conflicts", Severity::kWarn, {}, DuplicateConflicts},
      {"order_events", "excluded_events", Severity::kWarn,
       {{"max_ratio", ParamKind::kRatio, 0.0, nullptr}}, ExcludedEvents},
      {"fct_orders", "keys", Severity::kError, {}, KeysCheck},
      {"fct_orders", "reconciliation", Severity::kError, {}, ReconcileOrders},
      {"daily_revenue", "volume", Severity::kWarn,
       {{"min_orders", ParamKind::kCount, kNone, nullptr},
        {"history_weeks", ParamKind::kWeeks, 4, nullptr},
        {"min_ratio", ParamKind::kRatio, 0.5, nullptr},
        {"min_history", ParamKind::kWeeks, 2, nullptr}},
       VolumeDaily},
      {"daily_revenue", "freshness", Severity::kWarn,
       {{"at_risk_window", ParamKind::kDuration, 1 * kHour, nullptr},
        {"completeness_gap", ParamKind::kDuration, 1 * kHour, nullptr}},
       FreshnessDaily},
      {"daily_revenue", "keys", Severity::kError, {}, KeysCheck},
      {"daily_revenue", "reconciliation", Severity::kError, {}, ReconcileDaily},
      {"daily_revenue", "restatement_size", Severity::kWarn,
       {{"max_ratio", ParamKind::kRatio, 0.005, "restatement_alert_ratio"}}, RestatementSize},
      {"daily_revenue", "anomaly", Severity::kWarn,
       {{"history_weeks", ParamKind::kWeeks, 6, nullptr},
        {"max_z", ParamKind::kNumber, 4, nullptr},
        {"min_points", ParamKind::kWeeks, 4, nullptr},
        {"min_rel_spread", ParamKind::kRatio, 0.12, nullptr}},
       Anomaly},
  };
  return kCatalog;
}

double DefaultParam(const ParamSpec& p, const Config& config) {
  if (p.quality_key) {
    if (std::strcmp(p.quality_key, "min_rows_per_run") == 0) return static_cast<double>(config.min_rows_per_run);
    if (std::strcmp(p.quality_key, "restatement_alert_ratio") == 0) return config.restatement_alert_ratio;
    if (std::strcmp(p.quality_key, "max_drop_rate") == 0) return config.max_drop_rate;
  }
  return p.fallback;
}

}  // namespace checks_internal
}  // namespace daybook
