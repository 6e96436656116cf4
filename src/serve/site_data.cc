#include "serve/site_data.h"

#include <algorithm>
#include <map>
#include <set>

#include "alerts/dispatcher.h"
#include "checks/check_config.h"
#include "core/money.h"
#include "load/schema.h"

namespace daybook {
namespace {

using Cells = std::vector<std::vector<std::string>>;

// Rows of a query as text cells ("" for NULL); small result sets only.
Result<Cells> Read(Warehouse& wh, const std::string& sql) {
  Cells out;
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, wh.Query(sql));
  while (rows->NextChunk()) {
    for (size_t r = 0; r < rows->size(); ++r) {
      std::vector<std::string> row;
      for (size_t c = 0; c < rows->column_count(); ++c) row.push_back(rows->Text(c, r));
      out.push_back(std::move(row));
    }
  }
  DAYBOOK_RETURN_IF_ERROR(rows->status());
  return out;
}

std::string Ident(const std::string& name) { return "\"" + name + "\""; }
std::string DateLit(int32_t d) { return "DATE '" + FormatDate(d) + "'"; }

// How to tell each model's newest data and the run that last changed it.
struct Probe {
  const char* model;
  const char* newest;  // SQL expression
  const char* run;     // SQL expression: a run id
};
constexpr Probe kProbes[] = {
    {"order_events", "max(occurred_at)", "max(updated_run_id)"},
    {"quarantine", "max(quarantined_at)", "max(run_id)"},
    {"fct_orders", "max(last_event_at)", "max(updated_run_id)"},
    {"daily_revenue", "max(business_date)", "max(updated_run_id)"},
    {"daily_revenue_by_channel", "max(business_date)", "max(updated_run_id)"},
    {"daily_revenue_versions", "max(valid_from)", "max(run_id)"},
    {"revenue_restatements", "max(restated_at)", "max(run_id)"},
    {"pipeline_runs", "max(finished_at)", "max(run_id)"},
    {"loaded_files", "max(loaded_at)", "max(run_id)"},
    {"schema_drift", "max(first_seen_at)", "max(last_seen_run_id)"},
    {"check_results", "max(checked_at)", "max(run_id)"},
    {"alerts", "max(raised_at)", "max(run_id)"},
};

Status ReadModels(Warehouse& wh, SiteData* d) {
  // Live columns.
  DAYBOOK_ASSIGN_OR_RETURN(
      Cells cols, Read(wh,
                       "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
                       "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"));
  std::map<std::string, std::vector<ColumnInfo>> live;
  for (const auto& c : cols) {
    ColumnInfo ci;
    ci.name = c[1];
    ci.type = c[2];
    ci.nullable = c[3] == "YES";
    ci.in_warehouse = true;
    live[c[0]].push_back(ci);
  }
  std::map<int64_t, std::string> run_times;
  DAYBOOK_ASSIGN_OR_RETURN(Cells runs, Read(wh, "SELECT run_id, finished_at FROM pipeline_runs"));
  for (const auto& r : runs) run_times[std::atoll(r[0].c_str())] = r[1];

  for (auto& m : d->models) {
    auto it = live.find(m.doc.name);
    m.in_warehouse = it != live.end();
    if (m.in_warehouse) {
      for (ColumnInfo ci : it->second) {
        if (const ColumnDoc* doc = m.doc.FindColumn(ci.name)) ci.description = doc->description;
        m.columns.push_back(ci);
      }
      DAYBOOK_ASSIGN_OR_RETURN(m.rows, wh.QueryInt("SELECT count(*) FROM " + Ident(m.doc.name)));
    }
    for (const auto& doc : m.doc.columns) {  // documented but not (yet) in this warehouse
      bool present =
          std::any_of(m.columns.begin(), m.columns.end(), [&](const ColumnInfo& c) { return c.name == doc.name; });
      if (!present) m.columns.push_back(ColumnInfo{doc.name, "", doc.description, true, false});
    }
    if (!m.in_warehouse) continue;
    for (const Probe& p : kProbes) {
      if (m.doc.name != p.model) continue;
      DAYBOOK_ASSIGN_OR_RETURN(
          Cells v, Read(wh, std::string("SELECT ") + p.newest + ", " + p.run + " FROM " + Ident(m.doc.name)));
      if (v.empty()) break;
      m.newest = v[0][0];
      if (!v[0][1].empty()) {
        int64_t run = std::atoll(v[0][1].c_str());
        auto t = run_times.find(run);
        m.last_change = "run " + v[0][1] + (t != run_times.end() ? " at " + t->second : "");
      }
    }
  }
  return Status::Ok();
}

Status ReadChecks(Warehouse& wh, const Config& config, SiteData* d) {
  DAYBOOK_ASSIGN_OR_RETURN(ChecksConfig checks, ParseChecksConfig(config));
  // The latest result(s) of every (model, check).
  DAYBOOK_ASSIGN_OR_RETURN(
      Cells latest,
      Read(wh,
           "SELECT model, check_name, severity, status, business_date, observed, expected, message, run_id, checked_at "
           "FROM check_results JOIN (SELECT model, check_name, max(run_id) AS run_id FROM check_results "
           "GROUP BY model, check_name) USING (model, check_name, run_id) "
           "ORDER BY model, check_name, business_date DESC NULLS FIRST"));
  for (auto& m : d->models) {
    std::set<std::string> seen;
    auto add_results = [&](const std::string& check) {
      for (const auto& r : latest) {
        if (r[0] != m.doc.name || r[1] != check) continue;
        CheckInfo ci;
        ci.check = r[1];
        ci.severity = r[2];
        ci.status = r[3];
        ci.business_date = r[4];
        ci.observed = r[5];
        ci.expected = r[6];
        ci.message = r[7];
        ci.run_id = std::atoll(r[8].c_str());
        ci.checked_at = r[9];
        m.checks.push_back(ci);
      }
    };
    for (const auto& s : checks.checks) {
      if (s.model != m.doc.name) continue;
      seen.insert(s.check);
      size_t before = m.checks.size();
      if (s.enabled) add_results(s.check);
      if (m.checks.size() == before) {
        CheckInfo ci;
        ci.check = s.check;
        ci.severity = std::string(SeverityName(s.severity));
        ci.status = s.enabled ? "not run" : "disabled";
        m.checks.push_back(ci);
      }
    }
    for (const auto& r : latest) {  // results of checks no longer configured
      if (r[0] == m.doc.name && !seen.count(r[1])) {
        seen.insert(r[1]);
        add_results(r[1]);
      }
    }
    // Freshness: the latest result about the most recent day.
    for (const auto& c : m.checks) {
      if (c.check != "freshness" || c.status == "not run" || c.status == "disabled") continue;
      const std::string& o = c.observed;
      m.sla_state = o == "met" || o == "at risk" || o == "missed" || o == "error" ? o
                    : c.status == "pass"                                          ? "met"
                                                                                  : c.status;
      m.sla_detail = c.message;
      m.sla_from = m.doc.name;
      break;  // rows are sorted by business_date, newest first
    }
  }
  // Derived models are updated in the same transaction as what they are built
  // from: without a freshness check of their own they are as fresh as it.
  for (int pass = 0; pass < 4; ++pass) {
    for (auto& m : d->models) {
      if (!m.sla_state.empty() || m.doc.kind != "model") continue;
      for (const auto& u : m.doc.upstream) {
        const ModelInfo* up = d->Find(u);
        if (up && !up->sla_state.empty()) {
          m.sla_state = up->sla_state;
          m.sla_from = up->sla_from;
          m.sla_detail = "as " + up->sla_from + ", which it is updated with in the same run";
          break;
        }
      }
    }
  }
  DAYBOOK_ASSIGN_OR_RETURN(std::vector<Alert> alerts, OpenAlerts(wh));
  d->open_alerts = static_cast<int64_t>(alerts.size());
  for (const auto& a : alerts) {
    for (auto& m : d->models) {
      if (m.doc.name == a.model) m.open_alerts.push_back(a);
    }
  }
  return Status::Ok();
}

Status ReadRevenue(Warehouse& wh, const Config& config, Timestamp now, SiteData* d) {
  DAYBOOK_ASSIGN_OR_RETURN(auto tz, TimeZone::Load(config.timezone));
  DAYBOOK_ASSIGN_OR_RETURN(auto maxd, wh.Query("SELECT min(business_date), max(business_date) FROM daily_revenue"));
  int32_t first = 0, last = 0;
  bool any = false;
  while (maxd->NextChunk()) {
    if (maxd->size() && !maxd->IsNull(0, 0)) {
      first = static_cast<int32_t>(maxd->Int64(0, 0));
      last = static_cast<int32_t>(maxd->Int64(1, 0));
      any = true;
    }
  }
  DAYBOOK_RETURN_IF_ERROR(maxd->status());
  if (!any) {
    d->revenue_from = 1;
    d->revenue_to = 0;
    return Status::Ok();
  }
  d->revenue_to = std::min(last, tz.LocalDate(now));
  d->revenue_from = std::max(first, d->revenue_to - (kRevenueWindowDays - 1));
  const std::string window = " BETWEEN " + DateLit(d->revenue_from) + " AND " + DateLit(d->revenue_to);
  DAYBOOK_ASSIGN_OR_RETURN(
      auto rows,
      wh.Query("SELECT business_date, net, orders, gross, refunds, cancellations, version FROM daily_revenue "
               "WHERE business_date" +
               window + " ORDER BY business_date"));
  while (rows->NextChunk()) {
    int scale = rows->decimal_scale(1);
    for (size_t r = 0; r < rows->size(); ++r) {
      RevenueDay day;
      day.date = static_cast<int32_t>(rows->Int64(0, r));
      day.net_minor = rows->Int64(1, r);
      for (int s = scale; s < d->currency_exponent; ++s) day.net_minor *= 10;
      for (int s = d->currency_exponent; s < scale; ++s) day.net_minor /= 10;
      day.net = rows->Text(1, r);
      day.orders = rows->Int64(2, r);
      day.gross = rows->Text(3, r);
      day.refunds = rows->Text(4, r);
      day.cancellations = rows->Text(5, r);
      day.version = static_cast<int>(rows->Int64(6, r));
      d->revenue.push_back(day);
    }
  }
  DAYBOOK_RETURN_IF_ERROR(rows->status());
  // Restated days: net as first published (the old value of version 2).
  DAYBOOK_ASSIGN_OR_RETURN(
      auto v1,
      wh.Query("SELECT business_date, old_value FROM revenue_restatements WHERE metric = 'net' AND version = 2 "
               "AND business_date" +
               window));
  while (v1->NextChunk()) {
    int scale = v1->decimal_scale(1);
    for (size_t r = 0; r < v1->size(); ++r) {
      int32_t date = static_cast<int32_t>(v1->Int64(0, r));
      int64_t v = v1->Int64(1, r);
      for (int s = scale; s < d->currency_exponent; ++s) v *= 10;
      for (int s = d->currency_exponent; s < scale; ++s) v /= 10;
      for (auto& day : d->revenue) {
        if (day.date == date) day.first_net_minor = v;
      }
    }
  }
  DAYBOOK_RETURN_IF_ERROR(v1->status());
  DAYBOOK_ASSIGN_OR_RETURN(
      Cells rs,
      Read(wh,
           "SELECT business_date, version, metric, old_value, new_value, delta, run_id, late_events, restated_at "
           "FROM revenue_restatements WHERE business_date" +
               window + " ORDER BY restated_at DESC, business_date DESC, metric"));
  for (const auto& r : rs) {
    RestatementInfo ri;
    ri.date = ParseDate(r[0]).value_or(0);
    ri.version = std::atoi(r[1].c_str());
    ri.metric = r[2];
    ri.old_value = r[3];
    ri.new_value = r[4];
    ri.delta = r[5];
    ri.run_id = std::atoll(r[6].c_str());
    ri.late_events = std::atoll(r[7].c_str());
    ri.restated_at = r[8];
    d->restatements.push_back(ri);
  }
  return Status::Ok();
}

Status ReadQuarantine(Warehouse& wh, SiteData* d) {
  DAYBOOK_ASSIGN_OR_RETURN(
      Cells q,
      Read(wh,
           "SELECT reason_code, count(*), count(*) FILTER (WHERE replay_status = 'pending'), min(quarantined_at), "
           "max(quarantined_at), arg_max(locator, quarantined_at), arg_max(detail, quarantined_at) "
           "FROM quarantine GROUP BY reason_code ORDER BY 2 DESC, 1"));
  for (const auto& r : q) {
    QuarantineReason qr{r[0], std::atoll(r[1].c_str()), std::atoll(r[2].c_str()), r[3], r[4], r[5], r[6]};
    d->quarantine_rows += qr.rows;
    d->quarantine.push_back(qr);
  }
  return Status::Ok();
}

}  // namespace

int ModelInfo::CountChecks(const std::string& status) const {
  auto rank = [](const std::string& s) { return s == "fail" ? 3 : s == "warn" ? 2 : s == "pass" ? 1 : 0; };
  std::map<std::string, std::string> worst;  // check -> worst status
  for (const auto& c : checks) {
    auto [it, fresh] = worst.emplace(c.check, c.status);
    if (!fresh && rank(c.status) > rank(it->second)) it->second = c.status;
  }
  return static_cast<int>(
      std::count_if(worst.begin(), worst.end(), [&](const auto& kv) { return kv.second == status; }));
}

std::string ShortType(const std::string& type) {
  if (type.rfind("ENUM(", 0) != 0 || type.size() <= 60) return type;
  size_t values = 1;
  bool quoted = false;
  for (char c : type) {
    if (c == '\'') quoted = !quoted;
    if (c == ',' && !quoted) ++values;
  }
  return "ENUM (" + std::to_string(values) + " values)";
}

const ModelInfo* SiteData::Find(const std::string& model) const {
  for (const auto& m : models) {
    if (m.doc.name == model) return &m;
  }
  return nullptr;
}

Result<SiteData> GatherSiteData(Warehouse* wh, const Config& config, const Catalog& catalog, Timestamp now) {
  SiteData d;
  d.catalog = catalog;
  d.generated_at = FormatTimestamp(now);
  d.warehouse_path = config.warehouse_path;
  d.reporting_currency = config.reporting_currency;
  for (const auto& s : config.sources) d.sources.push_back(s.name);
  for (const auto& doc : catalog.models) {
    ModelInfo m;
    m.doc = doc;
    m.downstream = catalog.Downstream(doc.name);
    d.models.push_back(std::move(m));
  }
  d.revenue_from = 1;
  d.revenue_to = 0;
  if (!wh) {
    d.note = "The warehouse " + config.warehouse_path +
             " does not exist yet (run `daybook run`): this is the catalog alone, without types, row counts, "
             "freshness or check results.";
    for (auto& m : d.models) {
      for (const auto& c : m.doc.columns) m.columns.push_back(ColumnInfo{c.name, "", c.description, true, false});
    }
    DAYBOOK_ASSIGN_OR_RETURN(ChecksConfig checks, ParseChecksConfig(config));
    for (auto& m : d.models) {
      for (const auto& s : checks.checks) {
        if (s.model == m.doc.name) {
          m.checks.push_back(CheckInfo{s.check, std::string(SeverityName(s.severity)),
                                       s.enabled ? "not run" : "disabled", "", "", "", "", "", 0});
        }
      }
    }
    return d;
  }
  d.has_warehouse = true;
  DAYBOOK_ASSIGN_OR_RETURN(d.reporting_currency, WarehouseCurrency(*wh));
  if (const Currency* c = FindCurrency(d.reporting_currency)) d.currency_exponent = c->exponent;
  DAYBOOK_RETURN_IF_ERROR(ReadModels(*wh, &d));
  DAYBOOK_RETURN_IF_ERROR(ReadChecks(*wh, config, &d));
  DAYBOOK_RETURN_IF_ERROR(ReadRevenue(*wh, config, now, &d));
  DAYBOOK_RETURN_IF_ERROR(ReadQuarantine(*wh, &d));
  DAYBOOK_ASSIGN_OR_RETURN(
      Cells last,
      Read(*wh, "SELECT run_id, command, status, finished_at FROM pipeline_runs ORDER BY run_id DESC LIMIT 1"));
  if (!last.empty()) {
    d.last_run = "run " + last[0][0] + " (" + last[0][1] + ", " + last[0][2] + ") at " + last[0][3];
  }
  return d;
}

}  // namespace daybook
