// CLI (spec §2, §5): usage and configuration errors exit 2 with one clear
// line naming the problem; `sql` is read-only; `init` scaffolds and never
// overwrites; `gen` is deterministic per seed and writes the FX file.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "e2e/harness.h"

namespace e2e {
namespace {

constexpr const char* kNow = "2025-01-20T00:00:00Z";

const std::string kEvent =
    R"({"event_id":"e1","event_type":"order_placed","order_id":"o1","occurred_at":"2025-01-02T10:00:00Z","customer_id":"c","amount":"10.00","currency":"USD"})";

// Exit 2, exactly one non-empty line on stderr, containing every `words`.
void ExpectUsageError(const CmdResult& r, const std::vector<std::string>& words) {
  EXPECT_EQ(r.exit_code, 2) << r;
  std::vector<std::string> lines;
  for (const auto& l : SplitLines(r.err)) {
    if (!l.empty()) lines.push_back(l);
  }
  EXPECT_EQ(lines.size(), 1u) << "one clear line" << r;
  for (const auto& w : words) EXPECT_NE(r.err.find(w), std::string::npos) << "stderr should name '" << w << "'" << r;
}

TEST(Cli, UnknownConfigKeyIsRejectedWithASuggestion) {
  Project p("warehouse:\n  path: wh.duckdb\nbusines:\n  timezone: UTC\n");
  ExpectUsageError(p.Daybook({"--now", kNow, "run"}),
                   {p.config() + ":3", "busines", "did you mean 'business'"});
  EXPECT_FALSE(Exists(p.db())) << "configuration is checked before anything moves";

  Project nested("business:\n  timezone: UTC\n  timezon: UTC\n");
  ExpectUsageError(nested.Daybook({"--now", kNow, "run"}),
                   {nested.config() + ":3", "business.timezon", "did you mean 'timezone'"});
}

TEST(Cli, BadTimeZoneIsAConfigurationError) {
  Project p("warehouse:\n  path: wh.duckdb\nbusiness:\n  timezone: Mars/Olympus_Mons\n");
  ExpectUsageError(p.Daybook({"--now", kNow, "run"}), {"business.timezone", "Mars/Olympus_Mons"});
  ExpectUsageError(p.Daybook({"report"}), {"business.timezone", "Mars/Olympus_Mons"});
  EXPECT_FALSE(Exists(p.db()));
}

TEST(Cli, MissingOrBrokenFxFileIsAConfigurationError) {
  Project p("warehouse:\n  path: wh.duckdb\nfx:\n  rates: no-such-rates.csv\n");
  p.WriteLines("landing/a.jsonl", {kEvent});
  ExpectUsageError(p.Daybook({"--now", kNow, "run"}), {"no-such-rates.csv"});
  EXPECT_FALSE(Exists(p.db()));

  Project q("warehouse:\n  path: wh.duckdb\nfx:\n  rates: fx.csv\n");
  q.Write("fx.csv", "date,currency,rate\n2025-01-01,EUR,1.08\n2025-01-02,EUR,one\n");
  q.WriteLines("landing/a.jsonl", {kEvent});
  ExpectUsageError(q.Daybook({"--now", kNow, "run"}), {"fx.csv:3", "rate"});
  EXPECT_FALSE(Exists(q.db()));
}

TEST(Cli, InputThatDoesNotExistIsAUsageError) {
  Project p;
  ExpectUsageError(p.Daybook({"--now", kNow, "run", "--input", p.Path("nope/missing.jsonl")}),
                   {p.Path("nope/missing.jsonl")});
  EXPECT_FALSE(Exists(p.db()));
  // One missing among existing ones is still an error, and nothing is loaded.
  p.WriteLines("a.jsonl", {kEvent});
  ExpectUsageError(p.Daybook({"--now", kNow, "run", "--input", p.Path("a.jsonl"), "--input", p.Path("b.jsonl")}),
                   {p.Path("b.jsonl")});
  EXPECT_FALSE(Exists(p.db()));
}

TEST(Cli, BadNowIsAUsageError) {
  Project p;
  ExpectUsageError(p.Daybook({"--now", "yesterday", "run"}), {"--now", "yesterday"});
  ExpectUsageError(p.Daybook({"--now", "2025-01-20T00:00:00", "run"}), {"--now", "2025-01-20T00:00:00"});
  ExpectUsageError(p.Daybook({"run"}, {{"DAYBOOK_NOW", "soon"}}), {"DAYBOOK_NOW", "soon"});
  EXPECT_FALSE(Exists(p.db()));
}

TEST(Cli, BadFormatIsAUsageError) {
  Project p;
  p.WriteLines("landing/a.jsonl", {kEvent});
  ASSERT_EQ(p.Daybook({"--now", kNow, "run"}).exit_code, 0);
  ExpectUsageError(p.Daybook({"report", "--format", "xml"}), {"--format", "xml"});
  ExpectUsageError(p.Daybook({"sql", "SELECT 1", "--format", "yaml"}), {"--format", "yaml"});
  ExpectUsageError(p.Daybook({"report", "--from", "2025-13-01"}), {"--from", "2025-13-01"});
  ExpectUsageError(p.Daybook({"report", "--as-of", "tomorrow"}), {"--as-of", "tomorrow"});
  ExpectUsageError(p.Daybook({"report", "--by", "country"}), {"--by", "country"});
}

TEST(Cli, SqlIsReadOnly) {
  Project p;
  p.WriteLines("landing/a.jsonl", {kEvent});
  ASSERT_EQ(p.Daybook({"--now", kNow, "run"}).exit_code, 0);
  CmdResult ok = p.Daybook({"sql", "SELECT event_id, amount_minor FROM order_events", "--format", "csv"});
  ASSERT_EQ(ok.exit_code, 0) << ok;
  EXPECT_EQ(ok.out, "event_id,amount_minor\ne1,1000\n");

  const std::string before = DumpAll(p.db(), false);
  for (const std::string& q : {std::string("INSERT INTO pipeline_runs SELECT * FROM pipeline_runs"),
                               std::string("DELETE FROM order_events"),
                               std::string("UPDATE daily_revenue SET net = 0"),
                               std::string("DROP TABLE order_events"),
                               std::string("CREATE TABLE sneaky (a INTEGER)"),
                               std::string("SELECT 1; DELETE FROM order_events")}) {
    CmdResult r = p.Daybook({"sql", q});
    EXPECT_NE(r.exit_code, 0) << q << r;
    EXPECT_FALSE(r.err.empty()) << q << r;
  }
  const std::string after = DumpAll(p.db(), false);
  EXPECT_EQ(before, after) << DiffText(before, after);
  EXPECT_EQ(QueryInt(p.db(), "SELECT count(*) FROM information_schema.tables WHERE table_name = 'sneaky'"), 0);
}

// DAYBOOK_TRACE_SQL=1 prints each statement with its wall time on stderr,
// one line each; without it a run prints none.
TEST(Cli, TraceSqlPrintsEachStatementWithItsTime) {
  Project p;
  p.WriteLines("landing/a.jsonl", {kEvent});
  CmdResult quiet = p.Daybook({"--now", kNow, "run"});
  ASSERT_EQ(quiet.exit_code, 0) << quiet;
  EXPECT_EQ(quiet.err.find("daybook sql:"), std::string::npos) << quiet;

  std::string second = kEvent;
  second.replace(second.find("\"e1\""), 4, "\"e2\"");
  p.WriteLines("landing/b.jsonl", {second});
  CmdResult traced = p.Daybook({"--now", kNow, "run"}, {{"DAYBOOK_TRACE_SQL", "1"}});
  ASSERT_EQ(traced.exit_code, 0) << traced;
  size_t statements = 0;
  bool saw_commit = false;
  for (const auto& l : SplitLines(traced.err)) {
    if (l.rfind("daybook sql: ", 0) != 0) continue;
    ++statements;
    EXPECT_NE(l.find(" ms  "), std::string::npos) << l;
    saw_commit = saw_commit || l.find(" ms  COMMIT") != std::string::npos;
  }
  EXPECT_GT(statements, 10u) << traced;
  EXPECT_TRUE(saw_commit) << traced;
  EXPECT_EQ(QueryInt(p.db(), "SELECT count(*) FROM order_events WHERE event_id IN ('e1', 'e2')"), 2);
}

TEST(Cli, InitScaffoldsAProjectAndNeverOverwrites) {
  TempDir t;
  const std::string dir = t / "shop";
  CmdResult r = RunDaybook({"init", dir});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(Exists(dir + "/daybook.yml"));
  EXPECT_TRUE(Exists(dir + "/fx_rates.csv"));
  EXPECT_TRUE(std::filesystem::is_directory(dir + "/landing"));
  EXPECT_EQ(SplitLines(ReadFile(dir + "/fx_rates.csv")).at(0), "date,currency,rate");

  // The scaffold is a working project.
  WriteFile(dir + "/landing/events.jsonl", kEvent + "\n");
  CmdResult run = RunDaybook({"--now", kNow, "run", "--json"}, {}, dir);
  ASSERT_EQ(run.exit_code, 0) << run;
  EXPECT_EQ(Json::Parse(run.out)["accepted"].Int(), 1);
  EXPECT_TRUE(Exists(dir + "/daybook.duckdb"));

  // Never overwrites.
  WriteFile(dir + "/daybook.yml", ReadFile(dir + "/daybook.yml") + "# my own edits\n");
  const std::string yml = ReadFile(dir + "/daybook.yml"), fx = ReadFile(dir + "/fx_rates.csv");
  CmdResult again = RunDaybook({"init", dir});
  EXPECT_NE(again.exit_code, 0) << again;
  EXPECT_NE(again.err.find("daybook.yml"), std::string::npos) << again;
  EXPECT_EQ(ReadFile(dir + "/daybook.yml"), yml);
  EXPECT_EQ(ReadFile(dir + "/fx_rates.csv"), fx);

  // Without DIR: the current folder.
  TempDir here;
  CmdResult cwd = RunDaybook({"init"}, {}, here.path());
  ASSERT_EQ(cwd.exit_code, 0) << cwd;
  EXPECT_TRUE(Exists(here / "daybook.yml"));
}

TEST(Cli, GenIsDeterministicPerSeedAndWritesTheFxFile) {
  Project p;
  auto gen = [&](const std::string& seed, const std::string& name) {
    return Gen(p, {"--orders", "300", "--days", "5", "--start", "2025-02-01", "--seed", seed, "--refund-rate", "0.2",
                   "--cancel-rate", "0.1", "--out", p.Path(name + ".jsonl"), "--fx-out", p.Path(name + "-fx.csv")});
  };
  GenResult a = gen("7", "a"), b = gen("7", "b"), c = gen("8", "c");
  EXPECT_EQ(ReadFile(p.Path("a.jsonl")), ReadFile(p.Path("b.jsonl"))) << "same seed, same bytes";
  EXPECT_EQ(ReadFile(p.Path("a-fx.csv")), ReadFile(p.Path("b-fx.csv")));
  EXPECT_NE(ReadFile(p.Path("a.jsonl")), ReadFile(p.Path("c.jsonl"))) << "another seed, other events";
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.orders, 300);
  EXPECT_EQ(c.orders, 300);

  // No faults requested: one line per event, `orders` of them order_placed.
  std::vector<std::string> lines = SplitLines(ReadFile(p.Path("a.jsonl")));
  EXPECT_EQ(static_cast<int64_t>(lines.size()), a.events);
  int64_t placed = 0;
  for (const auto& l : lines) placed += l.find("\"order_placed\"") != std::string::npos;
  EXPECT_EQ(placed, 300);

  // The FX file: the contract's header and a rate for every generated
  // non-USD currency on every generated day.
  std::vector<std::string> fx = SplitLines(ReadFile(p.Path("a-fx.csv")));
  ASSERT_FALSE(fx.empty());
  EXPECT_EQ(fx[0], "date,currency,rate");
  std::set<std::string> have;
  for (size_t i = 1; i < fx.size(); ++i) {
    std::vector<std::string> f = CsvFields(fx[i]);
    ASSERT_EQ(f.size(), 3u) << fx[i];
    have.insert(f[0] + "," + f[1]);
  }
  for (const char* day : {"2025-02-01", "2025-02-02", "2025-02-03", "2025-02-04", "2025-02-05"}) {
    for (const char* cur : {"EUR", "GBP", "JPY", "KWD"}) {
      EXPECT_TRUE(have.count(std::string(day) + "," + cur)) << day << " " << cur;
    }
  }
  // ... and it loads: every generated event is accepted with it.
  p.Write("fx_rates.csv", ReadFile(p.Path("a-fx.csv")));
  CmdResult run = p.Daybook({"--now", "2025-02-20T00:00:00Z", "run", "--json", "--input", p.Path("a.jsonl")});
  ASSERT_EQ(run.exit_code, 0) << run;
  EXPECT_EQ(Json::Parse(run.out)["accepted"].Int(), a.events);
  EXPECT_EQ(Json::Parse(run.out)["quarantined"].Int(), 0);
}

}  // namespace
}  // namespace e2e
