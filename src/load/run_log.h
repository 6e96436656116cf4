// File: load/run_log.h
//
// The run's own bookkeeping in the warehouse: run ids, the file manifest
// (`loaded_files`, keyed by content hash so a re-delivered file is skipped),
// the numbering of input files that events refer to (`source_files`), the
// run record (`pipeline_runs`) and schema drift (`schema_drift`). Run
// inside the run's transaction so they commit with the data, except
// RecordRun for a failed run, which the caller commits on its own.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/time.h"
#include "load/warehouse.h"

namespace daybook {

Result<int64_t> NextRunId(Warehouse& wh);

struct LoadedFile {
  std::string path, source, content_hash;
  int64_t size_bytes = 0, modified_ns = 0;
  int64_t rows_read = 0, accepted = 0, duplicates = 0, quarantined = 0;
};

// Manifest rows loaded from any of these paths (to skip a file whose path,
// size and modification time are unchanged without hashing it again).
Result<std::vector<LoadedFile>> LoadedFilesByPath(Warehouse& wh, const std::vector<std::string>& paths);
// Content hashes (of the given ones) already in loaded_files.
Result<std::vector<std::string>> LoadedHashes(Warehouse& wh, const std::vector<std::string>& hashes);
Status RecordLoadedFiles(Warehouse& wh, const std::vector<LoadedFile>& files, int64_t run_id, Timestamp now);

// The number `source_files` gives each (source, path) — what order_events
// stores as source_file_id — in the order given. A pair not numbered yet
// gets the next number, written by this call (in the caller's transaction),
// with run_id as its first run.
struct SourceFile {
  std::string source, path;
};
Result<std::vector<int32_t>> NumberSourceFiles(Warehouse& wh, const std::vector<SourceFile>& files, int64_t run_id);

struct RunRecord {
  int64_t run_id = 0;
  std::string command = "run";
  std::string status;  // succeeded | failed
  Timestamp started_at, finished_at;
  int64_t duration_ms = 0;
  int64_t rows_read = 0, accepted = 0, duplicates = 0, quarantined = 0;
  std::map<std::string, int64_t> quarantined_by_reason;
  int64_t files_loaded = 0, files_skipped = 0;
  int64_t affected_orders = 0, affected_dates = 0, published_days = 0, restated_days = 0;
  double drop_rate = 0, max_drop_rate = 0;
  std::vector<std::pair<std::string, int64_t>> stage_ms;
  std::string error;
  std::string sample_rejections_json;  // JSON array, "" for none
};
Status RecordRun(Warehouse& wh, const RunRecord& r);

struct DriftField {
  std::string name;
  int64_t count = 0;
  std::string first_locator;
};
Status RecordSchemaDrift(Warehouse& wh, const std::vector<DriftField>& fields, int64_t run_id, Timestamp now);

}  // namespace daybook
