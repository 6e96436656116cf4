// File: tests/e2e/harness.h
//
// Shared helpers for the end-to-end tests: they drive the REAL `daybook`
// binary (env DAYBOOK_BIN, set by CTest) on real files in a fresh temporary
// folder per test, and read the resulting DuckDB warehouse read-only through
// the DuckDB C API.
//
//   e2e::Project p;                                   // temp dir + daybook.yml
//   p.Write("in/a.jsonl", lines);
//   e2e::CmdResult r = p.Daybook({"--now", kNow, "run", "--json"});
//   ASSERT_EQ(r.exit_code, 0) << r;
//   e2e::Json j = e2e::Json::Parse(r.out);
//   EXPECT_EQ(j["accepted"].Int(), 10);
//   std::string before = e2e::DumpTable(p.db(), "order_events", {"run_id"});
//
// Every helper fails loudly (gtest ADD_FAILURE / exceptions caught by gtest)
// rather than returning partial data. Nothing here is thread-safe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace e2e {

// ---------------------------------------------------------------- processes

struct CmdResult {
  int exit_code = -1;    // the exit status, or -1 when killed by a signal
  int term_signal = 0;   // the signal that ended the process, 0 if it exited
  std::string out, err;  // everything it wrote to stdout / stderr
  double seconds = 0;    // wall time
  std::string command;   // for messages
};
std::ostream& operator<<(std::ostream& os, const CmdResult& r);

// Extra environment for a child. The child inherits the test's environment
// minus DAYBOOK_NOW and DAYBOOK_CRASH_AFTER (so a stray variable cannot
// change a test), plus these.
using Env = std::map<std::string, std::string>;

// The path of the binary under test ($DAYBOOK_BIN); aborts the test if unset.
const std::string& DaybookBin();

// Runs `daybook args...` in `cwd` (empty: the test's cwd) and waits.
CmdResult RunDaybook(const std::vector<std::string>& args, const Env& env = {},
                     const std::string& cwd = "");

// Starts `daybook args...` without waiting; stdout/stderr go to files under
// `capture_prefix` (".out" / ".err"). Finish with WaitDaybook.
struct Child {
  pid_t pid = -1;
  std::string out_path, err_path, command;
  int64_t started_us = 0;
};
Child SpawnDaybook(const std::vector<std::string>& args, const Env& env, const std::string& cwd,
                   const std::string& capture_prefix);
CmdResult WaitDaybook(const Child& c);

// ---------------------------------------------------------------- files

class TempDir {
 public:
  TempDir();   // a fresh folder under $TMPDIR (or /tmp)
  ~TempDir();  // removed with everything in it (kept if DAYBOOK_E2E_KEEP is set)
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& content);  // creates folders
std::string ReadFile(const std::string& path);
std::vector<std::string> SplitLines(const std::string& text);  // no trailing empty line
std::string JoinLines(const std::vector<std::string>& lines);  // each line + '\n'
// A valid gzip file (stored deflate blocks) holding `content`.
void WriteGzip(const std::string& path, const std::string& content);
void CopyFile(const std::string& from, const std::string& to);
bool Exists(const std::string& path);

// ---------------------------------------------------------------- a project

// A temporary project folder with a daybook.yml. `config_yaml` is written as
// is; by default a warehouse `wh.duckdb` and FX file `fx_rates.csv`.
class Project {
 public:
  explicit Project(const std::string& config_yaml = DefaultConfig());
  static std::string DefaultConfig();

  const std::string& dir() const { return dir_.path(); }
  std::string Path(const std::string& rel) const { return dir_ / rel; }
  std::string config() const { return Path("daybook.yml"); }
  std::string db() const { return Path("wh.duckdb"); }

  void Write(const std::string& rel, const std::string& content) const { WriteFile(Path(rel), content); }
  void WriteLines(const std::string& rel, const std::vector<std::string>& lines) const {
    WriteFile(Path(rel), JoinLines(lines));
  }
  // `daybook --config <dir>/daybook.yml args...`, run in dir().
  CmdResult Daybook(const std::vector<std::string>& args, const Env& env = {}) const;

 private:
  TempDir dir_;
};

// ---------------------------------------------------------------- warehouse

// A query result as text (DuckDB's VARCHAR cast of every value).
struct Rows {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;  // nullopt = NULL
  size_t size() const { return rows.size(); }
  // The value at (row, column name); "NULL" for NULL. Throws if absent.
  std::string at(size_t row, const std::string& column) const;
};

// Runs `sql` on the warehouse file opened read-only (and closed again).
// Throws std::runtime_error with DuckDB's message on failure.
Rows Query(const std::string& db, const std::string& sql);
std::string Scalar(const std::string& db, const std::string& sql);  // first cell, "NULL" if null
int64_t QueryInt(const std::string& db, const std::string& sql);

// Canonical text of a table: a header line of column names, then one line
// per row ("a|b|NULL"), rows sorted bytewise, so two dumps are equal iff the
// tables hold the same multiset of rows. `exclude` names columns to leave out.
std::string DumpTable(const std::string& db, const std::string& table,
                      const std::vector<std::string>& exclude = {});
// Same for an arbitrary query.
std::string DumpQuery(const std::string& db, const std::string& sql);

// The tables of spec §4.
// The tables that hold data (SpecTables without the logs of runs, checks
// and alerts, which grow with every run by design).
const std::vector<std::string>& DataTables();
const std::vector<std::string>& SpecTables();
// Dumps of several tables ("== table ==\n<dump>"), with per-table excluded
// columns. Tables missing from `tables` are not dumped.
std::string DumpTables(const std::string& db, const std::vector<std::string>& tables,
                       const std::map<std::string, std::vector<std::string>>& exclude = {});
// Every spec table and source_files; pipeline_runs without its wall-clock columns
// (duration_ms, stage_ms) when `timing_free` is true.
std::string DumpAll(const std::string& db, bool timing_free);
// Order-independent digest of a (possibly large) table: "<rows>:<sum of row hashes>".
std::string TableDigest(const std::string& db, const std::string& table,
                        const std::vector<std::string>& exclude = {});

// A readable line-by-line diff of two dumps (first differences only), for
// failure messages.
std::string DiffText(const std::string& expected, const std::string& actual, size_t max_lines = 20);

// ---------------------------------------------------------------- JSON

// A minimal JSON value for reading `--json` output.
class Json {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  static Json Parse(const std::string& text);  // throws std::runtime_error

  Type type() const { return type_; }
  bool Has(const std::string& key) const;
  const Json& operator[](const std::string& key) const;  // throws if absent / not an object
  const Json& operator[](size_t i) const;                 // throws if out of range
  size_t size() const;                                    // array or object size
  int64_t Int() const;                                    // a number holding an integer
  double Double() const;
  const std::string& Str() const;
  bool Bool() const;
  const std::string& NumberText() const { return text_; }  // the number as written
  const std::map<std::string, Json>& Object() const { return object_; }

 private:
  friend class JsonParser;
  Type type_ = Type::kNull;
  bool bool_ = false;
  std::string text_;  // string value or number text
  std::vector<Json> array_;
  std::map<std::string, Json> object_;
};

// ---------------------------------------------------------------- misc

// `daybook gen args...` in the project; throws unless it exits 0. The counts
// are parsed from its summary line ("wrote N events (M orders) to F").
struct GenResult {
  int64_t events = 0, orders = 0;
};
GenResult Gen(const Project& p, const std::vector<std::string>& args);

// Splits one CSV line (no quoted commas in the outputs these tests read).
std::vector<std::string> CsvFields(const std::string& line);
// Parses a decimal like "-12.34" into minor units at `exponent` digits; throws
// if the text has another number of fractional digits.
int64_t Minor(const std::string& decimal, int exponent = 2);

// `daybook run` stage names, in order (spec of DAYBOOK_CRASH_AFTER).
const std::vector<std::string>& RunStages();

}  // namespace e2e
