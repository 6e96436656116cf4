// Unusable environment (issue 6): an input that cannot be read, a missing FX
// file, a warehouse file that is not DuckDB or not Daybook's or from a newer
// Daybook, a read-only warehouse folder, a bad daybook.yml, a time zone that
// does not exist. Each is exit 2 with ONE clear line naming the file and the
// problem, and nothing is written: a fresh project gets no warehouse file,
// an existing warehouse keeps exactly its content (every table).
//
// And a full disk (a small tmpfs, filled at several points of a run): the
// run fails with exit 1 and a line saying the disk is full, no partial batch
// is visible, and after space is freed the re-run completes and equals a
// clean run. Mounting needs root or CAP_SYS_ADMIN; elsewhere those tests
// skip and say why.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "e2e/harness.h"
#include "fault/process.h"
#include "fault/tmpfs.h"
#include "fault/warehouse_state.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNow = "2025-01-20T00:00:00Z";
constexpr double kDeadline = 60;

const std::string kEvent =
    R"({"event_id":"e1","event_type":"order_placed","order_id":"o1","occurred_at":"2025-01-02T10:00:00Z","customer_id":"c","amount":"10.00","currency":"USD"})";

// Exit 2, exactly one non-empty stderr line, containing every word.
void ExpectOneLineExit2(const fault::Timed& t, const std::vector<std::string>& words) {
  const CmdResult& r = t.result;
  ASSERT_FALSE(t.timed_out) << "no hang" << r;
  EXPECT_EQ(r.exit_code, 2) << r;
  const std::vector<std::string> lines = fault::ErrorLines(r);
  EXPECT_EQ(lines.size(), 1u) << "one clear line" << r;
  for (const auto& w : words) EXPECT_NE(r.err.find(w), std::string::npos) << "stderr should name '" << w << "'" << r;
}

fault::Timed Daybook(const Project& p, std::vector<std::string> args) {
  std::vector<std::string> all = {"--config", p.config(), "--now", kNow};
  all.insert(all.end(), args.begin(), args.end());
  return fault::RunTimed(all, {}, p.dir(), kDeadline);
}

// A project whose warehouse already holds one run.
void LoadOnce(const Project& p) {
  p.WriteLines("landing/a.jsonl", {kEvent});
  fault::Timed t = Daybook(p, {"run"});
  ASSERT_EQ(t.result.exit_code, 0) << t.result;
}

bool RunningAsRoot() { return ::geteuid() == 0; }

// ------------------------------------------------------------ inputs

// A FIFO matched by the source's glob used to block the run forever in
// open(2) (holding the writer lock); /dev/zero was read forever; a folder
// given as --input; a file without read permission (not testable as root).
TEST(Environment, UnreadableInputStopsTheRunWithOneLineNamingIt) {
  {
    Project p;
    const std::string fifo = p.Path("landing/pipe.jsonl");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
    ExpectOneLineExit2(Daybook(p, {"run"}), {fifo, "FIFO"});
  }
  {
    Project p;
    ExpectOneLineExit2(Daybook(p, {"run", "--input", "/dev/zero"}), {"/dev/zero", "not a regular file"});
  }
  {
    Project p;
    fs::create_directories(p.Path("in/day.jsonl"));
    ExpectOneLineExit2(Daybook(p, {"run", "--input", p.Path("in/day.jsonl")}), {p.Path("in/day.jsonl"), "directory"});
  }
  if (!RunningAsRoot()) {
    Project p;
    p.WriteLines("landing/a.jsonl", {kEvent});
    ::chmod(p.Path("landing/a.jsonl").c_str(), 0);
    ExpectOneLineExit2(Daybook(p, {"run"}), {p.Path("landing/a.jsonl"), "Permission denied"});
  }
}

// Nothing is written when an input cannot be read: no warehouse file in a
// fresh project, no new row in an existing one.
TEST(Environment, UnreadableInputWritesNothing) {
  {
    Project p;
    ASSERT_EQ(::mkfifo(p.Path("landing/pipe.jsonl").c_str(), 0644), 0);
    ExpectOneLineExit2(Daybook(p, {"run"}), {"pipe.jsonl"});
    EXPECT_FALSE(Exists(p.db())) << "the input is checked before the warehouse is created";
  }
  {
    Project p;
    LoadOnce(p);
    const std::string before = DumpAll(p.db(), false);
    ExpectOneLineExit2(Daybook(p, {"run", "--input", "/dev/zero"}), {"/dev/zero"});
    const std::string after = DumpAll(p.db(), false);
    EXPECT_EQ(before, after) << "an existing warehouse is not touched\n" << DiffText(before, after);
  }
}

// ------------------------------------------------------------ FX file

TEST(Environment, MissingOrUnreadableFxFileWritesNothing) {
  Project p;
  LoadOnce(p);
  const std::string before = DumpAll(p.db(), false);
  struct Case {
    std::string yaml_rates, file, word;
  };
  fs::create_directories(p.Path("fx_dir.csv"));
  p.Write("fx_binary.csv", std::string("\x89PNG\r\n\x1a\n\0\0\0", 11));
  for (const Case& c : {Case{"nope.csv", p.Path("nope.csv"), "nope.csv"},
                        Case{"fx_dir.csv", p.Path("fx_dir.csv"), "fx_dir.csv"},
                        Case{"fx_binary.csv", p.Path("fx_binary.csv"), "fx_binary.csv"}}) {
    SCOPED_TRACE(c.yaml_rates);
    p.Write("daybook.yml", "warehouse:\n  path: wh.duckdb\nfx:\n  rates: " + c.yaml_rates +
                               "\nsources:\n  - name: landing\n    type: files\n    path: landing/*.jsonl*\n");
    ExpectOneLineExit2(Daybook(p, {"run"}), {c.word});
  }
  const std::string after = DumpAll(p.db(), false);
  EXPECT_EQ(before, after) << DiffText(before, after);
}

// ------------------------------------------------------------ the warehouse file

TEST(Environment, WarehouseThatIsNotDuckDbIsRefusedUntouched) {
  std::mt19937 rng(6);
  std::string random(64 * 1024, '\0');
  for (char& c : random) c = static_cast<char>(rng());
  const std::vector<std::pair<std::string, std::string>> files = {
      {"random bytes", random},
      {"text", "hello, this is not a database\n"},
      {"SQLite", std::string("SQLite format 3\0", 16) + std::string(4080, '\0')},
      {"gzip", std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00", 20)},
  };
  for (const auto& [what, bytes] : files) {
    SCOPED_TRACE(what);
    Project p;
    p.WriteLines("landing/a.jsonl", {kEvent});
    p.Write("wh.duckdb", bytes);
    for (const std::vector<std::string>& cmd : std::vector<std::vector<std::string>>{
             {"run"}, {"report", "--format", "csv"}, {"sql", "SELECT 1"}, {"status"}}) {
      SCOPED_TRACE(cmd[0]);
      ExpectOneLineExit2(Daybook(p, cmd), {p.db(), "not a valid DuckDB database"});
    }
    EXPECT_EQ(ReadFile(p.db()), bytes) << "the file is left exactly as it was";
    EXPECT_FALSE(Exists(p.db() + ".wal"));
  }
}

TEST(Environment, DuckDbFileThatIsNotAWarehouseIsRefusedUntouched) {
  Project p;
  p.WriteLines("landing/a.jsonl", {kEvent});
  fault::ExecReadWrite(p.db(), "CREATE TABLE customers (id INTEGER, name VARCHAR); INSERT INTO customers VALUES (1, 'Ada')");
  const std::string before = DumpQuery(p.db(), "SELECT * FROM customers");
  ExpectOneLineExit2(Daybook(p, {"run"}), {p.db(), "not a Daybook warehouse"});
  EXPECT_EQ(DumpQuery(p.db(), "SELECT * FROM customers"), before);
  EXPECT_EQ(QueryInt(p.db(), "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main'"), 1)
      << "no Daybook table was created in someone else's database";
}

TEST(Environment, WarehouseFromANewerDaybookIsRefusedUntouched) {
  Project p;
  LoadOnce(p);
  fault::ExecReadWrite(p.db(), "UPDATE daybook_meta SET value = '999' WHERE key = 'schema_version'");
  const std::string before = DumpAll(p.db(), false);
  p.WriteLines("landing/b.jsonl", {R"({"event_id":"e2","event_type":"order_placed","order_id":"o2","occurred_at":"2025-01-02T11:00:00Z","customer_id":"c","amount":"5.00","currency":"USD"})"});
  ExpectOneLineExit2(Daybook(p, {"run"}), {p.db(), "newer Daybook", "999"});
  ExpectOneLineExit2(Daybook(p, {"report"}), {p.db(), "newer Daybook"});
  const std::string after = DumpAll(p.db(), false);
  EXPECT_EQ(before, after) << DiffText(before, after);
  EXPECT_EQ(Scalar(p.db(), "SELECT value FROM daybook_meta WHERE key = 'schema_version'"), "999");
}

// ------------------------------------------------------------ read-only folder

TEST(Environment, ReadOnlyWarehouseFolderIsExit2AndWritesNothing) {
  Project p;
  p.WriteLines("landing/a.jsonl", {kEvent});
  const std::string folder = p.Path("ro");
  fault::Tmpfs mnt(folder, 16 << 20);
  const std::string db = folder + "/wh.duckdb";
  if (mnt.ok()) {
    ASSERT_EQ(Daybook(p, {"--db", db, "run"}).result.exit_code, 0);
    mnt.SetReadOnly(true);
  } else if (!RunningAsRoot()) {
    ASSERT_EQ(Daybook(p, {"--db", db, "run"}).result.exit_code, 0);
    ::chmod(folder.c_str(), 0555);
  } else {
    GTEST_SKIP() << mnt.why();
  }
  const std::string before = DumpAll(db, false);
  p.WriteLines("landing/b.jsonl", {R"({"event_id":"e2","event_type":"order_placed","order_id":"o2","occurred_at":"2025-01-02T11:00:00Z","customer_id":"c","amount":"5.00","currency":"USD"})"});
  ExpectOneLineExit2(Daybook(p, {"--db", db, "run"}), {folder, mnt.ok() ? "Read-only file system" : "Permission denied"});
  ExpectOneLineExit2(Daybook(p, {"--db", folder + "/new.duckdb", "run"}), {folder + "/new.duckdb"});
  EXPECT_FALSE(Exists(folder + "/new.duckdb"));
  EXPECT_EQ(before, DumpAll(db, false));
  // Reading still works.
  fault::Timed report = Daybook(p, {"--db", db, "report", "--format", "csv"});
  EXPECT_EQ(report.result.exit_code, 0) << report.result;
  if (!mnt.ok()) ::chmod(folder.c_str(), 0755);
}

// ------------------------------------------------------------ daybook.yml

struct BadConfig {
  std::string yaml;
  int line;                        // the line the error must name
  std::vector<std::string> words;  // ... and these
};

TEST(Environment, BadConfigIsOneLineNamingFileLineAndProblem) {
  const std::vector<BadConfig> cases = {
      // wrong types
      {"business:\n  restatement_window_days: many\n", 2, {"business.restatement_window_days", "many"}},
      {"business:\n  timezone: [UTC]\n", 2, {"business.timezone", "string"}},
      {"sources: landing\n", 1, {"sources", "list"}},
      {"quality:\n  max_drop_rate: high\n", 2, {"quality.max_drop_rate", "high"}},
      {"quality:\n  max_drop_rate: 2\n", 2, {"quality.max_drop_rate"}},
      {"warehouse: {path: [1, 2]}\n", 1, {"warehouse.path"}},
      {"business:\n  daily_close: \"25:00\"\n", 2, {"business.daily_close", "25:00"}},
      {"business:\n  reporting_currency: usd\n", 2, {"business.reporting_currency", "usd"}},
      // unknown keys, with a suggestion
      {"qualty:\n  max_drop_rate: 0.1\n", 1, {"qualty", "did you mean 'quality'"}},
      {"fx:\n  rate: fx.csv\n", 2, {"fx.rate", "did you mean 'rates'"}},
      {"sources:\n  - name: l\n    type: files\n    pth: landing/*.jsonl\n", 4, {"sources[0].pth", "did you mean 'path'"}},
      // not YAML
      {"business: [unclosed\n", 2, {}},
      {"business:\n\ttimezone: UTC\n", 2, {}},
  };
  for (const BadConfig& c : cases) {
    SCOPED_TRACE(c.yaml);
    Project p(c.yaml);
    p.WriteLines("landing/a.jsonl", {kEvent});
    std::vector<std::string> words = c.words;
    words.push_back(p.config() + ":" + std::to_string(c.line));
    ExpectOneLineExit2(Daybook(p, {"run"}), words);
    EXPECT_FALSE(Exists(p.Path("daybook.duckdb")));
  }
}

// YAML keys are unique (YAML 1.2); a repeated key is almost always an edit
// gone wrong, and silently taking one of the two values hides it.
TEST(Environment, RepeatedConfigKeyIsAnError) {
  Project p("business:\n  timezone: UTC\n  timezone: Europe/Berlin\n");
  p.WriteLines("landing/a.jsonl", {kEvent});
  ExpectOneLineExit2(Daybook(p, {"run"}), {p.config() + ":3", "business.timezone"});
  EXPECT_FALSE(Exists(p.Path("daybook.duckdb")));
}

TEST(Environment, TimeZoneThatDoesNotExistIsOneLineNamingIt) {
  for (const std::string tz : {"Mars/Olympus_Mons", "Europe/Berln", "UTC+1", "\"\""}) {
    SCOPED_TRACE(tz);
    Project p("business:\n  timezone: " + tz + "\n");
    p.WriteLines("landing/a.jsonl", {kEvent});
    ExpectOneLineExit2(Daybook(p, {"run"}), {p.config() + ":2", "business.timezone", tz == "\"\"" ? "''" : tz});
    EXPECT_FALSE(Exists(p.Path("daybook.duckdb")));
  }
}

// ------------------------------------------------------------ disk full

struct DiskFullSetup {
  Project p;
  std::string base_jsonl, batch_jsonl, ref_db, base_copy;
};

fault::Timed RunBatch(const DiskFullSetup& s, const std::string& db, const std::string& input) {
  return fault::RunTimed({"--config", s.p.config(), "--db", db, "--now", "2025-01-25T00:00:00Z", "run", "--json",
                          "--max-drop-rate", "1", "--input", input},
                         {}, s.p.dir(), 120);
}

void MakeDiskFullSetup(DiskFullSetup* s) {
  Gen(s->p, {"--orders", "6000", "--days", "8", "--start", "2025-01-05", "--seed", "11", "--dup-rate", "0.02",
             "--bad-rate", "0.005", "--refund-rate", "0.2", "--cancel-rate", "0.1", "--out", s->p.Path("gen.jsonl"),
             "--fx-out", s->p.Path("fx_rates.csv")});
  std::vector<std::string> lines = SplitLines(ReadFile(s->p.Path("gen.jsonl")));
  s->p.WriteLines("base.jsonl", {lines.begin(), lines.begin() + 1000});
  s->p.WriteLines("batch.jsonl", {lines.begin() + 1000, lines.end()});
  s->base_jsonl = s->p.Path("base.jsonl");
  s->batch_jsonl = s->p.Path("batch.jsonl");
  // The clean reference, on the ordinary disk.
  s->ref_db = s->p.Path("ref/wh.duckdb");
  WriteFile(s->p.Path("ref/.keep"), "");
  ASSERT_EQ(RunBatch(*s, s->ref_db, s->base_jsonl).result.exit_code, 0);
  s->base_copy = s->p.Path("base-copy.duckdb");
  CopyFile(s->ref_db, s->base_copy);
  fault::Timed clean = RunBatch(*s, s->ref_db, s->batch_jsonl);
  ASSERT_EQ(clean.result.exit_code, 0) << clean.result;
}

// Puts the base warehouse (before the batch) on the tmpfs.
void Restore(const DiskFullSetup& s, const std::string& db) {
  fault::Unfill(fs::path(db).parent_path().string());
  fs::remove(db + ".wal");
  CopyFile(s.base_copy, db);
}

// The run failed for lack of space, said so in one line, and left the
// warehouse as before the run — or, when only the work after COMMIT (the
// checkpoint, the checks) ran out of space, as after it; never in between.
void ExpectDiskFullFailure(const fault::Timed& t, const std::string& db, const fault::State& base,
                           const fault::State* or_after = nullptr) {
  ASSERT_FALSE(t.timed_out) << t.result;
  EXPECT_EQ(t.result.exit_code, 1) << t.result;
  EXPECT_NE(t.result.err.find("disk full"), std::string::npos) << "the message says the disk is full" << t.result;
  EXPECT_EQ(fault::ErrorLines(t.result).size(), 1u) << t.result;
  const std::string now = fault::Capture(db).digests;
  if (or_after != nullptr && now == or_after->digests) return;
  EXPECT_EQ(now, base.digests) << "no partial batch is visible";
}

// Space the batch's commit takes, and how long a run lives until its COMMIT
// is done: a run killed right after COMMIT leaves its WAL (and the blocks
// DuckDB wrote ahead into the file) uncheckpointed.
struct CommitCost {
  int64_t bytes = 0;
  double seconds = 0;
};
CommitCost MeasureCommit(const DiskFullSetup& s, const std::string& db) {
  Restore(s, db);
  const int64_t before = static_cast<int64_t>(fs::file_size(db));
  Child c = SpawnDaybook({"--config", s.p.config(), "--db", db, "--now", "2025-01-25T00:00:00Z", "run",
                          "--max-drop-rate", "1", "--input", s.batch_jsonl},
                         {{"DAYBOOK_CRASH_AFTER", "commit"}}, s.p.dir(), s.p.Path("capture"));
  CmdResult r = WaitDaybook(c);
  EXPECT_EQ(r.term_signal, SIGKILL) << r;
  const int64_t wal = Exists(db + ".wal") ? static_cast<int64_t>(fs::file_size(db + ".wal")) : 0;
  return {static_cast<int64_t>(fs::file_size(db)) - before + wal, r.seconds};
}

TEST(DiskFull, AFullDiskFailsTheRunCleanlyAndTheRerunEqualsACleanRun) {
  DiskFullSetup s;
  MakeDiskFullSetup(&s);
  if (HasFatalFailure()) return;
  fault::Tmpfs mnt(s.p.Path("mnt"), 32 << 20);
  if (!mnt.ok()) GTEST_SKIP() << mnt.why();
  const std::string db = mnt.path() + "/wh.duckdb";
  const fault::State base = fault::Capture(s.base_copy), ref = fault::Capture(s.ref_db);
  const CommitCost cost = MeasureCommit(s, db);
  const int64_t need = cost.bytes;
  ASSERT_GT(need, 256 << 10) << "the batch should need a few hundred KiB at least";
  std::printf("[ diskfull ] the batch's commit writes %lld bytes, %.0f ms into the run\n",
              static_cast<long long>(need), cost.seconds * 1000);

  // No space at all, 64 KiB (both obviously short: refused before writing),
  // and 80% of what the commit writes (enough to pass that check, so the
  // commit itself runs out of space).
  for (int64_t leave : {int64_t{0}, int64_t{64} << 10, need * 8 / 10}) {
    SCOPED_TRACE("free space left: " + std::to_string(leave) + " bytes (the commit writes " +
                 std::to_string(need) + ")");
    Restore(s, db);
    fault::FillTo(mnt.path(), leave);
    fault::Timed t = RunBatch(s, db, s.batch_jsonl);
    std::printf("[ diskfull ] %lld bytes free: exit %d %s\n", static_cast<long long>(leave), t.result.exit_code,
                fault::ErrorLines(t.result).empty() ? "" : fault::ErrorLines(t.result)[0].substr(0, 160).c_str());
    ExpectDiskFullFailure(t, db, base);
    fault::Unfill(mnt.path());
    fault::Timed rerun = RunBatch(s, db, s.batch_jsonl);
    ASSERT_EQ(rerun.result.exit_code, 0) << rerun.result;
    EXPECT_EQ(fault::Capture(db), ref) << fault::Diff(s.ref_db, db);
    EXPECT_EQ(fault::AccountingProblems(db), "");
  }

  // Space runs out at a random moment of the run (seeded; the seed and the
  // delay are printed so that a failure can be replayed).
  const uint64_t seed = fault::SeedFromEnv("DAYBOOK_DISKFULL_SEED", 20250106);
  std::mt19937_64 rng(seed);
  for (int round = 0; round < 3; ++round) {
    // Between 30% and 100% of the time the run takes to finish its COMMIT:
    // before that the process starts up and writes nothing (a full disk
    // before the run is covered above), after it the batch is in.
    const double span_ms = std::max(1.0, cost.seconds * 1000);
    const int delay_ms = static_cast<int>(0.3 * span_ms) + static_cast<int>(rng() % static_cast<uint64_t>(0.7 * span_ms + 1));
    SCOPED_TRACE("DAYBOOK_DISKFULL_SEED=" + std::to_string(seed) + " round " + std::to_string(round) +
                 ": disk filled after " + std::to_string(delay_ms) + " ms");
    Restore(s, db);
    Child c = SpawnDaybook({"--config", s.p.config(), "--db", db, "--now", "2025-01-25T00:00:00Z", "run",
                            "--max-drop-rate", "1", "--input", s.batch_jsonl},
                           {}, s.p.dir(), s.p.Path("capture"));
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    fault::FillTo(mnt.path(), 0);
    fault::Timed t = fault::WaitTimed(c, 120);
    const std::vector<std::string> err = fault::ErrorLines(t.result);
    std::printf("[ diskfull ] seed %llu round %d: filled after %d ms: exit %d %s\n",
                static_cast<unsigned long long>(seed), round, delay_ms, t.result.exit_code,
                err.empty() ? "" : err[0].substr(0, 160).c_str());
    if (t.result.exit_code == 0) {
      EXPECT_EQ(fault::Capture(db).digests, ref.digests) << "committed before the disk filled: all of it";
    } else {
      ExpectDiskFullFailure(t, db, base, &ref);
    }
    fault::Unfill(mnt.path());
    fault::Timed rerun = RunBatch(s, db, s.batch_jsonl);
    ASSERT_EQ(rerun.result.exit_code, 0) << rerun.result;
    EXPECT_EQ(fault::Capture(db), ref) << fault::Diff(s.ref_db, db);
    EXPECT_EQ(fault::AccountingProblems(db), "");
  }
}

// Before a large commit the run checks the free space of the warehouse's
// folder, and refuses early, with a clear message, when it is obviously
// short — instead of reading, deriving and then failing inside DuckDB.
TEST(DiskFull, ObviouslyShortSpaceIsRefusedEarlyWithAClearMessage) {
  DiskFullSetup s;
  MakeDiskFullSetup(&s);
  if (HasFatalFailure()) return;
  fault::Tmpfs mnt(s.p.Path("mnt"), 32 << 20);
  if (!mnt.ok()) GTEST_SKIP() << mnt.why();
  const std::string db = mnt.path() + "/wh.duckdb";
  const fault::State base = fault::Capture(s.base_copy);
  Restore(s, db);
  fault::FillTo(mnt.path(), 16 << 10);
  fault::Timed t = RunBatch(s, db, s.batch_jsonl);
  ExpectDiskFullFailure(t, db, base);
  EXPECT_NE(t.result.err.find("free"), std::string::npos) << "says how much space is free and needed" << t.result;
  EXPECT_NE(t.result.err.find(mnt.path()), std::string::npos) << "names the warehouse folder" << t.result;
  EXPECT_EQ(t.result.err.find("Could not write file"), std::string::npos)
      << "refused before DuckDB ran into the full disk" << t.result;
}

}  // namespace
}  // namespace e2e
