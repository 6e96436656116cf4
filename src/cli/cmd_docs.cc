// `daybook validate`, `daybook docs` and `daybook describe`: the model
// catalog (catalog/catalog.h) checked, published as a static site
// (serve/docs_site.h) and printed for a terminal.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "alerts/alert.h"
#include "alerts/alert_config.h"
#include "catalog/catalog.h"
#include "checks/check_config.h"
#include "cli/commands.h"
#include "cli/table_printer.h"
#include "load/schema.h"
#include "load/warehouse.h"
#include "serve/docs_site.h"
#include "serve/site_data.h"

namespace daybook {
namespace {

// The warehouse opened read-only, or null when it does not exist yet (or
// holds no Daybook schema yet): the catalog is documented all the same.
Result<std::unique_ptr<Warehouse>> OpenIfBuilt(const Config& config) {
  const std::string& path = config.warehouse_path;
  if (path == ":memory:" || !std::filesystem::exists(path)) return std::unique_ptr<Warehouse>();
  DAYBOOK_ASSIGN_OR_RETURN(auto wh, Warehouse::Open(path, Warehouse::Mode::kReadOnly));
  Status st = CheckReadable(*wh);
  if (st.code() == StatusCode::kNotFound) return std::unique_ptr<Warehouse>();  // empty: not run yet
  DAYBOOK_RETURN_IF_ERROR(st);
  return wh;
}

Result<SiteData> Gather(const CommandContext& ctx, const Catalog& catalog) {
  DAYBOOK_ASSIGN_OR_RETURN(auto wh, OpenIfBuilt(ctx.config));
  return GatherSiteData(wh.get(), ctx.config, catalog, ctx.now);
}

// Words of `text` wrapped at `width` columns, each line indented.
std::string Wrap(const std::string& text, size_t width, const std::string& indent) {
  std::string out, line;
  size_t p = 0;
  while (p < text.size()) {
    size_t q = text.find(' ', p);
    if (q == std::string::npos) q = text.size();
    std::string word = text.substr(p, q - p);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += indent + line + "\n";
      line.clear();
    }
    if (!word.empty()) line += (line.empty() ? "" : " ") + word;
    p = q + 1;
  }
  if (!line.empty()) out += indent + line + "\n";
  return out;
}

std::string JoinOr(const std::vector<std::string>& v, const std::string& none) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s.empty() ? none : s;
}

void PrintFact(const char* name, const std::string& value) {
  std::printf("  %-15s %s\n", name, value.empty() ? "-" : value.c_str());
}

void PrintDescribe(const SiteData& d, const ModelInfo& m) {
  std::printf("%s  (%s)\n", m.doc.name.c_str(), m.doc.kind.c_str());
  std::printf("%s\n", Wrap(m.doc.description, 76, "  ").c_str());
  if (!d.note.empty()) std::printf("%s\n", Wrap("Note: " + d.note, 76, "  ").c_str());
  PrintFact("Owner", m.doc.owner);
  PrintFact("Grain", m.doc.grain);
  PrintFact("Freshness SLA", m.doc.freshness_sla);
  std::string now = m.sla_state.empty() ? "not measured" : m.sla_state;
  if (!m.sla_detail.empty()) now += " — " + m.sla_detail;
  PrintFact("Freshness now", now);
  PrintFact("Rows", m.rows < 0 ? "" : std::to_string(m.rows));
  PrintFact("Newest data", m.newest);
  PrintFact("Last change", m.last_change);
  std::vector<std::string> up;
  for (const auto& u : m.doc.upstream) {
    if (u == "sources" && !d.sources.empty())
      up.push_back("sources (" + JoinOr(d.sources, "") + ")");
    else
      up.push_back(u);
  }
  PrintFact("Built from", JoinOr(up, "nothing"));
  PrintFact("Read by", JoinOr(m.downstream, "nothing yet"));
  std::printf("\nLineage:\n  %s ──▶ %s ──▶ %s\n", JoinOr(up, "(nothing)").c_str(), m.doc.name.c_str(),
              JoinOr(m.downstream, "(nothing)").c_str());

  std::printf("\nLatest checks:\n");
  if (m.checks.empty()) {
    std::printf("  none guard this model\n");
  } else {
    TextTable t;
    t.columns = {"check", "severity", "status", "business_date", "observed", "expected", "run"};
    t.numeric = {false, false, false, false, false, false, true};
    for (const auto& c : m.checks) {
      t.rows.push_back({c.check, c.severity, c.status, c.business_date, c.observed, c.expected,
                        c.run_id ? std::to_string(c.run_id) : ""});
    }
    PrintTable(t, OutputFormat::kTable, stdout);
    for (const auto& c : m.checks) {
      if (c.status == "warn" || c.status == "fail") std::printf("  %s: %s\n", c.check.c_str(), c.message.c_str());
    }
  }
  std::printf("\nOpen alerts: %zu\n", m.open_alerts.size());
  for (const auto& a : m.open_alerts) std::printf("  %s\n", AlertText(a).c_str());

  if (m.doc.name == "daily_revenue" && !d.revenue.empty()) {
    std::printf("\nDaily net, last %d days (%s to %s):\n", kRevenueWindowDays, FormatDate(d.revenue_from).c_str(),
                FormatDate(d.revenue_to).c_str());
    TextTable t;
    t.columns = {"business_date", "version", "orders", "net"};
    t.numeric = {false, true, true, true};
    size_t first = d.revenue.size() > 14 ? d.revenue.size() - 14 : 0;
    for (size_t i = first; i < d.revenue.size(); ++i) {
      const auto& r = d.revenue[i];
      t.rows.push_back({FormatDate(r.date), std::to_string(r.version), std::to_string(r.orders), r.net});
    }
    PrintTable(t, OutputFormat::kTable, stdout);
    std::printf("  restated metrics in the window: %zu (see `daybook docs` for the chart)\n", d.restatements.size());
  }

  std::printf("\nColumns:\n");
  TextTable t;
  t.columns = {"column", "type", "null", "description"};
  for (const auto& c : m.columns) {
    t.rows.push_back({c.name, c.type.empty() ? "-" : ShortType(c.type),
                      c.in_warehouse ? (c.nullable ? "yes" : "no") : "",
                      c.description.empty() ? "(undocumented)" : c.description});
  }
  PrintTable(t, OutputFormat::kTable, stdout);
}

}  // namespace

int CmdValidate(const GlobalFlags& g) {
  auto ctx = ResolveContext(g);  // the configuration, the checks and the alert sinks
  if (!ctx.ok()) return ReportError(ctx.status());
  auto catalog = LoadCatalog(ctx->config);
  if (!catalog.ok()) return ReportError(catalog.status());
  auto checks = ParseChecksConfig(ctx->config);
  if (!checks.ok()) return ReportError(checks.status());
  auto alerts = ParseAlertSettings(ctx->config);
  if (!alerts.ok()) return ReportError(alerts.status());
  size_t columns = 0, enabled = 0;
  for (const auto& m : catalog->models) columns += m.columns.size();
  for (const auto& c : checks->checks) enabled += c.enabled;
  std::printf("%s is valid: %zu models documented (%zu columns), %zu of %zu checks enabled, %zu alert sink%s\n",
              ctx->config.source_file.empty() ? "built-in configuration" : ctx->config.source_file.c_str(),
              catalog->models.size(), columns, enabled, checks->checks.size(), alerts->sinks.size(),
              alerts->sinks.size() == 1 ? "" : "s");
  return 0;
}

int CmdDocs(const GlobalFlags& g, const std::string& out_dir) {
  auto ctx = ResolveContext(g);
  if (!ctx.ok()) return ReportError(ctx.status());
  auto catalog = LoadCatalog(ctx->config);
  if (!catalog.ok()) return ReportError(catalog.status());
  auto data = Gather(*ctx, *catalog);
  if (!data.ok()) return ReportError(data.status());
  if (!data->note.empty()) std::fprintf(stderr, "daybook: warning: %s\n", data->note.c_str());
  auto pages = WriteDocsSite(*data, out_dir);
  if (!pages.ok()) return ReportError(pages.status());
  std::string index = (std::filesystem::absolute(out_dir) / "index.html").lexically_normal().string();
  std::printf("wrote %d pages to %s — open file://%s\n", *pages, out_dir.c_str(), index.c_str());
  return 0;
}

int CmdDescribe(const GlobalFlags& g, const std::string& model) {
  auto ctx = ResolveContext(g);
  if (!ctx.ok()) return ReportError(ctx.status());
  auto catalog = LoadCatalog(ctx->config);
  if (!catalog.ok()) return ReportError(catalog.status());
  if (!catalog->Find(model)) {
    std::string hint = Suggest(model, catalog->Names());
    return ReportError(InvalidArgument("describe: unknown model '" + model + "'" +
                                       (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                                       "; models: " + JoinOr(catalog->Names(), "")));
  }
  auto data = Gather(*ctx, *catalog);
  if (!data.ok()) return ReportError(data.status());
  PrintDescribe(*data, *data->Find(model));
  return 0;
}

}  // namespace daybook
