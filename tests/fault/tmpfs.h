// File: tests/fault/tmpfs.h
//
// A small tmpfs mounted for one test (to fill it up, or to make it
// read-only), unmounted when the object goes away. Mounting needs root or
// CAP_SYS_ADMIN; where it is not permitted, ok() is false and why() says
// so, and the test skips with that message.
//
//   fault::Tmpfs fs(dir / "mnt", 32 << 20);
//   if (!fs.ok()) GTEST_SKIP() << fs.why();
//   fault::FillTo(fs.path(), 64 << 10);   // leave 64 KiB free
//   ...
//   fault::Unfill(fs.path());
//
// Header-only; not thread-safe.
#pragma once

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace fault {

class Tmpfs {
 public:
  Tmpfs(const std::string& path, int64_t bytes) : path_(path) {
    std::filesystem::create_directories(path);
    const std::string opts = "size=" + std::to_string(bytes) + ",mode=0755";
    if (::mount("tmpfs", path.c_str(), "tmpfs", 0, opts.c_str()) != 0) {
      why_ = "cannot mount a tmpfs at " + path + " (" + std::strerror(errno) +
             "; needs root or CAP_SYS_ADMIN): test skipped, not passed";
      return;
    }
    mounted_ = true;
  }
  ~Tmpfs() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  Tmpfs(const Tmpfs&) = delete;
  Tmpfs& operator=(const Tmpfs&) = delete;

  bool ok() const { return mounted_; }
  const std::string& why() const { return why_; }
  const std::string& path() const { return path_; }

  // Remounts read-only (or read-write again).
  void SetReadOnly(bool ro) {
    unsigned long flags = MS_REMOUNT | (ro ? MS_RDONLY : 0);
    if (::mount("tmpfs", path_.c_str(), "tmpfs", flags, nullptr) != 0) {
      throw std::runtime_error("remount " + path_ + ": " + std::strerror(errno));
    }
  }

 private:
  std::string path_;
  bool mounted_ = false;
  std::string why_;
};

// Bytes an unprivileged writer may still use in the file system of `path`.
inline int64_t FreeBytes(const std::string& path) {
  struct statvfs s {};
  if (::statvfs(path.c_str(), &s) != 0) throw std::runtime_error("statvfs " + path + ": " + std::strerror(errno));
  return static_cast<int64_t>(s.f_bavail) * static_cast<int64_t>(s.f_frsize);
}

// Grows <path>/.fill so that at most `leave` bytes stay free (whole pages).
inline void FillTo(const std::string& path, int64_t leave) {
  const std::string fill = path + "/.fill";
  int fd = ::open(fill.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("open " + fill + ": " + std::strerror(errno));
  const int64_t have = static_cast<int64_t>(::lseek(fd, 0, SEEK_END));
  const int64_t grow = FreeBytes(path) - leave;
  if (grow > 0 && ::posix_fallocate(fd, 0, have + grow) != 0) {
    // Not supported: write zeros until the file system refuses.
    static char zeros[1 << 16];
    int64_t left = grow;
    while (left > 0) {
      ssize_t n = ::write(fd, zeros, static_cast<size_t>(std::min<int64_t>(left, sizeof zeros)));
      if (n <= 0) break;
      left -= n;
    }
  }
  ::close(fd);
}

inline void Unfill(const std::string& path) { std::filesystem::remove(path + "/.fill"); }

}  // namespace fault
