// Crash: a run is one transaction (spec §3). SIGKILL after each stage
// (DAYBOOK_CRASH_AFTER) and at random moments of a large run leaves the
// warehouse exactly as before the run; the lock file does not block the
// re-run, which then completes; the result equals a clean uninterrupted run.
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "e2e/harness.h"

namespace e2e {
namespace {

constexpr const char* kNow = "2025-01-25T00:00:00Z";

// Copies a warehouse (and its WAL, if DuckDB left one) to a fresh folder.
void CopyWarehouse(const std::string& from, const std::string& to) {
  std::filesystem::create_directories(std::filesystem::path(to).parent_path());
  CopyFile(from, to);
  if (Exists(from + ".wal")) CopyFile(from + ".wal", to + ".wal");
}

// A base warehouse (a first run already loaded) and the next batch: the
// generated stream split in two, so the batch carries follow-ups of base
// orders (re-derived orders, restated published days) as well as new ones.
struct CrashSetup {
  Project p;
  std::string base_db, batch, config_args;
  std::string batch_events;  // --batch-events of the batch's run, if set
};

void MakeSetup(CrashSetup* s, const std::string& orders, const std::string& days, double base_share) {
  Gen(s->p, {"--orders", orders, "--days", days, "--start", "2025-01-01", "--seed", "21", "--dup-rate", "0.03",
             "--late-rate", "0.03", "--bad-rate", "0.005", "--refund-rate", "0.2", "--cancel-rate", "0.1", "--out",
             s->p.Path("gen.jsonl"), "--fx-out", s->p.Path("fx_rates.csv")});
  std::vector<std::string> lines = SplitLines(ReadFile(s->p.Path("gen.jsonl")));
  const size_t cut = static_cast<size_t>(static_cast<double>(lines.size()) * base_share);
  s->p.WriteLines("in/base.jsonl", {lines.begin(), lines.begin() + static_cast<long>(cut)});
  s->p.WriteLines("in/batch.jsonl", {lines.begin() + static_cast<long>(cut), lines.end()});
  s->batch = s->p.Path("in/batch.jsonl");
  s->base_db = s->p.Path("base/wh.duckdb");
  WriteFile(s->p.Path("base/.keep"), "");
  CmdResult r = s->p.Daybook({"--db", s->base_db, "--now", kNow, "run", "--max-drop-rate", "1", "--input",
                              s->p.Path("in/base.jsonl")});
  if (r.exit_code != 0) {
    ADD_FAILURE() << "base run failed" << r;
    throw std::runtime_error("base run failed");
  }
}

CmdResult RunBatch(const CrashSetup& s, const std::string& db, const Env& env = {}) {
  std::vector<std::string> args = {"--db", db, "--now", kNow, "run", "--json", "--max-drop-rate", "1"};
  if (!s.batch_events.empty()) args.insert(args.end(), {"--batch-events", s.batch_events});
  args.insert(args.end(), {"--input", s.batch});
  return s.p.Daybook(args, env);
}

// Kills the batch's run after each of `stages` in copies of the base
// warehouse: the warehouse is as before, and the re-run equals the clean run.
void ExpectAKillAfterAnyStageLeavesTheWarehouseAsBefore(CrashSetup& s, const std::vector<std::string>& stages,
                                                         const std::string& reference) {
  for (const std::string& stage : stages) {
    if (stage == "commit") continue;
    SCOPED_TRACE("DAYBOOK_CRASH_AFTER=" + stage);
    const std::string db = s.p.Path("crash-" + stage + "/wh.duckdb");
    CopyWarehouse(s.base_db, db);
    const std::string before = DumpAll(db, false);

    CmdResult crashed = RunBatch(s, db, {{"DAYBOOK_CRASH_AFTER", stage}});
    EXPECT_EQ(crashed.term_signal, SIGKILL) << crashed;
    const std::string after = DumpAll(db, false);
    EXPECT_EQ(before, after) << DiffText(before, after);

    CmdResult rerun = RunBatch(s, db);
    EXPECT_NE(rerun.exit_code, 3) << "a dead writer's lock file must not block" << rerun;
    ASSERT_EQ(rerun.exit_code, 0) << rerun;
    const std::string final_state = DumpAll(db, true);
    EXPECT_EQ(reference, final_state) << DiffText(reference, final_state);
  }
}

TEST(Crash, KillAfterEachStageLeavesTheWarehouseAsBefore) {
  CrashSetup s;
  MakeSetup(&s, "2500", "6", 0.6);
  // The clean run, for reference.
  const std::string ref_db = s.p.Path("ref/wh.duckdb");
  CopyWarehouse(s.base_db, ref_db);
  CmdResult clean = RunBatch(s, ref_db);
  ASSERT_EQ(clean.exit_code, 0) << clean;
  Json jc = Json::Parse(clean.out);
  ASSERT_GT(jc["restated_days"].Int(), 0) << "the batch should restate published days";
  ASSERT_GT(jc["quarantined"].Int(), 0);
  ExpectAKillAfterAnyStageLeavesTheWarehouseAsBefore(s, RunStages(), DumpAll(ref_db, true));
}

// The same for a run into history read in many batches: after its first
// batch it derives the stored orders it touches again at the end
// (`cross_batch_orders`), reading earlier runs' events through a second
// connection.
TEST(Crash, KillDuringABatchedRunIntoHistoryLeavesTheWarehouseAsBefore) {
  CrashSetup s;
  MakeSetup(&s, "600", "5", 0.6);
  s.batch_events = "61";
  const std::string ref_db = s.p.Path("ref/wh.duckdb");
  CopyWarehouse(s.base_db, ref_db);
  CmdResult clean = RunBatch(s, ref_db);
  ASSERT_EQ(clean.exit_code, 0) << clean;
  ASSERT_GT(Json::Parse(clean.out)["batches"].Int(), 3);
  ASSERT_NE(clean.out.find("\"cross_batch_orders\""), std::string::npos) << "orders should be derived again";
  std::vector<std::string> stages = RunStages();
  stages.insert(std::find(stages.begin(), stages.end(), "daily_revenue"), "cross_batch_orders");
  ExpectAKillAfterAnyStageLeavesTheWarehouseAsBefore(s, stages, DumpAll(ref_db, true));
}

// A first load read in many batches (one transaction): killed after any
// stage, including those that run once per batch, it leaves no event, order
// or run behind, and the re-run equals a run that was never killed. From a
// plain file, an order whose lines span batches is held until the batch of
// its last line and derived once (`order_spans`, decision 60); from the same
// lines gzipped (not scanned), it is derived with each batch and again from
// all its events at the end (`cross_batch_orders`). Both ways are tested.
// A first load of 600 orders over 5 days with every kind of fault, read
// 97 lines at a time, in all.jsonl and all.jsonl.gz.
void GenBatchedFirstLoad(Project& p) {
  Gen(p, {"--orders", "600", "--days", "5", "--start", "2025-01-01", "--seed", "22", "--dup-rate", "0.03",
          "--late-rate", "0.03", "--bad-rate", "0.005", "--refund-rate", "0.3", "--cancel-rate", "0.1", "--out",
          p.Path("all.jsonl"), "--fx-out", p.Path("fx_rates.csv")});
  WriteGzip(p.Path("all.jsonl.gz"), ReadFile(p.Path("all.jsonl")));
}
const std::vector<std::string> kFirstLoadInputs = {"all.jsonl", "all.jsonl.gz"};
bool Gzipped(const std::string& input) { return input.size() > 3 && input.substr(input.size() - 3) == ".gz"; }

CmdResult RunBatchedFirstLoad(Project& p, const std::string& input, const std::string& db, const Env& env) {
  return p.Daybook({"--db", db, "--now", kNow, "run", "--json", "--max-drop-rate", "1", "--batch-events", "97",
                    "--input", p.Path(input)},
                   env);
}
// The same load run undisturbed into ref-<input>/wh.duckdb, the reference;
// checks which way its orders spanning batches were derived.
void RunReferenceFirstLoad(Project& p, const std::string& input, std::string* ref_db) {
  *ref_db = p.Path("ref-" + input + "/wh.duckdb");
  WriteFile(p.Path("ref-" + input + "/.keep"), "");
  CmdResult clean = RunBatchedFirstLoad(p, input, *ref_db, {});
  ASSERT_EQ(clean.exit_code, 0) << clean;
  Json j = Json::Parse(clean.out);
  ASSERT_GT(j["batches"].Int(), 3);
  ASSERT_NE(clean.out.find("\"order_spans\""), std::string::npos);
  if (Gzipped(input)) {
    ASSERT_GT(j["orders_rederived"].Int(), 0) << "orders should span batches";
    ASSERT_NE(clean.out.find("\"cross_batch_orders\""), std::string::npos);
    ASSERT_EQ(j["daily_metrics"].Str(), "aggregated") << "orders derived twice: the tally does not hold";
  } else {
    ASSERT_EQ(j["orders_rederived"].Int(), 0) << "orders spanning batches should be held, not derived twice";
    ASSERT_EQ(clean.out.find("\"cross_batch_orders\""), std::string::npos);
    ASSERT_EQ(j["daily_metrics"].Str(), "tallied") << "every order derived once: the daily metrics are tallied";
  }
}
std::vector<std::string> FirstLoadStages(const std::string& input) {
  std::vector<std::string> stages = RunStages();
  stages.insert(stages.begin() + 2, "order_spans");
  if (Gzipped(input)) stages.insert(std::find(stages.begin(), stages.end(), "daily_revenue"), "cross_batch_orders");
  return stages;
}

TEST(Crash, KillDuringABatchedFirstLoadLeavesNothing) {
  Project p;
  GenBatchedFirstLoad(p);
  for (const std::string& input : kFirstLoadInputs) {
    SCOPED_TRACE(input);
    auto run = [&](const std::string& db, const Env& env) { return RunBatchedFirstLoad(p, input, db, env); };
    std::string ref_db;
    ASSERT_NO_FATAL_FAILURE(RunReferenceFirstLoad(p, input, &ref_db));
    const std::string reference = DumpAll(ref_db, true);
    for (const std::string& stage : FirstLoadStages(input)) {
      if (stage == "commit") continue;
      SCOPED_TRACE("DAYBOOK_CRASH_AFTER=" + stage);
      const std::string dir = p.Path("crash-" + input + "-" + stage);
      const std::string db = dir + "/wh.duckdb";
      WriteFile(dir + "/.keep", "");
      CmdResult crashed = run(db, {{"DAYBOOK_CRASH_AFTER", stage}});
      EXPECT_EQ(crashed.term_signal, SIGKILL) << crashed;
      if (Exists(db)) {
        EXPECT_EQ(DumpQuery(db, "SELECT (SELECT count(*) FROM order_events) + (SELECT count(*) FROM fct_orders) + "
                                "(SELECT count(*) FROM quarantine) + (SELECT count(*) FROM pipeline_runs) AS n"),
                  "n\n0\n");
      }
      CmdResult rerun = run(db, {});
      ASSERT_EQ(rerun.exit_code, 0) << rerun;
      const std::string final_state = DumpAll(db, true);
      EXPECT_EQ(reference, final_state) << DiffText(reference, final_state);
    }
  }
}

// Holding an order longer than its lines need is safe: with every order
// that spans batches held past the last batch (a test hook), all of them
// are derived after it, and the warehouse is the one a plain run builds.
TEST(BatchedFirstLoad, OrdersHeldPastTheLastBatchAreDerivedAfterIt) {
  Project p;
  GenBatchedFirstLoad(p);
  std::string ref_db;
  ASSERT_NO_FATAL_FAILURE(RunReferenceFirstLoad(p, "all.jsonl", &ref_db));
  const std::string db = p.Path("held/wh.duckdb");
  WriteFile(p.Path("held/.keep"), "");
  CmdResult held = RunBatchedFirstLoad(p, "all.jsonl", db, {{"DAYBOOK_TEST_HOLD_EXTRA_BATCHES", "1000"}});
  ASSERT_EQ(held.exit_code, 0) << held;
  EXPECT_EQ(Json::Parse(held.out)["orders_rederived"].Int(), 0);
  const std::string reference = DumpAll(ref_db, true), got = DumpAll(db, true);
  EXPECT_EQ(reference, got) << DiffText(reference, got);
}

// A first load's daily metrics tallied in memory as its orders are derived
// (the plain file: each order derived once, decision 61) equal those
// aggregated from order_events in SQL (the same lines gzipped: orders
// derived twice, so the tally is not used), day by day and by channel,
// published versions included; and the reconciliation check, which
// recomputes daily_revenue from order_events, passes on both.
TEST(BatchedFirstLoad, TalliedDailyMetricsEqualTheSqlAggregation) {
  Project p;
  GenBatchedFirstLoad(p);
  const std::string daily =
      "SELECT 'day' AS t, business_date, NULL AS channel, orders, cancelled_orders, refunded_orders, customers, "
      "gross, cancellations, refunds, net, version, published_at, updated_at FROM daily_revenue "
      "UNION ALL SELECT 'channel', business_date, channel, orders, cancelled_orders, refunded_orders, customers, "
      "gross, cancellations, refunds, net, NULL, NULL, updated_at FROM daily_revenue_by_channel "
      "UNION ALL SELECT 'version', business_date, NULL, orders, cancelled_orders, refunded_orders, customers, "
      "gross, cancellations, refunds, net, version, valid_from, valid_to FROM daily_revenue_versions "
      "ORDER BY ALL";
  std::string dumps[2];
  for (size_t k = 0; k < kFirstLoadInputs.size(); ++k) {
    SCOPED_TRACE(kFirstLoadInputs[k]);
    std::string db;
    ASSERT_NO_FATAL_FAILURE(RunReferenceFirstLoad(p, kFirstLoadInputs[k], &db));  // tallied, then aggregated
    dumps[k] = DumpQuery(db, daily);
    EXPECT_EQ(DumpQuery(db, "SELECT DISTINCT status FROM check_results "
                            "WHERE model = 'daily_revenue' AND check_name = 'reconciliation'"),
              "status\npass\n");
  }
  ASSERT_GT(std::count(dumps[0].begin(), dumps[0].end(), '\n'), 10) << dumps[0];
  EXPECT_EQ(dumps[1], dumps[0]) << DiffText(dumps[1], dumps[0]);
}

// The writer thread stores each batch while the next one is derived: a
// write that fails there fails the run (exit 1, the error named) once the
// write is over; nothing of it is committed but the failed run's record,
// and the re-run loads what a run that never failed loads — the same data
// whichever way the orders spanning batches were derived.
TEST(Crash, AFailedBatchWriteFailsTheRunAndCommitsNothing) {
  Project p;
  GenBatchedFirstLoad(p);
  // What the data says, without run ids (the re-run is run 2) or file names.
  const std::string data_query =
      "SELECT (SELECT count(*) FROM order_events) AS events, (SELECT count(*) FROM fct_orders) AS orders, "
      "(SELECT count(*) FROM quarantine) AS quarantined, (SELECT sum(net_reporting) FROM fct_orders) AS net, "
      "(SELECT string_agg(business_date || ':' || orders || ':' || net, ',' ORDER BY business_date) "
      " FROM daily_revenue) AS days";
  std::string first_reference;
  for (const std::string& input : kFirstLoadInputs) {
    SCOPED_TRACE(input);
    auto run = [&](const std::string& db, const Env& env) { return RunBatchedFirstLoad(p, input, db, env); };
    std::string ref_db;
    ASSERT_NO_FATAL_FAILURE(RunReferenceFirstLoad(p, input, &ref_db));
    const std::string reference = DumpQuery(ref_db, data_query);
    if (first_reference.empty()) first_reference = reference;
    EXPECT_EQ(reference, first_reference) << "the plain and the gzipped file load different data";
    for (const char* batch : {"1", "3"}) {
      SCOPED_TRACE(std::string("DAYBOOK_TEST_FAIL_WRITE=") + batch);
      const std::string dir = p.Path("fail-" + input + "-" + batch);
      WriteFile(dir + "/.keep", "");
      const std::string db = dir + "/wh.duckdb";
      CmdResult failed = run(db, {{"DAYBOOK_TEST_FAIL_WRITE", batch}});
      EXPECT_EQ(failed.exit_code, 1) << failed;
      EXPECT_NE(failed.err.find(std::string("the write of batch ") + batch + " failed"), std::string::npos) << failed;
      EXPECT_EQ(DumpQuery(db, "SELECT (SELECT count(*) FROM order_events) + (SELECT count(*) FROM fct_orders) + "
                              "(SELECT count(*) FROM quarantine) AS n, "
                              "(SELECT string_agg(status, ',') FROM pipeline_runs) AS runs"),
                "n|runs\n0|failed\n");
      CmdResult rerun = run(db, {});
      ASSERT_EQ(rerun.exit_code, 0) << rerun;
      EXPECT_EQ(DumpQuery(db, data_query), reference);
    }
  }
}

TEST(Crash, KillAfterCommitKeepsTheCompletedRun) {
  CrashSetup s;
  MakeSetup(&s, "800", "5", 0.6);
  const std::string ref_db = s.p.Path("ref/wh.duckdb");
  CopyWarehouse(s.base_db, ref_db);
  ASSERT_EQ(RunBatch(s, ref_db).exit_code, 0);
  // Killed right after COMMIT: the data and the run record are there; the
  // checks and alerts that follow a commit never ran (the next run's do).
  std::vector<std::string> tables = DataTables();
  tables.push_back("pipeline_runs");
  const std::map<std::string, std::vector<std::string>> timing = {{"pipeline_runs", {"duration_ms", "stage_ms"}}};
  const std::string reference = DumpTables(ref_db, tables, timing);

  const std::string db = s.p.Path("crash-commit/wh.duckdb");
  CopyWarehouse(s.base_db, db);
  CmdResult crashed = RunBatch(s, db, {{"DAYBOOK_CRASH_AFTER", "commit"}});
  EXPECT_EQ(crashed.term_signal, SIGKILL) << crashed;
  const std::string after = DumpTables(db, tables, timing);
  EXPECT_EQ(reference, after) << DiffText(reference, after);
  // The file is in the manifest: the re-run reads nothing.
  CmdResult rerun = RunBatch(s, db);
  ASSERT_EQ(rerun.exit_code, 0) << rerun;
  EXPECT_EQ(Json::Parse(rerun.out)["rows_read"].Int(), 0);
  EXPECT_EQ(Json::Parse(rerun.out)["files_skipped"].Int(), 1);
}

// Big tables compared by digest, the rest in full. The check and alert
// logs are left out: they are written after the commit, outside the run's
// transaction, so a kill between the commit and them is a complete run
// whose checks simply run again next time.
struct State {
  std::string digests, tables;
  bool operator==(const State&) const = default;
};

State Capture(const std::string& db, bool timing_free) {
  State s;
  for (const char* big : {"order_events", "fct_orders", "quarantine"}) {
    s.digests += std::string(big) + " " + TableDigest(db, big) + "\n";
  }
  std::vector<std::string> rest;
  for (const auto& t : DataTables()) {
    if (t != "order_events" && t != "fct_orders" && t != "quarantine") rest.push_back(t);
  }
  rest.push_back("pipeline_runs");
  std::map<std::string, std::vector<std::string>> ex;
  if (timing_free) ex["pipeline_runs"] = {"duration_ms", "stage_ms"};
  s.tables = DumpTables(db, rest, ex);
  return s;
}

TEST(Crash, RandomKillsDuringALargeRunLeaveBeforeOrAfter) {
  CrashSetup s;
  MakeSetup(&s, "185000", "14", 0.05);  // ~200k events; the killed run reads ~95% of them
  const std::string ref_db = s.p.Path("ref/wh.duckdb");
  CopyWarehouse(s.base_db, ref_db);
  CmdResult clean = RunBatch(s, ref_db);
  ASSERT_EQ(clean.exit_code, 0) << clean;
  ASSERT_GT(Json::Parse(clean.out)["accepted"].Int(), 150000);
  const int64_t run_ms = static_cast<int64_t>(clean.seconds * 1000);
  const State reference = Capture(ref_db, true);
  const State base_state = Capture(s.base_db, false);

  const uint64_t seeds[] = {1, 2, 3};
  for (uint64_t seed : seeds) {
    std::mt19937_64 rng(seed);
    const int64_t delay_ms = 20 + static_cast<int64_t>(rng() % static_cast<uint64_t>(std::max<int64_t>(run_ms - 20, 1)));
    SCOPED_TRACE("seed " + std::to_string(seed) + " (std::mt19937_64): SIGKILL after " + std::to_string(delay_ms) +
                 " ms of a " + std::to_string(run_ms) + " ms run");
    const std::string dir = s.p.Path("kill" + std::to_string(seed));
    const std::string db = dir + "/wh.duckdb";
    CopyWarehouse(s.base_db, db);

    Child c = SpawnDaybook({"--config", s.p.config(), "--db", db, "--now", kNow, "run", "--json", "--max-drop-rate",
                            "1", "--input", s.batch},
                           {}, s.p.dir(), dir + "/capture");
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ::kill(c.pid, SIGKILL);
    CmdResult killed = WaitDaybook(c);
    if (killed.term_signal != SIGKILL) {
      EXPECT_EQ(killed.exit_code, 0) << "finished before the kill" << killed;
    }
    // Killed: exactly before the run, or (if the kill landed after COMMIT) after it.
    const State after_exact = Capture(db, false), after_timing_free = Capture(db, true);
    const bool is_before = after_exact == base_state, is_after = after_timing_free == reference;
    EXPECT_TRUE(is_before || is_after) << "neither before nor after the run\n"
                                       << DiffText(base_state.tables, after_exact.tables)
                                       << DiffText(base_state.digests, after_exact.digests);

    std::printf("[ crash    ] seed %llu: SIGKILL at %lld ms of %lld ms: warehouse %s\n",
                static_cast<unsigned long long>(seed), static_cast<long long>(delay_ms),
                static_cast<long long>(run_ms), is_before ? "as before the run" : is_after ? "as after the run" : "BROKEN");

    CmdResult rerun = RunBatch(s, db);
    EXPECT_NE(rerun.exit_code, 3) << "a dead writer's lock file must not block" << rerun;
    ASSERT_EQ(rerun.exit_code, 0) << rerun;
    const State final_state = Capture(db, true);
    if (is_after) {
      EXPECT_EQ(Json::Parse(rerun.out)["rows_read"].Int(), 0) << "the completed run's file is in the manifest";
      EXPECT_EQ(final_state.digests, reference.digests);
    } else {
      EXPECT_TRUE(final_state == reference) << DiffText(reference.tables, final_state.tables)
                                            << DiffText(reference.digests, final_state.digests);
    }
  }
}

}  // namespace
}  // namespace e2e
