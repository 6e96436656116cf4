// Crash loop (issue 6): a multi-file load arrives file by file; every
// `daybook run` of it is SIGKILLed at random moments — timed kills anywhere
// in the process's life, and kills right after a named stage
// (DAYBOOK_CRASH_AFTER, including `commit`) — and restarted until it
// completes, then the next file arrives. After every kill the warehouse is
// exactly as after the last completed load or as after this one (never in
// between), and the accounting invariant holds over all runs. At the end
// the warehouse equals
//  - a clean, uninterrupted sequence of the same loads: every content table
//    (spec section 4 minus the logs), compared whole, without the columns
//    that name a run (a kill after COMMIT is followed by a no-op run, which
//    takes a run id of its own), and the summed accounting of the runs;
//  - and a clean single run over all the files: the same events, quarantine
//    rows, orders, daily and by-channel revenue, and manifest;
// with zero duplicated events and zero lost ones.
//
// DAYBOOK_CRASH_KILLS sets the number of kills (default 10; `make faulttest`
// runs 50). DAYBOOK_CRASH_SEED picks the random sequence (default fixed, so
// `make test` always kills the same way; `make faulttest` takes a fresh one
// and prints it). A failure message starts with the line that replays it.
// Timed kills replay the same delays; where they land still depends on the
// machine's speed, stage kills replay exactly.
#include <signal.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "e2e/harness.h"
#include "fault/process.h"
#include "fault/warehouse_state.h"

namespace e2e {
namespace {

constexpr const char* kNow = "2025-01-25T00:00:00Z";  // after every day's close: loads publish and restate
constexpr int kFiles = 5;

std::string Config() {
  return "warehouse:\n  path: wh.duckdb\n"
         "business:\n  timezone: Europe/Berlin\n  restatement_window_days: 3650\n"
         "fx:\n  rates: fx_rates.csv\n  max_staleness_days: 5\n"
         "sources:\n  - name: landing\n    type: files\n    path: landing/*.jsonl*\n"
         "quality:\n  max_drop_rate: 1\n  min_rows_per_run: 0\n";
}

// The load: generated events (duplicates, late events, bad lines, refunds,
// cancels) cut into kFiles files, two of them gzip.
std::vector<std::pair<std::string, std::string>> MakeFiles(const Project& p) {
  Gen(p, {"--orders", "1500", "--days", "6", "--start", "2025-01-10", "--seed", "5", "--dup-rate", "0.03",
          "--late-rate", "0.05", "--bad-rate", "0.01", "--refund-rate", "0.2", "--cancel-rate", "0.1", "--out",
          p.Path("gen.jsonl"), "--fx-out", p.Path("fx_rates.csv")});
  std::vector<std::string> lines = SplitLines(ReadFile(p.Path("gen.jsonl")));
  std::vector<std::pair<std::string, std::string>> files;
  for (int i = 0; i < kFiles; ++i) {
    const size_t from = lines.size() * i / kFiles, to = lines.size() * (i + 1) / kFiles;
    const std::vector<std::string> part(lines.begin() + static_cast<long>(from), lines.begin() + static_cast<long>(to));
    files.emplace_back("part-" + std::to_string(i) + (i % 2 ? ".jsonl.gz" : ".jsonl"), JoinLines(part));
  }
  return files;
}

void Deliver(const Project& p, const std::pair<std::string, std::string>& file) {
  if (file.first.ends_with(".gz")) {
    WriteGzip(p.Path("staging/" + file.first), file.second);
  } else {
    WriteFile(p.Path("staging/" + file.first), file.second);
  }
  // Appear whole, as a landing folder should see a file.
  std::filesystem::rename(p.Path("staging/" + file.first), p.Path("landing/" + file.first));
}

fault::Timed RunLanding(const Project& p, const std::string& db) {
  return fault::RunTimed({"--config", p.config(), "--db", db, "--now", kNow, "run", "--json"}, {}, p.dir(), 120);
}

// Tables that a single run over all files and a sequence of runs agree on
// (versions and restatements depend on how the load was cut into runs).
const std::vector<std::string> kSameForAnyBatching = {"order_events", "quarantine", "fct_orders",
                                                      "daily_revenue_by_channel", "loaded_files", "schema_drift"};

std::string BatchingFreeDump(const std::string& db) {
  std::map<std::string, std::vector<std::string>> ex = fault::RunColumns(db);
  std::string out = DumpTables(db, kSameForAnyBatching, ex);
  out += DumpQuery(db, "SELECT business_date, orders, cancelled_orders, refunded_orders, customers, gross, "
                       "cancellations, refunds, net FROM daily_revenue");
  return out;
}

TEST(CrashLoop, KilledAtRandomAndRestartedTheLoadEqualsACleanRun) {
  const long kills_wanted = fault::EnvInt("DAYBOOK_CRASH_KILLS", 10);
  const uint64_t seed = fault::SeedFromEnv("DAYBOOK_CRASH_SEED", 20250106);
  const std::string replay = "replay: DAYBOOK_CRASH_SEED=" + std::to_string(seed) +
                             " DAYBOOK_CRASH_KILLS=" + std::to_string(kills_wanted) +
                             " e2e_test --gtest_filter=CrashLoop.*";
  std::printf("[ crashloop] %s\n", replay.c_str());
  SCOPED_TRACE(replay);

  // One project, so that every warehouse sees the same file paths: first
  // the clean sequence (ref.duckdb), one run per arriving file, keeping its
  // state after each load and how long each run takes (to aim the timed
  // kills); then a clean single run over all files (single.duckdb); then
  // the crash loop (wh.duckdb) on an emptied landing folder.
  Project work(Config());
  const auto files = MakeFiles(work);
  const std::string ref_db = work.Path("ref.duckdb"), single_db = work.Path("single.duckdb");
  std::vector<fault::State> after_load = {fault::Capture(work.Path("none.duckdb"))};
  std::vector<double> seconds;
  for (const auto& f : files) {
    Deliver(work, f);
    fault::Timed t = RunLanding(work, ref_db);
    ASSERT_EQ(t.result.exit_code, 0) << t.result;
    seconds.push_back(t.result.seconds);
    after_load.push_back(fault::Capture(ref_db));
  }
  fault::Timed noop = RunLanding(work, ref_db);  // nothing new: how long a no-op run lives
  ASSERT_EQ(Json::Parse(noop.result.out)["files_skipped"].Int(), kFiles);
  seconds.push_back(noop.result.seconds);
  ASSERT_EQ(RunLanding(work, single_db).result.exit_code, 0);
  std::filesystem::remove_all(work.Path("landing"));
  std::filesystem::create_directories(work.Path("landing"));

  // The loop. Each load is attacked until its share of the kills is spent
  // or it is in (a run got past COMMIT before its kill); then a run is left
  // alone to complete it, and the next file arrives. Kills still owed at
  // the end go to runs with nothing new to load (they commit a run record
  // and publish days: a transaction all the same).
  const std::string db = work.db();
  std::mt19937_64 rng(seed);
  const std::vector<std::string>& stages = RunStages();
  long kills = 0, attempts = 0, finished_first = 0, past_commit = 0;
  auto attack = [&](int load) -> bool {  // one attempt; true when the load is in
    ++attempts;
    std::string how;
    Child c;
    const std::vector<std::string> args = {"--config", work.config(), "--db", db, "--now", kNow, "run", "--json"};
    if (rng() % 4 == 0) {  // right after a named stage
      const std::string& stage = stages[rng() % stages.size()];
      how = "DAYBOOK_CRASH_AFTER=" + stage;
      c = SpawnDaybook(args, {{"DAYBOOK_CRASH_AFTER", stage}}, work.dir(), work.Path("capture"));
    } else {  // at a random moment of the process's life
      // Most of a run's life is before its COMMIT (start-up, reading, the
      // transaction); the checks after it are short.
      const double span_ms = seconds[load] * 1000 * 0.8;
      const int delay_ms = static_cast<int>(rng() % static_cast<uint64_t>(span_ms + 1));
      how = "SIGKILL after " + std::to_string(delay_ms) + " ms";
      c = SpawnDaybook(args, {}, work.dir(), work.Path("capture"));
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      ::kill(c.pid, SIGKILL);
    }
    fault::Timed t = fault::WaitTimed(c, 120);
    SCOPED_TRACE("attempt " + std::to_string(attempts) + ": " + how);
    EXPECT_FALSE(t.timed_out) << t.result;
    if (t.result.term_signal == SIGKILL) {
      ++kills;
    } else {
      EXPECT_EQ(t.result.exit_code, 0) << "a run that was not killed completes" << t.result;
      ++finished_first;
    }
    // Before this load or after it: never anything in between.
    const int last = std::min(load + 1, kFiles);
    const fault::State now = fault::Capture(db);
    const bool before = now == after_load[load], after = now == after_load[last];
    EXPECT_TRUE(before || after) << "the warehouse is neither as before nor as after load " << load + 1 << "\n"
                                 << "accounting: " << now.accounting << "\n  before: " << after_load[load].accounting
                                 << "\n  after:  " << after_load[last].accounting << "\n"
                                 << fault::Diff(ref_db, db);
    EXPECT_EQ(fault::AccountingProblems(db), "");
    past_commit += after && !before && t.result.term_signal == SIGKILL;
    return after;
  };
  for (int i = 0; i < kFiles; ++i) {
    SCOPED_TRACE("load " + std::to_string(i + 1) + " of " + std::to_string(kFiles) + " (" + files[i].first + ")");
    Deliver(work, files[i]);
    const long share = (kills_wanted - kills + (kFiles - i) - 1) / (kFiles - i);
    const long target = kills + share;
    while (kills < target) {
      if (attack(i)) break;
      if (HasFailure()) return;
    }
    // Then it is left alone and completes.
    fault::Timed done = RunLanding(work, db);
    ASSERT_EQ(done.result.exit_code, 0) << done.result;
    ASSERT_EQ(fault::Capture(db), after_load[i + 1]) << fault::Diff(ref_db, db);
  }
  while (kills < kills_wanted && !HasFailure()) attack(kFiles);
  std::printf("[ crashloop] %ld kills in %ld attempts over %d loads (%ld runs killed after their COMMIT, %ld finished "
              "before their kill)\n",
              kills, attempts, kFiles, past_commit, finished_first);
  EXPECT_GE(kills, kills_wanted);

  // Every content table as the clean sequence left it ...
  EXPECT_EQ(fault::Capture(db), fault::Capture(ref_db)) << fault::Diff(ref_db, db);
  // ... and as a clean single run over all files.
  const std::string one = BatchingFreeDump(single_db), looped = BatchingFreeDump(db);
  EXPECT_EQ(one, looped) << DiffText(one, looped);
  // Zero duplicates, zero loss: every line of every file is accounted for
  // exactly once.
  EXPECT_EQ(fault::AccountingProblems(db), "");
  int64_t lines = 0;
  for (const auto& f : files) lines += static_cast<int64_t>(SplitLines(f.second).size());
  EXPECT_EQ(QueryInt(db, "SELECT sum(rows_read) FROM loaded_files"), lines);
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM loaded_files"), kFiles);
  EXPECT_EQ(Scalar(db, "SELECT count(*) FROM order_events"), Scalar(single_db, "SELECT count(*) FROM order_events"));
}

}  // namespace
}  // namespace e2e
