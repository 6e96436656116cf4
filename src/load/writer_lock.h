// File: load/writer_lock.h
//
// One writer at a time (spec §3). A WriterLock is an exclusive flock(2) on
// "<warehouse>.lock" holding the owner's PID and command; the kernel drops
// it when the process dies (even by SIGKILL), so a crash never leaves a
// stale lock. A second writer gets Locked (exit 3) naming the holder.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"

namespace daybook {

class WriterLock {
 public:
  static Result<std::unique_ptr<WriterLock>> Acquire(const std::string& warehouse_path,
                                                     const std::string& command);
  ~WriterLock();

 private:
  int fd_ = -1;
};

}  // namespace daybook
