// E2E: the whole job on real files and a real warehouse — gen → run → report,
// accounting, idempotency, gzip, globs, --input, the drop-rate gate, the
// clock, the writer lock, restatements and `rebuild` (spec §3, §4, §5).
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "e2e/harness.h"
#include "e2e/scenario_util.h"

namespace e2e {
namespace {

constexpr const char* kHeader =
    "business_date,orders,cancelled_orders,refunded_orders,customers,gross,cancellations,refunds,net,currency";
constexpr const char* kNow = "2025-01-20T00:00:00Z";  // every generated day closed and inside the window

// The model tables whose content is a function of the accepted events.
const std::vector<std::string> kModelTables = {"fct_orders", "daily_revenue", "daily_revenue_by_channel",
                                               "daily_revenue_versions", "revenue_restatements"};

// A generated project: 7 days from 2025-01-01 with refunds and cancellations.
void GenerateInto(const Project& p, GenResult* gen, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--orders", "400", "--days", "7", "--start", "2025-01-01", "--seed", "11",
                                   "--refund-rate", "0.2", "--cancel-rate", "0.1", "--out",
                                   p.Path("landing/events.jsonl"), "--fx-out", p.Path("fx_rates.csv")};
  args.insert(args.end(), extra.begin(), extra.end());
  *gen = Gen(p, args);
}

int64_t CountLines(const std::string& path) {
  int64_t n = 0;
  for (const auto& l : SplitLines(ReadFile(path))) n += !l.empty();
  return n;
}

TEST(E2E, ReportCsvHasTheContractHeaderAndAscendingRows) {
  Project p;
  GenResult gen;
  GenerateInto(p, &gen);
  CmdResult run = p.Daybook({"--now", kNow, "run"});
  ASSERT_EQ(run.exit_code, 0) << run;

  CmdResult rep = p.Daybook({"report", "--format", "csv"});
  ASSERT_EQ(rep.exit_code, 0) << rep;
  std::vector<std::string> lines = SplitLines(rep.out);
  ASSERT_EQ(lines.size(), 8u) << rep.out;  // header + 7 days
  EXPECT_EQ(lines[0], kHeader);
  const std::vector<std::string> days = {"2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04",
                                         "2025-01-05", "2025-01-06", "2025-01-07"};
  int64_t total_orders = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f = CsvFields(lines[i]);
    ASSERT_EQ(f.size(), 10u) << lines[i];
    EXPECT_EQ(f[0], days[i - 1]) << "rows must be one per day, ascending";
    EXPECT_EQ(f[9], "USD");
    int64_t gross = Minor(f[5]), canc = Minor(f[6]), refunds = Minor(f[7]), net = Minor(f[8]);
    EXPECT_EQ(net, gross - canc - refunds) << lines[i];
    total_orders += std::stoll(f[1]);
  }
  EXPECT_EQ(total_orders, gen.orders);

  // The report is daily_revenue, and daily_revenue reconciles with the
  // included events (spec §3 definitions, recomputed independently).
  // (daily_revenue may also hold all-zero rows for closed days without
  // events — a documented design choice; the report hides them.)
  const std::string with_events = " WHERE orders > 0 OR cancelled_orders > 0 OR refunded_orders > 0";
  EXPECT_EQ(QueryInt(p.db(), "SELECT count(*) FROM daily_revenue WHERE NOT (orders > 0 OR cancelled_orders > 0 OR "
                             "refunded_orders > 0) AND (customers <> 0 OR gross <> 0 OR cancellations <> 0 OR "
                             "refunds <> 0 OR net <> 0)"),
            0);
  std::string from_table = DumpQuery(
      p.db(),
      "SELECT strftime(business_date, '%Y-%m-%d'), orders, cancelled_orders, refunded_orders, customers, "
      "gross, cancellations, refunds, net FROM daily_revenue" + with_events);
  std::string recomputed = DumpQuery(
      p.db(),
      "SELECT strftime(business_date, '%Y-%m-%d') AS d,"
      " count(*) FILTER (WHERE event_type='order_placed'),"
      " count(DISTINCT order_id) FILTER (WHERE event_type='order_cancelled'),"
      " count(DISTINCT order_id) FILTER (WHERE event_type='order_refunded'),"
      " count(DISTINCT customer_id) FILTER (WHERE event_type='order_placed'),"
      " coalesce(sum(reporting_amount) FILTER (WHERE event_type='order_placed'), 0),"
      " coalesce(sum(reporting_amount) FILTER (WHERE event_type='order_cancelled'), 0),"
      " coalesce(sum(reporting_amount) FILTER (WHERE event_type='order_refunded'), 0),"
      " coalesce(sum(CASE WHEN event_type='order_placed' THEN reporting_amount ELSE -reporting_amount END), 0)"
      " FROM order_events WHERE included GROUP BY 1");
  // Column names differ; compare the rows only.
  EXPECT_EQ(from_table.substr(from_table.find('\n')), recomputed.substr(recomputed.find('\n')))
      << DiffText(from_table, recomputed);
  std::string report_rows;
  for (size_t i = 1; i < lines.size(); ++i) report_rows += lines[i] + "\n";
  std::string table_rows = DumpQuery(
      p.db(),
      "SELECT strftime(business_date, '%Y-%m-%d') || ',' || orders || ',' || cancelled_orders || ',' || "
      "refunded_orders || ',' || customers || ',' || gross || ',' || cancellations || ',' || refunds || ',' || "
      "net || ',' || reporting_currency FROM daily_revenue" + with_events);
  EXPECT_EQ(table_rows.substr(table_rows.find('\n') + 1), report_rows);
  // fct_orders agrees with the daily totals.
  EXPECT_EQ(Scalar(p.db(), "SELECT sum(net_reporting) FROM fct_orders"),
            Scalar(p.db(), "SELECT sum(net) FROM daily_revenue"));

  // --from/--to are inclusive.
  CmdResult part = p.Daybook({"report", "--from", "2025-01-03", "--to", "2025-01-05", "--format", "csv"});
  ASSERT_EQ(part.exit_code, 0) << part;
  EXPECT_EQ(part.out, std::string(kHeader) + "\n" + lines[3] + "\n" + lines[4] + "\n" + lines[5] + "\n");
}

TEST(E2E, RunJsonAccountsForEveryRow) {
  Project p;
  GenResult gen;
  GenerateInto(p, &gen, {"--dup-rate", "0.03", "--late-rate", "0.03", "--bad-rate", "0.02"});
  const int64_t lines = CountLines(p.Path("landing/events.jsonl"));
  CmdResult run = p.Daybook({"--now", kNow, "run", "--json", "--max-drop-rate", "1"});
  ASSERT_EQ(run.exit_code, 0) << run;
  Json j = Json::Parse(run.out);
  EXPECT_EQ(j["status"].Str(), "succeeded");
  const int64_t rows_read = j["rows_read"].Int(), accepted = j["accepted"].Int(),
                duplicates = j["duplicates"].Int(), quarantined = j["quarantined"].Int();
  EXPECT_EQ(rows_read, lines);
  EXPECT_EQ(accepted, gen.events) << "every valid generated event is accepted exactly once";
  EXPECT_EQ(rows_read, accepted + duplicates + quarantined);
  EXPECT_GT(duplicates, 0);
  EXPECT_GT(quarantined, 0);
  int64_t by_reason_sum = 0;
  for (const auto& [reason, n] : j["quarantined_by_reason"].Object()) by_reason_sum += n.Int();
  EXPECT_EQ(by_reason_sum, quarantined);

  // The run record holds the same accounting.
  Rows pr = Query(p.db(), "SELECT run_id, status, rows_read, accepted, duplicates, quarantined, "
                          "quarantined_by_reason, files_loaded FROM pipeline_runs");
  ASSERT_EQ(pr.size(), 1u);
  EXPECT_EQ(pr.at(0, "run_id"), std::to_string(j["run_id"].Int()));
  EXPECT_EQ(pr.at(0, "status"), "succeeded");
  EXPECT_EQ(pr.at(0, "rows_read"), std::to_string(rows_read));
  EXPECT_EQ(pr.at(0, "accepted"), std::to_string(accepted));
  EXPECT_EQ(pr.at(0, "duplicates"), std::to_string(duplicates));
  EXPECT_EQ(pr.at(0, "quarantined"), std::to_string(quarantined));
  EXPECT_EQ(pr.at(0, "files_loaded"), "1");
  Json stored_reasons = Json::Parse(pr.at(0, "quarantined_by_reason"));
  ASSERT_EQ(stored_reasons.size(), j["quarantined_by_reason"].size());
  for (const auto& [reason, n] : j["quarantined_by_reason"].Object()) {
    EXPECT_EQ(stored_reasons[reason].Int(), n.Int()) << reason;
    EXPECT_EQ(QueryInt(p.db(), "SELECT count(*) FROM quarantine WHERE reason_code = '" + reason + "'"), n.Int())
        << reason;
  }
  // ... and so do the stored rows and the file manifest.
  EXPECT_EQ(QueryInt(p.db(), "SELECT count(*) FROM order_events"), accepted);
  EXPECT_EQ(QueryInt(p.db(), "SELECT count(*) FROM quarantine"), quarantined);
  ASSERT_EQ(j["files"].size(), 1u);
  const Json& f = j["files"][0];
  EXPECT_EQ(f["path"].Str(), p.Path("landing/events.jsonl"));
  EXPECT_EQ(f["rows_read"].Int(), rows_read);
  EXPECT_EQ(f["accepted"].Int(), accepted);
  EXPECT_EQ(f["duplicates"].Int(), duplicates);
  EXPECT_EQ(f["quarantined"].Int(), quarantined);
  Rows lf = Query(p.db(), "SELECT path, rows_read, accepted, duplicates, quarantined, size_bytes FROM loaded_files");
  ASSERT_EQ(lf.size(), 1u);
  EXPECT_EQ(lf.at(0, "path"), p.Path("landing/events.jsonl"));
  EXPECT_EQ(lf.at(0, "rows_read"), std::to_string(rows_read));
  EXPECT_EQ(lf.at(0, "accepted"), std::to_string(accepted));
  EXPECT_EQ(lf.at(0, "duplicates"), std::to_string(duplicates));
  EXPECT_EQ(lf.at(0, "quarantined"), std::to_string(quarantined));
  EXPECT_EQ(lf.at(0, "size_bytes"), std::to_string(ReadFile(p.Path("landing/events.jsonl")).size()));
}

TEST(E2E, RerunningSameInputsChangesNothing) {
  Project p;
  GenResult gen;
  GenerateInto(p, &gen, {"--dup-rate", "0.03", "--late-rate", "0.03", "--bad-rate", "0.005"});
  CmdResult first = p.Daybook({"--now", kNow, "run", "--json", "--max-drop-rate", "1"});
  ASSERT_EQ(first.exit_code, 0) << first;
  const std::vector<std::string>& tables = DataTables();
  const std::string before = DumpTables(p.db(), tables);

  // The same file again, and a byte-identical copy under another name.
  CopyFile(p.Path("landing/events.jsonl"), p.Path("landing/copy-of-events.jsonl"));
  CmdResult again = p.Daybook({"--now", kNow, "run", "--json", "--max-drop-rate", "1"});
  ASSERT_EQ(again.exit_code, 0) << again;
  Json j = Json::Parse(again.out);
  EXPECT_EQ(j["status"].Str(), "succeeded");
  EXPECT_EQ(j["rows_read"].Int(), 0);
  EXPECT_EQ(j["accepted"].Int(), 0);
  EXPECT_EQ(j["files_loaded"].Int(), 0);
  EXPECT_EQ(j["files_skipped"].Int(), 2);
  const std::string after = DumpTables(p.db(), tables);
  EXPECT_EQ(before, after) << DiffText(before, after);

  Rows runs = Query(p.db(), "SELECT run_id, status, rows_read, accepted, duplicates, quarantined "
                            "FROM pipeline_runs ORDER BY run_id");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs.at(1, "run_id"), "2");
  EXPECT_EQ(runs.at(1, "status"), "succeeded");
  EXPECT_EQ(runs.at(1, "rows_read"), "0");
  EXPECT_EQ(runs.at(1, "accepted"), "0");

  // The same events in another file (reversed line order): all duplicates
  // or re-quarantined lines; the events and models do not change.
  std::vector<std::string> lines = SplitLines(ReadFile(p.Path("landing/events.jsonl")));
  std::reverse(lines.begin(), lines.end());
  p.WriteLines("other/reversed.jsonl", lines);
  const std::vector<std::string> models = {"order_events", "fct_orders", "daily_revenue",
                                           "daily_revenue_by_channel", "daily_revenue_versions",
                                           "revenue_restatements"};
  const std::string models_before = DumpTables(p.db(), models);
  CmdResult rev = p.Daybook({"--now", kNow, "run", "--json", "--max-drop-rate", "1", "--input",
                             p.Path("other/reversed.jsonl")});
  ASSERT_EQ(rev.exit_code, 0) << rev;
  Json jr = Json::Parse(rev.out);
  EXPECT_EQ(jr["accepted"].Int(), 0);
  EXPECT_EQ(jr["rows_read"].Int(), static_cast<int64_t>(lines.size()));
  const std::string models_after = DumpTables(p.db(), models);
  EXPECT_EQ(models_before, models_after) << DiffText(models_before, models_after);
}

TEST(E2E, GzipCopyIsReadIdentically) {
  Project p;
  GenResult gen;
  GenerateInto(p, &gen, {"--dup-rate", "0.03", "--bad-rate", "0.01"});
  const std::string plain = p.Path("landing/events.jsonl");
  WriteGzip(p.Path("gz/events.jsonl.gz"), ReadFile(plain));
  const std::string db_plain = p.Path("plain.duckdb"), db_gz = p.Path("gz.duckdb");
  CmdResult a = p.Daybook({"--db", db_plain, "--now", kNow, "run", "--json", "--max-drop-rate", "1", "--input", plain});
  ASSERT_EQ(a.exit_code, 0) << a;
  CmdResult b = p.Daybook(
      {"--db", db_gz, "--now", kNow, "run", "--json", "--max-drop-rate", "1", "--input", p.Path("gz/events.jsonl.gz")});
  ASSERT_EQ(b.exit_code, 0) << b;
  Json ja = Json::Parse(a.out), jb = Json::Parse(b.out);
  for (const char* k : {"rows_read", "accepted", "duplicates", "quarantined"}) EXPECT_EQ(ja[k].Int(), jb[k].Int()) << k;
  EXPECT_EQ(ja["accepted"].Int(), gen.events);

  std::map<std::string, std::vector<std::string>> ex = {
      {"quarantine", {"source_file", "locator"}},
      {"pipeline_runs", {"duration_ms", "stage_ms"}},
      {"loaded_files", {"path", "size_bytes", "content_hash", "modified_ns"}},
      {"schema_drift", {"first_seen_locator"}}};
  // Check and alert messages quote file paths; the data tables and the run log must agree.
  std::vector<std::string> tables = DataTables();
  tables.push_back("pipeline_runs");
  std::string da = DumpTables(db_plain, tables, ex), db = DumpTables(db_gz, tables, ex);
  EXPECT_EQ(da, db) << DiffText(da, db);
  EXPECT_EQ(QueryInt(db_gz, "SELECT count(*) FROM quarantine WHERE source_file = '" + p.Path("gz/events.jsonl.gz") + "'"),
            jb["quarantined"].Int());

  // The .gz into the warehouse that already holds the plain file: no new events.
  CmdResult c = p.Daybook(
      {"--db", db_plain, "--now", kNow, "run", "--json", "--max-drop-rate", "1", "--input", p.Path("gz/events.jsonl.gz")});
  ASSERT_EQ(c.exit_code, 0) << c;
  Json jc = Json::Parse(c.out);
  EXPECT_EQ(jc["accepted"].Int(), 0);
  EXPECT_EQ(jc["rows_read"].Int(), ja["rows_read"].Int());
  EXPECT_EQ(jc["duplicates"].Int(), ja["accepted"].Int() + ja["duplicates"].Int());
}

TEST(E2E, GlobReadsEveryMatchingFile) {
  Project p;
  GenResult gen;
  GenerateInto(p, &gen, {"--dup-rate", "0.02", "--late-rate", "0.02"});
  std::vector<std::string> lines = SplitLines(ReadFile(p.Path("landing/events.jsonl")));
  const size_t n = lines.size();
  p.WriteLines("parts/part-1.jsonl", {lines.begin(), lines.begin() + n / 3});
  p.WriteLines("parts/part-2.jsonl", {lines.begin() + n / 3, lines.begin() + 2 * n / 3});
  p.WriteLines("parts/part-3.jsonl", {lines.begin() + 2 * n / 3, lines.end()});
  p.WriteLines("parts/not-a-part.txt", {lines.begin(), lines.begin() + 5});

  CmdResult g = p.Daybook({"--db", p.Path("glob.duckdb"), "--now", kNow, "run", "--json", "--input",
                           p.Path("parts/part-*.jsonl")});
  ASSERT_EQ(g.exit_code, 0) << g;
  Json j = Json::Parse(g.out);
  ASSERT_EQ(j["files"].size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(j["files"][i]["path"].Str(), p.Path("parts/part-" + std::to_string(i + 1) + ".jsonl"));
    EXPECT_EQ(j["files"][i]["source"].Str(), "cli");
  }
  EXPECT_EQ(j["rows_read"].Int(), static_cast<int64_t>(n));
  EXPECT_EQ(j["accepted"].Int(), gen.events);
  EXPECT_EQ(QueryInt(p.Path("glob.duckdb"), "SELECT count(*) FROM loaded_files"), 3);

  CmdResult whole = p.Daybook({"--db", p.Path("whole.duckdb"), "--now", kNow, "run", "--input",
                               p.Path("landing/events.jsonl")});
  ASSERT_EQ(whole.exit_code, 0) << whole;
  std::map<std::string, std::vector<std::string>> ex = {{"order_events", {"source_file_id", "source_line"}}};
  std::vector<std::string> tables = kModelTables;
  tables.push_back("order_events");
  std::string a = DumpTables(p.Path("whole.duckdb"), tables, ex), b = DumpTables(p.Path("glob.duckdb"), tables, ex);
  EXPECT_EQ(a, b) << DiffText(a, b);
}

// A warehouse of schema version 1 (the source name, path and channel name
// stored on every event) is migrated by the next run: its files are
// numbered in source_files and its channels in channels, every event keeps
// its locator (event_sources) and its channel, order_events keeps its
// stored order, and the run ends with the tables a warehouse created at the
// current version holds.
TEST(E2E, AVersionOneWarehouseIsMigratedKeepingEveryLocator) {
  Project p;
  GenResult gen;
  GenerateInto(p, &gen, {"--dup-rate", "0.02", "--late-rate", "0.05", "--bad-rate", "0.01"});
  std::vector<std::string> lines = SplitLines(ReadFile(p.Path("landing/events.jsonl")));
  const size_t cut = lines.size() * 2 / 3;
  p.WriteLines("parts/a.jsonl", {lines.begin(), lines.begin() + cut});
  p.WriteLines("parts/b.jsonl", {lines.begin() + cut, lines.end()});
  const std::string old_db = p.Path("old.duckdb"), new_db = p.Path("new.duckdb");
  auto run = [&](const std::string& db, const char* part) {
    CmdResult r = p.Daybook({"--db", db, "--now", kNow, "run", "--max-drop-rate", "1", "--input",
                             p.Path(std::string("parts/") + part)});
    ASSERT_EQ(r.exit_code, 0) << r;
  };
  run(old_db, "a.jsonl");
  run(new_db, "a.jsonl");
  const std::string locators = "SELECT event_id, source, source_file, source_line FROM event_sources ORDER BY ALL";
  const std::string before = DumpQuery(old_db, locators);
  const std::string stored_order = "SELECT string_agg(event_id, ',' ORDER BY rowid) FROM order_events";
  const std::string order_before = Scalar(old_db, stored_order);
  const std::string channels = "SELECT event_id, channel FROM order_events JOIN channels USING (channel_id) "
                               "ORDER BY ALL";
  const std::string channels_before = DumpQuery(old_db, channels);

  // Version 1's shape: the three names in place of source_file_id and channel_id.
  scen::ExecReadWrite(old_db,
                {"DROP VIEW event_sources",
                 "CREATE TABLE v1 AS SELECT e.* EXCLUDE (channel_id, source_file_id, source_line, run_id, "
                 "updated_run_id), c.channel, f.source, f.path AS source_file, e.source_line, e.run_id, "
                 "e.updated_run_id FROM order_events e JOIN source_files f USING (source_file_id) "
                 "JOIN channels c USING (channel_id) ORDER BY e.rowid",
                 "DROP TABLE order_events", "ALTER TABLE v1 RENAME TO order_events", "DROP TABLE source_files",
                 "DROP TABLE channels", "UPDATE daybook_meta SET value = '1' WHERE key = 'schema_version'"});
  const std::string names_on_events = "SELECT count(*) FROM information_schema.columns WHERE table_name = "
                                      "'order_events' AND column_name IN ('source', 'source_file', 'channel')";
  ASSERT_EQ(Scalar(old_db, stored_order), order_before);
  ASSERT_EQ(QueryInt(old_db, names_on_events), 3);

  run(old_db, "b.jsonl");
  run(new_db, "b.jsonl");
  EXPECT_EQ(Scalar(old_db, "SELECT value FROM daybook_meta WHERE key = 'schema_version'"), "3");
  EXPECT_EQ(QueryInt(old_db, names_on_events), 0);
  const std::string run1_channels = "SELECT event_id, channel FROM order_events JOIN channels USING (channel_id) "
                                    "WHERE run_id = 1 ORDER BY ALL";
  EXPECT_EQ(DumpQuery(old_db, run1_channels), channels_before);
  EXPECT_EQ(DumpQuery(old_db, channels), DumpQuery(new_db, channels));
  EXPECT_EQ(DumpQuery(old_db, "SELECT * FROM source_files ORDER BY source_file_id"),
            "source_file_id|source|path|first_run_id\n1|cli|" + p.Path("parts/a.jsonl") + "|1\n2|cli|" +
                p.Path("parts/b.jsonl") + "|2\n");
  // Run 1's events kept their locators and their order; run 2 appended.
  const std::string run1 = "SELECT event_id, source, source_file, source_line FROM event_sources WHERE run_id = 1 "
                           "ORDER BY ALL";
  EXPECT_EQ(DumpQuery(old_db, run1), before);
  EXPECT_EQ(DumpQuery(old_db, locators), DumpQuery(new_db, locators));
  EXPECT_EQ(Scalar(old_db, stored_order), Scalar(new_db, stored_order));
  std::vector<std::string> tables = SpecTables();
  tables.push_back("source_files");
  // The migration numbers run 1's channels by name, a run by first sight:
  // the names per event are compared above.
  std::map<std::string, std::vector<std::string>> ex = {{"pipeline_runs", {"duration_ms", "stage_ms"}},
                                                        {"order_events", {"channel_id"}}};
  std::string a = DumpTables(new_db, tables, ex), b = DumpTables(old_db, tables, ex);
  EXPECT_EQ(a, b) << DiffText(a, b);
}

TEST(E2E, InputFlagOverridesConfiguredSources) {
  Project p;
  p.Write("fx_rates.csv", "date,currency,rate\n");
  p.WriteLines("landing/a.jsonl", {R"({"event_id":"a1","event_type":"order_placed","order_id":"oa","occurred_at":"2025-01-02T10:00:00Z","customer_id":"c","amount":"10.00","currency":"USD"})"});
  p.WriteLines("elsewhere/b.jsonl", {R"({"event_id":"b1","event_type":"order_placed","order_id":"ob","occurred_at":"2025-01-02T11:00:00Z","customer_id":"c","amount":"20.00","currency":"USD"})"});
  CmdResult r = p.Daybook({"--now", kNow, "run", "--json", "--input", p.Path("elsewhere/b.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r;
  Json j = Json::Parse(r.out);
  ASSERT_EQ(j["files"].size(), 1u);
  EXPECT_EQ(j["files"][0]["path"].Str(), p.Path("elsewhere/b.jsonl"));
  EXPECT_EQ(DumpQuery(p.db(), "SELECT event_id FROM order_events"), "event_id\nb1\n");

  // A relative --input is relative to the working directory.
  CmdResult rel = p.Daybook({"--now", kNow, "run", "--json", "--input", "elsewhere/b.jsonl"});
  ASSERT_EQ(rel.exit_code, 0) << rel;
  EXPECT_EQ(Json::Parse(rel.out)["files_skipped"].Int(), 1);

  // Without --input the configured source is read.
  CmdResult cfg = p.Daybook({"--now", kNow, "run", "--json"});
  ASSERT_EQ(cfg.exit_code, 0) << cfg;
  Json jc = Json::Parse(cfg.out);
  ASSERT_EQ(jc["files"].size(), 1u);
  EXPECT_EQ(jc["files"][0]["path"].Str(), p.Path("landing/a.jsonl"));
  EXPECT_EQ(jc["files"][0]["source"].Str(), "landing");
  EXPECT_EQ(DumpQuery(p.db(), "SELECT event_id, source FROM event_sources"), "event_id|source\na1|landing\nb1|cli\n");
}

TEST(E2E, DropRateGateFailsTheRunAndCommitsNothing) {
  Project p;
  auto placed = [](int i) {
    return R"({"event_id":"e)" + std::to_string(i) + R"(","event_type":"order_placed","order_id":"o)" +
           std::to_string(i) + R"(","occurred_at":"2025-01-03T10:00:00Z","customer_id":"c","amount":"10.00","currency":"USD"})";
  };
  p.WriteLines("good.jsonl", {placed(0), placed(1)});
  CmdResult good = p.Daybook({"--now", kNow, "run", "--input", p.Path("good.jsonl")});
  ASSERT_EQ(good.exit_code, 0) << good;

  std::vector<std::string> bad;
  for (int i = 10; i < 20; ++i) {
    bad.push_back(placed(i));
    bad.push_back(R"({"event_id":"broken)" + std::to_string(i) + R"(","event_type":)");  // MALFORMED_JSON
  }
  p.WriteLines("bad.jsonl", bad);
  const std::vector<std::string> kept = {"order_events", "quarantine", "loaded_files", "fct_orders",
                                         "daily_revenue", "daily_revenue_by_channel", "daily_revenue_versions"};
  const std::string before = DumpTables(p.db(), kept);

  CmdResult r = p.Daybook({"--now", kNow, "run", "--json", "--input", p.Path("bad.jsonl")});
  EXPECT_EQ(r.exit_code, 1) << r;
  Json j = Json::Parse(r.out);
  EXPECT_EQ(j["status"].Str(), "failed");
  EXPECT_EQ(j["rows_read"].Int(), 20);
  EXPECT_EQ(j["quarantined"].Int(), 10);
  EXPECT_EQ(j["quarantined_by_reason"]["MALFORMED_JSON"].Int(), 10);
  EXPECT_DOUBLE_EQ(j["drop_rate"].Double(), 0.5);
  const std::string after = DumpTables(p.db(), kept);
  EXPECT_EQ(before, after) << DiffText(before, after);

  Rows runs = Query(p.db(), "SELECT run_id, status, rows_read, quarantined, error, sample_rejections "
                            "FROM pipeline_runs ORDER BY run_id");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs.at(1, "status"), "failed");
  EXPECT_EQ(runs.at(1, "rows_read"), "20");
  EXPECT_EQ(runs.at(1, "quarantined"), "10");
  EXPECT_NE(runs.at(1, "error").find("drop rate"), std::string::npos) << runs.at(1, "error");
  ASSERT_NE(runs.at(1, "sample_rejections"), "NULL");
  Json samples = Json::Parse(runs.at(1, "sample_rejections"));
  ASSERT_GE(samples.size(), 1u);
  EXPECT_EQ(samples[0]["reason"].Str(), "MALFORMED_JSON");
  EXPECT_EQ(samples[0]["locator"].Str(), p.Path("bad.jsonl") + ":2");
  EXPECT_EQ(samples[0]["raw"].Str(), bad[1]);

  // Not marked loaded: the same file passes once the gate is lifted.
  CmdResult lifted = p.Daybook({"--now", kNow, "run", "--json", "--max-drop-rate", "1", "--input", p.Path("bad.jsonl")});
  ASSERT_EQ(lifted.exit_code, 0) << lifted;
  Json jl = Json::Parse(lifted.out);
  EXPECT_EQ(jl["status"].Str(), "succeeded");
  EXPECT_EQ(jl["rows_read"].Int(), 20);
  EXPECT_EQ(jl["accepted"].Int(), 10);
  EXPECT_EQ(jl["quarantined"].Int(), 10);
  EXPECT_EQ(QueryInt(p.db(), "SELECT count(*) FROM order_events"), 12);
  EXPECT_EQ(QueryInt(p.db(), "SELECT count(*) FROM quarantine"), 10);
  EXPECT_EQ(QueryInt(p.db(), "SELECT count(*) FROM loaded_files WHERE path = '" + p.Path("bad.jsonl") + "'"), 1);
}

TEST(E2E, DaybookNowEnvEqualsNowFlag) {
  Project p;
  GenResult gen;
  GenerateInto(p, &gen);
  // Mid-range: later events are FUTURE_TIMESTAMP, the last days unpublished.
  const std::string now = "2025-01-05T12:00:00Z";
  const std::string file = p.Path("landing/events.jsonl");
  CmdResult a = p.Daybook({"--db", p.Path("flag.duckdb"), "--now", now, "run", "--json", "--max-drop-rate", "1"});
  ASSERT_EQ(a.exit_code, 0) << a;
  CmdResult b = p.Daybook({"--db", p.Path("env.duckdb"), "run", "--json", "--max-drop-rate", "1"}, {{"DAYBOOK_NOW", now}});
  ASSERT_EQ(b.exit_code, 0) << b;
  EXPECT_EQ(Json::Parse(a.out)["now"].Str(), now);
  EXPECT_EQ(Json::Parse(b.out)["now"].Str(), now);
  EXPECT_GT(Json::Parse(a.out)["quarantined_by_reason"]["FUTURE_TIMESTAMP"].Int(), 0);
  EXPECT_EQ(Json::Parse(a.out)["published_days"].Int(), 4);  // 01-01 .. 01-04 closed at 07:00 the next day
  const std::string da = DumpAll(p.Path("flag.duckdb"), true), db = DumpAll(p.Path("env.duckdb"), true);
  EXPECT_EQ(da, db) << DiffText(da, db);
  EXPECT_EQ(Scalar(p.Path("env.duckdb"), "SELECT strftime(started_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') FROM pipeline_runs"),
            now);

  // The flag wins over the environment.
  CmdResult c = p.Daybook({"--db", p.Path("both.duckdb"), "--now", now, "run", "--json", "--max-drop-rate", "1"},
                          {{"DAYBOOK_NOW", "2030-01-01T00:00:00Z"}});
  ASSERT_EQ(c.exit_code, 0) << c;
  EXPECT_EQ(Json::Parse(c.out)["now"].Str(), now);
  const std::string dc = DumpAll(p.Path("both.duckdb"), true);
  EXPECT_EQ(da, dc) << DiffText(da, dc);
}

TEST(E2E, SecondWriterExitsThreeNamingTheHolder) {
  Project p;
  GenResult gen;
  GenerateInto(p, &gen);
  CmdResult first = p.Daybook({"--now", kNow, "run"});
  ASSERT_EQ(first.exit_code, 0) << first;
  p.WriteLines("landing/more.jsonl", {R"({"event_id":"late-1","event_type":"order_placed","order_id":"late-o","occurred_at":"2025-01-03T10:00:00Z","customer_id":"c","amount":"10.00","currency":"USD"})"});
  const std::string before = DumpAll(p.db(), false);

  // Hold the writer lock the way a running daybook does.
  const std::string lock_path = p.db() + ".lock";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  const std::string holder = "pid " + std::to_string(::getpid()) + " (daybook run)\n";
  ASSERT_EQ(::ftruncate(fd, 0), 0);
  ASSERT_EQ(::pwrite(fd, holder.data(), holder.size(), 0), static_cast<ssize_t>(holder.size()));

  CmdResult locked = p.Daybook({"--now", kNow, "run"});
  EXPECT_EQ(locked.exit_code, 3) << locked;
  EXPECT_NE(locked.err.find("pid " + std::to_string(::getpid())), std::string::npos)
      << "the message must name the process holding the lock" << locked;
  EXPECT_NE(locked.err.find(p.db()), std::string::npos) << locked;
  CmdResult rebuild = p.Daybook({"--now", kNow, "rebuild"});
  EXPECT_EQ(rebuild.exit_code, 3) << rebuild;
  // Readers are not writers: the report still works.
  CmdResult rep = p.Daybook({"report", "--format", "csv"});
  EXPECT_EQ(rep.exit_code, 0) << rep;
  EXPECT_EQ(SplitLines(rep.out).size(), 8u) << rep;
  const std::string during = DumpAll(p.db(), false);
  EXPECT_EQ(before, during) << DiffText(before, during);

  ::close(fd);  // releases the lock
  CmdResult after = p.Daybook({"--now", kNow, "run", "--json"});
  ASSERT_EQ(after.exit_code, 0) << after;
  EXPECT_EQ(Json::Parse(after.out)["accepted"].Int(), 1);
}

TEST(E2E, ConcurrentRunExitsThreeNamingTheRunningProcess) {
  Project p;
  Gen(p, {"--orders", "100000", "--days", "7", "--start", "2025-01-01", "--seed", "3", "--out",
          p.Path("landing/events.jsonl"), "--fx-out", p.Path("fx_rates.csv")});
  Child first = SpawnDaybook({"--config", p.config(), "--now", kNow, "run"}, {}, p.dir(), p.Path("first"));
  // Wait until the first run holds the writer lock (it writes its pid there).
  const std::string holder = "pid " + std::to_string(first.pid);
  bool held = false;
  for (int i = 0; i < 2000 && !held; ++i) {
    held = Exists(p.db() + ".lock") && ReadFile(p.db() + ".lock").find(holder) != std::string::npos;
    if (!held) ::usleep(1000);
  }
  ASSERT_TRUE(held) << "the first run never took the lock";
  CmdResult second = p.Daybook({"--now", kNow, "run"});
  CmdResult done = WaitDaybook(first);
  EXPECT_EQ(second.exit_code, 3) << second;
  EXPECT_NE(second.err.find(holder), std::string::npos) << "names the running process" << second;
  ASSERT_EQ(done.exit_code, 0) << done;
  EXPECT_EQ(QueryInt(p.db(), "SELECT count(*) FROM pipeline_runs"), 1) << "the refused run leaves no trace";
}

// Metric values of one report line, by column name.
std::map<std::string, std::string> ReportRow(const std::string& csv, const std::string& date) {
  std::vector<std::string> lines = SplitLines(csv);
  std::vector<std::string> head = CsvFields(lines.at(0));
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f = CsvFields(lines[i]);
    if (f[0] != date) continue;
    std::map<std::string, std::string> m;
    for (size_t c = 0; c < head.size(); ++c) m[head[c]] = f.at(c);
    return m;
  }
  throw std::runtime_error("no report row for " + date + " in\n" + csv);
}

// Two runs: a base batch published at N1, then late events for two of its
// days arriving at N2 (a restatement).
struct Restated {
  Project p;
  std::string before_csv, after_csv;
  Json late_run;
  GenResult late;
};
constexpr const char* kN1 = "2025-01-10T00:00:00Z";
constexpr const char* kN2 = "2025-01-12T00:00:00Z";

void MakeRestatement(Restated* r) {
  Gen(r->p, {"--orders", "300", "--days", "5", "--start", "2025-01-01", "--seed", "1", "--refund-rate", "0.2",
             "--cancel-rate", "0.1", "--out", r->p.Path("landing/base.jsonl"), "--fx-out", r->p.Path("fx_rates.csv")});
  CmdResult run1 = r->p.Daybook({"--now", kN1, "run"});
  if (run1.exit_code != 0) throw std::runtime_error("base run failed");
  r->before_csv = r->p.Daybook({"report", "--format", "csv"}).out;
  r->late = Gen(r->p, {"--orders", "40", "--days", "2", "--start", "2025-01-02", "--seed", "2", "--refund-rate", "0",
                       "--cancel-rate", "0", "--out", r->p.Path("landing/late.jsonl")});
  CmdResult run2 = r->p.Daybook({"--now", kN2, "run", "--json"});
  if (run2.exit_code != 0) throw std::runtime_error("late run failed");
  r->late_run = Json::Parse(run2.out);
  r->after_csv = r->p.Daybook({"report", "--format", "csv"}).out;
}

TEST(E2E, RestatementKeepsThePublishedVersionForAsOf) {
  Restated r;
  MakeRestatement(&r);
  const std::string db = r.p.db();
  EXPECT_EQ(r.late_run["accepted"].Int(), r.late.events);
  EXPECT_EQ(r.late_run["restated_days"].Int(), 2);
  ASSERT_EQ(r.late_run["restatements"].size(), 2u);
  const std::vector<std::string> restated = {"2025-01-02", "2025-01-03"};
  for (size_t i = 0; i < 2; ++i) {
    const Json& x = r.late_run["restatements"][i];
    const std::string& d = restated[i];
    EXPECT_EQ(x["business_date"].Str(), d);
    EXPECT_EQ(x["version"].Int(), 2);
    auto old_row = ReportRow(r.before_csv, d), new_row = ReportRow(r.after_csv, d);
    EXPECT_EQ(x["old_net"].NumberText(), old_row["net"]);
    EXPECT_EQ(x["new_net"].NumberText(), new_row["net"]);
    EXPECT_EQ(x["late_events"].Int(),
              QueryInt(db, "SELECT count(*) FROM order_events WHERE run_id = 2 AND business_date = DATE '" + d + "'"));
    EXPECT_EQ(std::stoll(new_row["orders"]) - std::stoll(old_row["orders"]), x["late_events"].Int())
        << "the late batch has only order_placed events";

    // The restatement rows: one per changed metric, exact old/new/delta.
    Rows rs = Query(db, "SELECT metric, old_value, new_value, delta, run_id, late_events, restated_at "
                        "FROM revenue_restatements WHERE business_date = DATE '" + d + "' ORDER BY metric");
    std::set<std::string> metrics;
    for (size_t k = 0; k < rs.size(); ++k) {
      const std::string m = rs.at(k, "metric");
      metrics.insert(m);
      const bool money = m == "gross" || m == "net" || m == "refunds" || m == "cancellations";
      auto value = [&](const std::string& s) { return money ? Minor(s) : Minor(s) / 100; };
      EXPECT_EQ(value(rs.at(k, "old_value")), money ? Minor(old_row[m]) : std::stoll(old_row[m])) << d << " " << m;
      EXPECT_EQ(value(rs.at(k, "new_value")), money ? Minor(new_row[m]) : std::stoll(new_row[m])) << d << " " << m;
      EXPECT_EQ(Minor(rs.at(k, "delta")), Minor(rs.at(k, "new_value")) - Minor(rs.at(k, "old_value")));
      EXPECT_EQ(rs.at(k, "run_id"), "2");
      EXPECT_EQ(rs.at(k, "late_events"), std::to_string(x["late_events"].Int()));
    }
    EXPECT_TRUE(metrics.count("net") && metrics.count("gross") && metrics.count("orders")) << d;
    for (const char* unchanged : {"refunds", "cancellations", "cancelled_orders", "refunded_orders"}) {
      EXPECT_EQ(metrics.count(unchanged), 0u) << d << " " << unchanged << " did not change";
    }

    // Versions: v1 valid from N1 to N2, v2 from N2, open.
    EXPECT_EQ(DumpQuery(db, "SELECT version, net, strftime(valid_from AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS vf, "
                            "coalesce(strftime(valid_to AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ'), 'open') AS vt "
                            "FROM daily_revenue_versions WHERE business_date = DATE '" + d + "'"),
              "version|net|vf|vt\n"
              "1|" + old_row["net"] + "|2025-01-10T00:00:00Z|2025-01-12T00:00:00Z\n"
              "2|" + new_row["net"] + "|2025-01-12T00:00:00Z|open\n");
    EXPECT_EQ(Scalar(db, "SELECT version FROM daily_revenue WHERE business_date = DATE '" + d + "'"), "2");
  }
  // (Closed days without events may hold zero rows; only the data's days here.)
  EXPECT_EQ(DumpQuery(db, "SELECT strftime(business_date, '%Y-%m-%d') AS d, version FROM daily_revenue "
                          "WHERE business_date <= DATE '2025-01-05'"),
            "d|version\n2025-01-01|1\n2025-01-02|2\n2025-01-03|2\n"
            "2025-01-04|1\n2025-01-05|1\n");
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM daily_revenue_versions WHERE business_date <= DATE '2025-01-05'"), 7);

  // --as-of: the old version before N2, the new one from N2.
  CmdResult asof_old = r.p.Daybook({"report", "--as-of", "2025-01-11T00:00:00Z", "--format", "csv"});
  ASSERT_EQ(asof_old.exit_code, 0) << asof_old;
  EXPECT_EQ(asof_old.out, r.before_csv);
  CmdResult asof_new = r.p.Daybook({"report", "--as-of", kN2, "--format", "csv"});
  ASSERT_EQ(asof_new.exit_code, 0) << asof_new;
  EXPECT_EQ(asof_new.out, r.after_csv);
  CmdResult asof_none = r.p.Daybook({"report", "--as-of", "2025-01-09T00:00:00Z", "--format", "csv"});
  ASSERT_EQ(asof_none.exit_code, 0) << asof_none;
  EXPECT_EQ(asof_none.out, std::string(kHeader) + "\n") << "nothing was published before N1";
  EXPECT_NE(r.before_csv, r.after_csv);
}

TEST(E2E, ReportByChannelSumsToDailyTotals) {
  Project p;
  GenResult gen;
  GenerateInto(p, &gen, {"--dup-rate", "0.02", "--late-rate", "0.02"});
  CmdResult run = p.Daybook({"--now", kNow, "run"});
  ASSERT_EQ(run.exit_code, 0) << run;
  CmdResult daily = p.Daybook({"report", "--format", "csv"});
  CmdResult by = p.Daybook({"report", "--by", "channel", "--format", "csv"});
  ASSERT_EQ(daily.exit_code, 0) << daily;
  ASSERT_EQ(by.exit_code, 0) << by;
  std::vector<std::string> blines = SplitLines(by.out);
  ASSERT_GE(blines.size(), 8u);
  EXPECT_EQ(blines[0], "business_date,channel,orders,cancelled_orders,refunded_orders,customers,gross,"
                       "cancellations,refunds,net,currency");
  struct Sum { int64_t orders = 0, cancelled = 0, refunded = 0, customers = 0, gross = 0, canc = 0, refunds = 0, net = 0; };
  std::map<std::string, Sum> sums;
  std::string prev;
  for (size_t i = 1; i < blines.size(); ++i) {
    std::vector<std::string> f = CsvFields(blines[i]);
    ASSERT_EQ(f.size(), 11u) << blines[i];
    EXPECT_LT(prev, f[0] + "," + f[1]) << "rows ascending by date and channel";
    prev = f[0] + "," + f[1];
    Sum& s = sums[f[0]];
    s.orders += std::stoll(f[2]);
    s.cancelled += std::stoll(f[3]);
    s.refunded += std::stoll(f[4]);
    s.customers += std::stoll(f[5]);
    s.gross += Minor(f[6]);
    s.canc += Minor(f[7]);
    s.refunds += Minor(f[8]);
    s.net += Minor(f[9]);
    EXPECT_EQ(Minor(f[9]), Minor(f[6]) - Minor(f[7]) - Minor(f[8])) << blines[i];
  }
  std::vector<std::string> dlines = SplitLines(daily.out);
  ASSERT_EQ(sums.size(), dlines.size() - 1);
  for (size_t i = 1; i < dlines.size(); ++i) {
    std::vector<std::string> f = CsvFields(dlines[i]);
    const Sum& s = sums[f[0]];
    EXPECT_EQ(s.orders, std::stoll(f[1])) << f[0];
    EXPECT_EQ(s.cancelled, std::stoll(f[2])) << f[0];
    EXPECT_GE(s.refunded, std::stoll(f[3])) << f[0];   // distinct counts may overlap across channels
    EXPECT_GE(s.customers, std::stoll(f[4])) << f[0];
    EXPECT_EQ(s.gross, Minor(f[5])) << f[0];
    EXPECT_EQ(s.canc, Minor(f[6])) << f[0];
    EXPECT_EQ(s.refunds, Minor(f[7])) << f[0];
    EXPECT_EQ(s.net, Minor(f[8])) << f[0];
  }
}

TEST(E2E, RebuildReproducesTheIncrementalModels) {
  Restated r;
  MakeRestatement(&r);
  // Plus order-level exclusions and an orphan that became included later.
  r.p.WriteLines("landing/orphans.jsonl", {
      R"({"event_id":"x-r1","event_type":"order_refunded","order_id":"x-o1","occurred_at":"2025-01-04T10:00:00Z","amount":"5.00","currency":"USD"})",
      R"({"event_id":"x-c2","event_type":"order_cancelled","order_id":"x-o2","occurred_at":"2025-01-04T11:00:00Z"})",
      R"({"event_id":"x-p3","event_type":"order_placed","order_id":"x-o3","occurred_at":"2025-01-04T09:00:00Z","customer_id":"xc","amount":"7.00","currency":"USD"})",
      R"({"event_id":"x-p3b","event_type":"order_placed","order_id":"x-o3","occurred_at":"2025-01-04T09:30:00Z","customer_id":"xc","amount":"8.00","currency":"USD"})"});
  ASSERT_EQ(r.p.Daybook({"--now", kN2, "run"}).exit_code, 0);
  r.p.WriteLines("landing/orders.jsonl", {
      R"({"event_id":"x-p1","event_type":"order_placed","order_id":"x-o1","occurred_at":"2025-01-03T10:00:00Z","customer_id":"xc","amount":"9.00","currency":"USD","channel":"web"})"});
  const std::string last_now = "2025-01-13T00:00:00Z";
  ASSERT_EQ(r.p.Daybook({"--now", last_now, "run"}).exit_code, 0);
  const std::string db = r.p.db();
  ASSERT_EQ(Scalar(db, "SELECT included FROM order_events WHERE event_id = 'x-r1'"), "true");

  const std::string metrics = "business_date, orders, cancelled_orders, refunded_orders, customers, gross, "
                              "cancellations, refunds, net";
  auto snapshot = [&] {
    return "fct_orders\n" + DumpTable(db, "fct_orders", {"updated_run_id"}) +
           "daily_revenue\n" + DumpQuery(db, "SELECT " + metrics + " FROM daily_revenue") +
           "daily_revenue_by_channel\n" + DumpQuery(db, "SELECT channel, " + metrics + " FROM daily_revenue_by_channel") +
           "order_events\n" + DumpQuery(db, "SELECT event_id, included, excluded_reason, reporting_amount FROM order_events");
  };
  auto publication = [&] {
    return DumpQuery(db, "SELECT business_date, version, published_at FROM daily_revenue") +
           DumpTable(db, "daily_revenue_versions") + DumpTable(db, "revenue_restatements");
  };
  const std::string before = snapshot(), pub_before = publication();
  // Same now as the last run: nothing new to publish, so everything must be equal.
  CmdResult rb = r.p.Daybook({"--now", last_now, "rebuild", "--json"});
  ASSERT_EQ(rb.exit_code, 0) << rb;
  EXPECT_EQ(Json::Parse(rb.out)["status"].Str(), "succeeded");
  const std::string after = snapshot();
  EXPECT_EQ(before, after) << DiffText(before, after);
  const std::string pub_after = publication();
  EXPECT_EQ(pub_before, pub_after) << "rebuild keeps publication state and versions\n" << DiffText(pub_before, pub_after);
  EXPECT_EQ(Scalar(db, "SELECT command FROM pipeline_runs ORDER BY run_id DESC LIMIT 1"), "rebuild");
  EXPECT_EQ(Json::Parse(rb.out)["batches"].Int(), 1);  // one partition holds them all

  // Derived a few events at a time (orders split by the top bits of their
  // key), the models are the same.
  const int64_t events = QueryInt(db, "SELECT count(*) FROM order_events");
  CmdResult parts = r.p.Daybook({"--now", last_now, "rebuild", "--partition-events", "3", "--json"});
  ASSERT_EQ(parts.exit_code, 0) << parts;
  const int64_t partitions = Json::Parse(parts.out)["batches"].Int();
  EXPECT_GE(partitions * 3, events);
  EXPECT_LT(partitions * 3, 2 * events) << "the fewest partitions of at most 3 events on average";
  EXPECT_EQ(Json::Parse(parts.out)["affected_orders"].Int(),
            QueryInt(db, "SELECT count(DISTINCT order_id) FROM order_events"));
  const std::string partitioned = snapshot();
  EXPECT_EQ(before, partitioned) << DiffText(before, partitioned);
  EXPECT_EQ(pub_before, publication());
  CmdResult zero = r.p.Daybook({"--now", last_now, "rebuild", "--partition-events", "0"});
  EXPECT_EQ(zero.exit_code, 2) << zero;
}

}  // namespace
}  // namespace e2e
