// File: pipeline/ingest.h  (internal to pipeline/)
//
// The read → decode → validate part of a run: turns input files into typed,
// validated events and quarantine rows, counting every line.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/event.h"
#include "core/fx.h"
#include "core/time.h"
#include "decode/decoder.h"
#include "load/event_store.h"
#include "load/run_log.h"

namespace daybook {

struct InputFile {
  std::string path;
  std::string source;
  int64_t max_record_bytes = 1 << 20;
  int64_t size = 0;
  int64_t modified_ns = 0;
  std::string content_hash;
};

struct IngestResult {
  std::vector<Event> events;          // decoded and validated, in input order
  std::vector<uint32_t> event_file;   // index into the input files, per event
  std::vector<QuarantineRow> rejected;
  std::vector<uint32_t> rejected_file;
  std::vector<int64_t> rows_read_per_file;
  SchemaDrift drift;
};

// Reads every file completely. A file that cannot be read or a corrupt
// compressed stream is a fatal Status naming the file (and line).
Result<IngestResult> IngestFiles(const std::vector<InputFile>& files, const Config& config,
                                 const TimeZone& tz, const FxTable& fx, Timestamp now,
                                 const std::function<void(int64_t lines, int64_t bytes)>& progress);

// Re-reads given 1-based line numbers of a file (for DUPLICATE_CONFLICT
// quarantine rows, whose raw text is not kept in memory).
Result<std::vector<std::string>> ReadLines(const std::string& path, int64_t max_record_bytes,
                                           const std::vector<int64_t>& sorted_line_numbers);

}  // namespace daybook
