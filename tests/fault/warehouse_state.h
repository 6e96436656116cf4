// File: tests/fault/warehouse_state.h
//
// Comparing whole warehouses in the reliability tests: a digest of every
// data table (row count and an order-independent sum of row hashes, one
// DuckDB open for all tables), with the columns that name a run left out
// (a crash loop and a clean sequence of runs number their runs differently:
// a run killed after COMMIT is followed by a no-op run that still takes an
// id; files' mtimes are left out too), and the accounting of pipeline_runs summed over succeeded runs.
//
//   fault::State ref = fault::Capture(ref_db);
//   fault::State now = fault::Capture(db);
//   EXPECT_EQ(ref, now) << fault::Diff(ref_db, db);
//
// Also: ExecReadWrite, to tamper with a warehouse the way an older or newer
// Daybook (or a person) would. Header-only; not thread-safe.
#pragma once

#include <duckdb.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "e2e/harness.h"

namespace fault {

// Runs statements on `db` opened read-write (and closed again).
inline void ExecReadWrite(const std::string& db, const std::string& sql) {
  duckdb_database d = nullptr;
  duckdb_connection c = nullptr;
  if (duckdb_open(db.c_str(), &d) != DuckDBSuccess) throw std::runtime_error("cannot open " + db + " read-write");
  if (duckdb_connect(d, &c) != DuckDBSuccess) {
    duckdb_close(&d);
    throw std::runtime_error("cannot connect to " + db);
  }
  duckdb_result r;
  duckdb_state st = duckdb_query(c, sql.c_str(), &r);
  std::string err = st == DuckDBSuccess ? "" : (duckdb_result_error(&r) ? duckdb_result_error(&r) : "?");
  duckdb_destroy_result(&r);
  duckdb_disconnect(&c);
  duckdb_close(&d);
  if (st != DuckDBSuccess) throw std::runtime_error("on " + db + ": " + err + "\n  in: " + sql);
}

// The tables whose content a load determines (spec section 4 minus the logs
// of runs, checks and alerts).
inline const std::vector<std::string>& ContentTables() { return e2e::DataTables(); }

// Per table, the columns that record which run did something, and when a
// file was last modified (a file delivered again has a new mtime).
inline std::map<std::string, std::vector<std::string>> RunColumns(const std::string& db) {
  std::map<std::string, std::vector<std::string>> out;
  e2e::Rows r = e2e::Query(db,
                           "SELECT table_name, column_name FROM information_schema.columns "
                           "WHERE table_schema = 'main' AND (column_name LIKE '%run_id%' OR column_name = 'modified_ns') "
                           "ORDER BY ALL");
  for (size_t i = 0; i < r.size(); ++i) out[r.at(i, "table_name")].push_back(r.at(i, "column_name"));
  return out;
}

struct State {
  std::string digests;     // "table rows:hashsum" per content table
  std::string accounting;  // pipeline_runs summed over succeeded runs
  bool operator==(const State&) const = default;
};

inline std::string SelectWithout(const std::string& table, const std::vector<std::string>& exclude) {
  std::string cols = "*";
  if (!exclude.empty()) {
    cols = "* EXCLUDE (";
    for (size_t i = 0; i < exclude.size(); ++i) cols += (i ? ", " : "") + exclude[i];
    cols += ")";
  }
  return "SELECT " + cols + " FROM " + table;
}

// The state of `db`; a warehouse that does not exist yet, or whose schema
// was never committed, is the same as an empty one.
inline State Capture(const std::string& db) {
  if (!e2e::Exists(db) ||
      e2e::Scalar(db, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'pipeline_runs'") == "0") {
    State empty;
    std::vector<std::string> tables = ContentTables();
    std::sort(tables.begin(), tables.end());
    for (const std::string& t : tables) empty.digests += t + " 0:0\n";
    empty.accounting = "rows_read 0 accepted 0 duplicates 0 quarantined 0 files_loaded 0";
    return empty;
  }
  const auto run_cols = RunColumns(db);
  std::string sql;
  for (const std::string& t : ContentTables()) {
    auto it = run_cols.find(t);
    const std::string sel = SelectWithout(t, it == run_cols.end() ? std::vector<std::string>{} : it->second);
    if (!sql.empty()) sql += " UNION ALL ";
    sql += "SELECT '" + t + "' AS t, count(*)::VARCHAR || ':' || coalesce(sum(hash(x)::HUGEINT), 0)::VARCHAR AS d FROM (" +
           sel + ") x";
  }
  State s;
  e2e::Rows r = e2e::Query(db, "SELECT t, d FROM (" + sql + ") ORDER BY t");
  for (size_t i = 0; i < r.size(); ++i) s.digests += r.at(i, "t") + " " + r.at(i, "d") + "\n";
  s.accounting = e2e::Scalar(
      db,
      "SELECT concat_ws(' ', 'rows_read', coalesce(sum(rows_read), 0), 'accepted', coalesce(sum(accepted), 0), "
      "'duplicates', coalesce(sum(duplicates), 0), 'quarantined', coalesce(sum(quarantined), 0), "
      "'files_loaded', coalesce(sum(files_loaded), 0)) FROM pipeline_runs WHERE status = 'succeeded'");
  return s;
}

// A readable difference of two warehouses' content tables, for messages.
inline std::string Diff(const std::string& expected_db, const std::string& actual_db) {
  std::string out;
  const auto ea = RunColumns(expected_db), eb = RunColumns(actual_db);
  for (const std::string& t : ContentTables()) {
    auto ia = ea.find(t), ib = eb.find(t);
    std::string a = e2e::DumpQuery(expected_db, SelectWithout(t, ia == ea.end() ? std::vector<std::string>{} : ia->second));
    std::string b = e2e::DumpQuery(actual_db, SelectWithout(t, ib == eb.end() ? std::vector<std::string>{} : ib->second));
    if (a != b) out += "== " + t + " ==\n" + e2e::DiffText(a, b, 10);
  }
  return out.empty() ? "(content tables equal)\n" : out;
}

// The accounting invariant over all runs of a warehouse: for every run and in
// total, rows_read = accepted + duplicates + quarantined; what the succeeded
// runs accepted and quarantined is exactly what order_events and quarantine
// hold; no event_id is stored twice; no file is in the manifest twice.
// Returns "" when it holds, else what broke.
inline std::string AccountingProblems(const std::string& db) {
  if (!e2e::Exists(db) ||
      e2e::Scalar(db, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'pipeline_runs'") == "0") {
    return "";
  }
  e2e::Rows r = e2e::Query(
      db,
      "SELECT "
      "(SELECT count(*) FROM pipeline_runs WHERE rows_read <> accepted + duplicates + quarantined) AS bad_runs, "
      "(SELECT coalesce(sum(accepted), 0) FROM pipeline_runs WHERE status = 'succeeded') AS accepted, "
      "(SELECT count(*) FROM order_events) AS events, "
      "(SELECT coalesce(sum(quarantined), 0) FROM pipeline_runs WHERE status = 'succeeded') AS quarantined, "
      "(SELECT count(*) FROM quarantine) AS quarantine_rows, "
      "(SELECT count(*) - count(DISTINCT event_id) FROM order_events) AS doubled_events, "
      "(SELECT count(*) - count(DISTINCT content_hash) FROM loaded_files) AS doubled_files, "
      "(SELECT coalesce(sum(rows_read), 0) FROM loaded_files) AS manifest_rows, "
      "(SELECT coalesce(sum(rows_read), 0) FROM pipeline_runs WHERE status = 'succeeded') AS run_rows");
  std::string p;
  if (r.at(0, "bad_runs") != "0") p += r.at(0, "bad_runs") + " runs break rows_read = accepted + duplicates + quarantined; ";
  if (r.at(0, "accepted") != r.at(0, "events")) {
    p += "runs accepted " + r.at(0, "accepted") + " but order_events holds " + r.at(0, "events") + "; ";
  }
  if (r.at(0, "quarantined") != r.at(0, "quarantine_rows")) {
    p += "runs quarantined " + r.at(0, "quarantined") + " but quarantine holds " + r.at(0, "quarantine_rows") + "; ";
  }
  if (r.at(0, "doubled_events") != "0") p += r.at(0, "doubled_events") + " event_ids stored twice; ";
  if (r.at(0, "doubled_files") != "0") p += r.at(0, "doubled_files") + " files in the manifest twice; ";
  if (r.at(0, "manifest_rows") != r.at(0, "run_rows")) {
    p += "the manifest counts " + r.at(0, "manifest_rows") + " rows, the runs " + r.at(0, "run_rows") + "; ";
  }
  return p;
}

}  // namespace fault
