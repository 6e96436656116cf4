// File: pipeline/ingest.h  (internal to pipeline/)
//
// The read → decode → validate part of a run: turns input files into typed,
// validated events and quarantine rows, counting every line.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
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
  int32_t source_file_id = 0;  // its number in source_files (load/run_log.h)
};

// One batch of a run's input: at most the requested number of lines, in
// input order (a batch may span files).
struct IngestBatch {
  int64_t index = -1;                 // 0-based, in reading order; -1 for a batch not read
  std::vector<Event> events;          // decoded and validated, in input order
  std::vector<uint32_t> event_file;   // index into the input files, per event
  std::vector<QuarantineRow> rejected;
  std::vector<uint32_t> rejected_file;
  void clear() {
    index = -1;
    events.clear();
    event_file.clear();
    rejected.clear();
    rejected_file.clear();
  }
};

// Reads the input files in order, a batch at a time, so memory is bounded
// by the batch size rather than by the input. A file that cannot be read or
// a corrupt compressed stream is a fatal Status naming the file (and line).
class Ingester {
 public:
  Ingester(const std::vector<InputFile>& files, const Config& config, const TimeZone& tz,
           const FxTable& fx, Timestamp now,
           std::function<void(int64_t lines, int64_t bytes)> progress = nullptr);
  ~Ingester();

  // Replaces *out with the next batch of up to `max_lines` lines; returns
  // false (and an empty batch) once every file is read. Every batch but the
  // last has exactly `max_lines` lines (a batch may span files), so with
  // one `max_lines` for the run, line i of the input (0-based, over all
  // files) is in batch i / max_lines: what ScanOrderSpans relies on.
  Result<bool> Next(size_t max_lines, IngestBatch* out);

  // Lines read so far per file (complete once Next returned false).
  const std::vector<int64_t>& rows_read_per_file() const { return rows_read_per_file_; }
  const SchemaDrift& drift() const { return drift_; }

 private:
  struct State;
  const std::vector<InputFile>& files_;
  std::unique_ptr<State> state_;
  std::vector<int64_t> rows_read_per_file_;
  SchemaDrift drift_;
  std::function<void(int64_t, int64_t)> progress_;
};

// A line read again: its text (the first 64 KiB, as quarantine keeps it)
// and its full length in bytes.
struct RereadLine {
  std::string text;
  int64_t size = 0;
};

// Re-reads given 1-based line numbers of a file (for DUPLICATE_CONFLICT
// quarantine rows, whose raw text is not kept in memory). A line number past
// the end gives an empty line.
Result<std::vector<RereadLine>> ReadLines(const std::string& path, int64_t max_record_bytes,
                                          const std::vector<int64_t>& sorted_line_numbers);

}  // namespace daybook
