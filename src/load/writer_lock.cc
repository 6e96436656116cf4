#include "load/writer_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace daybook {

Result<std::unique_ptr<WriterLock>> WriterLock::Acquire(const std::string& warehouse_path,
                                                        const std::string& command) {
  if (warehouse_path == ":memory:") return std::make_unique<WriterLock>();
  std::string path = warehouse_path + ".lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return IoError("cannot create lock file " + path + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[256] = {0};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    std::string holder = n > 0 ? std::string(buf, n) : "another process";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    return Locked("warehouse " + warehouse_path + " is locked by " + holder +
                  "; only one writer at a time (exit 3)");
  }
  std::string who = "pid " + std::to_string(::getpid()) + " (daybook " + command + ")\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, who.data(), who.size(), 0) < 0) {
    // The lock holds regardless; the text only helps the message above.
  }
  auto lock = std::make_unique<WriterLock>();
  lock->fd_ = fd;
  return lock;
}

WriterLock::~WriterLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace daybook
