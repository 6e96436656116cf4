// File: sources/source.h
//
// The first stage of the data's path: something that hands out raw records
// (one NDJSON line each) in order. Files are the only source today
// (sources/line_reader.h); later sources (Kafka, HTTP) implement the same
// interface so the stages after this one never care where a line came from.
//
//   std::unique_ptr<RecordSource> src = ...;  // e.g. LineReader::Open(...)
//   RawLine line;
//   for (;;) {
//     Result<bool> more = src->Next(&line);
//     if (!more.ok()) return more.status();   // fatal: corrupt stream, I/O
//     if (!*more) break;                      // end of input
//     if (line.oversized) { /* OVERSIZED_RECORD at src->Origin():line_no */ }
//     else Decode(line.bytes);
//   }
//
// A source is used by one thread at a time. Per-record problems (an oversized
// line) are data in RawLine; only fatal problems come back as a Status.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace daybook {

// Readable bytes guaranteed after the end of every RawLine::bytes, so a
// parser such as simdjson may read past the end without copying the line.
inline constexpr size_t kRecordPadding = 64;

// An oversized record keeps only this many leading bytes (for the
// quarantine row and its message); the rest is skipped, never buffered.
inline constexpr size_t kOversizedPrefixBytes = 4096;

struct RawLine {
  // The record without its '\n' and without a trailing '\r'. Points into the
  // source's buffer: valid until the next Next() call, followed by at least
  // kRecordPadding readable bytes. May contain NUL bytes.
  std::string_view bytes;
  // 1-based position in the source: the physical line number in the
  // (decompressed) file, counting the blank lines that were skipped.
  int64_t line_no = 0;
  // The record was longer than the source's limit: `bytes` holds only its
  // first kOversizedPrefixBytes bytes.
  bool oversized = false;
  // Length of the whole record in bytes (== bytes.size() unless oversized).
  int64_t full_size = 0;
};

class RecordSource {
 public:
  virtual ~RecordSource() = default;

  // Fills *line with the next non-blank record and returns true, or returns
  // false at the end of the input. Blank records (empty, or only spaces,
  // tabs and '\r') are skipped. An error status is fatal for this source.
  virtual Result<bool> Next(RawLine* line) = 0;

  // What the records come from, as it appears in a record's locator: the
  // file path (later: "topic/partition"). With RawLine::line_no it makes a
  // core Locator.
  virtual std::string Origin() const = 0;
};

}  // namespace daybook
