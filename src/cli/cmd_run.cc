// `daybook run` and `daybook rebuild`: run the pipeline and print the
// accounting summary (or JSON with --json).
#include <unistd.h>

#include <cstdio>

#include "cli/commands.h"
#include "core/json.h"
#include "core/money.h"
#include "cli/monitor_output.h"
#include "pipeline/run.h"

namespace daybook {
namespace {

void PrintSummaryJson(const RunSummary& s, const std::string& currency) {
  const RunRecord& r = s.record;
  const Currency* cur = FindCurrency(currency);
  JsonWriter w;
  w.BeginObject();
  w.Key("run_id").Int(r.run_id).Key("command").String(r.command).Key("status").String(r.status);
  w.Key("now").String(FormatTimestamp(r.started_at));
  w.Key("rows_read").Int(r.rows_read).Key("accepted").Int(r.accepted);
  w.Key("duplicates").Int(r.duplicates).Key("quarantined").Int(r.quarantined);
  w.Key("quarantined_by_reason").BeginObject();
  for (const auto& [k, v] : r.quarantined_by_reason) w.Key(k).Int(v);
  w.EndObject();
  w.Key("drop_rate").Double(r.drop_rate).Key("max_drop_rate").Double(r.max_drop_rate);
  w.Key("files_loaded").Int(r.files_loaded).Key("files_skipped").Int(r.files_skipped);
  w.Key("files").BeginArray();
  for (const auto& f : s.files) {
    w.BeginObject().Key("path").String(f.path).Key("source").String(f.source).Key("skipped").Bool(f.skipped);
    w.Key("rows_read").Int(f.counts.rows_read).Key("accepted").Int(f.counts.accepted);
    w.Key("duplicates").Int(f.counts.duplicates).Key("quarantined").Int(f.counts.quarantined).EndObject();
  }
  w.EndArray();
  w.Key("batches").Int(s.batches).Key("orders_rederived").Int(s.orders_rederived);
  w.Key("daily_metrics").String(s.daily_metrics_tallied ? "tallied" : "aggregated");
  w.Key("affected_orders").Int(r.affected_orders).Key("affected_dates").Int(r.affected_dates);
  w.Key("published_days").Int(r.published_days).Key("restated_days").Int(r.restated_days);
  w.Key("restatements").BeginArray();
  for (const auto& x : s.restatements) {
    w.BeginObject().Key("business_date").String(FormatDate(x.business_date)).Key("version").Int(x.version);
    w.Key("old_net").Raw(FormatMinor(x.before.net(), cur->exponent));
    w.Key("new_net").Raw(FormatMinor(x.after.net(), cur->exponent));
    w.Key("late_events").Int(x.late_events).EndObject();
  }
  w.EndArray();
  if (!r.error.empty()) w.Key("error").String(r.error);
  w.Key("checks");
  WriteChecksJson(w, s.monitor.checks);
  const DispatchReport& a = s.monitor.alerts;
  w.Key("alerts").BeginObject().Key("raised").Int(a.raised).Key("reminded").Int(a.reminded);
  w.Key("suppressed").Int(a.suppressed).Key("resolved").Int(a.resolved);
  w.Key("delivery_failures").Int(a.delivery_failures).EndObject();
  w.Key("stage_ms").BeginObject();
  for (const auto& [k, v] : r.stage_ms) w.Key(k).Int(v);
  w.EndObject();
  w.Key("duration_ms").Int(r.duration_ms);
  w.EndObject();
  std::printf("%s\n", w.str().c_str());
}

void PrintSummaryText(const RunSummary& s, const std::string& currency) {
  const RunRecord& r = s.record;
  const Currency* cur = FindCurrency(currency);
  std::printf("daybook %s: run %lld %s in %.2f s (now %s)\n", r.command.c_str(),
              static_cast<long long>(r.run_id), r.status.c_str(), static_cast<double>(r.duration_ms) / 1000.0,
              FormatTimestamp(r.started_at).c_str());
  if (r.command == "run") {
    if (r.status == "succeeded") {
      std::printf("  files        %lld loaded, %lld skipped (already loaded)\n",
                  static_cast<long long>(r.files_loaded), static_cast<long long>(r.files_skipped));
    } else {
      std::printf("  files        %lld read but not marked loaded (the run failed), %lld skipped (already loaded)\n",
                  static_cast<long long>(s.files.size()) - static_cast<long long>(r.files_skipped),
                  static_cast<long long>(r.files_skipped));
    }
    std::printf("  rows_read    %12lld\n", static_cast<long long>(r.rows_read));
    std::printf("  accepted     %12lld\n", static_cast<long long>(r.accepted));
    std::printf("  duplicates   %12lld\n", static_cast<long long>(r.duplicates));
    std::printf("  quarantined  %12lld\n", static_cast<long long>(r.quarantined));
    for (const auto& [k, v] : r.quarantined_by_reason) {
      std::printf("    %-22s %8lld\n", k.c_str(), static_cast<long long>(v));
    }
    std::printf("  drop rate    %.2f%% (max %.2f%%)\n", r.drop_rate * 100, r.max_drop_rate * 100);
  }
  std::printf("  orders touched %lld, days touched %lld, days published %lld, days restated %lld\n",
              static_cast<long long>(r.affected_orders), static_cast<long long>(r.affected_dates),
              static_cast<long long>(r.published_days), static_cast<long long>(r.restated_days));
  for (const auto& x : s.restatements) {
    std::printf("  restated %s -> v%d: net %s -> %s %s (%+lld orders, %lld late events)\n",
                FormatDate(x.business_date).c_str(), x.version,
                FormatMinor(x.before.net(), cur->exponent).c_str(),
                FormatMinor(x.after.net(), cur->exponent).c_str(), currency.c_str(),
                static_cast<long long>(x.after.orders - x.before.orders),
                static_cast<long long>(x.late_events));
  }
  if (r.status != "succeeded") {
    std::printf("  FAILED: %s\n", r.error.c_str());
    for (const auto& smp : s.samples) {
      std::printf("    %s %s: %s\n", smp.locator.c_str(), smp.reason.c_str(), smp.detail.c_str());
    }
  }
  PrintMonitorText(s.monitor);
}

}  // namespace

void WriteChecksJson(JsonWriter& w, const std::vector<CheckResult>& checks) {
  w.BeginArray();
  for (const auto& c : checks) {
    w.BeginObject().Key("check").String(c.check).Key("model").String(c.model);
    w.Key("severity").String(SeverityName(c.severity)).Key("status").String(CheckStatusName(c.status));
    if (c.business_date) w.Key("business_date").String(FormatDate(*c.business_date)); else w.Key("business_date").Null();
    w.Key("observed").String(c.observed).Key("expected").String(c.expected).Key("message").String(c.message);
    w.Key("duration_ms").Int(c.duration_ms);
    w.EndObject();
  }
  w.EndArray();
}

void PrintMonitorText(const MonitorReport& m) {
  if (m.checks.empty()) return;
  int pass = 0, warn = 0, fail = 0;
  for (const auto& c : m.checks) {
    pass += c.status == CheckStatus::kPass;
    warn += c.status == CheckStatus::kWarn;
    fail += c.status == CheckStatus::kFail;
  }
  std::printf("  checks       %d passed, %d warned, %d failed\n", pass, warn, fail);
  for (const auto& c : m.checks) {
    if (c.status == CheckStatus::kPass) continue;
    std::printf("    %-4s %s.%s%s: %s\n", c.status == CheckStatus::kFail ? "FAIL" : "warn", c.model.c_str(),
                c.check.c_str(), c.business_date ? (" " + FormatDate(*c.business_date)).c_str() : "",
                c.message.c_str());
  }
  const DispatchReport& a = m.alerts;
  std::printf("  alerts       %d raised, %d reminded, %d resolved, %d suppressed (cooldown)", a.raised, a.reminded,
              a.resolved, a.suppressed);
  if (a.delivery_failures) std::printf(", %d delivery failures", a.delivery_failures);
  std::printf("\n");
  for (const auto& e : a.errors) std::fprintf(stderr, "daybook: warning: %s\n", e.c_str());
}

int CmdRun(const GlobalFlags& g, const RunFlags& f) {
  auto ctx = ResolveContext(g);
  if (!ctx.ok()) return ReportError(ctx.status());
  RunOptions opts;
  opts.inputs = f.inputs;
  opts.max_drop_rate = f.max_drop_rate;
  opts.batch_events = f.batch_events;
  opts.progress = !f.json && isatty(STDERR_FILENO);
  auto summary = RunPipeline(ctx->config, ctx->now, opts);
  if (!summary.ok()) return ReportError(summary.status());
  if (f.json) {
    PrintSummaryJson(*summary, ctx->config.reporting_currency);
    for (const auto& e : summary->monitor.alerts.errors) std::fprintf(stderr, "daybook: warning: %s\n", e.c_str());
  } else {
    PrintSummaryText(*summary, ctx->config.reporting_currency);
  }
  return summary->failed() ? 1 : 0;
}

int CmdRebuild(const GlobalFlags& g, bool json, const RebuildOptions& opts) {
  auto ctx = ResolveContext(g);
  if (!ctx.ok()) return ReportError(ctx.status());
  auto summary = Rebuild(ctx->config, ctx->now, opts);
  if (!summary.ok()) return ReportError(summary.status());
  if (json) PrintSummaryJson(*summary, ctx->config.reporting_currency);
  else PrintSummaryText(*summary, ctx->config.reporting_currency);
  return 0;
}

}  // namespace daybook
