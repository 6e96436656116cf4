// File: sources/byte_input.h — internal to sources/
//
// The bytes of a file: as stored for a plain file, inflated for gzip
// (recognised by its magic bytes 1f 8b; concatenated members are one stream;
// anything after a member that is not another member is Corrupt). The line
// splitting lives in line_reader.cc; this is only the byte stream under it.
//
//   DAYBOOK_ASSIGN_OR_RETURN(std::unique_ptr<ByteInput> in, OpenByteInput(path));
//   DAYBOOK_ASSIGN_OR_RETURN(size_t n, in->Read(buf, sizeof buf, lines_so_far));
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"

namespace daybook {

class ByteInput {
 public:
  virtual ~ByteInput() = default;
  // Reads up to n > 0 bytes; 0 only at the end of the input. `lines_done`
  // only makes error messages say where the stream broke ("… after line
  // 1234"): Corrupt for a truncated or corrupt gzip stream (bytes inflated
  // before the fault are returned first), IoError for read errors.
  virtual Result<size_t> Read(char* dst, size_t n, int64_t lines_done) = 0;
  // Bytes of the file as stored consumed so far.
  virtual int64_t StoredBytesRead() const = 0;
  // True for a gzip stream (the bytes are inflated as they are read).
  virtual bool compressed() const = 0;
};

// NotFound if `path` does not exist; IoError if it cannot be opened or read,
// or is not a regular file (see OpenRegularFile).
Result<std::unique_ptr<ByteInput>> OpenByteInput(const std::string& path);

// Opens `path` read-only (close-on-exec) and returns the descriptor, which
// the caller closes. Only a regular file (or a symlink to one) is opened: a
// directory, FIFO, socket or device is an IoError naming the path and its
// kind, and the open never blocks on it (a FIFO without a writer would wait
// forever; /dev/zero would never end). NotFound if `path` does not exist.
Result<int> OpenRegularFile(const std::string& path);

}  // namespace daybook
