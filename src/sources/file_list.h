// File: sources/file_list.h
//
// Which files a `files` source reads, and how a file is recognised when it
// is seen again (the warehouse's file manifest keys on the fingerprint).
//
//   DAYBOOK_ASSIGN_OR_RETURN(std::vector<std::string> files,
//                            ExpandGlob("/data/landing/*.jsonl*"));
//   for (const std::string& f : files) {
//     DAYBOOK_ASSIGN_OR_RETURN(FileFingerprint fp, Fingerprint(f));
//     if (AlreadyLoaded(fp)) continue;
//     ...
//   }
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace daybook {

// The files matching a glob(3) pattern (*, ?, [...]; no braces, no '~'), as
// absolute, lexically normal paths sorted bytewise. No match (including a
// missing folder) is an empty vector, not an error. A match that is a
// directory, or a folder that cannot be read while matching, is an IoError
// naming it: a source reads files only.
Result<std::vector<std::string>> ExpandGlob(const std::string& pattern);

struct FileFingerprint {
  int64_t size = 0;          // bytes as stored
  std::string content_hash;  // 32 lower-case hex chars: XXH3-128 of the bytes
                             // as stored (the compressed bytes of a .gz), in
                             // xxhash's canonical order (as `xxh128sum` prints)
  bool operator==(const FileFingerprint&) const = default;
};

// Reads the whole file in 1 MiB blocks. NotFound if it does not exist,
// IoError naming the path and the system's reason if it cannot be read, or
// its kind if it is not a regular file (a FIFO, socket or device matched by
// a glob is refused at once instead of blocking or never ending).
Result<FileFingerprint> Fingerprint(const std::string& path);

}  // namespace daybook
