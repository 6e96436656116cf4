// File: core/config.h
//
// daybook.yml (spec §2), checked once at start-up before any data moves:
// wrong types and unknown keys are errors that name the file, line and key
// (with a "did you mean" suggestion). Every key has a default, so an empty
// or absent file is a valid configuration. Relative paths are resolved
// against the folder of the file.
//
//   Result<Config> cfg = LoadConfig("daybook.yml");        // or
//   Result<Config> cfg = DefaultConfig(current_dir);
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace daybook {

struct SourceConfig {
  std::string name = "landing";
  std::string type = "files";
  std::string path;                    // absolute glob
  int64_t max_record_bytes = 1 << 20;  // longer lines are OVERSIZED_RECORD
};

// A later contract version: which name each canonical field has in it.
// Canonical names are those of contract v1 (spec §1).
struct ContractVersion {
  int version = 1;
  std::map<std::string, std::string> fields;  // canonical -> name in this version
};

struct Config {
  std::string source_file;  // the YAML file read, or "" for built-in defaults
  std::string base_dir;     // folder relative paths are resolved against

  std::string warehouse_path;  // absolute
  // Lines read, checked and loaded per batch (warehouse.batch_events): a
  // run's memory is bounded by it, not by the size of its input.
  int64_t batch_events = 250000;
  // DuckDB's memory limit while Daybook writes (warehouse.memory_limit, a
  // DuckDB size such as "1GB"); past it DuckDB spills to <warehouse>.tmp/.
  std::string memory_limit = "512MB";

  std::string timezone = "UTC";
  std::string reporting_currency = "USD";
  int daily_close_minutes = 7 * 60;
  int restatement_window_days = 35;
  int64_t max_clock_skew_micros = 5LL * 60 * 1000000;

  std::optional<std::string> fx_rates_path;  // absolute
  int fx_max_staleness_days = 3;

  std::vector<SourceConfig> sources;

  double max_drop_rate = 0.01;
  int64_t min_rows_per_run = 1;
  double restatement_alert_ratio = 0.005;

  std::vector<ContractVersion> contracts;  // beyond v1, which is built in

  // Default owner of every documented model (top-level `owner:`); a model
  // may override it with models.<name>.owner.
  std::string default_owner = "data-platform";

  // Sections owned by later stages (checks, alerts, documentation) are kept
  // as YAML text and validated by the stage that reads them.
  std::string models_yaml;
  std::string alerts_yaml;
};

// Built-in defaults with paths relative to `base_dir`.
Config DefaultConfig(const std::string& base_dir);

// Reads and checks a daybook.yml.
Result<Config> LoadConfig(const std::string& path);

// The closest candidate to `word` by edit distance, or "" if none is close.
std::string Suggest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace daybook
