#include "serve/internal/pages.h"

#include <algorithm>

#include "serve/internal/charts.h"
#include "serve/internal/html.h"

namespace daybook::serve_internal {
namespace {

std::string E(const std::string& s) { return HtmlEscape(s); }

std::string Count(int64_t n) { return n < 0 ? "—" : GroupThousands(std::to_string(n)); }

std::string Stat(const std::string& value, const std::string& label) {
  return "<div class=\"stat\"><div class=\"v\">" + E(value) + "</div><div class=\"l\">" + E(label) + "</div></div>";
}

std::string ExternalLabel(const SiteData& d, const std::string& node) {
  if (node != "sources") return node;
  std::string s;
  for (const auto& n : d.sources) s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? "sources" : "sources: " + s;
}

std::string CheckSummary(const ModelInfo& m) {
  std::string s;
  for (const char* st : {"fail", "warn", "pass"}) {
    int n = m.CountChecks(st);
    if (n)
      s += (s.empty() ? "" : " ") + std::string("<span class=\"badge") +
           (std::string(st) == "pass"   ? " ok"
            : std::string(st) == "warn" ? " warn"
                                        : " bad") +
           "\">" + std::to_string(n) + " " + st + "</span>";
  }
  if (s.empty()) return m.checks.empty() ? "<span class=\"muted\">none</span>" : "<span class=\"muted\">not run</span>";
  return s;
}

std::string SlaCell(const ModelInfo& m) {
  if (m.sla_state.empty()) return "<span class=\"muted\">not measured</span>";
  std::string s = Badge(m.sla_state);
  if (m.sla_from != m.doc.name) s += " <span class=\"muted small\">via " + E(m.sla_from) + "</span>";
  return s;
}

std::string Links(const std::string& root, const SiteData& d, const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) {
    s += s.empty() ? "" : ", ";
    s += d.Find(n) ? "<a href=\"" + ModelHref(root, n) + "\">" + E(n) + "</a>" : E(ExternalLabel(d, n));
  }
  return s.empty() ? "<span class=\"muted\">nothing yet</span>" : s;
}

std::string ChartFigure(const SiteData& d) {
  std::vector<RevenuePoint> pts;
  for (const auto& r : d.revenue) pts.push_back({r.date, r.net_minor, r.net, r.version, r.first_net_minor});
  std::string caption =
      d.revenue_from <= d.revenue_to
          ? "Net revenue per business date, " + FormatDate(d.revenue_from) + " to " + FormatDate(d.revenue_to) +
                ", in " + d.reporting_currency +
                ". Pale bars are provisional (the day has not closed). An orange dot marks a restated day; "
                "the orange part of its bar is the change since it was first published."
          : "No revenue in the warehouse yet.";
  int32_t from = d.revenue_from, to = d.revenue_to;
  if (from > to) from = to = 0;
  return "<figure>" + RevenueChartSvg(pts, from, to, d.currency_exponent, d.reporting_currency) + "<figcaption>" +
         E(caption) + "</figcaption></figure>\n";
}

std::string Hint(const std::string& code) { return "<code>" + E(code) + "</code>"; }

std::string Nowrap(const std::string& text) { return "<span class=\"nowrap\">" + E(text) + "</span>"; }

// "73.00" -> "+73" for counts, "5752.20" -> "+5,752.20" for money.
std::string SignedDelta(const std::string& metric, const std::string& delta) {
  std::string v = delta;
  bool count =
      metric == "orders" || metric == "cancelled_orders" || metric == "refunded_orders" || metric == "customers";
  if (count && v.find('.') != std::string::npos) v = v.substr(0, v.find('.'));
  v = GroupThousands(v);
  return (v.empty() || v[0] == '-') ? v : "+" + v;
}

// One row per restatement of a day: net before and after, and what else moved.
std::string RestatementTable(const SiteData& d) {
  struct Group {
    const RestatementInfo* first = nullptr;
    const RestatementInfo* net = nullptr;
    std::string others;
  };
  std::vector<Group> groups;
  for (const auto& r : d.restatements) {
    Group* g = nullptr;
    for (auto& x : groups) {
      if (x.first->date == r.date && x.first->version == r.version) g = &x;
    }
    if (!g) {
      groups.push_back(Group{&r, nullptr, ""});
      g = &groups.back();
    }
    if (r.metric == "net") {
      g->net = &r;
    } else {
      g->others += (g->others.empty() ? "" : ", ") + r.metric + " " + SignedDelta(r.metric, r.delta);
    }
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& g : groups) {
    const RestatementInfo& r = *g.first;
    rows.push_back({Nowrap(FormatDate(r.date)), std::to_string(r.version),
                    g.net ? E(GroupThousands(g.net->old_value)) : "", g.net ? E(GroupThousands(g.net->new_value)) : "",
                    g.net ? "<b>" + E(SignedDelta("net", g.net->delta)) + "</b>" : "<span class=\"muted\">0</span>",
                    "<span class=\"small\">" + E(g.others) + "</span>", std::to_string(r.late_events),
                    std::to_string(r.run_id), Nowrap(r.restated_at)});
  }
  return Table({"Business date", "Version", "Net before", "Net after", "Δ net", "Other changes", "Late events", "Run",
                "Restated at"},
               rows, {false, true, true, true, true, false, true, true, false}, "restatements");
}

}  // namespace

std::string ModelHref(const std::string& root, const std::string& model) { return root + "models/" + model + ".html"; }

std::string CatalogLineageSvg(const SiteData& d) {
  std::vector<GraphNode> nodes;
  std::vector<GraphEdge> edges;
  auto add_node = [&](const std::string& id) {
    for (const auto& n : nodes) {
      if (n.id == id) return;
    }
    bool model = d.Find(id) != nullptr;
    nodes.push_back({id, model ? id : ExternalLabel(d, id), model ? ModelHref("", id) : "", false, !model});
  };
  // The data's path and what watches it; the run logs and the catalog's own
  // tables are drawn on their pages.
  auto shown = [&](const ModelInfo& m) {
    return m.doc.kind == "landed" || m.doc.kind == "model" || m.doc.name == "check_results" || m.doc.name == "alerts";
  };
  for (const auto& m : d.models) {
    for (const auto& u : m.doc.upstream) {
      if (shown(m) && !d.Find(u)) add_node(u);
    }
  }
  for (const auto& m : d.models) {
    if (shown(m)) add_node(m.doc.name);
  }
  for (const auto& m : d.models) {
    if (!shown(m)) continue;
    for (const auto& u : m.doc.upstream) {
      const ModelInfo* up = d.Find(u);
      if (!up || shown(*up)) edges.push_back({u, m.doc.name});
    }
  }
  return LineageSvg(nodes, edges, "all");
}

std::string ModelLineageSvg(const SiteData& d, const ModelInfo& m) {
  std::vector<std::string> ids = m.doc.upstream;
  ids.push_back(m.doc.name);
  ids.insert(ids.end(), m.downstream.begin(), m.downstream.end());
  std::vector<GraphNode> nodes;
  for (const auto& id : ids) {
    bool model = d.Find(id) != nullptr;
    nodes.push_back({id, model ? id : ExternalLabel(d, id), model && id != m.doc.name ? ModelHref("../", id) : "",
                     id == m.doc.name, !model});
  }
  // Every catalog edge between the nodes shown.
  std::vector<GraphEdge> edges;
  for (const auto& to : ids) {
    const ModelInfo* t = d.Find(to);
    if (!t) continue;
    for (const auto& from : t->doc.upstream) {
      if (std::find(ids.begin(), ids.end(), from) != ids.end()) edges.push_back({from, to});
    }
  }
  return LineageSvg(nodes, edges, "m");
}

std::string IndexPage(const SiteData& d) {
  std::string b = "<h1>Data catalog</h1>\n<p class=\"lead\">Every table of the Daybook warehouse <code>" +
                  E(d.warehouse_path) +
                  "</code> with what it holds, its grain, its owner and its freshness SLA. Open a model for its "
                  "columns, lineage, freshness and latest checks.</p>\n";
  if (!d.note.empty()) b += "<div class=\"note\">" + E(d.note) + "</div>\n";
  int fails = 0, warns = 0;
  for (const auto& m : d.models) {
    fails += m.CountChecks("fail");
    warns += m.CountChecks("warn");
  }
  b += "<div class=\"stats\">" + Stat(std::to_string(d.models.size()), "models documented") +
       Stat(d.reporting_currency, "reporting currency") +
       Stat(d.has_warehouse ? std::to_string(fails) + " fail · " + std::to_string(warns) + " warn" : "—",
            "latest checks") +
       Stat(d.has_warehouse ? std::to_string(d.open_alerts) : "—", "open alerts") +
       Stat(d.has_warehouse ? Count(d.quarantine_rows) : "—", "quarantined lines") + "</div>\n";
  if (!d.last_run.empty()) b += "<p class=\"muted small\">Last run: " + E(d.last_run) + "</p>\n";

  b += "<h2>Models</h2>\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : d.models) {
    rows.push_back({"<a href=\"" + ModelHref("", m.doc.name) + "\"><b>" + E(m.doc.name) +
                        "</b></a><div class=\"kind\">" + E(m.doc.kind) + "</div>",
                    E(m.doc.owner), E(m.doc.grain), "<span class=\"small\">" + E(m.doc.freshness_sla) + "</span>",
                    SlaCell(m), Count(m.rows), CheckSummary(m),
                    m.open_alerts.empty()
                        ? "<span class=\"muted\">0</span>"
                        : "<span class=\"badge bad\">" + std::to_string(m.open_alerts.size()) + "</span>"});
  }
  b += Table({"Model", "Owner", "Grain", "Freshness SLA", "SLA state", "Rows", "Latest checks", "Alerts"}, rows,
             {false, false, false, false, false, true, false, true}, "models");

  b += "<h2>Lineage</h2>\n<figure>" + CatalogLineageSvg(d) +
       "<figcaption>The data's path: arrows run from what a model is built from to what reads it; dashed boxes "
       "are not tables. The run logs (pipeline_runs, loaded_files, schema_drift) and the catalog tables are drawn "
       "on their own pages. Click a box to open the model.</figcaption></figure>\n";
  b += "<h2>Reports</h2>\n<p><a href=\"revenue.html\">Daily net revenue</a> — the last 90 days with restatements. "
       "<a href=\"quarantine.html\">Quarantine</a> — rejected lines by reason.</p>\n";
  return Page("Data catalog", b, "", "models", d.generated_at);
}

std::string ModelPage(const SiteData& d, const ModelInfo& m) {
  const std::string& name = m.doc.name;
  std::string b = "<div class=\"crumbs\"><a href=\"../index.html\">Models</a> / " + E(name) + "</div>\n";
  b += "<h1>" + E(name) + "</h1><div class=\"kind\">" + E(m.doc.kind) + "</div>\n";
  b += "<p class=\"lead\">" + E(m.doc.description) + "</p>\n";
  if (!d.note.empty()) b += "<div class=\"note\">" + E(d.note) + "</div>\n";
  std::string sla = SlaCell(m);
  if (!m.sla_detail.empty()) sla += " <span class=\"small\">" + E(m.sla_detail) + "</span>";
  b += "<dl class=\"facts\">";
  b += "<dt>Owner</dt><dd>" + E(m.doc.owner) + "</dd>";
  b += "<dt>Grain</dt><dd>" + E(m.doc.grain) + "</dd>";
  b += "<dt>Freshness SLA</dt><dd>" + E(m.doc.freshness_sla) + "</dd>";
  b += "<dt>Freshness now</dt><dd>" + sla + "</dd>";
  b += "<dt>Rows</dt><dd>" + Count(m.rows) + "</dd>";
  b += "<dt>Newest data</dt><dd>" + (m.newest.empty() ? "<span class=\"muted\">—</span>" : E(m.newest)) + "</dd>";
  b += "<dt>Last change</dt><dd>" + (m.last_change.empty() ? "<span class=\"muted\">—</span>" : E(m.last_change)) +
       "</dd>";
  b += "<dt>Built from</dt><dd>" + Links("../", d, m.doc.upstream) + "</dd>";
  b += "<dt>Read by</dt><dd>" + Links("../", d, m.downstream) + "</dd>";
  b += "</dl>\n";

  b += "<h2>Lineage</h2>\n<figure>" + ModelLineageSvg(d, m) + "<figcaption>Left: what " + E(name) +
       " is built from. Right: what reads it.</figcaption></figure>\n";

  if (name == "daily_revenue") {
    b += "<h2>Daily net revenue, last 90 days</h2>\n" + ChartFigure(d) +
         "<p><a href=\"../revenue.html\">Revenue page</a>: every day and every restatement.</p>\n";
  }

  b += "<h2>Latest checks</h2>\n";
  if (m.checks.empty()) {
    b += "<p class=\"muted\">No data-quality check guards this model.</p>\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : m.checks) {
      rows.push_back({"<b>" + E(c.check) + "</b>", E(c.severity), Badge(c.status), Nowrap(c.business_date),
                      E(c.observed), E(c.expected), "<span class=\"small\">" + E(c.message) + "</span>",
                      c.run_id ? std::to_string(c.run_id) : ""});
    }
    b += Table({"Check", "Severity", "Status", "Day", "Observed", "Expected", "Message", "Run"}, rows,
               {false, false, false, false, false, false, false, true}, "checks");
  }
  if (!m.open_alerts.empty()) {
    b += "<h2>Open alerts</h2>\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : m.open_alerts) {
      rows.push_back({Badge(a.severity == "error" ? "fail" : "warn"), E(a.check),
                      a.business_date ? Nowrap(FormatDate(*a.business_date)) : "", E(a.message),
                      Nowrap(FormatTimestamp(a.raised_at))});
    }
    b += Table({"Severity", "Check", "Day", "Message", "Raised at"}, rows);
  }

  b += "<h2>Columns</h2>\n";
  std::vector<std::vector<std::string>> cols;
  int k = 0;
  for (const auto& c : m.columns) {
    std::string desc = c.description.empty() ? "<span class=\"badge warn\">undocumented</span>" : E(c.description);
    if (!c.in_warehouse && d.has_warehouse) desc += " <span class=\"muted small\">(not in this warehouse)</span>";
    cols.push_back({std::to_string(++k), "<code>" + E(c.name) + "</code>",
                    c.type.empty() ? "<span class=\"muted\">—</span>"
                                   : "<code title=\"" + E(c.type) + "\">" + E(ShortType(c.type)) + "</code>",
                    c.in_warehouse ? (c.nullable ? "yes" : "no") : "", desc});
  }
  b += Table({"#", "Column", "Type", "Null", "Description"}, cols, {true}, "columns");

  b += "<h2>Query it</h2>\n<p>" + Hint("daybook sql \"SELECT * FROM " + name + " LIMIT 10\"") + "<br>" +
       Hint("daybook describe " + name) + "</p>\n";
  return Page(name, b, "../", "models", d.generated_at);
}

std::string RevenuePage(const SiteData& d) {
  std::string b =
      "<h1>Daily net revenue</h1>\n<p class=\"lead\">Net revenue (gross − refunds − cancellations) "
      "per business date from <a href=\"" +
      ModelHref("", "daily_revenue") +
      "\">daily_revenue</a>, the last 90 days of data, with every restatement of a published day from "
      "<a href=\"" +
      ModelHref("", "revenue_restatements") + "\">revenue_restatements</a>.</p>\n";
  if (!d.note.empty()) b += "<div class=\"note\">" + E(d.note) + "</div>\n";
  int64_t total = 0;
  int published = 0, provisional = 0, restated = 0;
  for (const auto& r : d.revenue) {
    total += r.net_minor;
    (r.version == 0 ? provisional : published) += 1;
    restated += r.version >= 2;
  }
  b += "<div class=\"stats\">" +
       Stat(GroupThousands(FormatMinor(total, d.currency_exponent)) + " " + d.reporting_currency, "net in the window") +
       Stat(std::to_string(published), "published days") + Stat(std::to_string(provisional), "provisional days") +
       Stat(std::to_string(restated), "restated days") + "</div>\n";
  b += ChartFigure(d);

  b += "<h2>Restatements</h2>\n";
  if (d.restatements.empty()) {
    b += "<p class=\"muted\">No published day in this window was restated.</p>\n";
  } else {
    b += RestatementTable(d);
  }

  b += "<h2>Days</h2>\n";
  std::vector<std::vector<std::string>> rows;
  for (auto it = d.revenue.rbegin(); it != d.revenue.rend(); ++it) {
    std::string state = it->version == 0 ? "provisional" : it->version == 1 ? "published" : "restated";
    rows.push_back({Nowrap(FormatDate(it->date)),
                    Badge(state) + (it->version >= 2 ? " v" + std::to_string(it->version) : ""), Count(it->orders),
                    E(GroupThousands(it->gross)), E(GroupThousands(it->refunds)), E(GroupThousands(it->cancellations)),
                    "<b>" + E(GroupThousands(it->net)) + "</b>"});
  }
  b += Table({"Business date", "Status", "Orders", "Gross", "Refunds", "Cancellations", "Net"}, rows,
             {false, false, true, true, true, true, true}, "days");
  return Page("Daily net revenue", b, "", "revenue", d.generated_at);
}

std::string QuarantinePage(const SiteData& d) {
  std::string b =
      "<h1>Quarantine</h1>\n<p class=\"lead\">Every input line that failed the event contract or the "
      "accepted window is kept in <a href=\"" +
      ModelHref("", "quarantine") +
      "\">quarantine</a> with a stable reason code, a detail naming the field and the raw text: "
      "nothing is dropped silently.</p>\n";
  if (!d.note.empty()) b += "<div class=\"note\">" + E(d.note) + "</div>\n";
  int64_t pending = 0;
  for (const auto& q : d.quarantine) pending += q.pending;
  b += "<div class=\"stats\">" + Stat(Count(d.quarantine_rows), "quarantined lines") +
       Stat(std::to_string(d.quarantine.size()), "reason codes") + Stat(Count(pending), "pending replay") + "</div>\n";
  if (d.quarantine.empty()) {
    b += "<p class=\"muted\">No line has been quarantined.</p>\n";
    return Page("Quarantine", b, "", "quarantine", d.generated_at);
  }
  std::vector<BarItem> bars;
  for (const auto& q : d.quarantine) bars.push_back({q.reason, q.rows});
  b += "<h2>By reason</h2>\n<figure>" + HorizontalBarsSvg(bars) + "</figure>\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& q : d.quarantine) {
    rows.push_back({"<code>" + E(q.reason) + "</code>", Count(q.rows), Count(q.pending), Nowrap(q.first_at),
                    Nowrap(q.last_at),
                    "<code class=\"small\">" + E(q.example_locator) + "</code><br><span class=\"small\">" +
                        E(q.example_detail) + "</span>"});
  }
  b += Table({"Reason", "Rows", "Pending", "First", "Last", "Latest example"}, rows,
             {false, true, true, false, false, false}, "reasons");
  b += "<p>Inspect one reason: " +
       Hint("daybook sql \"SELECT locator, detail, raw FROM quarantine WHERE reason_code = '" +
            d.quarantine.front().reason + "' LIMIT 20\"") +
       "</p>\n";
  return Page("Quarantine", b, "", "quarantine", d.generated_at);
}

}  // namespace daybook::serve_internal
