// File: sources/line_reader.h
//
// Reads an NDJSON file, plain or gzip-compressed, one line at a time, with
// large reads and no per-line allocation.
//
//   auto reader = LineReader::Open("/data/landing/2024-06-01.jsonl.gz",
//                                  cfg.sources[0].max_record_bytes);
//   if (!reader.ok()) return reader.status();      // NotFound / IoError
//   RawLine line;
//   while (true) {
//     DAYBOOK_ASSIGN_OR_RETURN(bool more, (*reader)->Next(&line));
//     if (!more) break;
//     Handle(line.bytes, line.line_no);
//   }
//
// Contract (see RecordSource for RawLine):
// - gzip is recognised by its magic bytes (1f 8b), not by the file name;
//   several concatenated gzip members are read as one stream; bytes after a
//   member that are not another member are Corrupt (never silently ignored).
// - A UTF-8 byte order mark at the very start of the file is removed.
// - Lines are split on '\n'; a trailing '\r' is removed; a last line without
//   '\n' is returned; NUL bytes are ordinary bytes.
// - A line longer than max_record_bytes (after '\r' removal) comes back with
//   oversized = true, its first kOversizedPrefixBytes bytes and its
//   full_size. The rest is skipped while counting, so memory stays bounded
//   by max(4 MiB, max_record_bytes) whatever the input.
// - Errors: Open gives NotFound (no such file) or IoError (cannot open, a
//   directory). Next gives Corrupt for a truncated or corrupt gzip stream,
//   naming the file and the last complete line ("….gz: unexpected end of
//   compressed data after line 1234"), and IoError for read errors. After an
//   error the reader must not be used again.
// Not thread-safe; one reader per file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "sources/source.h"

namespace daybook {

class LineReader : public RecordSource {
 public:
  static Result<std::unique_ptr<LineReader>> Open(const std::string& path,
                                                  int64_t max_record_bytes);

  // Inherited: Result<bool> Next(RawLine* line); std::string Origin() const
  // (the path as given to Open).

  // Bytes of the file as stored consumed so far (compressed bytes for gzip):
  // for progress reporting against the file size.
  virtual int64_t StoredBytesRead() const = 0;
  // True for a gzip file.
  virtual bool compressed() const = 0;
};

}  // namespace daybook
