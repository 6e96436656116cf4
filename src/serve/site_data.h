// File: serve/site_data.h
//
// Everything the documentation site and `daybook describe` show, read once:
// the catalog (catalog/catalog.h) joined with the live warehouse — column
// types (information_schema), row counts, freshness and last change, the
// latest result of every configured check, open alerts, the last 90 days of
// daily revenue with restatements, and quarantine counts by reason. Reads
// only; never writes.
//
//   auto cat = LoadCatalog(config);
//   auto wh = Warehouse::Open(path, Warehouse::Mode::kReadOnly);
//   auto data = GatherSiteData(wh->get(), config, *cat, now);   // wh may be null
//   const ModelInfo* m = data->Find("daily_revenue");
//
// Without a warehouse (nullptr: not built yet) the result holds the catalog
// alone, with `note` saying so. Errors: the warehouse's, as statuses.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "alerts/alert.h"
#include "catalog/catalog.h"
#include "core/config.h"
#include "core/status.h"
#include "core/time.h"
#include "load/warehouse.h"

namespace daybook {

struct ColumnInfo {
  std::string name;
  std::string type;         // from the warehouse; "" when not there
  std::string description;  // "" when the catalog does not document it
  bool nullable = true;
  bool in_warehouse = false;
};

struct CheckInfo {
  std::string check, severity;
  // pass, warn, fail (latest result), "disabled", or "not run" (no result yet)
  std::string status;
  std::string business_date, observed, expected, message, checked_at;
  int64_t run_id = 0;
};

struct ModelInfo {
  ModelDoc doc;
  std::vector<std::string> downstream;
  bool in_warehouse = false;
  int64_t rows = -1;                // -1: unknown (no warehouse)
  std::vector<ColumnInfo> columns;  // warehouse order, then documented columns missing from it
  // Freshness against the SLA: "met", "at risk", "missed", "error" (the
  // check could not run) or "" when nothing measures it. `sla_from` names
  // the model whose freshness check said so (itself, or an upstream model
  // it is updated with).
  std::string sla_state, sla_detail, sla_from;
  std::string newest;       // the newest data point (a date or a timestamp)
  std::string last_change;  // "run 3 at 2025-01-20T00:00:00Z"
  std::vector<CheckInfo> checks;
  std::vector<Alert> open_alerts;
  // How many of the model's checks have `status` as their worst latest
  // result (fail > warn > pass; "disabled", "not run" count as themselves).
  int CountChecks(const std::string& status) const;
};

struct RevenueDay {
  int32_t date = 0;
  int64_t net_minor = 0;                           // net in minor units of the reporting currency
  std::string net, gross, refunds, cancellations;  // exact, as stored
  int64_t orders = 0;
  int version = 0;              // 0 provisional, 1 published, 2+ restated
  int64_t first_net_minor = 0;  // restated days: net as first published (version 1)
};

struct RestatementInfo {
  int32_t date = 0;
  int version = 0;
  std::string metric, old_value, new_value, delta, restated_at;
  int64_t run_id = 0, late_events = 0;
};

struct QuarantineReason {
  std::string reason;
  int64_t rows = 0, pending = 0;
  std::string first_at, last_at, example_locator, example_detail;
};

struct SiteData {
  std::string generated_at;  // the command's now, RFC 3339
  std::string warehouse_path, reporting_currency;
  int currency_exponent = 2;
  bool has_warehouse = false;
  std::string note;                  // why some data is missing (no warehouse yet)
  std::string last_run;              // "run 3 (run, succeeded) at …"
  std::vector<std::string> sources;  // configured source names
  std::vector<ModelInfo> models;     // catalog order
  Catalog catalog;
  int32_t revenue_from = 0, revenue_to = 0;   // the chart's window (inclusive); from > to: no data
  std::vector<RevenueDay> revenue;            // days of the window with a row, ascending
  std::vector<RestatementInfo> restatements;  // of days in the window, newest first
  std::vector<QuarantineReason> quarantine;   // most rows first
  int64_t quarantine_rows = 0;
  int64_t open_alerts = 0;

  const ModelInfo* Find(const std::string& model) const;
};

inline constexpr int kRevenueWindowDays = 90;

// A column type for display: an ENUM with a long value list becomes
// "ENUM (N values)"; other types are returned as they are.
std::string ShortType(const std::string& type);

// `wh` may be null (no warehouse yet). The revenue window is the 90 days
// ending at the latest business date in daily_revenue (at most today in
// business.timezone), starting no earlier than its first business date.
Result<SiteData> GatherSiteData(Warehouse* wh, const Config& config, const Catalog& catalog, Timestamp now);

}  // namespace daybook
