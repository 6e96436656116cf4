// Hostile input (issue 6): every file of tests/data/hostile/ is loaded by the
// real binary into a fresh warehouse, and the outcome must be the one
// EXPECTED.tsv gives it (written from the event contract by
// tests/data/hostile/make_corpus.py, line by line):
//  - the run ends (a 60 s deadline: no hang) with the expected exit code and
//    no signal (no crash);
//  - rows_read, accepted, duplicates, quarantined and the count per reason
//    are exactly as expected, in the JSON summary AND in the warehouse
//    (order_events, quarantine, pipeline_runs, loaded_files);
//  - every line is accounted for: the physical line numbers stored in
//    order_events and quarantine are distinct non-blank lines of the file
//    (counted here independently, after gunzip for .gz), and with the
//    duplicates they are all of them;
//  - a file whose stream is broken (truncated or corrupt gzip) stops the run
//    with exit 2 and one error line naming the file and line, and nothing of
//    it is loaded (the failed run alone is recorded in pipeline_runs);
//  - an oversized record costs no memory: peak RSS with a 64 MiB line stays
//    within a few MiB of a run on a one-line file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/harness.h"
#include "fault/process.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNow = "2025-01-20T00:00:00Z";
constexpr double kDeadlineSeconds = 60;

std::string CorpusDir() { return fault::SourceDir() + "/tests/data/hostile"; }

struct Expected {
  std::string file;
  int exit_code = 0;
  int64_t rows = 0, accepted = 0, duplicates = 0, quarantined = 0;
  std::map<std::string, int64_t> reasons;
  std::string error;  // a phrase of the error line (exit != 0)
  std::string note;
};

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

std::vector<Expected> Manifest() {
  std::vector<Expected> out;
  bool header = true;
  for (const std::string& line : SplitLines(ReadFile(CorpusDir() + "/EXPECTED.tsv"))) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {  // the column names
      header = false;
      continue;
    }
    std::vector<std::string> f = Split(line, '\t');
    if (f.size() != 9) throw std::runtime_error("EXPECTED.tsv: 9 columns expected: " + line);
    Expected e;
    e.file = f[0];
    e.exit_code = std::stoi(f[1]);
    e.rows = std::stoll(f[2]);
    e.accepted = std::stoll(f[3]);
    e.duplicates = std::stoll(f[4]);
    e.quarantined = std::stoll(f[5]);
    if (f[6] != "-") {
      for (const std::string& kv : Split(f[6], ',')) {
        size_t eq = kv.find('=');
        e.reasons[kv.substr(0, eq)] = std::stoll(kv.substr(eq + 1));
      }
    }
    e.error = f[7] == "-" ? "" : f[7];
    e.note = f[8];
    out.push_back(e);
  }
  return out;
}

// The bytes a reader sees: gunzipped when the file starts with the gzip
// magic (by `gzip -dc`, independent of the code under test).
std::string Content(const std::string& path) {
  std::string raw = ReadFile(path);
  if (raw.size() < 2 || raw[0] != '\x1f' || raw[1] != '\x8b') return raw;
  std::string out;
  FILE* p = ::popen(("gzip -dc '" + path + "'").c_str(), "r");
  if (p == nullptr) throw std::runtime_error("popen gzip");
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

// Physical numbers of the non-blank lines, by the reader's contract
// (sources/line_reader.h): BOM removed, split on LF, one trailing CR
// removed, lines of only space, tab and CR skipped.
std::vector<int64_t> NonBlankLines(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  std::vector<int64_t> out;
  int64_t no = 0;
  while (!s.empty()) {
    size_t nl = s.find('\n');
    std::string_view l = s.substr(0, nl);
    s.remove_prefix(nl == std::string_view::npos ? s.size() : nl + 1);
    ++no;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.find_first_not_of(" \t\r") != std::string_view::npos) out.push_back(no);
  }
  return out;
}

std::string ReasonsText(const std::map<std::string, int64_t>& m) {
  std::string s;
  for (const auto& [k, v] : m) s += (s.empty() ? "" : ",") + k + "=" + std::to_string(v);
  return s.empty() ? "-" : s;
}

fault::Timed Load(const TempDir& dir, const std::string& file, const std::string& db) {
  return fault::RunTimed({"--config", CorpusDir() + "/daybook.yml", "--db", db, "--now", kNow, "run", "--json",
                          "--input", file},
                         {}, dir.path(), kDeadlineSeconds);
}

// Extra facts about particular files: (file, query, expected text).
struct Spot {
  const char* file;
  const char* sql;
  const char* expected;
};
const Spot kSpots[] = {
    {"nul_escaped_ids.jsonl", "SELECT hex(event_id) || ' ' || hex(order_id) || ' ' || hex(customer_id) || ' ' || hex(channel) FROM order_events "
     "JOIN channels USING (channel_id)",
     "6E69642D002D31 6F00 6300 770062"},
    {"many_blank_lines.jsonl.gz", "SELECT source_line FROM order_events", "1000001"},
    {"amount_negative_zero.jsonl", "SELECT string_agg(DISTINCT amount_minor::VARCHAR, ',') FROM order_events", "0"},
    {"amount_digits.jsonl",
     "SELECT string_agg(event_id || ':' || amount::VARCHAR || currency::VARCHAR, ' ' ORDER BY source_line) FROM order_events",
     "dg-6:99999999999999.9900USD dg-8:12.5000USD dg-9:12.5000USD dg-11:0.0010KWD"},
    {"amount_extreme_totals.jsonl",
     "SELECT string_agg(strftime(business_date, '%m-%d') || ':' || gross::VARCHAR, ' ' ORDER BY business_date) FROM daily_revenue WHERE orders > 0",
     "01-04:199999999999999.98 01-05:107999999999999.99 01-06:669999999999.99"},
    {"duplicates.jsonl", "SELECT event_id || ' ' || amount_minor || ' ' || extra_fields FROM order_events",
     "dup-1 1000 {\"coupon\":\"X\"}"},
    {"timestamps.jsonl",
     "SELECT string_agg(event_id || '@' || strftime(occurred_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%f'), ' ' ORDER BY source_line) FROM order_events",
     "ts-9@2025-01-04T10:01:00.000000 ts-11@2025-01-05T10:00:00.000000 ts-14@2025-01-05T10:00:00.000000 "
     "ts-15@2025-01-05T10:00:00.123456"},
    {"oversized_10mb.jsonl.gz",
     "SELECT string_agg(source_line || ':' || raw_size || ':' || octet_length(encode(raw)), ' ' ORDER BY source_line) FROM quarantine",
     "2:10000000:4096 4:10000000:4096"},
    {"unicode_escapes.jsonl", "SELECT string_agg(coalesce(extra_fields, '-'), ' ' ORDER BY source_line) FROM order_events",
     "{\"note\":\"\xF0\x9F\x98\x80\"} -"},
    {"invalid_utf8.jsonl",
     "SELECT count(*) FILTER (WHERE raw_bytes IS NOT NULL) || '/' || count(*) FROM quarantine", "10/10"},
    {"long_values.jsonl", "SELECT string_agg(octet_length(encode(extra_fields))::VARCHAR, ',' ORDER BY source_line) FROM order_events",
     "800011,100006,23781"},
    {"event_types.jsonl", "SELECT event_type::VARCHAR FROM order_events", "order_placed"},
};

void CheckLoaded(const Expected& e, const std::string& path, const std::string& db, const fault::Timed& t) {
  const CmdResult& r = t.result;
  ASSERT_EQ(r.exit_code, 0) << r;
  Json j = Json::Parse(r.out);
  std::map<std::string, int64_t> by_reason;
  for (const auto& [k, v] : j["quarantined_by_reason"].Object()) by_reason[k] = v.Int();
  EXPECT_EQ(j["rows_read"].Int(), e.rows);
  EXPECT_EQ(j["accepted"].Int(), e.accepted);
  EXPECT_EQ(j["duplicates"].Int(), e.duplicates);
  EXPECT_EQ(j["quarantined"].Int(), e.quarantined);
  EXPECT_EQ(ReasonsText(by_reason), ReasonsText(e.reasons));
  EXPECT_EQ(j["rows_read"].Int(), j["accepted"].Int() + j["duplicates"].Int() + j["quarantined"].Int());

  // The warehouse says the same.
  Rows w = Query(db,
                 "SELECT (SELECT count(*) FROM order_events) AS events, "
                 "(SELECT coalesce(string_agg(reason || '=' || n, ',' ORDER BY reason), '-') FROM "
                 "  (SELECT reason_code::VARCHAR AS reason, count(*) AS n FROM quarantine GROUP BY 1)) AS reasons, "
                 "(SELECT count(*) FROM quarantine WHERE detail IS NULL OR detail = '') AS no_detail, "
                 "(SELECT string_agg(concat_ws('/', status, rows_read, accepted, duplicates, quarantined), ' ') FROM pipeline_runs) AS run, "
                 "(SELECT string_agg(concat_ws('/', rows_read, accepted, duplicates, quarantined), ' ') FROM loaded_files) AS manifest, "
                 "(SELECT coalesce(string_agg(l::VARCHAR, ',' ORDER BY l), '') FROM "
                 "  (SELECT source_line AS l FROM order_events UNION ALL SELECT source_line FROM quarantine)) AS lines");
  const std::string counts = std::to_string(e.rows) + "/" + std::to_string(e.accepted) + "/" +
                             std::to_string(e.duplicates) + "/" + std::to_string(e.quarantined);
  EXPECT_EQ(w.at(0, "events"), std::to_string(e.accepted));
  EXPECT_EQ(w.at(0, "reasons"), ReasonsText(e.reasons));
  EXPECT_EQ(w.at(0, "no_detail"), "0") << "every quarantine row says why";
  EXPECT_EQ(w.at(0, "run"), "succeeded/" + counts);
  EXPECT_EQ(w.at(0, "manifest"), counts) << "the file is in the manifest with its own accounting";

  // Every line accounted for, by physical line number.
  std::vector<int64_t> stored;
  for (const std::string& n : Split(w.at(0, "lines"), ',')) {
    if (!n.empty()) stored.push_back(std::stoll(n));
  }
  const std::vector<int64_t> lines = NonBlankLines(Content(path));
  const std::set<int64_t> all(lines.begin(), lines.end());
  EXPECT_EQ(static_cast<int64_t>(lines.size()), e.rows) << "EXPECTED.tsv disagrees with the file's line count";
  EXPECT_EQ(std::set<int64_t>(stored.begin(), stored.end()).size(), stored.size())
      << "a line stored twice: " << w.at(0, "lines").substr(0, 200);
  EXPECT_EQ(static_cast<int64_t>(stored.size()), e.rows - e.duplicates);
  for (int64_t n : stored) EXPECT_TRUE(all.count(n)) << "line " << n << " is blank or past the end";
}

void CheckStopped(const Expected& e, const std::string& path, const std::string& db, const fault::Timed& t) {
  const CmdResult& r = t.result;
  EXPECT_EQ(r.exit_code, e.exit_code) << r;
  std::vector<std::string> lines = fault::ErrorLines(r);
  ASSERT_EQ(lines.size(), 1u) << "one clear error line" << r;
  EXPECT_NE(lines[0].find(e.error), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find(path), std::string::npos) << "the error names the file: " << lines[0];
  EXPECT_NE(lines[0].find("line"), std::string::npos) << "... and where it broke: " << lines[0];
  if (Exists(db)) {
    EXPECT_EQ(Scalar(db, "SELECT (SELECT count(*) FROM order_events) + (SELECT count(*) FROM quarantine) + "
                         "(SELECT count(*) FROM loaded_files) + (SELECT count(*) FROM fct_orders)"),
              "0")
        << "nothing of a broken stream is loaded";
    // The failure itself is recorded (pipeline/run.cc: a failed run row).
    EXPECT_EQ(Scalar(db, "SELECT coalesce(string_agg(status || ' ' || rows_read || ' ' || "
                         "(strpos(error, '" + path + "') > 0), ','), 'none') FROM pipeline_runs"),
              "failed 0 true");
  }
}

TEST(Hostile, TheManifestCoversTheWholeCorpus) {
  const std::vector<Expected> m = Manifest();
  EXPECT_GE(m.size(), 40u);
  std::set<std::string> listed;
  for (const Expected& e : m) {
    EXPECT_TRUE(listed.insert(e.file).second) << e.file << " listed twice";
    EXPECT_EQ(e.rows, e.accepted + e.duplicates + e.quarantined) << e.file;
    int64_t sum = 0;
    for (const auto& [k, v] : e.reasons) sum += v;
    EXPECT_EQ(sum, e.quarantined) << e.file;
    EXPECT_TRUE(Exists(CorpusDir() + "/" + e.file)) << e.file;
  }
  const std::set<std::string> meta = {"EXPECTED.tsv", "make_corpus.py", "daybook.yml", "fx_rates.csv", ".gitattributes",
                                      "README.md"};
  for (const auto& entry : fs::directory_iterator(CorpusDir())) {
    const std::string name = entry.path().filename().string();
    if (!meta.count(name)) {
      EXPECT_TRUE(listed.count(name)) << name << " has no expected outcome in EXPECTED.tsv";
    }
  }
}

// The corpus in two halves, so that CTest can run them side by side.
void LoadCorpus(int half) {
  const std::vector<Expected> m = Manifest();
  for (size_t i = 0; i < m.size(); ++i) {
    if (static_cast<int>(i % 2) != half) continue;
    const Expected& e = m[i];
    SCOPED_TRACE(e.file + " (" + e.note + ")");
    TempDir dir;
    const std::string db = dir / "wh.duckdb";
    const std::string path = CorpusDir() + "/" + e.file;
    fault::Timed t = Load(dir, path, db);
    ASSERT_FALSE(t.timed_out) << "no hang: still running after " << kDeadlineSeconds << " s" << t.result;
    ASSERT_EQ(t.result.term_signal, 0) << "no crash" << t.result;
    if (e.exit_code == 0) {
      CheckLoaded(e, path, db, t);
      for (const Spot& s : kSpots) {
        if (e.file == s.file) {
          EXPECT_EQ(Scalar(db, s.sql), s.expected) << s.sql;
        }
      }
    } else {
      CheckStopped(e, path, db, t);
    }
  }
}

TEST(Hostile, EveryFileHasItsExpectedOutcomeFirstHalf) { LoadCorpus(0); }
TEST(Hostile, EveryFileHasItsExpectedOutcomeSecondHalf) { LoadCorpus(1); }

// A record over the size limit is skipped while counting, never buffered:
// a 64 MiB line (and a 64 MiB line that never ends) cost no more memory
// than a one-line file.
TEST(Hostile, OversizedRecordsNeverSpikeMemory) {
  TempDir dir;
  const std::string event =
      R"({"event_id":"m1","event_type":"order_placed","order_id":"o1","occurred_at":"2025-01-02T10:00:00Z","customer_id":"c","amount":"1.00","currency":"USD"})";
  WriteFile(dir / "small.jsonl", event + "\n");
  std::string big = event + "\n" + R"({"event_id":"m2","pad":")" + std::string(64u << 20, 'x') + "\"}\n";
  WriteFile(dir / "big.jsonl", big);
  big.assign(64u << 20, '{');  // no newline at all
  WriteFile(dir / "endless.jsonl", big);
  big.clear();
  big.shrink_to_fit();

  fault::Timed small = Load(dir, dir / "small.jsonl", dir / "small.duckdb");
  ASSERT_EQ(small.result.exit_code, 0) << small.result;
  for (const char* name : {"big.jsonl", "endless.jsonl"}) {
    SCOPED_TRACE(name);
    fault::Timed t = Load(dir, dir / name, dir / (std::string(name) + ".duckdb"));
    ASSERT_EQ(t.result.exit_code, 0) << t.result;
    EXPECT_EQ(Json::Parse(t.result.out)["quarantined_by_reason"]["OVERSIZED_RECORD"].Int(), 1);
    std::printf("[ memory   ] %s: peak RSS %ld KiB; one-line file: %ld KiB\n", name, t.max_rss_kb, small.max_rss_kb);
    // Buffering the record would cost at least its 64 MiB; allow half of
    // that for noise (under ASan the allocator's quarantine alone adds ~17 MiB).
    EXPECT_LT(t.max_rss_kb, small.max_rss_kb + 32 * 1024)
        << "peak RSS grew by " << (t.max_rss_kb - small.max_rss_kb) / 1024 << " MiB for a 64 MiB record";
  }
}

// Many bad lines just under the size limit: each is quarantined with (the
// head of) its raw text, but a file of them must not cost memory in
// proportion to the file (a 2 GB file of such lines would exhaust the
// machine). Regression: when every rejected line's full text was held until
// the commit, these 100 MB peaked about 530 MiB above a one-line run.
TEST(Hostile, ManyLargeBadLinesKeepMemoryBounded) {
  TempDir dir;
  const std::string event =
      R"({"event_id":"m1","event_type":"order_placed","order_id":"o1","occurred_at":"2025-01-02T10:00:00Z","customer_id":"c","amount":"1.00","currency":"USD"})";
  WriteFile(dir / "small.jsonl", event + "\n");
  std::string bad;
  for (int i = 0; i < 100; ++i) bad += std::string(1000000, 'x') + "\n";
  WriteFile(dir / "bad.jsonl", bad);
  bad.clear();
  bad.shrink_to_fit();
  fault::Timed small = Load(dir, dir / "small.jsonl", dir / "small.duckdb");
  ASSERT_EQ(small.result.exit_code, 0) << small.result;
  fault::Timed t = Load(dir, dir / "bad.jsonl", dir / "bad.duckdb");
  ASSERT_EQ(t.result.exit_code, 0) << t.result;
  EXPECT_EQ(Json::Parse(t.result.out)["quarantined_by_reason"]["MALFORMED_JSON"].Int(), 100);
  std::printf("[ memory   ] 100 bad 1 MB lines: peak RSS %ld KiB; one-line file: %ld KiB\n", t.max_rss_kb,
              small.max_rss_kb);
  EXPECT_LT(t.max_rss_kb, small.max_rss_kb + 64 * 1024)
      << "peak RSS grew by " << (t.max_rss_kb - small.max_rss_kb) / 1024 << " MiB for 100 MB of bad lines";
}

// A DUPLICATE_CONFLICT whose line is longer than the 64 KiB of raw text
// quarantine keeps: raw holds the first 64 KiB, raw_size the whole length.
TEST(Hostile, ALongConflictingLineKeepsItsFullSize) {
  TempDir dir;
  const std::string first =
      R"({"event_id":"big1","event_type":"order_placed","order_id":"o1","occurred_at":"2025-01-02T10:00:00Z","customer_id":"c","amount":"1.00","currency":"USD"})";
  const std::string conflict =
      R"({"event_id":"big1","event_type":"order_placed","order_id":"o1","occurred_at":"2025-01-02T10:00:00Z","customer_id":"c","amount":"2.00","currency":"USD","note":")" +
      std::string(100000, 'n') + R"("})";
  WriteFile(dir / "in.jsonl", first + "\n" + conflict + "\n");
  fault::Timed t = Load(dir, dir / "in.jsonl", dir / "wh.duckdb");
  ASSERT_EQ(t.result.exit_code, 0) << t.result;
  EXPECT_EQ(Json::Parse(t.result.out)["quarantined_by_reason"]["DUPLICATE_CONFLICT"].Int(), 1);
  EXPECT_EQ(DumpQuery(dir / "wh.duckdb", "SELECT source_line, length(raw) AS kept, raw_size FROM quarantine"),
            "source_line|kept|raw_size\n2|65536|" + std::to_string(conflict.size()) + "\n");
}

// A producer that appends to a landing file after it was loaded: the file
// has a new content hash, so it is read again whole. Its accepted lines come
// back as duplicates (nothing doubled), and its rejected lines must not be
// quarantined a second time either: one quarantine row per bad line.
TEST(Hostile, AFileThatGrowsAfterItsLoadIsNotQuarantinedTwice) {
  TempDir dir;
  const std::string file = dir / "landing.jsonl";
  const std::string a1 =
      R"({"event_id":"a1","event_type":"order_placed","order_id":"o1","occurred_at":"2025-01-02T10:00:00Z","customer_id":"c","amount":"1.00","currency":"USD"})";
  const std::string a2 =
      R"({"event_id":"a2","event_type":"order_placed","order_id":"o2","occurred_at":"2025-01-02T11:00:00Z","customer_id":"c","amount":"2.00","currency":"USD"})";
  WriteFile(file, a1 + "\nnot json\n");
  ASSERT_EQ(Load(dir, file, dir / "wh.duckdb").result.exit_code, 0);
  WriteFile(file, a1 + "\nnot json\n" + a2 + "\n");
  fault::Timed t = Load(dir, file, dir / "wh.duckdb");
  ASSERT_EQ(t.result.exit_code, 0) << t.result;
  EXPECT_EQ(Scalar(dir / "wh.duckdb", "SELECT string_agg(event_id, ',' ORDER BY event_id) FROM order_events"), "a1,a2");
  EXPECT_EQ(Scalar(dir / "wh.duckdb",
                   "SELECT coalesce(string_agg(source_line || ' x' || n, ', '), 'none') FROM "
                   "(SELECT source_line, count(*) AS n FROM quarantine GROUP BY ALL HAVING count(*) > 1)"),
            "none")
      << "a bad line of a grown file was quarantined again";
}

}  // namespace
}  // namespace e2e
