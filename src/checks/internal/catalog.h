// File: checks/internal/catalog.h — internal to checks/ (and its tests).
//
// The built-in checks: which model each guards, its default severity, the
// parameters it accepts (with their defaults) and the function that runs
// it. check_config.cc validates daybook.yml against this table; runner.cc
// runs it in order.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "checks/check.h"
#include "checks/check_config.h"
#include "core/config.h"

namespace daybook {

class CheckEnv;  // internal/check_env.h

namespace checks_internal {

enum class ParamKind {
  kCount,     // a non-negative integer
  kWeeks,     // an integer 1..52
  kRatio,     // a number >= 0
  kNumber,    // a number > 0
  kDuration,  // "90s", "2h", "1d" -> microseconds
};

struct ParamSpec {
  const char* name;
  ParamKind kind;
  double fallback;          // NaN: no default (present only when configured)
  const char* quality_key;  // when set, the default comes from quality.<key>
};

// Appends the check's results. Fills observed/expected/message/status and
// business_date; the runner fills check, model and severity.
using CheckFn = Status (*)(const CheckEnv& env, std::vector<CheckResult>* out);

struct CheckDef {
  const char* model;
  const char* check;
  Severity severity;
  std::vector<ParamSpec> params;
  CheckFn run;
};

const std::vector<CheckDef>& Catalog();

// The default value of a parameter for this configuration (NaN: none).
double DefaultParam(const ParamSpec& p, const Config& config);

// The check functions (one file each).
Status VolumePerRun(const CheckEnv& env, std::vector<CheckResult>* out);       // volume.cc
Status VolumeDaily(const CheckEnv& env, std::vector<CheckResult>* out);        // volume.cc
Status FreshnessEvents(const CheckEnv& env, std::vector<CheckResult>* out);    // freshness.cc
Status FreshnessDaily(const CheckEnv& env, std::vector<CheckResult>* out);     // freshness.cc
Status KeysCheck(const CheckEnv& env, std::vector<CheckResult>* out);          // keys.cc
// Above this many rows in its scope, KeysCheck finds repeated keys by one
// aggregation over the table rather than a semi-join built from the scope
// (which DuckDB does not spill). Tests lower it to take both paths.
int64_t& KeysSemiJoinScopeRows();                                               // keys.cc
// At most this many keys are held in memory at once when KeysCheck looks
// for repeated hashes in a whole table (read in passes above it). Tests
// lower it to take several passes.
int64_t& KeysPerPass();                                                         // keys.cc
Status DropRate(const CheckEnv& env, std::vector<CheckResult>* out);           // drop_rate.cc
Status SchemaDriftCheck(const CheckEnv& env, std::vector<CheckResult>* out);   // drift.cc
Status DuplicateConflicts(const CheckEnv& env, std::vector<CheckResult>* out); // conflicts.cc
Status ExcludedEvents(const CheckEnv& env, std::vector<CheckResult>* out);     // excluded.cc
Status ReconcileOrders(const CheckEnv& env, std::vector<CheckResult>* out);    // reconciliation.cc
Status ReconcileDaily(const CheckEnv& env, std::vector<CheckResult>* out);     // reconciliation.cc
Status RestatementSize(const CheckEnv& env, std::vector<CheckResult>* out);    // restatement.cc
Status Anomaly(const CheckEnv& env, std::vector<CheckResult>* out);            // anomaly.cc

}  // namespace checks_internal
}  // namespace daybook
