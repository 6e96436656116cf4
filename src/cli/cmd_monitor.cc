// `daybook check`, `daybook status` and `daybook runs`: the production view
// of the warehouse — check results, SLA state, open alerts, run history.
#include <cstdio>

#include "alerts/alert.h"
#include "alerts/dispatcher.h"
#include "cli/commands.h"
#include "cli/monitor_output.h"
#include "cli/table_printer.h"
#include "core/json.h"
#include "load/schema.h"
#include "load/warehouse.h"
#include "pipeline/run.h"

namespace daybook {
namespace {


// Rows of a query as text cells (small result sets only).
Result<std::vector<std::vector<std::string>>> Cells(Warehouse& wh, const std::string& sql) {
  std::vector<std::vector<std::string>> out;
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

struct ModelStatus {
  std::string model, rows, newest, sla, sla_detail, last_run, last_change;
};

// The models' state as of the latest recorded checks (status never writes).
Result<std::vector<ModelStatus>> ModelStates(Warehouse& wh) {
  struct Def { const char* model; const char* newest_sql; };
  const Def defs[] = {
      {"order_events", "SELECT count(*), max(occurred_at), max(updated_run_id) FROM order_events"},
      {"fct_orders", "SELECT count(*), max(last_event_at), max(updated_run_id) FROM fct_orders"},
      {"daily_revenue", "SELECT count(*), max(business_date) FILTER (WHERE version > 0), max(updated_run_id) FROM daily_revenue"},
      {"daily_revenue_by_channel", "SELECT count(*), max(business_date), max(updated_run_id) FROM daily_revenue_by_channel"},
      {"quarantine", "SELECT count(*), max(quarantined_at), max(run_id) FROM quarantine"},
  };
  std::vector<ModelStatus> out;
  for (const Def& d : defs) {
    ModelStatus m;
    m.model = d.model;
    DAYBOOK_ASSIGN_OR_RETURN(auto cells, Cells(wh, d.newest_sql));
    if (!cells.empty()) {
      m.rows = cells[0][0];
      m.newest = cells[0][1];
      m.last_change = cells[0][2];
    }
    DAYBOOK_ASSIGN_OR_RETURN(auto sla, Cells(wh,
        "SELECT observed, message, run_id FROM check_results WHERE check_name = 'freshness' AND model = " +
        SqlQuote(d.model) + " AND run_id = (SELECT max(run_id) FROM check_results) ORDER BY business_date DESC NULLS LAST LIMIT 1"));
    if (!sla.empty()) {
      m.sla = sla[0][0];
      m.sla_detail = sla[0][1];
    } else {
      m.sla = "-";
    }
    if (!m.last_change.empty()) {
      DAYBOOK_ASSIGN_OR_RETURN(auto run, Cells(wh, "SELECT finished_at FROM pipeline_runs WHERE run_id = " + m.last_change));
      m.last_run = run.empty() ? "" : "run " + m.last_change + " at " + run[0][0];
    }
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

int CmdCheck(const GlobalFlags& g, bool json) {
  auto ctx = ResolveContext(g);
  if (!ctx.ok()) return ReportError(ctx.status());
  auto summary = CheckOnly(ctx->config, ctx->now);
  if (!summary.ok()) return ReportError(summary.status());
  const MonitorReport& m = summary->monitor;
  if (json) {
    JsonWriter w;
    w.BeginObject().Key("run_id").Int(summary->record.run_id).Key("now").String(FormatTimestamp(ctx->now));
    w.Key("failed").Bool(m.failed()).Key("checks");
    WriteChecksJson(w, m.checks);
    w.Key("alerts").BeginObject().Key("raised").Int(m.alerts.raised).Key("reminded").Int(m.alerts.reminded);
    w.Key("suppressed").Int(m.alerts.suppressed).Key("resolved").Int(m.alerts.resolved);
    w.Key("delivery_failures").Int(m.alerts.delivery_failures).EndObject().EndObject();
    std::printf("%s\n", w.str().c_str());
  } else {
    TextTable t;
    t.columns = {"model", "check", "severity", "status", "business_date", "observed", "expected"};
    for (const auto& c : m.checks) {
      t.rows.push_back({c.model, c.check, std::string(SeverityName(c.severity)), std::string(CheckStatusName(c.status)),
                        c.business_date ? FormatDate(*c.business_date) : "", c.observed, c.expected});
    }
    std::printf("daybook check: run %lld at %s\n", static_cast<long long>(summary->record.run_id),
                FormatTimestamp(ctx->now).c_str());
    PrintTable(t, OutputFormat::kTable, stdout);
    PrintMonitorText(m);
  }
  return m.failed() ? 1 : 0;
}

int CmdStatus(const GlobalFlags& g, bool json) {
  auto ctx = ResolveContext(g);
  if (!ctx.ok()) return ReportError(ctx.status());
  auto whr = Warehouse::Open(ctx->config.warehouse_path, Warehouse::Mode::kReadOnly);
  if (!whr.ok()) return ReportError(whr.status());
  Warehouse& wh = **whr;
  if (Status st = CheckReadable(wh); !st.ok()) return ReportError(st);
  auto models = ModelStates(wh);
  if (!models.ok()) return ReportError(models.status());
  auto alerts = OpenAlerts(wh);
  if (!alerts.ok()) return ReportError(alerts.status());
  std::string since = std::to_string(ctx->now.micros - 7 * kMicrosPerDay);
  auto restated = Cells(wh,
      "SELECT business_date, max(version), sum(delta) FILTER (WHERE metric = 'net'), sum(late_events) FILTER (WHERE metric = 'net') "
      "FROM revenue_restatements WHERE restated_at >= make_timestamptz(" + since + "::BIGINT) GROUP BY 1 ORDER BY 1");
  if (!restated.ok()) return ReportError(restated.status());
  auto runs = Cells(wh,
      "SELECT run_id, command, status, finished_at, rows_read, accepted, quarantined, coalesce(error, '') "
      "FROM pipeline_runs ORDER BY run_id DESC LIMIT 5");
  if (!runs.ok()) return ReportError(runs.status());
  // A run whose data committed but an error check failed exited 1: not a success.
  auto last_ok = Cells(wh,
      "SELECT max(run_id), max(finished_at) FROM pipeline_runs WHERE status = 'succeeded' AND command = 'run' "
      "AND run_id NOT IN (SELECT run_id FROM check_results WHERE status = 'fail')");
  if (!last_ok.ok()) return ReportError(last_ok.status());

  if (json) {
    JsonWriter w;
    w.BeginObject().Key("warehouse").String(ctx->config.warehouse_path).Key("now").String(FormatTimestamp(ctx->now));
    w.Key("last_successful_run").String(last_ok->empty() ? "" : (*last_ok)[0][0]);
    w.Key("models").BeginArray();
    for (const auto& m : *models) {
      w.BeginObject().Key("model").String(m.model).Key("rows").Raw(m.rows.empty() ? "0" : m.rows);
      w.Key("newest").String(m.newest).Key("sla").String(m.sla).Key("sla_detail").String(m.sla_detail);
      w.Key("last_change").String(m.last_run).EndObject();
    }
    w.EndArray().Key("open_alerts").BeginArray();
    for (const auto& a : *alerts) w.Raw(AlertJson(a));
    w.EndArray().Key("restatements_last_7_days").BeginArray();
    for (const auto& r : *restated) {
      w.BeginObject().Key("business_date").String(r[0]).Key("version").Raw(r[1]).Key("net_delta").Raw(r[2]);
      w.Key("late_events").Raw(r[3].empty() ? "0" : r[3]).EndObject();
    }
    w.EndArray().Key("recent_runs").BeginArray();
    for (const auto& r : *runs) {
      w.BeginObject().Key("run_id").Raw(r[0]).Key("command").String(r[1]).Key("status").String(r[2]);
      w.Key("finished_at").String(r[3]).Key("rows_read").Raw(r[4]).Key("accepted").Raw(r[5]);
      w.Key("quarantined").Raw(r[6]).Key("error").String(r[7]).EndObject();
    }
    w.EndArray().EndObject();
    std::printf("%s\n", w.str().c_str());
    return 0;
  }
  std::printf("Warehouse %s (now %s)\n", ctx->config.warehouse_path.c_str(), FormatTimestamp(ctx->now).c_str());
  if (!last_ok->empty() && !(*last_ok)[0][0].empty()) {
    std::printf("Last successful run: %s at %s\n\n", (*last_ok)[0][0].c_str(), (*last_ok)[0][1].c_str());
  }
  TextTable t;
  t.columns = {"model", "rows", "newest", "sla", "last change"};
  t.numeric = {false, true, false, false, false};
  for (const auto& m : *models) t.rows.push_back({m.model, m.rows, m.newest, m.sla, m.last_run});
  PrintTable(t, OutputFormat::kTable, stdout);
  for (const auto& m : *models) {
    if (m.sla != "met" && m.sla != "-" && !m.sla_detail.empty()) std::printf("  %s: %s\n", m.model.c_str(), m.sla_detail.c_str());
  }
  std::printf("\nOpen alerts: %zu\n", alerts->size());
  for (const auto& a : *alerts) std::printf("  %s\n", AlertText(a).c_str());
  std::printf("\nRestatements in the last 7 days: %zu day%s\n", restated->size(), restated->size() == 1 ? "" : "s");
  for (const auto& r : *restated) {
    std::printf("  %s now v%s, net %s%s (%s late events)\n", r[0].c_str(), r[1].c_str(),
                r[2].empty() || r[2][0] == '-' ? "" : "+", r[2].c_str(), r[3].empty() ? "0" : r[3].c_str());
  }
  std::printf("\nRecent runs:\n");
  TextTable rt;
  rt.columns = {"run_id", "command", "status", "finished_at", "rows_read", "accepted", "quarantined", "error"};
  rt.numeric = {true, false, false, false, true, true, true, false};
  rt.rows = *runs;
  PrintTable(rt, OutputFormat::kTable, stdout);
  return 0;
}

int CmdQuarantineList(const GlobalFlags& g, const QuarantineFlags& f) {
  auto ctx = ResolveContext(g);
  if (!ctx.ok()) return ReportError(ctx.status());
  auto format = ParseFormat(f.format);
  if (!format.ok()) return ReportError(format.status());
  std::string where = "TRUE";
  if (!f.reason.empty()) {
    Reason r;
    if (!ParseReason(f.reason, &r)) return ReportError(InvalidArgument("--reason: unknown reason code '" + f.reason + "'"));
    where += " AND reason_code = " + SqlQuote(f.reason);
  }
  if (f.run > 0) where += " AND run_id = " + std::to_string(f.run);
  if (!f.status.empty()) where += " AND replay_status = " + SqlQuote(f.status);
  auto whr = Warehouse::Open(ctx->config.warehouse_path, Warehouse::Mode::kReadOnly);
  if (!whr.ok()) return ReportError(whr.status());
  if (Status st = CheckReadable(**whr); !st.ok()) return ReportError(st);
  std::string sql = f.summary
      ? "SELECT reason_code, count(*) AS rows, min(locator) AS first_locator, any_value(detail) AS example_detail "
        "FROM quarantine WHERE " + where + " GROUP BY ALL ORDER BY rows DESC, reason_code"
      : "SELECT run_id, locator, reason_code, detail, event_id, replay_status, left(raw, 200) AS raw "
        "FROM quarantine WHERE " + where + " ORDER BY run_id, source_file, source_line LIMIT " + std::to_string(f.limit);
  auto rows = (*whr)->Query(sql);
  if (!rows.ok()) return ReportError(rows.status());
  auto t = CollectTable(**rows);
  if (!t.ok()) return ReportError(t.status());
  PrintTable(*t, *format, stdout);
  return 0;
}

int CmdRuns(const GlobalFlags& g, int limit, const std::string& format_name) {
  auto ctx = ResolveContext(g);
  if (!ctx.ok()) return ReportError(ctx.status());
  auto format = ParseFormat(format_name);
  if (!format.ok()) return ReportError(format.status());
  auto whr = Warehouse::Open(ctx->config.warehouse_path, Warehouse::Mode::kReadOnly);
  if (!whr.ok()) return ReportError(whr.status());
  if (Status st = CheckReadable(**whr); !st.ok()) return ReportError(st);
  auto rows = (*whr)->Query(
      "SELECT run_id, command, status, started_at AS now, duration_ms, rows_read, accepted, duplicates, quarantined, "
      "files_loaded, files_skipped, published_days, restated_days, stage_ms, error FROM pipeline_runs "
      "ORDER BY run_id DESC LIMIT " + std::to_string(limit));
  if (!rows.ok()) return ReportError(rows.status());
  auto t = CollectTable(**rows);
  if (!t.ok()) return ReportError(t.status());
  PrintTable(*t, *format, stdout);
  return 0;
}

}  // namespace daybook
