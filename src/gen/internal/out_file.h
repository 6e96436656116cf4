// File: gen/internal/out_file.h
//
// Internal to src/gen. A big-block output file: callers format straight into
// its buffer, which goes to disk with one fwrite per few megabytes, on a
// thread of its own while the caller fills the other of two buffers. The file
// is written under a hidden temporary name in the target's folder and
// renamed over the target by Finish(), so readers never see a partial file;
// if Finish() is not reached the temporary is removed. "-" is stdout;
// devices and pipes are written in place.
//
//   DAYBOOK_ASSIGN_OR_RETURN(auto f, OutFile::Create(path));
//   char* p = f->Reserve(1024);  p = Write(p);  f->Commit(p);
//   DAYBOOK_RETURN_IF_ERROR(f->Finish());
#pragma once

#include <cstdio>
#include <future>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace daybook::gen {

class OutFile {
 public:
  static Result<std::unique_ptr<OutFile>> Create(const std::string& path);
  ~OutFile();
  OutFile(const OutFile&) = delete;
  OutFile& operator=(const OutFile&) = delete;

  // At least `n` writable bytes (n <= 1 MiB); write, then Commit the end.
  char* Reserve(size_t n) {
    if (capacity_ - used_ < n) Flush();
    return buffer_.get() + used_;
  }
  void Commit(char* end) { used_ = static_cast<size_t>(end - buffer_.get()); }
  void Append(std::string_view s);

  // The first write error so far (a full disk stops nothing by itself).
  const Status& status() const { return status_; }
  // Flushes, closes and renames into place. Names the file on error.
  Status Finish();

 private:
  OutFile(std::string path, std::string temp, FILE* f);
  // Hands the filled buffer to the writer and continues in the other one.
  void Flush();
  // Waits for the write in flight, if any, and records its error.
  void WaitForWrite();

  std::string path_, temp_;  // temp_ empty when writing in place
  FILE* file_;
  std::unique_ptr<char[]> buffer_, spare_;  // spare_: being written, or free
  size_t capacity_, used_ = 0;
  std::future<int> writing_;  // errno of the write in flight (0: written)
  Status status_;
  bool finished_ = false;
};

}  // namespace daybook::gen
