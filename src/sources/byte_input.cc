#include "sources/byte_input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace daybook {
namespace {

class PlainInput final : public ByteInput {
 public:
  PlainInput(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PlainInput() override { ::close(fd_); }

  Result<size_t> Read(char* dst, size_t n, int64_t lines_done) override {
    for (;;) {
      ssize_t r = ::read(fd_, dst, n);
      if (r >= 0) {
        stored_ += r;
        return static_cast<size_t>(r);
      }
      if (errno != EINTR) {
        return IoError(path_ + ": read failed after line " + std::to_string(lines_done) + ": " +
                       std::strerror(errno));
      }
    }
  }
  int64_t StoredBytesRead() const override { return stored_; }
  bool compressed() const override { return false; }

 private:
  int fd_;
  std::string path_;
  int64_t stored_ = 0;
};

// Inflates one or more concatenated gzip members. Unlike gzread, bytes after
// a member that do not start another member are an error, not ignored: a
// plain file appended to a .gz must not vanish silently.
class GzipInput final : public ByteInput {
 public:
  GzipInput(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~GzipInput() override {
    if (initialised_) inflateEnd(&zs_);
    ::close(fd_);
  }

  Status Init() {
    in_buf_.reset(new unsigned char[kGzInput]);
    if (inflateInit2(&zs_, 15 + 16) != Z_OK) return IoError(path_ + ": cannot start gzip decoder");
    initialised_ = true;
    return Status::Ok();
  }

  Result<size_t> Read(char* dst, size_t n, int64_t lines_done) override {
    auto where = [&] { return " after line " + std::to_string(lines_done); };
    if (!pending_.empty()) return Corrupt(path_ + ": " + pending_ + where() + " (" + detail_ + ")");
    zs_.next_out = reinterpret_cast<Bytef*>(dst);
    zs_.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    const uInt want = zs_.avail_out;
    while (zs_.avail_out > 0) {
      if (zs_.avail_in == 0 && !in_eof_) {
        ssize_t r = ::read(fd_, in_buf_.get(), kGzInput);
        if (r < 0) {
          if (errno == EINTR) continue;
          return IoError(path_ + ": read failed" + where() + ": " + std::strerror(errno));
        }
        stored_ += r;
        in_eof_ = r == 0;
        zs_.next_in = in_buf_.get();
        zs_.avail_in = static_cast<uInt>(r);
      }
      if (zs_.avail_in == 0) {  // end of the file
        if (in_member_) Fail("unexpected end of compressed data", "the gzip file is truncated");
        break;
      }
      int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        in_member_ = false;
        ++members_;
        inflateReset(&zs_);
      } else if (rc == Z_OK || rc == Z_BUF_ERROR) {
        in_member_ = true;
      } else {
        std::string what = "zlib: " + std::string(zs_.msg ? zs_.msg : "error " + std::to_string(rc));
        if (!in_member_ && members_ > 0) {
          Fail("trailing bytes are not gzip",
               "they follow gzip member " + std::to_string(members_) + "; " + what);
        } else {
          Fail("corrupt compressed data", what);
        }
        break;
      }
    }
    // Output produced before an error is handed on first, so that the error
    // names the last complete line precisely.
    size_t got = want - zs_.avail_out;
    if (got == 0 && !pending_.empty()) return Read(dst, n, lines_done);
    return got;
  }
  int64_t StoredBytesRead() const override { return stored_; }
  bool compressed() const override { return true; }

 private:
  static constexpr size_t kGzInput = 1 << 20;
  int fd_;
  std::string path_;
  z_stream zs_{};
  bool initialised_ = false;
  std::unique_ptr<unsigned char[]> in_buf_;
  bool in_eof_ = false;
  bool in_member_ = false;  // inside a member whose end has not been seen
  int64_t members_ = 0;
  int64_t stored_ = 0;
  std::string pending_;  // an error met after some output; reported next
  std::string detail_;

  void Fail(std::string what, std::string detail) {
    pending_ = std::move(what);
    detail_ = std::move(detail);
  }
};

}  // namespace

Result<int> OpenRegularFile(const std::string& path) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  // It changes nothing for a regular file, and is cleared below anyway.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    int err = errno;
    std::string why = "cannot open '" + path + "': " + std::strerror(err);
    return err == ENOENT ? NotFound(why) : IoError(why);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    std::string why = std::strerror(errno);
    ::close(fd);
    return IoError("cannot read '" + path + "': " + why);
  }
  if (!S_ISREG(st.st_mode)) {
    const char* kind = S_ISDIR(st.st_mode)    ? "is a directory"
                       : S_ISFIFO(st.st_mode) ? "is a FIFO (named pipe), not a regular file"
                       : S_ISSOCK(st.st_mode) ? "is a socket, not a regular file"
                       : S_ISCHR(st.st_mode)  ? "is a character device, not a regular file"
                       : S_ISBLK(st.st_mode)  ? "is a block device, not a regular file"
                                              : "is not a regular file";
    ::close(fd);
    return IoError("cannot read '" + path + "': " + kind);
  }
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) (void)::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  return fd;
}

Result<std::unique_ptr<ByteInput>> OpenByteInput(const std::string& path) {
  DAYBOOK_ASSIGN_OR_RETURN(int fd, OpenRegularFile(path));
#ifdef POSIX_FADV_SEQUENTIAL
  (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  unsigned char magic[2] = {0, 0};
  ssize_t got;
  do {
    got = ::pread(fd, magic, 2, 0);
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    std::string why = std::strerror(errno);
    ::close(fd);
    return IoError("cannot read '" + path + "': " + why);
  }
  std::unique_ptr<ByteInput> in;
  if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    auto gz = std::make_unique<GzipInput>(fd, path);
    DAYBOOK_RETURN_IF_ERROR(gz->Init());
    in = std::move(gz);
  } else {
    in = std::make_unique<PlainInput>(fd, path);
  }
  return in;
}

}  // namespace daybook
