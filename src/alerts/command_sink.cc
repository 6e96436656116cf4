// The command sink: runs argv (no shell) with the notice as one JSON line on
// stdin, in its own process group, killed after the timeout.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include "alerts/internal/sinks.h"

extern char** environ;

namespace daybook::alerts_internal {
namespace {

constexpr size_t kKeepOutput = 500;

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Writes to a pipe whose reader may be gone without dying of SIGPIPE: the
// signal is blocked in this thread and a pending one is consumed.
ssize_t WriteNoSigpipe(int fd, const char* data, size_t size) {
  sigset_t pipe_set, old;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigset_t pending;
  sigpending(&pending);
  bool was_pending = sigismember(&pending, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  ssize_t n = ::write(fd, data, size);
  int saved = errno;
  if (n < 0 && errno == EPIPE && !was_pending) {
    struct timespec zero = {0, 0};
    while (sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = saved;
  return n;
}

std::string Describe(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("killed by signal ") + strsignal(WTERMSIG(status));
  return "ended abnormally";
}

class CommandSink : public Sink {
 public:
  using Sink::Sink;

  Delivery Send(const Alert&, const std::string& json) override {
    Delivery d{config().name, false, 1, ""};
    d.error = Run(json + "\n");
    d.ok = d.error.empty();
    return d;
  }

 private:
  // "" on success, else the failure.
  std::string Run(const std::string& input) {
    const auto& argv = config().argv;
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0) return std::string("cannot create a pipe: ") + std::strerror(errno);
    if (pipe2(out, O_CLOEXEC) != 0) {
      ::close(in[0]);
      ::close(in[1]);
      return std::string("cannot create a pipe: ") + std::strerror(errno);
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, out[1], 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    int rc = posix_spawnp(&pid, args[0], &fa, &attr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
      ::close(in[1]);
      ::close(out[0]);
      return "cannot run '" + argv[0] + "': " + std::strerror(rc);
    }
    fcntl(in[1], F_SETFL, O_NONBLOCK);
    fcntl(out[0], F_SETFL, O_NONBLOCK);

    const int64_t deadline = NowMicros() + config().timeout_micros;
    size_t written = 0;
    int in_fd = in[1], out_fd = out[0];
    std::string output, write_error;
    int status = 0;
    bool exited = false, timed_out = false;
    while (true) {
      if (in_fd >= 0 && written == input.size()) {
        ::close(in_fd);  // end of input
        in_fd = -1;
      }
      if (waitpid(pid, &status, WNOHANG) == pid) {
        exited = true;
        // Take what it wrote; whatever still holds the pipe (a daemonised
        // grandchild) is not waited for.
        char buf[4096];
        ssize_t k;
        while (out_fd >= 0 && (k = ::read(out_fd, buf, sizeof buf)) > 0) output.append(buf, static_cast<size_t>(k));
        break;
      }
      int64_t left = deadline - NowMicros();
      if (left <= 0) {
        timed_out = true;
        break;
      }
      pollfd fds[2];
      int n = 0;
      if (in_fd >= 0) fds[n++] = {in_fd, POLLOUT, 0};
      if (out_fd >= 0) fds[n++] = {out_fd, POLLIN, 0};
      // Short polls: the child's exit is noticed by waitpid above.
      int wait_ms = static_cast<int>(std::min<int64_t>(left / 1000 + 1, 10));
      if (::poll(fds, n, wait_ms) < 0 && errno != EINTR) {
        timed_out = true;  // cannot watch it: stop it
        break;
      }
      for (int i = 0; i < n; ++i) {
        if (fds[i].fd == in_fd && (fds[i].revents & (POLLOUT | POLLERR | POLLHUP))) {
          ssize_t k = WriteNoSigpipe(in_fd, input.data() + written, input.size() - written);
          if (k > 0) {
            written += static_cast<size_t>(k);
          } else if (k < 0 && errno != EAGAIN && errno != EINTR) {
            write_error = errno == EPIPE ? "it did not read its input" : std::strerror(errno);
            written = input.size();  // give up writing
          }
        } else if (fds[i].fd == out_fd && (fds[i].revents & (POLLIN | POLLERR | POLLHUP))) {
          char buf[4096];
          ssize_t k = ::read(out_fd, buf, sizeof buf);
          if (k > 0) {
            output.append(buf, static_cast<size_t>(k));
            if (output.size() > 4 * kKeepOutput) output.erase(0, output.size() - kKeepOutput);
          } else if (k == 0 || (errno != EAGAIN && errno != EINTR)) {
            ::close(out_fd);
            out_fd = -1;
          }
        }
      }
    }
    if (in_fd >= 0) ::close(in_fd);
    if (out_fd >= 0) ::close(out_fd);
    if (timed_out) {
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);
    }
    if (!exited) {
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
    if (output.size() > kKeepOutput) output.erase(0, output.size() - kKeepOutput);
    while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
    std::string error;
    if (timed_out) {
      error = "timed out after " + FormatMicros(config().timeout_micros) + " (killed)";
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      error = Describe(status);
    } else {
      return "";
    }
    if (!write_error.empty()) error += "; " + write_error;
    if (!output.empty()) error += ": " + output;
    return error;
  }
};

}  // namespace

std::unique_ptr<Sink> MakeCommandSink(const SinkConfig& config) { return std::make_unique<CommandSink>(config); }

}  // namespace daybook::alerts_internal
