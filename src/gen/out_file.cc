// Implements gen/internal/out_file.h.
#include "gen/internal/out_file.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace daybook::gen {
namespace {

constexpr size_t kBufferBytes = 8 << 20;

std::string TempPathFor(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  return dir + "." + base + ".gen-tmp";
}

}  // namespace

Result<std::unique_ptr<OutFile>> OutFile::Create(const std::string& path) {
  if (path == "-") return std::unique_ptr<OutFile>(new OutFile(path, "", stdout));
  struct stat st;
  bool in_place = ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
  std::string temp = in_place ? "" : TempPathFor(path);
  FILE* f = std::fopen(in_place ? path.c_str() : temp.c_str(), "wb");
  if (f == nullptr) {
    return IoError("cannot create '" + path + "': " + std::strerror(errno));
  }
  return std::unique_ptr<OutFile>(new OutFile(path, temp, f));
}

OutFile::OutFile(std::string path, std::string temp, FILE* f)
    : path_(std::move(path)),
      temp_(std::move(temp)),
      file_(f),
      buffer_(new char[kBufferBytes]),
      spare_(new char[kBufferBytes]),
      capacity_(kBufferBytes) {}

OutFile::~OutFile() {
  if (finished_) return;
  WaitForWrite();
  if (file_ != stdout) std::fclose(file_);
  if (!temp_.empty()) std::remove(temp_.c_str());
}

void OutFile::Append(std::string_view s) {
  while (!s.empty()) {
    size_t n = std::min(s.size(), capacity_ / 2);
    std::memcpy(Reserve(n), s.data(), n);
    used_ += n;
    s.remove_prefix(n);
  }
}

void OutFile::Flush() {
  if (used_ == 0) return;
  WaitForWrite();  // spare_ is free again
  std::swap(buffer_, spare_);
  const char* data = spare_.get();
  const size_t n = used_;
  used_ = 0;
  if (!status_.ok()) return;  // after a failed write, nothing more is written
  FILE* f = file_;
  writing_ = std::async(std::launch::async, [f, data, n] { return std::fwrite(data, 1, n, f) == n ? 0 : (errno != 0 ? errno : EIO); });
}

void OutFile::WaitForWrite() {
  if (!writing_.valid()) return;
  const int err = writing_.get();
  if (err != 0 && status_.ok()) status_ = IoError("writing '" + path_ + "' failed: " + std::strerror(err));
}

Status OutFile::Finish() {
  Flush();
  WaitForWrite();
  finished_ = true;
  bool close_failed = file_ == stdout ? std::fflush(file_) != 0 : std::fclose(file_) != 0;
  if (status_.ok() && close_failed) {
    status_ = IoError("writing '" + path_ + "' failed: " + std::strerror(errno));
  }
  if (!temp_.empty()) {
    if (status_.ok() && std::rename(temp_.c_str(), path_.c_str()) != 0) {
      status_ = IoError("cannot move '" + temp_ + "' to '" + path_ + "': " + std::strerror(errno));
    }
    if (!status_.ok()) std::remove(temp_.c_str());
  }
  return status_;
}

}  // namespace daybook::gen
