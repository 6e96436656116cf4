#include "serve/docs_site.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "load/schema.h"
#include "serve/internal/charts.h"
#include "serve/internal/html.h"
#include "serve/internal/pages.h"

namespace daybook {
namespace {

using serve_internal::FormatMinor;
using serve_internal::GraphEdge;
using serve_internal::GraphNode;
using serve_internal::GroupThousands;
using serve_internal::HtmlEscape;
using serve_internal::LineageSvg;
using serve_internal::RevenueChartSvg;
using serve_internal::RevenuePoint;
using ::testing::HasSubstr;
using ::testing::Not;

Timestamp T(const std::string& s) {
  std::string why;
  return *ParseRfc3339(s, &why);
}
int32_t D(const std::string& s) { return *ParseDate(s); }

size_t CountOf(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t p = 0; (p = text.find(needle, p)) != std::string::npos; p += needle.size()) ++n;
  return n;
}

// Every href="..." of a page.
std::vector<std::string> Hrefs(const std::string& html) {
  std::vector<std::string> out;
  std::regex re("href=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

// A relative link resolved against the folder of the page that holds it.
std::string Resolve(const std::string& page, const std::string& href) {
  std::vector<std::string> parts;
  size_t slash = page.rfind('/');
  std::string path = (slash == std::string::npos ? "" : page.substr(0, slash + 1)) + href;
  std::string part;
  for (size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      if (part == "..") {
        if (!parts.empty()) parts.pop_back();
      } else if (!part.empty() && part != ".") {
        parts.push_back(part);
      }
      part.clear();
    } else {
      part += path[i];
    }
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

TEST(Html, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(HtmlEscape("<script>alert('x & \"y\"')</script>"),
            "&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;");
  EXPECT_EQ(HtmlEscape("plain text, é"), "plain text, é");
}

TEST(Html, GroupsThousandsOfIntegersAndDecimals) {
  EXPECT_EQ(GroupThousands("1234567"), "1,234,567");
  EXPECT_EQ(GroupThousands("-1234.50"), "-1,234.50");
  EXPECT_EQ(GroupThousands("999"), "999");
  EXPECT_EQ(GroupThousands("n/a"), "n/a");
}

TEST(Charts, FormatMinorIsExact) {
  EXPECT_EQ(FormatMinor(123456, 2), "1234.56");
  EXPECT_EQ(FormatMinor(-5, 2), "-0.05");
  EXPECT_EQ(FormatMinor(7, 0), "7");
  EXPECT_EQ(FormatMinor(1, 3), "0.001");
  EXPECT_EQ(FormatMinor(INT64_MIN, 2), "-92233720368547758.08");
}

TEST(Charts, RevenueChartHasOneBarPerDayWithTooltipsAndMarksRestatements) {
  int32_t from = D("2025-01-01");
  std::vector<RevenuePoint> pts = {
      {from, 150000, "1500.00", 1, 0},
      {from + 1, -2000, "-20.00", 1, 0},         // a negative day draws below zero
      {from + 3, 300000, "3000.00", 2, 250000},  // restated: up from 2500.00
      {from + 4, 90000, "900.00", 0, 0},         // provisional
  };
  std::string svg = RevenueChartSvg(pts, from, from + 4, 2, "USD");
  EXPECT_THAT(svg, HasSubstr("<svg class=\"revenue-chart\""));
  EXPECT_EQ(CountOf(svg, "<rect class=\"bar "), 4u + 2u);  // 4 days + 2 legend swatches
  EXPECT_EQ(CountOf(svg, "data-date="), 4u);
  EXPECT_THAT(svg, HasSubstr("data-date=\"2025-01-04\""));
  EXPECT_THAT(svg, Not(HasSubstr("data-date=\"2025-01-03\"")));  // no row, no bar
  EXPECT_THAT(svg, HasSubstr("<title>2025-01-02: net -20.00 USD (published)</title>"));
  EXPECT_THAT(svg, HasSubstr("<title>2025-01-04: net 3000.00 USD (restated, version 2)</title>"));
  EXPECT_THAT(svg, HasSubstr("class=\"bar provisional\""));
  EXPECT_EQ(CountOf(svg, "<circle class=\"mark\""), 1u + 1u);  // the restated day + legend
  EXPECT_THAT(svg, HasSubstr("first published 2025-01-04: net 2500.00 USD; now 3000.00 USD"));
  EXPECT_THAT(svg, HasSubstr("class=\"zero\""));

  // Bars are in date order from left to right; the negative one hangs below zero.
  std::regex bar(
      "<rect class=\"bar [a-z]+\" x=\"([0-9.]+)\" y=\"([0-9.]+)\" width=\"[0-9.]+\" height=\"([0-9.]+)\" "
      "data-date=\"([0-9-]+)\"");
  std::map<std::string, std::pair<double, double>> xy;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), bar); it != std::sregex_iterator(); ++it) {
    xy[(*it)[4]] = {std::stod((*it)[1]), std::stod((*it)[2])};
  }
  ASSERT_EQ(xy.size(), 4u);
  EXPECT_LT(xy["2025-01-01"].first, xy["2025-01-02"].first);
  EXPECT_LT(xy["2025-01-02"].first, xy["2025-01-04"].first);
  EXPECT_GT(xy["2025-01-02"].second, xy["2025-01-01"].second);  // starts lower (at zero)
}

TEST(Charts, EmptyRevenueChartSaysSo) {
  std::string svg = RevenueChartSvg({}, 0, 0, 2, "USD");
  EXPECT_THAT(svg, HasSubstr("no revenue in this window"));
  EXPECT_EQ(CountOf(svg, "data-date="), 0u);
}

TEST(Charts, LineageRoutesLongEdgesBetweenBoxesAndLinksNodes) {
  std::vector<GraphNode> nodes = {{"src", "sources: landing", "", false, true},
                                  {"a", "order_events", "models/order_events.html", true, false},
                                  {"b", "fct_orders", "models/fct_orders.html", false, false},
                                  {"c", "<by channel>", "models/c.html", false, false}};
  std::vector<GraphEdge> edges = {{"src", "a"}, {"a", "b"}, {"b", "c"}, {"a", "c"}, {"a", "unknown"}};
  std::string svg = LineageSvg(nodes, edges, "t");
  EXPECT_EQ(CountOf(svg, "<g class=\"node"), 4u);
  EXPECT_EQ(CountOf(svg, "<path class=\"edge\""), 4u);  // the edge to an unknown node is dropped
  EXPECT_THAT(svg, HasSubstr("<g class=\"node focus\">"));
  EXPECT_THAT(svg, HasSubstr("<g class=\"node external\">"));
  EXPECT_THAT(svg, HasSubstr("<a href=\"models/fct_orders.html\">"));
  EXPECT_THAT(svg, HasSubstr("&lt;by channel&gt;"));
  EXPECT_THAT(svg, Not(HasSubstr("<by channel>")));
  EXPECT_THAT(svg, HasSubstr("marker-end=\"url(#t-arrow)\""));
  // a -> c skips a layer: it runs straight through the gap ("L") beside fct_orders.
  std::regex long_edge("<path class=\"edge\" d=\"[^\"]* L[^\"]*\"[^>]*><title>order_events → &lt;by channel&gt;");
  EXPECT_TRUE(std::regex_search(svg, long_edge)) << svg;
}

// ---------------------------------------------------------------- the site

Config TestConfig() {
  Config c = DefaultConfig("/tmp/shop");
  c.models_yaml = "fct_orders:\n  description: \"Orders <b>&</b> 'their' state\"\n";
  return c;
}

TEST(DocsSite, WithoutAWarehouseDocumentsTheCatalogAndEveryLinkResolves) {
  Config config = TestConfig();
  auto catalog = LoadCatalog(config);
  ASSERT_TRUE(catalog.ok()) << catalog.status().message();
  auto data = GatherSiteData(nullptr, config, *catalog, T("2025-03-01T00:00:00Z"));
  ASSERT_TRUE(data.ok()) << data.status().message();
  EXPECT_THAT(data->note, HasSubstr("does not exist yet"));
  std::vector<SiteFile> files = RenderDocsSite(*data);

  std::set<std::string> paths;
  for (const auto& f : files) paths.insert(f.path);
  EXPECT_EQ(files.front().path, "index.html");
  EXPECT_TRUE(paths.count("revenue.html"));
  EXPECT_TRUE(paths.count("quarantine.html"));
  // Every model has a page, linked from the index.
  const std::string& index = files.front().content;
  for (const auto& m : catalog->models) {
    EXPECT_TRUE(paths.count("models/" + m.name + ".html")) << m.name;
    EXPECT_THAT(index, HasSubstr("href=\"models/" + m.name + ".html\"")) << m.name;
  }
  for (const auto& f : files) {
    // Relative links only, and each one resolves to a page of the site.
    for (const auto& href : Hrefs(f.content)) {
      EXPECT_EQ(href.find(':'), std::string::npos) << f.path << ": " << href;
      EXPECT_TRUE(paths.count(Resolve(f.path, href))) << f.path << ": broken link " << href;
    }
    // Nothing fetched at view time: no scripts, style sheets, images or fonts from elsewhere.
    EXPECT_THAT(f.content, Not(HasSubstr("<script"))) << f.path;
    EXPECT_THAT(f.content, Not(HasSubstr("<link"))) << f.path;
    EXPECT_THAT(f.content, Not(HasSubstr("<img"))) << f.path;
    EXPECT_THAT(f.content, Not(HasSubstr("url(http"))) << f.path;
    EXPECT_EQ(CountOf(f.content, "http"), CountOf(f.content, "http://www.w3.org/2000/svg")) << f.path;
    // Configured text is escaped.
    EXPECT_THAT(f.content, Not(HasSubstr("<b>&</b>"))) << f.path;
  }
  std::string fct;
  for (const auto& f : files) {
    if (f.path == "models/fct_orders.html") fct = f.content;
  }
  EXPECT_THAT(fct, HasSubstr("Orders &lt;b&gt;&amp;&lt;/b&gt; &#39;their&#39; state"));
  EXPECT_THAT(fct, HasSubstr("<a href=\"../models/order_events.html\">order_events</a>"));  // built from
  EXPECT_THAT(fct, HasSubstr("href=\"../index.html\""));
}

// A small warehouse: types, counts, checks, revenue and quarantine come from it.
class DocsSiteWarehouse : public ::testing::Test {
 protected:
  void SetUp() override {
    wh_ = std::move(Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite)).value();
    ASSERT_TRUE(Migrate(*wh_, "USD").ok());
    Exec(
        "INSERT INTO pipeline_runs (run_id, command, status, started_at, finished_at, duration_ms, rows_read, "
        "accepted, duplicates, quarantined, quarantined_by_reason, files_loaded, files_skipped, affected_orders, "
        "affected_dates, published_days, restated_days, drop_rate, max_drop_rate, stage_ms, daybook_version) "
        "VALUES (1, 'run', 'succeeded', '2025-01-03 08:00:00+00', '2025-01-03 08:00:00+00', 5, 10, 9, 0, 1, '{}', "
        "1, 0, 3, 2, 2, 0, 0.1, 0.5, '{}', '0.1.0'), (2, 'run', 'succeeded', '2025-01-04 08:00:00+00', "
        "'2025-01-04 08:00:00+00', 5, 1, 1, 0, 0, '{}', 1, 0, 1, 1, 1, 1, 0, 0.5, '{}', '0.1.0')");
    Exec(
        "INSERT INTO daily_revenue VALUES "
        "('2025-01-01', 2, 0, 0, 2, 30.00, 0, 0, 30.00, 'USD', 2, '2025-01-02 08:00:00+00', '2025-01-04 08:00:00+00', "
        "2),"
        "('2025-01-02', 1, 0, 0, 1, 12.50, 0, 2.50, 10.00, 'USD', 1, '2025-01-03 08:00:00+00', '2025-01-03 "
        "08:00:00+00', 1),"
        "('2025-01-03', 1, 0, 0, 1, 5.00, 0, 0, 5.00, 'USD', 0, NULL, '2025-01-03 08:00:00+00', 1)");
    Exec(
        "INSERT INTO revenue_restatements VALUES "
        "('2025-01-01', 2, 'net', 20.00, 30.00, 10.00, 2, 1, '2025-01-04 08:00:00+00'),"
        "('2025-01-01', 2, 'orders', 1.00, 2.00, 1.00, 2, 1, '2025-01-04 08:00:00+00')");
    Exec(
        "INSERT INTO check_results VALUES "
        "(1, 'freshness', 'daily_revenue', 'warn', 'pass', '2025-01-02', 'met', 'x', 'ok then', '2025-01-03 "
        "08:00:00+00'),"
        "(2, 'freshness', 'daily_revenue', 'warn', 'warn', '2025-01-03', 'missed', 'final by …', "
        "'day 2025-01-03 <late>', '2025-01-04 08:00:00+00'),"
        "(2, 'keys', 'daily_revenue', 'error', 'pass', NULL, '0 duplicated', 'unique', 'fine', '2025-01-04 "
        "08:00:00+00')");
    Exec(
        "INSERT INTO quarantine (run_id, source, source_file, source_line, locator, reason_code, detail, raw, "
        "raw_size, quarantined_at, replay_status) VALUES "
        "(1, 'landing', '/in/a.jsonl', 3, '/in/a.jsonl:3', 'MALFORMED_JSON', 'invalid JSON', '{', 1, "
        "'2025-01-03 08:00:00+00', 'pending'),"
        "(1, 'landing', '/in/a.jsonl', 4, '/in/a.jsonl:4', 'MALFORMED_JSON', 'invalid JSON', '{{', 2, "
        "'2025-01-03 08:00:00+00', 'pending'),"
        "(1, 'landing', '/in/a.jsonl', 5, '/in/a.jsonl:5', 'MISSING_FIELD', 'missing order_id', '{}', 2, "
        "'2025-01-03 08:00:00+00', 'pending')");
  }
  void Exec(const std::string& sql) {
    Status st = wh_->Exec(sql);
    ASSERT_TRUE(st.ok()) << st.message();
  }
  std::unique_ptr<Warehouse> wh_;
};

TEST_F(DocsSiteWarehouse, ReadsTypesCountsChecksRevenueAndQuarantine) {
  Config config = DefaultConfig("/tmp/shop");
  auto catalog = LoadCatalog(config);
  ASSERT_TRUE(catalog.ok());
  auto data = GatherSiteData(wh_.get(), config, *catalog, T("2025-01-04T12:00:00Z"));
  ASSERT_TRUE(data.ok()) << data.status().message();
  EXPECT_TRUE(data->note.empty());
  EXPECT_EQ(data->last_run, "run 2 (run, succeeded) at 2025-01-04T08:00:00Z");

  const ModelInfo* dr = data->Find("daily_revenue");
  ASSERT_NE(dr, nullptr);
  EXPECT_EQ(dr->rows, 3);
  ASSERT_GE(dr->columns.size(), 9u);
  EXPECT_EQ(dr->columns[8].name, "net");
  EXPECT_EQ(dr->columns[8].type, "DECIMAL(18,2)");
  EXPECT_FALSE(dr->columns[8].nullable);
  EXPECT_EQ(dr->columns[8].description, "gross - cancellations - refunds");
  EXPECT_EQ(dr->sla_state, "missed");  // the latest freshness result
  EXPECT_EQ(dr->sla_from, "daily_revenue");
  EXPECT_EQ(dr->newest, "2025-01-03");
  EXPECT_EQ(dr->last_change, "run 2 at 2025-01-04T08:00:00Z");
  EXPECT_EQ(dr->CountChecks("warn"), 1);
  EXPECT_EQ(dr->CountChecks("pass"), 1);
  EXPECT_EQ(dr->CountChecks("not run"), 4);  // volume, reconciliation, restatement_size, anomaly
  // Derived without a freshness check of its own: as fresh as what it is built with.
  const ModelInfo* versions = data->Find("daily_revenue_versions");
  EXPECT_EQ(versions->sla_state, "missed");
  EXPECT_EQ(versions->sla_from, "daily_revenue");
  EXPECT_EQ(data->Find("pipeline_runs")->sla_state, "");

  ASSERT_EQ(data->revenue.size(), 3u);
  EXPECT_EQ(data->revenue_from, D("2025-01-01"));
  EXPECT_EQ(data->revenue_to, D("2025-01-03"));
  EXPECT_EQ(data->revenue[0].net_minor, 3000);
  EXPECT_EQ(data->revenue[0].first_net_minor, 2000);
  EXPECT_EQ(data->revenue[1].net, "10.00");
  EXPECT_EQ(data->revenue[2].version, 0);
  ASSERT_EQ(data->restatements.size(), 2u);

  ASSERT_EQ(data->quarantine.size(), 2u);
  EXPECT_EQ(data->quarantine[0].reason, "MALFORMED_JSON");
  EXPECT_EQ(data->quarantine[0].rows, 2);
  EXPECT_EQ(data->quarantine_rows, 3);

  std::vector<SiteFile> files = RenderDocsSite(*data);
  std::map<std::string, std::string> page;
  for (const auto& f : files) page[f.path] = f.content;
  EXPECT_THAT(page["revenue.html"], HasSubstr("<svg class=\"revenue-chart\""));
  EXPECT_THAT(page["revenue.html"], HasSubstr("+10.00"));  // Δ net of the restatement
  EXPECT_THAT(page["revenue.html"], HasSubstr("orders +1"));
  EXPECT_THAT(page["models/daily_revenue.html"], HasSubstr("<svg class=\"revenue-chart\""));
  EXPECT_THAT(page["models/daily_revenue.html"], HasSubstr("<code title=\"DECIMAL(18,2)\">DECIMAL(18,2)</code>"));
  EXPECT_THAT(page["models/daily_revenue.html"], HasSubstr("day 2025-01-03 &lt;late&gt;"));
  EXPECT_THAT(page["quarantine.html"], HasSubstr("<svg class=\"bars-chart\""));
  EXPECT_THAT(page["quarantine.html"], HasSubstr("MISSING_FIELD"));
  EXPECT_THAT(page["index.html"], HasSubstr("<svg class=\"lineage\""));
}

TEST(DocsSite, ShortTypeAbbreviatesLongEnums) {
  EXPECT_EQ(ShortType("DECIMAL(18,2)"), "DECIMAL(18,2)");
  EXPECT_EQ(ShortType("ENUM('a', 'b')"), "ENUM('a', 'b')");
  std::string many = "ENUM(";
  for (int i = 0; i < 30; ++i) many += (i ? ", " : "") + std::string("'v,") + std::to_string(i) + "'";
  EXPECT_EQ(ShortType(many + ")"), "ENUM (30 values)");
}

}  // namespace
}  // namespace daybook
