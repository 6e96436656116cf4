#include "sources/line_reader.h"

#include <algorithm>
#include <cstring>

#include "sources/byte_input.h"

namespace daybook {
namespace {

constexpr size_t kChunk = 4 << 20;  // read size and initial buffer

bool IsBlankByte(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Index of the first byte that is not blank, or n.
size_t BlankPrefix(const char* p, size_t n) {
  size_t i = 0;
  while (i < n && IsBlankByte(p[i])) ++i;
  return i;
}

class FileLineReader final : public LineReader {
 public:
  FileLineReader(std::string path, int64_t max_record_bytes, std::unique_ptr<ByteInput> in)
      : path_(std::move(path)),
        max_(static_cast<size_t>(std::max<int64_t>(max_record_bytes, 0))),
        in_(std::move(in)) {
    Allocate(kChunk);
  }

  std::string Origin() const override { return path_; }
  int64_t StoredBytesRead() const override { return in_->StoredBytesRead(); }
  bool compressed() const override { return in_->compressed(); }

  Result<bool> Next(RawLine* line) override {
    if (!started_) DAYBOOK_RETURN_IF_ERROR(Start());
    for (;;) {
      char* base = buf_.get();
      if (scan_ < end_) {
        const void* nl = std::memchr(base + scan_, '\n', end_ - scan_);
        if (nl != nullptr) {
          size_t start = begin_;
          size_t len = static_cast<const char*>(nl) - (base + start);
          begin_ = scan_ = len + start + 1;
          ++line_no_;
          if (Emit(base + start, len, line)) return true;
          continue;
        }
        scan_ = end_;
      }
      if (eof_) {
        if (begin_ == end_) return false;
        size_t start = begin_, len = end_ - begin_;
        begin_ = scan_ = end_;
        ++line_no_;
        if (Emit(base + start, len, line)) return true;
        return false;
      }
      if (end_ - begin_ > max_ + 1) {
        DAYBOOK_ASSIGN_OR_RETURN(bool emitted, SkipOversized(line));
        if (emitted) return true;
        continue;
      }
      DAYBOOK_RETURN_IF_ERROR(Fill());
    }
  }

 private:
  void Allocate(size_t cap) {
    // Value-initialised: the padding after the data is always readable and
    // defined.
    std::unique_ptr<char[]> nb(new char[cap + kRecordPadding]());
    if (buf_ && end_ > begin_) std::memcpy(nb.get(), buf_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    scan_ -= begin_;
    begin_ = 0;
    buf_ = std::move(nb);
    cap_ = cap;
  }

  // Reads the first bytes and removes a UTF-8 byte order mark.
  Status Start() {
    started_ = true;
    while (end_ < 3 && !eof_) DAYBOOK_RETURN_IF_ERROR(Fill());
    if (end_ >= 3 && std::memcmp(buf_.get(), "\xEF\xBB\xBF", 3) == 0) begin_ = scan_ = 3;
    return Status::Ok();
  }

  // Makes room after the unfinished line at [begin_, end_) and reads more.
  Status Fill() {
    if (begin_ > 0) {
      std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      scan_ -= begin_;
      begin_ = 0;
    }
    if (end_ == cap_) {
      // Only reached while the unfinished line is at most max_ + 1 bytes:
      // grow so that max_ bytes, a '\r' and one more byte fit; a longer
      // unfinished line is then known to be oversized.
      Allocate(std::min(std::max(cap_ * 2, kChunk), max_ + 2));
    }
    DAYBOOK_ASSIGN_OR_RETURN(size_t n, in_->Read(buf_.get() + end_, cap_ - end_, line_no_));
    if (n == 0) eof_ = true;
    end_ += n;
    return Status::Ok();
  }

  // A complete line at p (without its '\n'). False when it is blank.
  bool Emit(const char* p, size_t len, RawLine* line) {
    if (len > 0 && p[len - 1] == '\r') --len;
    if (len == 0 || (IsBlankByte(p[0]) && BlankPrefix(p, len) == len)) return false;
    line->line_no = line_no_;
    line->full_size = static_cast<int64_t>(len);
    line->oversized = len > max_;
    line->bytes = std::string_view(p, line->oversized ? std::min(len, kOversizedPrefixBytes) : len);
    return true;
  }

  // The unfinished line in the buffer is longer than any accepted record:
  // keep its first bytes, then read on to its end without buffering it.
  Result<bool> SkipOversized(RawLine* line) {
    if (!prefix_) prefix_.reset(new char[kOversizedPrefixBytes + kRecordPadding]());
    size_t kept = 0;
    uint64_t total = 0;
    bool blank = true;
    char last = 0;
    auto consume = [&](const char* p, size_t n) {
      if (n == 0) return;
      if (kept < kOversizedPrefixBytes) {
        size_t k = std::min(n, kOversizedPrefixBytes - kept);
        std::memcpy(prefix_.get() + kept, p, k);
        kept += k;
      }
      if (blank) blank = BlankPrefix(p, n) == n;
      last = p[n - 1];
      total += n;
    };
    consume(buf_.get() + begin_, end_ - begin_);
    begin_ = scan_ = end_ = 0;
    for (;;) {
      DAYBOOK_ASSIGN_OR_RETURN(size_t n, in_->Read(buf_.get(), cap_, line_no_));
      if (n == 0) {
        eof_ = true;
        break;
      }
      const void* nl = std::memchr(buf_.get(), '\n', n);
      if (nl != nullptr) {
        size_t k = static_cast<const char*>(nl) - buf_.get();
        consume(buf_.get(), k);
        begin_ = scan_ = k + 1;
        end_ = n;
        break;
      }
      consume(buf_.get(), n);
    }
    ++line_no_;
    if (last == '\r') --total;
    if (blank) return false;
    line->line_no = line_no_;
    line->oversized = true;
    line->full_size = static_cast<int64_t>(total);
    line->bytes = std::string_view(prefix_.get(), std::min<uint64_t>(kept, total));
    return true;
  }

  std::string path_;
  size_t max_;
  std::unique_ptr<ByteInput> in_;
  std::unique_ptr<char[]> buf_;     // cap_ + kRecordPadding bytes
  size_t cap_ = 0;
  size_t begin_ = 0;  // start of the first unreturned line
  size_t scan_ = 0;   // [begin_, scan_) holds no '\n'
  size_t end_ = 0;    // end of the data read
  bool started_ = false;
  bool eof_ = false;
  int64_t line_no_ = 0;  // lines completed so far
  std::unique_ptr<char[]> prefix_;  // an oversized line's first bytes
};

}  // namespace

Result<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path,
                                                     int64_t max_record_bytes) {
  DAYBOOK_ASSIGN_OR_RETURN(std::unique_ptr<ByteInput> in, OpenByteInput(path));
  return std::unique_ptr<LineReader>(
      std::make_unique<FileLineReader>(path, max_record_bytes, std::move(in)));
}

}  // namespace daybook
