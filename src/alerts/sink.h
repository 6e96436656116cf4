// File: alerts/sink.h
//
// Where notices go: one Sink per configured sink (alert_config.h). A Sink
// delivers one notice and reports how it went; it never throws and never
// returns an error status — a failed delivery is data (recorded in
// alerts.deliveries by the dispatcher), not a reason to fail the load.
//
//   SinkEnv env;                               // real sleeps, stderr
//   std::unique_ptr<Sink> sink = MakeSink(settings.sinks[0], env);
//   Delivery d = sink->Send(alert, AlertJson(alert));
//   if (!d.ok) std::cerr << d.sink << ": " << d.error << " after " << d.attempts << " attempts\n";
//
// How long Send may block:
//   log      writes one line to the log stream;
//   file     one append(2) of one line (O_APPEND, no fsync); a missing folder
//            is an error, not created;
//   webhook  (retries + 1) attempts, each bounded by `timeout` for the
//            connect, for sending and for each wait for response bytes, plus
//            the waits between attempts: backoff * 2^(n-1) +/- 20 % before
//            retry n, or the server's Retry-After seconds when it sends them
//            (the HTTP-date form is not honoured); each wait at most 60 s.
//            Retried: connection errors, timeouts, HTTP 5xx and 429. Not
//            retried: other answers (4xx are configuration problems).
//            Redirects are not followed. 2xx is success;
//   command  starts argv[0] (searched in PATH when it has no '/') in its own
//            process group, writes the JSON line to its stdin and closes it;
//            its stdout and stderr are captured (the last 500 bytes are
//            quoted in the error); after `timeout` the group is killed.
//            Exit status 0 is success.
//
// Thread safety: a Sink is used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

#include "alerts/alert.h"
#include "alerts/alert_config.h"

namespace daybook {

// The outcome of delivering one notice to one sink.
struct Delivery {
  std::string sink;   // SinkConfig::name
  bool ok = false;
  int attempts = 0;   // 1 unless the webhook retried
  std::string error;  // "" when ok; else what went wrong on the last attempt
};

// What sinks take from the outside world; injectable so tests neither wait
// nor depend on chance.
struct SinkEnv {
  // Waits between webhook attempts; null means really sleep.
  std::function<void(int64_t micros)> sleep;
  // Seeds each webhook sink's jitter PRNG (std::mt19937_64).
  uint64_t jitter_seed = 20240131;
  // Where the log sink writes; null means std::cerr.
  std::ostream* log_stream = nullptr;
};

class Sink {
 public:
  explicit Sink(SinkConfig config) : config_(std::move(config)) {}
  virtual ~Sink() = default;
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  const SinkConfig& config() const { return config_; }
  // Delivers one notice; `json` is AlertJson(alert) (no newline).
  virtual Delivery Send(const Alert& alert, const std::string& json) = 0;

 private:
  SinkConfig config_;
};

std::unique_ptr<Sink> MakeSink(const SinkConfig& config, const SinkEnv& env = {});

// Whether a sink receives notices about alerts of `severity` ("warn" goes to
// sinks with min_severity warn; "error" to all).
bool SinkAccepts(const SinkConfig& config, const std::string& severity);

}  // namespace daybook
