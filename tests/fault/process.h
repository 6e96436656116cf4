// File: tests/fault/process.h
//
// Process helpers for the reliability tests (hostile input, unusable
// environment, crash loop, disk full), on top of tests/e2e/harness.h:
// running `daybook` with a deadline (a hang is a failure, not a stuck
// suite) and with its peak memory measured.
//
//   fault::Timed t = fault::RunTimed({"--config", cfg, "run", "--json"}, {}, dir, 60);
//   ASSERT_FALSE(t.timed_out) << t.result;
//   EXPECT_LT(t.max_rss_kb, 200 * 1024);
//
// Header-only; not thread-safe (one child at a time per caller).
#pragma once

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "e2e/harness.h"

namespace fault {

struct Timed {
  e2e::CmdResult result;
  long max_rss_kb = 0;     // peak resident set of the child (getrusage ru_maxrss)
  bool timed_out = false;  // killed by us after the deadline
};

// Reaps `c`, polling until `timeout_s` has passed; then SIGKILLs it.
inline Timed WaitTimed(const e2e::Child& c, double timeout_s) {
  Timed t;
  t.result.command = c.command;
  const auto start = std::chrono::steady_clock::now();
  int status = 0;
  struct rusage ru {};
  for (;;) {
    pid_t got = ::wait4(c.pid, &status, WNOHANG, &ru);
    if (got == c.pid) break;
    if (got < 0 && errno != EINTR) throw std::runtime_error(std::string("wait4: ") + std::strerror(errno));
    const double waited =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (waited > timeout_s && !t.timed_out) {
      ::kill(c.pid, SIGKILL);
      t.timed_out = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  t.result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFEXITED(status)) t.result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) t.result.term_signal = WTERMSIG(status);
  t.max_rss_kb = ru.ru_maxrss;
  t.result.out = e2e::ReadFile(c.out_path);
  t.result.err = e2e::ReadFile(c.err_path);
  std::remove(c.out_path.c_str());
  std::remove(c.err_path.c_str());
  return t;
}

// `daybook args...` in `cwd`, with a deadline.
inline Timed RunTimed(const std::vector<std::string>& args, const e2e::Env& env, const std::string& cwd,
                      double timeout_s) {
  static int counter = 0;
  const std::string prefix = cwd + "/.fault-capture-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
  return WaitTimed(e2e::SpawnDaybook(args, env, cwd, prefix), timeout_s);
}

// The non-empty lines of a command's stderr.
inline std::vector<std::string> ErrorLines(const e2e::CmdResult& r) {
  std::vector<std::string> out;
  for (const auto& l : e2e::SplitLines(r.err)) {
    if (!l.empty()) out.push_back(l);
  }
  return out;
}

// $DAYBOOK_SOURCE_DIR (set by CTest), else the source tree this file is in.
inline std::string SourceDir() {
  if (const char* d = std::getenv("DAYBOOK_SOURCE_DIR"); d != nullptr && *d != '\0') return d;
  std::string here = __FILE__;  // <src>/tests/fault/process.h
  return here.substr(0, here.rfind("/tests/fault/"));
}

// An integer from the environment, or `fallback`.
inline long EnvInt(const char* name, long fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  return std::strtol(v, nullptr, 10);
}

// A seed from the environment: a number, "random" (a fresh one, which the
// caller prints), or `fallback` when unset.
inline uint64_t SeedFromEnv(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  if (std::string(v) == "random") {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }
  return std::strtoull(v, nullptr, 10);
}

}  // namespace fault
