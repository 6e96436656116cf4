// The documentation site in a real browser (issue: documentation as a
// production artifact). `daybook docs --out DIR` on a generated warehouse,
// then Debian's headless chromium loads the pages from file:// with no
// server and no network: they load without a console message (the site has
// no JavaScript, so any message is a fault), every model page is reachable
// from the index, the revenue chart renders, and screenshots of the index,
// daily_revenue and the revenue page are written to
// <build folder>/docs-screenshots/ for a person to look at.
//
// chromium is installed by scripts/setup-deps.sh; when it is missing these
// tests fail (they do not skip).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "e2e/harness.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

// Every model of the built-in catalog (src/catalog/builtin_catalog.cc).
const std::vector<std::string> kModels = {"order_events",
                                          "quarantine",
                                          "fct_orders",
                                          "daily_revenue",
                                          "daily_revenue_by_channel",
                                          "daily_revenue_versions",
                                          "revenue_restatements",
                                          "pipeline_runs",
                                          "loaded_files",
                                          "schema_drift",
                                          "check_results",
                                          "alerts",
                                          "model_catalog",
                                          "column_catalog"};

std::string FindChromium() {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (size_t p = 0; p <= dirs.size();) {
    size_t q = dirs.find(':', p);
    if (q == std::string::npos) q = dirs.size();
    for (const char* name : {"chromium", "chromium-browser"}) {
      fs::path f = fs::path(dirs.substr(p, q - p)) / name;
      if (!f.empty() && ::access(f.c_str(), X_OK) == 0) return f.string();
    }
    p = q + 1;
  }
  return "";
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct BrowserRun {
  int exit_code = -1;
  std::string out, err, command;
};

// Runs headless chromium on one URL with a fresh profile; `mode` is
// {"--dump-dom"} or {"--screenshot=FILE", "--window-size=W,H"}.
BrowserRun Chromium(const std::string& chromium, const TempDir& tmp, const std::string& url,
                    const std::vector<std::string>& mode) {
  static int n = 0;
  std::string profile = tmp / ("profile-" + std::to_string(++n));
  fs::create_directories(profile);
  std::vector<std::string> args = {chromium,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-quic",
                                   "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--user-data-dir=" + profile,
                                   "--enable-logging=stderr",
                                   "--v=0"};
  args.insert(args.end(), mode.begin(), mode.end());
  args.push_back(url);
  std::string out = tmp / ("chromium-" + std::to_string(n) + ".out");
  std::string err = tmp / ("chromium-" + std::to_string(n) + ".err");
  BrowserRun r;
  for (const auto& a : args) r.command += (r.command.empty() ? "" : " ") + Quote(a);
  // `timeout` bounds a browser that hangs; stdin from /dev/null.
  int status =
      std::system(("timeout -k 5 90 " + r.command + " </dev/null >" + Quote(out) + " 2>" + Quote(err)).c_str());
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  fs::remove_all(profile);
  return r;
}

// Console messages chromium logged for the page ("...:INFO:CONSOLE:12] "msg",
// source: file:///... (12)"), whatever their level, and uncaught errors.
std::vector<std::string> ConsoleLines(const std::string& err) {
  std::vector<std::string> out;
  for (const auto& l : SplitLines(err)) {
    if (l.find("CONSOLE") != std::string::npos || l.find("Uncaught") != std::string::npos) out.push_back(l);
  }
  return out;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += "\n  " + l;
  return s;
}

size_t CountOf(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t p = 0; (p = text.find(needle, p)) != std::string::npos; p += needle.size()) ++n;
  return n;
}

// The build folder: where the daybook binary under test lives.
std::string ScreenshotDir() {
  fs::path dir = fs::path(DaybookBin()).parent_path() / "docs-screenshots";
  fs::create_directories(dir);
  return dir.string();
}

class DocsSiteInBrowser : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    project_ = new Project();
    const Project& p = *project_;
    // 40 days with refunds, cancellations, duplicates and rejected lines...
    Gen(p, {"--orders",      "3000",
            "--days",        "40",
            "--start",       "2025-01-01",
            "--seed",        "4",
            "--refund-rate", "0.1",
            "--cancel-rate", "0.05",
            "--dup-rate",    "0.01",
            "--bad-rate",    "0.005",
            "--out",         p.Path("landing/events.jsonl"),
            "--fx-out",      p.Path("fx_rates.csv")});
    CmdResult run1 = p.Daybook({"--now", "2025-02-11T12:00:00Z", "run", "--max-drop-rate", "0.05"});
    ASSERT_EQ(run1.exit_code, 0) << run1;
    // ...then late events for three published days: restatements.
    Gen(p, {"--orders", "150", "--days", "3", "--start", "2025-02-03", "--seed", "21", "--out",
            p.Path("landing/late.jsonl")});
    CmdResult run2 = p.Daybook({"--now", "2025-02-12T12:00:00Z", "run", "--max-drop-rate", "0.05"});
    ASSERT_EQ(run2.exit_code, 0) << run2;
    ASSERT_GT(QueryInt(p.db(), "SELECT count(*) FROM revenue_restatements"), 0);
    CmdResult docs = p.Daybook({"--now", "2025-02-12T13:00:00Z", "docs", "--out", p.Path("site")});
    ASSERT_EQ(docs.exit_code, 0) << docs;
    docs_out_ = new std::string(docs.out);
  }
  static void TearDownTestSuite() {
    delete project_;
    delete docs_out_;
    project_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(docs_out_, nullptr) << "generating the warehouse or the site failed (see above)";
    chromium_ = FindChromium();
    ASSERT_FALSE(chromium_.empty())
        << "chromium is not installed: the documentation site is tested in Debian's headless chromium; run "
           "scripts/setup-deps.sh (it installs the chromium package)";
  }
  std::string Url(const std::string& page) const { return "file://" + project_->Path("site/" + page); }

  // Loads a page and returns its DOM after rendering, asserting a clean load.
  std::string Dom(const std::string& page) {
    BrowserRun r = Chromium(chromium_, tmp_, Url(page), {"--dump-dom"});
    EXPECT_EQ(r.exit_code, 0) << r.command << "\n" << r.err;
    EXPECT_EQ(ConsoleLines(r.err), std::vector<std::string>{})
        << page << " logged to the console:" << Join(ConsoleLines(r.err));
    EXPECT_NE(r.out.find("</html>"), std::string::npos) << page << " did not render:\n" << r.err;
    return r.out;
  }
  void Screenshot(const std::string& page, const std::string& png, const std::string& size) {
    std::string file = ScreenshotDir() + "/" + png;
    fs::remove(file);
    BrowserRun r = Chromium(chromium_, tmp_, Url(page), {"--screenshot=" + file, "--window-size=" + size});
    EXPECT_EQ(r.exit_code, 0) << r.command << "\n" << r.err;
    EXPECT_EQ(ConsoleLines(r.err), std::vector<std::string>{}) << page << ":" << Join(ConsoleLines(r.err));
    ASSERT_TRUE(Exists(file)) << "no screenshot " << file << "\n" << r.err;
    EXPECT_GT(fs::file_size(file), 20000u) << file << " looks blank";
  }

  static Project* project_;
  static std::string* docs_out_;
  std::string chromium_;
  TempDir tmp_;
};
Project* DocsSiteInBrowser::project_ = nullptr;
std::string* DocsSiteInBrowser::docs_out_ = nullptr;

TEST_F(DocsSiteInBrowser, DocsReportsWhatItWrote) {
  EXPECT_NE(docs_out_->find("wrote 20 pages to "), std::string::npos) << *docs_out_;
  EXPECT_TRUE(Exists(project_->Path("site/index.html")));
}

TEST_F(DocsSiteInBrowser, EveryModelPageIsReachableFromTheIndexAndLoadsCleanly) {
  std::string index = Dom("index.html");
  std::set<std::string> links;
  std::regex href("href=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(index.begin(), index.end(), href); it != std::sregex_iterator(); ++it) {
    links.insert((*it)[1]);
  }
  for (const auto& m : kModels) {
    std::string rel = "models/" + m + ".html";
    EXPECT_TRUE(links.count(rel)) << "index does not link " << rel;
    EXPECT_TRUE(Exists(project_->Path("site/" + rel))) << rel;
  }
  EXPECT_TRUE(links.count("revenue.html"));
  EXPECT_TRUE(links.count("quarantine.html"));
  for (const auto& l : links) {  // relative links only: the site works from the file system
    EXPECT_EQ(l.find("://"), std::string::npos) << l;
  }
  EXPECT_NE(index.find("<svg class=\"lineage\""), std::string::npos);
  EXPECT_NE(index.find("data-platform"), std::string::npos);  // owners

  // Every page the index links, loaded at once in frames of one page: none
  // logs to the console (frames' messages are logged too).
  std::string crawl = "<!DOCTYPE html><html><body>\n";
  for (const auto& l : links) crawl += "<iframe src=\"" + Url(l) + "\"></iframe>\n";
  WriteFile(tmp_ / "crawl.html", crawl + "</body></html>\n");
  BrowserRun r = Chromium(chromium_, tmp_, "file://" + (tmp_ / "crawl.html"), {"--dump-dom"});
  EXPECT_EQ(r.exit_code, 0) << r.command << "\n" << r.err;
  EXPECT_EQ(ConsoleLines(r.err), std::vector<std::string>{}) << "console:" << Join(ConsoleLines(r.err));
  EXPECT_EQ(CountOf(r.out, "<iframe"), links.size());
  for (const auto& m : kModels) {  // the pages are static: what the browser shows is the file
    std::string page = ReadFile(project_->Path("site/models/" + m + ".html"));
    EXPECT_NE(page.find("<h1>" + m + "</h1>"), std::string::npos) << m;
    EXPECT_NE(page.find("<svg class=\"lineage\""), std::string::npos) << m;
    EXPECT_NE(page.find("href=\"../index.html\""), std::string::npos) << m;
  }
}

TEST_F(DocsSiteInBrowser, TheRevenueChartRendersWithEveryDay) {
  int64_t days = QueryInt(project_->db(), "SELECT count(*) FROM daily_revenue");
  for (const char* page : {"revenue.html", "models/daily_revenue.html"}) {
    std::string dom = Dom(page);
    ASSERT_NE(dom.find("<svg class=\"revenue-chart\""), std::string::npos) << page;
    EXPECT_EQ(static_cast<int64_t>(CountOf(dom, "data-date=\"")), days) << page;
    EXPECT_GE(CountOf(dom, "class=\"delta up\"") + CountOf(dom, "class=\"delta down\""), 3u)
        << page << ": restated days are marked";
  }
  std::string q = Dom("quarantine.html");
  EXPECT_NE(q.find("<svg class=\"bars-chart\""), std::string::npos);
}

TEST_F(DocsSiteInBrowser, ScreenshotsOfTheIndexAndDailyRevenue) {
  Screenshot("index.html", "index.png", "1366,900");
  Screenshot("models/daily_revenue.html", "daily_revenue.png", "1366,900");
  Screenshot("revenue.html", "revenue.png", "1366,900");
}

}  // namespace
}  // namespace e2e
