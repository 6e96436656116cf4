#include "sources/file_list.h"

#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "sources/byte_input.h"

namespace daybook {
namespace fs = std::filesystem;
namespace {

// glob(3) reports folders it cannot open through this callback; it has no
// user pointer, so the first failure is kept in thread-local storage.
thread_local std::string g_glob_error_path;
thread_local int g_glob_error_errno = 0;

int OnGlobError(const char* path, int err) {
  // A folder of the pattern that does not exist is simply no match.
  if (err == ENOENT || err == ENOTDIR) return 0;
  g_glob_error_path = path;
  g_glob_error_errno = err;
  return 1;  // abort
}

std::string Absolute(const std::string& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  if (ec) abs = p;
  return abs.lexically_normal().string();
}

struct GlobFree {
  void operator()(glob_t* g) const { globfree(g); }
};

}  // namespace

Result<std::vector<std::string>> ExpandGlob(const std::string& pattern) {
  if (pattern.empty()) return InvalidArgument("empty file pattern");
  g_glob_error_path.clear();
  g_glob_error_errno = 0;
  glob_t g{};
  int rc = glob(pattern.c_str(), GLOB_MARK, OnGlobError, &g);
  std::unique_ptr<glob_t, GlobFree> guard(&g);
  if (rc == GLOB_NOMATCH) return std::vector<std::string>{};
  if (rc == GLOB_ABORTED) {
    return IoError("cannot read folder '" + g_glob_error_path + "' while expanding '" + pattern +
                   "': " + std::strerror(g_glob_error_errno));
  }
  if (rc != 0) return IoError("cannot expand '" + pattern + "': out of memory");
  std::vector<std::string> files;
  files.reserve(g.gl_pathc);
  for (size_t i = 0; i < g.gl_pathc; ++i) {
    std::string p = g.gl_pathv[i];
    // GLOB_MARK appends '/' to directories (symlinks to folders included).
    if (!p.empty() && p.back() == '/') {
      p.pop_back();
      return IoError("'" + p + "' (matched by '" + pattern +
                     "') is a directory; a files source reads files, use a pattern such as '" +
                     p + "/*.jsonl*'");
    }
    files.push_back(Absolute(p));
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

Result<FileFingerprint> Fingerprint(const std::string& path) {
  DAYBOOK_ASSIGN_OR_RETURN(int fd, OpenRegularFile(path));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
#ifdef POSIX_FADV_SEQUENTIAL
  (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> state(XXH3_createState(),
                                                                         XXH3_freeState);
  if (!state || XXH3_128bits_reset(state.get()) != XXH_OK) {
    return IoError("cannot fingerprint '" + path + "': out of memory");
  }
  constexpr size_t kBlock = 1 << 20;
  std::unique_ptr<char[]> buf(new char[kBlock]);
  int64_t size = 0;
  for (;;) {
    ssize_t n = ::read(fd, buf.get(), kBlock);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot read '" + path + "': " + std::strerror(errno));
    }
    if (n == 0) break;
    XXH3_128bits_update(state.get(), buf.get(), static_cast<size_t>(n));
    size += n;
  }
  XXH128_canonical_t canon;
  XXH128_canonicalFromHash(&canon, XXH3_128bits_digest(state.get()));
  static constexpr char kHex[] = "0123456789abcdef";
  FileFingerprint fp;
  fp.size = size;
  fp.content_hash.reserve(32);
  for (unsigned char b : canon.digest) {
    fp.content_hash.push_back(kHex[b >> 4]);
    fp.content_hash.push_back(kHex[b & 15]);
  }
  return fp;
}

}  // namespace daybook
