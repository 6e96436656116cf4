// keys: uniqueness and not-null of each model's key (runner.h).
#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "checks/internal/catalog.h"
#include "checks/internal/check_env.h"

namespace daybook {
namespace checks_internal {
namespace {

struct KeySpec {
  const char* model;
  const char* column;
  const char* hash;        // a UBIGINT hash of the key to group on first, or nullptr
  const char* run_column;  // the column naming the run that wrote a row, or nullptr
  const char* day_column;  // the DATE column for the focus days, or nullptr (whole table)
};

constexpr KeySpec kKeys[] = {
    {"order_events", "event_id", "event_key", "run_id", "business_date"},
    {"fct_orders", "order_id", "order_key", "updated_run_id", "placed_date"},
    {"daily_revenue", "business_date", nullptr, nullptr, nullptr},
};

// At most this many repeated hashes are named to DuckDB in an IN list;
// more (a table full of copies) and DuckDB's own aggregation finds them.
constexpr size_t kMaxRepeatedListed = 1000;

// Sorts 64-bit keys: eight passes of an 8-bit radix through `scratch`
// (256 output streams a pass, which the caches and the TLB keep up with;
// 10M keys in 0.4 s, std::sort 0.8 s).
void RadixSort(std::vector<uint64_t>& keys, std::vector<uint64_t>& scratch) {
  scratch.resize(keys.size());
  size_t start[256];
  for (int shift = 0; shift < 64; shift += 8) {
    std::fill(std::begin(start), std::end(start), 0);
    for (uint64_t k : keys) ++start[(k >> shift) & 0xFF];
    size_t sum = 0;
    for (size_t& s : start) sum += std::exchange(s, sum);
    for (uint64_t k : keys) scratch[start[(k >> shift) & 0xFF]++] = k;
    keys.swap(scratch);
  }
}

// The values of UBIGINT column `h` of `t` that occur more than once, found
// in Daybook's memory: the column is read (a fast scan of 8 bytes a row),
// radix-sorted and walked. DuckDB's hash aggregation of the same 10M keys
// takes two to three times as long (building and paging in a table of 10M
// groups; decision 63). Memory stays bounded: above KeysPerPass() rows the
// table is read in passes, each keeping the keys of one residue of `h`.
// nullopt when more than kMaxRepeatedListed values repeat.
Result<std::optional<std::vector<uint64_t>>> RepeatedHashes(Warehouse& wh, const std::string& t,
                                                            const std::string& h) {
  DAYBOOK_ASSIGN_OR_RETURN(int64_t rows, QueryInt64OrZero(wh, "SELECT count(*) FROM " + t));
  const int64_t per_pass = std::max<int64_t>(1, KeysPerPass());
  const int64_t passes = std::max<int64_t>(1, (rows + per_pass - 1) / per_pass);
  std::vector<uint64_t> repeated, keys, scratch;
  for (int64_t p = 0; p < passes; ++p) {
    std::string sql = "SELECT " + h + " FROM " + t;
    if (passes > 1) sql += " WHERE " + h + " % " + std::to_string(passes) + " = " + std::to_string(p);
    keys.clear();
    keys.reserve(static_cast<size_t>(std::min(rows, per_pass + per_pass / 8)));
    {
      DAYBOOK_ASSIGN_OR_RETURN(auto result, wh.Query(sql));
      while (result->NextChunk()) {
        for (size_t r = 0; r < result->size(); ++r) keys.push_back(result->UInt64(0, r));
      }
      DAYBOOK_RETURN_IF_ERROR(result->status());
    }
    RadixSort(keys, scratch);
    for (size_t i = 1; i < keys.size(); ++i) {
      if (keys[i] != keys[i - 1] || (!repeated.empty() && repeated.back() == keys[i])) continue;
      if (repeated.size() == kMaxRepeatedListed) return std::optional<std::vector<uint64_t>>();
      repeated.push_back(keys[i]);
    }
  }
  return std::optional<std::vector<uint64_t>>(std::move(repeated));
}

}  // namespace

int64_t& KeysSemiJoinScopeRows() {
  static int64_t rows = 1000000;
  return rows;
}

int64_t& KeysPerPass() {
  static int64_t rows = int64_t{1} << 23;  // 128 MB of keys and sort scratch a pass
  return rows;
}

Status KeysCheck(const CheckEnv& env, std::vector<CheckResult>* out) {
  const KeySpec* k = nullptr;
  for (const auto& spec : kKeys) {
    if (env.settings.model == spec.model) k = &spec;
  }
  if (!k) return Internal("no key known for model " + env.settings.model);
  const std::string t = k->model, col = k->column;

  // Scope: for a run, the rows it wrote; for `daybook check` alone, the rows
  // of the focus days (fct_orders: placed on them, or never placed) — both
  // compared with the whole table. daily_revenue is small: all of it.
  std::string scope_rows, scope_text = "all rows";
  if (env.ctx.run && k->run_column) {
    scope_rows = std::string(k->run_column) + " = " + std::to_string(env.ctx.run->run_id);
    scope_text = "rows written by run " + std::to_string(env.ctx.run->run_id);
  } else if (k->day_column) {
    scope_rows = "(" + env.FocusFilter(k->day_column) +
                 (t == "fct_orders" ? " OR " + std::string(k->day_column) + " IS NULL)" : ")");
    scope_text = "rows of " + env.FocusText();
  }
  std::string dups, candidates_sql;
  // No repeated hash in scope, no repeated key: the key strings need not be
  // read at all (the usual case, and on 10M rows most of the check's time).
  bool candidates_exist = true;
  if (k->hash) {
    const std::string h = k->hash;
    std::string candidates;
    int64_t scope_count = 0;
    if (!scope_rows.empty()) {
      DAYBOOK_ASSIGN_OR_RETURN(scope_count,
                               QueryInt64OrZero(env.wh, "SELECT count(*) FROM " + t + " WHERE " + scope_rows));
    }
    if (!scope_rows.empty() && scope_count <= KeysSemiJoinScopeRows()) {
      // A small scope (a late batch) is probed against the table through a
      // semi-join built from the scope's hashes.
      candidates = "SELECT " + h + " FROM " + t + " WHERE " + h + " IN (SELECT " + h + " FROM " + t + " WHERE " +
                   scope_rows + ") GROUP BY " + h + " HAVING count(*) > 1";
    } else {
      // The whole table, or a large scope (a first load, `daybook check`
      // over years), whose semi-join would be as large as the table:
      // the hashes repeated anywhere in the table, found by Daybook
      // (RepeatedHashes), then kept when one of their rows is in scope.
      // When too many repeat, one aggregation by DuckDB over the table that
      // remembers whether a hash occurs in scope gives the same hashes
      // (and spills under warehouse.memory_limit when it must).
      DAYBOOK_ASSIGN_OR_RETURN(std::optional<std::vector<uint64_t>> repeated, RepeatedHashes(env.wh, t, h));
      std::string where;
      if (repeated) {
        candidates_exist = !repeated->empty();  // none: the SQL below is never run
        for (uint64_t v : *repeated) where += (where.empty() ? "" : ", ") + std::to_string(v) + "::UBIGINT";
        if (candidates_exist) where = " WHERE " + h + " IN (" + where + ")";
      }
      candidates = "SELECT " + h + " FROM " + t + where + " GROUP BY " + h + " HAVING count(*) > 1" +
                   (scope_rows.empty() ? "" : " AND bool_or(" + scope_rows + ")");
    }
    candidates_sql = candidates;
    // Only values the scope holds (hash collisions aside), looked up among
    // the candidates' rows only.
    std::string in_scope = scope_rows.empty() ? ""
                                              : " AND " + col + " IN (SELECT " + col + " FROM " + t + " WHERE " +
                                                    scope_rows + " AND " + h + " IN (" + candidates + "))";
    dups = "SELECT " + col + " AS v, count(*) AS n FROM " + t + " WHERE " + h + " IN (" + candidates + ")" +
           in_scope + " AND " + col + " IS NOT NULL GROUP BY " + col + " HAVING count(*) > 1";
  } else {
    dups = "SELECT " + col + " AS v, count(*) AS n FROM " + t + " WHERE " + col + " IS NOT NULL GROUP BY " + col +
           " HAVING count(*) > 1";
  }
  int64_t duplicated = 0;
  std::string examples;
  if (k->hash && candidates_exist) {
    DAYBOOK_ASSIGN_OR_RETURN(int64_t n, QueryInt64OrZero(env.wh, "SELECT count(*) FROM (" + candidates_sql + ")"));
    candidates_exist = n > 0;
  }
  if (candidates_exist) {
    // The total as a scalar subquery, not count(*) OVER (): DuckDB 1.4.4's
    // window operator intermittently fails on tiny inputs under load
    // (docs/decisions.md, 51).
    DAYBOOK_ASSIGN_OR_RETURN(auto rows, env.wh.Query("WITH d AS (" + dups + ") SELECT CAST(v AS VARCHAR), n, "
                                                     "(SELECT count(*) FROM d) FROM d ORDER BY n DESC, 1 LIMIT 5"));
    while (rows->NextChunk()) {
      for (size_t r = 0; r < rows->size(); ++r) {
        duplicated = rows->Int64(2, r);
        examples += (examples.empty() ? "" : ", ") + ("'" + std::string(rows->String(0, r)) + "' x" +
                                                       std::to_string(rows->Int64(1, r)));
      }
    }
    DAYBOOK_RETURN_IF_ERROR(rows->status());
  }

  // NOT NULL: guaranteed by the schema when the column has the constraint.
  DAYBOOK_ASSIGN_OR_RETURN(std::string nullable, env.wh.QueryScalar(
      "SELECT is_nullable FROM information_schema.columns WHERE table_schema = 'main' AND table_name = " +
      SqlQuote(t) + " AND column_name = " + SqlQuote(col)));
  int64_t nulls = 0;
  if (nullable != "NO") {
    DAYBOOK_ASSIGN_OR_RETURN(nulls, QueryInt64OrZero(env.wh, "SELECT count(*) FROM " + t + " WHERE " + col +
                                                                 " IS NULL" +
                                                                 (scope_rows.empty() ? "" : " AND " + scope_rows)));
  }

  CheckResult r = env.Make(duplicated > 0 || nulls > 0);
  r.observed = std::to_string(duplicated) + " duplicated, " + std::to_string(nulls) + " NULL";
  r.expected = "unique, not null";
  std::string what = t + "." + col + ": ";
  if (duplicated) {
    what += std::to_string(duplicated) + (duplicated == 1 ? " value appears" : " values appear") +
            " more than once (" + examples + (duplicated > 5 ? ", …" : "") + ")";
  } else {
    what += "unique";
  }
  what += nulls ? "; " + std::to_string(nulls) + " NULL" + (nulls == 1 ? " value" : " values")
                : std::string("; no NULLs") + (nullable == "NO" ? " (NOT NULL constraint)" : "");
  r.message = what + " [" + scope_text + "]";
  out->push_back(std::move(r));
  return Status::Ok();
}

}  // namespace checks_internal
}  // namespace daybook
