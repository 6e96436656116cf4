// The file sink: appends one JSON line per notice with a single write(2) on
// an O_APPEND descriptor, so concurrent writers never interleave lines.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "alerts/internal/sinks.h"

namespace daybook::alerts_internal {
namespace {

class FileSink : public Sink {
 public:
  using Sink::Sink;

  Delivery Send(const Alert&, const std::string& json) override {
    Delivery d{config().name, false, 1, ""};
    const std::string& path = config().path;
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      d.error = "cannot open '" + path + "': " + std::strerror(errno);
      return d;
    }
    std::string line = json + "\n";
    ssize_t n;
    do {
      n = ::write(fd, line.data(), line.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      d.error = "cannot append to '" + path + "': " + std::strerror(errno);
    } else if (static_cast<size_t>(n) != line.size()) {
      d.error = "short write to '" + path + "' (disk full?)";
    }
    if (::close(fd) != 0 && d.error.empty()) d.error = "cannot close '" + path + "': " + std::strerror(errno);
    d.ok = d.error.empty();
    return d;
  }
};

}  // namespace

std::unique_ptr<Sink> MakeFileSink(const SinkConfig& config) { return std::make_unique<FileSink>(config); }

}  // namespace daybook::alerts_internal
