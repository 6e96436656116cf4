// Implements tests/e2e/harness.h. Compiled once, through harness_test.cc
// (the build globs tests/e2e/*_test.cc only).
#include "e2e/harness.h"

#include <duckdb.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace e2e {
namespace fs = std::filesystem;

namespace {

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string Quote(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) {
    if (!s.empty()) s += ' ';
    bool plain = !a.empty() && a.find_first_of(" \t\"'*?$\\") == std::string::npos;
    s += plain ? a : "'" + a + "'";
  }
  return s;
}

std::vector<std::string> ChildEnv(const Env& extra) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    std::string key = kv.substr(0, kv.find('='));
    if (key == "DAYBOOK_NOW" || key == "DAYBOOK_CRASH_AFTER" || extra.count(key)) continue;
    out.push_back(kv);
  }
  for (const auto& [k, v] : extra) out.push_back(k + "=" + v);
  return out;
}

}  // namespace

// ---------------------------------------------------------------- processes

std::ostream& operator<<(std::ostream& os, const CmdResult& r) {
  os << "\n$ " << r.command << "\n  exit_code=" << r.exit_code;
  if (r.term_signal) os << " signal=" << r.term_signal;
  os << " (" << r.seconds << " s)\n--- stdout ---\n"
     << r.out.substr(0, 4000) << "\n--- stderr ---\n"
     << r.err.substr(0, 4000) << "\n";
  return os;
}

const std::string& DaybookBin() {
  static const std::string bin = [] {
    const char* b = std::getenv("DAYBOOK_BIN");
    if (!b || !*b) throw std::runtime_error("DAYBOOK_BIN is not set (run the tests through ctest)");
    return std::string(b);
  }();
  return bin;
}

Child SpawnDaybook(const std::vector<std::string>& args, const Env& env, const std::string& cwd,
                   const std::string& capture_prefix) {
  Child c;
  c.out_path = capture_prefix + ".out";
  c.err_path = capture_prefix + ".err";
  std::vector<std::string> argv_s = {DaybookBin()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  c.command = (cwd.empty() ? "" : "(cd " + cwd + ") ") + Quote(argv_s);
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s = ChildEnv(env);
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);

  // fork + exec (not posix_spawn: we need chdir in the child).
  int out_fd = ::open(c.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err_fd = ::open(c.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out_fd < 0 || err_fd < 0) throw std::runtime_error("cannot create capture files at " + capture_prefix);
  c.started_us = NowMicros();
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) _exit(126);
    ::execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  ::close(out_fd);
  ::close(err_fd);
  c.pid = pid;
  return c;
}

CmdResult WaitDaybook(const Child& c) {
  CmdResult r;
  r.command = c.command;
  int status = 0;
  while (::waitpid(c.pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
  }
  r.seconds = static_cast<double>(NowMicros() - c.started_us) / 1e6;
  if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.term_signal = WTERMSIG(status);
  }
  r.out = ReadFile(c.out_path);
  r.err = ReadFile(c.err_path);
  std::remove(c.out_path.c_str());
  std::remove(c.err_path.c_str());
  return r;
}

CmdResult RunDaybook(const std::vector<std::string>& args, const Env& env, const std::string& cwd) {
  static int counter = 0;
  std::string dir = cwd.empty() ? fs::temp_directory_path().string() : cwd;
  std::string prefix = dir + "/.e2e-capture-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
  return WaitDaybook(SpawnDaybook(args, env, cwd, prefix));
}

// ---------------------------------------------------------------- files

TempDir::TempDir() {
  std::string base = fs::temp_directory_path().string() + "/daybook-e2e-XXXXXX";
  std::vector<char> buf(base.begin(), base.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
  path_ = buf.data();
}

TempDir::~TempDir() {
  if (std::getenv("DAYBOOK_E2E_KEEP")) {
    std::fprintf(stderr, "[e2e] kept %s\n", path_.c_str());
    return;
  }
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void WriteFile(const std::string& path, const std::string& content) {
  fs::path p(path);
  if (p.has_parent_path()) fs::create_directories(p.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) {
    s += l;
    s += '\n';
  }
  return s;
}

namespace {
uint32_t Crc32(const std::string& data) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}
void Le32(std::string* s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
}  // namespace

void WriteGzip(const std::string& path, const std::string& content) {
  std::string g = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 0, 3};  // deflate, no flags, OS unix
  size_t pos = 0;
  do {
    size_t n = std::min<size_t>(65535, content.size() - pos);
    bool last = pos + n == content.size();
    g.push_back(last ? 1 : 0);  // BFINAL, BTYPE=00 (stored)
    g.push_back(static_cast<char>(n & 0xFF));
    g.push_back(static_cast<char>(n >> 8));
    g.push_back(static_cast<char>(~n & 0xFF));
    g.push_back(static_cast<char>((~n >> 8) & 0xFF));
    g.append(content, pos, n);
    pos += n;
  } while (pos < content.size());
  Le32(&g, Crc32(content));
  Le32(&g, static_cast<uint32_t>(content.size()));
  WriteFile(path, g);
}

void CopyFile(const std::string& from, const std::string& to) {
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

bool Exists(const std::string& path) { return fs::exists(path); }

// ---------------------------------------------------------------- a project

std::string Project::DefaultConfig() {
  return "warehouse:\n  path: wh.duckdb\n"
         "business:\n  timezone: UTC\n  restatement_window_days: 3650\n"
         "fx:\n  rates: fx_rates.csv\n"
         "sources:\n  - name: landing\n    type: files\n    path: landing/*.jsonl*\n"
         // A run that loads nothing new is an error-severity volume check by
         // default (exit 1); these tests re-run on purpose. Checks have
         // their own scenario tests.
         "quality:\n  min_rows_per_run: 0\n";
}

Project::Project(const std::string& config_yaml) {
  WriteFile(config(), config_yaml);
  fs::create_directories(Path("landing"));
  if (config_yaml == DefaultConfig()) WriteFile(Path("fx_rates.csv"), "date,currency,rate\n");
}

CmdResult Project::Daybook(const std::vector<std::string>& args, const Env& env) const {
  std::vector<std::string> all = {"--config", config()};
  all.insert(all.end(), args.begin(), args.end());
  return RunDaybook(all, env, dir());
}

// ---------------------------------------------------------------- warehouse

std::string Rows::at(size_t row, const std::string& column) const {
  auto it = std::find(columns.begin(), columns.end(), column);
  if (it == columns.end()) throw std::runtime_error("no column " + column);
  if (row >= rows.size()) throw std::runtime_error("no row " + std::to_string(row));
  const auto& v = rows[row][static_cast<size_t>(it - columns.begin())];
  return v ? *v : "NULL";
}

namespace {
struct Db {
  duckdb_database db = nullptr;
  duckdb_connection con = nullptr;
  explicit Db(const std::string& path) {
    if (!fs::exists(path)) throw std::runtime_error("warehouse " + path + " does not exist");
    duckdb_config cfg;
    if (duckdb_create_config(&cfg) != DuckDBSuccess) throw std::runtime_error("duckdb_create_config");
    duckdb_set_config(cfg, "access_mode", "READ_ONLY");
    duckdb_set_config(cfg, "threads", "1");
    char* err = nullptr;
    duckdb_state st = duckdb_open_ext(path.c_str(), &db, cfg, &err);
    duckdb_destroy_config(&cfg);
    if (st != DuckDBSuccess) {
      std::string msg = err ? err : "unknown error";
      if (err) duckdb_free(err);
      throw std::runtime_error("cannot open " + path + " read-only: " + msg);
    }
    if (duckdb_connect(db, &con) != DuckDBSuccess) {
      duckdb_close(&db);
      throw std::runtime_error("duckdb_connect failed");
    }
    // Timestamps render in UTC whatever the machine's zone.
    duckdb_result r;
    if (duckdb_query(con, "SET TimeZone='UTC'", &r) == DuckDBSuccess) duckdb_destroy_result(&r);
    else duckdb_destroy_result(&r);
  }
  ~Db() {
    if (con) duckdb_disconnect(&con);
    if (db) duckdb_close(&db);
  }
};
}  // namespace

Rows Query(const std::string& db_path, const std::string& sql) {
  Db db(db_path);
  duckdb_result res;
  // Every value rendered by DuckDB's own VARCHAR cast (the C API's
  // duckdb_value_varchar does not render TIMESTAMPTZ, for one).
  const std::string text_sql = "SELECT COLUMNS(*)::VARCHAR FROM (" + sql + ")";
  if (duckdb_query(db.con, text_sql.c_str(), &res) != DuckDBSuccess) {
    std::string msg = duckdb_result_error(&res) ? duckdb_result_error(&res) : "?";
    duckdb_destroy_result(&res);
    throw std::runtime_error("query failed: " + msg + "\n  in: " + sql);
  }
  Rows out;
  idx_t cols = duckdb_column_count(&res);
  idx_t nrows = duckdb_row_count(&res);
  for (idx_t c = 0; c < cols; ++c) out.columns.emplace_back(duckdb_column_name(&res, c));
  out.rows.reserve(nrows);
  for (idx_t r = 0; r < nrows; ++r) {
    std::vector<std::optional<std::string>> row;
    row.reserve(cols);
    for (idx_t c = 0; c < cols; ++c) {
      if (duckdb_value_is_null(&res, c, r)) {
        row.emplace_back(std::nullopt);
      } else {
        char* v = duckdb_value_varchar(&res, c, r);
        row.emplace_back(std::string(v ? v : ""));
        if (v) duckdb_free(v);
      }
    }
    out.rows.push_back(std::move(row));
  }
  duckdb_destroy_result(&res);
  return out;
}

std::string Scalar(const std::string& db, const std::string& sql) {
  Rows r = Query(db, sql);
  if (r.rows.empty() || r.columns.empty()) throw std::runtime_error("no result for: " + sql);
  return r.rows[0][0] ? *r.rows[0][0] : "NULL";
}

int64_t QueryInt(const std::string& db, const std::string& sql) {
  std::string s = Scalar(db, sql);
  if (s == "NULL") throw std::runtime_error("NULL result for: " + sql);
  return std::stoll(s);
}

namespace {
std::string Canonical(const Rows& r) {
  std::vector<std::string> lines;
  lines.reserve(r.rows.size());
  for (const auto& row : r.rows) {
    std::string l;
    for (size_t c = 0; c < row.size(); ++c) {
      if (c) l += '|';
      l += row[c] ? *row[c] : "NULL";
    }
    lines.push_back(std::move(l));
  }
  std::sort(lines.begin(), lines.end());
  std::string header;
  for (size_t c = 0; c < r.columns.size(); ++c) header += (c ? "|" : "") + r.columns[c];
  std::string out = header + "\n";
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::string Select(const std::string& table, const std::vector<std::string>& exclude) {
  std::string cols = "*";
  if (!exclude.empty()) {
    cols = "* EXCLUDE (";
    for (size_t i = 0; i < exclude.size(); ++i) cols += (i ? ", " : "") + exclude[i];
    cols += ")";
  }
  return "SELECT " + cols + " FROM " + table;
}
}  // namespace

std::string DumpQuery(const std::string& db, const std::string& sql) { return Canonical(Query(db, sql)); }

std::string DumpTable(const std::string& db, const std::string& table, const std::vector<std::string>& exclude) {
  return DumpQuery(db, Select(table, exclude));
}

const std::vector<std::string>& SpecTables() {
  static const std::vector<std::string> t = {
      "order_events",   "quarantine",    "fct_orders",   "daily_revenue",
      "daily_revenue_by_channel", "daily_revenue_versions", "revenue_restatements",
      "pipeline_runs",  "loaded_files",  "check_results", "alerts", "schema_drift"};
  return t;
}

const std::vector<std::string>& DataTables() {
  static const std::vector<std::string> t = [] {
    std::vector<std::string> out;
    for (const auto& name : SpecTables()) {
      if (name != "pipeline_runs" && name != "check_results" && name != "alerts") out.push_back(name);
    }
    return out;
  }();
  return t;
}

std::string DumpTables(const std::string& db, const std::vector<std::string>& tables,
                       const std::map<std::string, std::vector<std::string>>& exclude) {
  // One connection for all tables would be faster; the tables are small
  // where this is used, and a fresh open per table keeps the code simple.
  std::string sql;
  std::string out;
  for (const auto& t : tables) {
    auto it = exclude.find(t);
    out += "== " + t + " ==\n" + DumpTable(db, t, it == exclude.end() ? std::vector<std::string>{} : it->second);
  }
  return out;
}

std::string DumpAll(const std::string& db, bool timing_free) {
  std::map<std::string, std::vector<std::string>> ex;
  if (timing_free) ex["pipeline_runs"] = {"duration_ms", "stage_ms"};
  std::vector<std::string> tables = SpecTables();
  tables.push_back("source_files");
  tables.push_back("channels");
  return DumpTables(db, tables, ex);
}

std::string TableDigest(const std::string& db, const std::string& table, const std::vector<std::string>& exclude) {
  return Scalar(db, "SELECT count(*)::VARCHAR || ':' || coalesce(sum(hash(x)::HUGEINT), 0)::VARCHAR FROM (" +
                        Select(table, exclude) + ") x");
}

std::string DiffText(const std::string& expected, const std::string& actual, size_t max_lines) {
  std::vector<std::string> a = SplitLines(expected), b = SplitLines(actual);
  std::vector<std::string> sa = a, sb = b;
  std::sort(sa.begin(), sa.end());
  std::sort(sb.begin(), sb.end());
  std::vector<std::string> only_a, only_b;
  std::set_difference(sa.begin(), sa.end(), sb.begin(), sb.end(), std::back_inserter(only_a));
  std::set_difference(sb.begin(), sb.end(), sa.begin(), sa.end(), std::back_inserter(only_b));
  std::string out = "expected " + std::to_string(a.size()) + " lines, actual " + std::to_string(b.size()) + "\n";
  for (size_t i = 0; i < only_a.size() && i < max_lines; ++i) out += "  - " + only_a[i] + "\n";
  if (only_a.size() > max_lines) out += "  - ... " + std::to_string(only_a.size() - max_lines) + " more\n";
  for (size_t i = 0; i < only_b.size() && i < max_lines; ++i) out += "  + " + only_b[i] + "\n";
  if (only_b.size() > max_lines) out += "  + ... " + std::to_string(only_b.size() - max_lines) + " more\n";
  return out;
}

// ---------------------------------------------------------------- JSON

class JsonParser {
 public:
  explicit JsonParser(const std::string& s) : s_(s) {}
  Json ParseAll() {
    Json v = Value();
    Ws();
    if (i_ != s_.size()) Fail("trailing content");
    return v;
  }

 private:
  [[noreturn]] void Fail(const std::string& why) {
    throw std::runtime_error("JSON: " + why + " at offset " + std::to_string(i_) + " in: " + s_.substr(0, 300));
  }
  void Ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  bool Lit(const char* w) {
    size_t n = std::strlen(w);
    if (s_.compare(i_, n, w) == 0) {
      i_ += n;
      return true;
    }
    return false;
  }
  std::string String() {
    if (s_[i_] != '"') Fail("expected string");
    ++i_;
    std::string out;
    while (i_ < s_.size() && s_[i_] != '"') {
      char c = s_[i_++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) Fail("bad escape");
      char e = s_[i_++];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': {
          unsigned cp = std::stoul(s_.substr(i_, 4), nullptr, 16);
          i_ += 4;
          if (cp >= 0xD800 && cp < 0xDC00 && s_.compare(i_, 2, "\\u") == 0) {
            unsigned lo = std::stoul(s_.substr(i_ + 2, 4), nullptr, 16);
            i_ += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          if (cp < 0x80) out += static_cast<char>(cp);
          else if (cp < 0x800) { out += static_cast<char>(0xC0 | (cp >> 6)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
          else if (cp < 0x10000) { out += static_cast<char>(0xE0 | (cp >> 12)); out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
          else { out += static_cast<char>(0xF0 | (cp >> 18)); out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F)); out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
          break;
        }
        default: out += e;
      }
    }
    if (i_ >= s_.size()) Fail("unterminated string");
    ++i_;
    return out;
  }
  Json Value() {
    Ws();
    if (i_ >= s_.size()) Fail("unexpected end");
    Json v;
    char c = s_[i_];
    if (c == '{') {
      ++i_;
      v.type_ = Json::Type::kObject;
      Ws();
      if (s_[i_] == '}') { ++i_; return v; }
      while (true) {
        Ws();
        std::string k = String();
        Ws();
        if (s_[i_++] != ':') Fail("expected ':'");
        v.object_[k] = Value();
        Ws();
        if (s_[i_] == ',') { ++i_; continue; }
        if (s_[i_] == '}') { ++i_; break; }
        Fail("expected ',' or '}'");
      }
    } else if (c == '[') {
      ++i_;
      v.type_ = Json::Type::kArray;
      Ws();
      if (s_[i_] == ']') { ++i_; return v; }
      while (true) {
        v.array_.push_back(Value());
        Ws();
        if (s_[i_] == ',') { ++i_; continue; }
        if (s_[i_] == ']') { ++i_; break; }
        Fail("expected ',' or ']'");
      }
    } else if (c == '"') {
      v.type_ = Json::Type::kString;
      v.text_ = String();
    } else if (Lit("true")) {
      v.type_ = Json::Type::kBool;
      v.bool_ = true;
    } else if (Lit("false")) {
      v.type_ = Json::Type::kBool;
    } else if (Lit("null")) {
      v.type_ = Json::Type::kNull;
    } else {
      size_t start = i_;
      while (i_ < s_.size() && std::strchr("+-0123456789.eE", s_[i_])) ++i_;
      if (start == i_) Fail("unexpected character");
      v.type_ = Json::Type::kNumber;
      v.text_ = s_.substr(start, i_ - start);
    }
    return v;
  }
  const std::string& s_;
  size_t i_ = 0;
};

Json Json::Parse(const std::string& text) { return JsonParser(text).ParseAll(); }

bool Json::Has(const std::string& key) const { return type_ == Type::kObject && object_.count(key) > 0; }

const Json& Json::operator[](const std::string& key) const {
  if (type_ != Type::kObject) throw std::runtime_error("JSON: not an object when looking up " + key);
  auto it = object_.find(key);
  if (it == object_.end()) throw std::runtime_error("JSON: no key " + key);
  return it->second;
}

const Json& Json::operator[](size_t i) const {
  if (type_ != Type::kArray || i >= array_.size()) throw std::runtime_error("JSON: no element " + std::to_string(i));
  return array_[i];
}

size_t Json::size() const { return type_ == Type::kArray ? array_.size() : object_.size(); }

int64_t Json::Int() const {
  if (type_ != Type::kNumber || text_.find_first_of(".eE") != std::string::npos) {
    throw std::runtime_error("JSON: not an integer: " + text_);
  }
  return std::stoll(text_);
}

double Json::Double() const {
  if (type_ != Type::kNumber) throw std::runtime_error("JSON: not a number");
  return std::stod(text_);
}

const std::string& Json::Str() const {
  if (type_ != Type::kString) throw std::runtime_error("JSON: not a string");
  return text_;
}

bool Json::Bool() const {
  if (type_ != Type::kBool) throw std::runtime_error("JSON: not a bool");
  return bool_;
}

// ---------------------------------------------------------------- misc

GenResult Gen(const Project& p, const std::vector<std::string>& args) {
  std::vector<std::string> all = {"gen"};
  all.insert(all.end(), args.begin(), args.end());
  CmdResult r = p.Daybook(all);
  if (r.exit_code != 0) {
    std::ostringstream os;
    os << "gen failed" << r;
    throw std::runtime_error(os.str());
  }
  GenResult g;
  long long events = 0, orders = 0;
  size_t at = r.out.find("wrote ");
  if (at == std::string::npos ||
      std::sscanf(r.out.c_str() + at, "wrote %lld events (%lld orders)", &events, &orders) != 2) {
    throw std::runtime_error("cannot parse gen output: " + r.out);
  }
  g.events = events;
  g.orders = orders;
  return g;
}

std::vector<std::string> CsvFields(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t c = line.find(',', start);
    out.push_back(line.substr(start, c == std::string::npos ? std::string::npos : c - start));
    if (c == std::string::npos) break;
    start = c + 1;
  }
  return out;
}

int64_t Minor(const std::string& decimal, int exponent) {
  std::string s = decimal;
  bool neg = !s.empty() && s[0] == '-';
  if (neg) s = s.substr(1);
  size_t dot = s.find('.');
  std::string whole = dot == std::string::npos ? s : s.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  if (static_cast<int>(frac.size()) != exponent || whole.empty() ||
      (whole + frac).find_first_not_of("0123456789") != std::string::npos) {
    throw std::runtime_error("not a decimal with " + std::to_string(exponent) + " fractional digits: '" +
                             decimal + "'");
  }
  int64_t v = std::stoll(whole + frac);
  return neg ? -v : v;
}

const std::vector<std::string>& RunStages() {
  static const std::vector<std::string> s = {"resolve", "read_decode_validate", "dedupe", "load_order_history",
                                             "events_and_orders", "pending", "conflicts", "daily_revenue",
                                             "quarantine_and_manifest", "commit"};
  return s;
}

}  // namespace e2e
