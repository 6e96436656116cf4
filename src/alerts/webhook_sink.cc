// The webhook sink: HTTP(S) POST of the notice with retries, exponential
// backoff with jitter, and Retry-After (see sink.h for the exact policy).
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "alerts/internal/sinks.h"
#include "core/version.h"

namespace daybook::alerts_internal {
namespace {

constexpr int64_t kMaxWaitMicros = 60LL * 1000000;

// "Retry-After: 120" in micros; the HTTP-date form is not honoured (nullopt).
std::optional<int64_t> RetryAfterMicros(const std::string& v) {
  if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(v) * 1000000;
}

std::string DescribeError(httplib::Error e, int64_t timeout) {
  switch (e) {
    case httplib::Error::Connection: return "cannot connect (refused or unreachable)";
    case httplib::Error::ConnectionTimeout: return "connect timed out after " + FormatMicros(timeout);
    case httplib::Error::Read: return "no response within " + FormatMicros(timeout) + " (or connection closed)";
    case httplib::Error::Write: return "sending the request failed";
    case httplib::Error::SSLConnection: return "TLS handshake failed";
    case httplib::Error::SSLServerVerification: return "TLS certificate verification failed";
    default: return "request failed (" + httplib::to_string(e) + ")";
  }
}

class WebhookSink : public Sink {
 public:
  WebhookSink(const SinkConfig& config, const SinkEnv& env) : Sink(config), sleep_(env.sleep), rng_(env.jitter_seed) {
    const std::string& url = config.url;
    size_t p = url.find("://");
    if (p == std::string::npos) return;  // not a URL: Send reports it
    p += 3;
    size_t slash = url.find_first_of("/?#", p);
    origin_ = url.substr(0, slash);
    path_ = slash == std::string::npos ? "/" : url.substr(slash);
    if (size_t hash = path_.find('#'); hash != std::string::npos) path_.resize(hash);
    if (path_.empty() || path_[0] != '/') path_ = "/" + path_;
    for (const auto& [k, v] : config.headers) headers_.emplace(k, v);
    if (headers_.find("User-Agent") == headers_.end()) headers_.emplace("User-Agent", std::string("daybook/") + kDaybookVersion);
  }

  Delivery Send(const Alert&, const std::string& json) override {
    const SinkConfig& c = config();
    Delivery d{c.name, false, 0, ""};
    if (origin_.empty()) {
      d.error = "not an http(s) URL: '" + c.url + "'";
      return d;
    }
    httplib::Client client(origin_);
    const time_t sec = c.timeout_micros / 1000000, usec = c.timeout_micros % 1000000;
    client.set_connection_timeout(sec, usec);
    client.set_read_timeout(sec, usec);
    client.set_write_timeout(sec, usec);
    for (int attempt = 1;; ++attempt) {
      d.attempts = attempt;
      std::optional<int64_t> retry_after;
      bool retryable = true;
      httplib::Result res = client.Post(path_, headers_, json, "application/json");
      if (!res) {
        d.error = DescribeError(res.error(), c.timeout_micros);
      } else if (res->status >= 200 && res->status < 300) {
        d.ok = true;
        d.error.clear();
        return d;
      } else {
        d.error = "HTTP " + std::to_string(res->status);
        std::string body = res->body.substr(0, 200);
        std::replace(body.begin(), body.end(), '\n', ' ');
        if (!body.empty()) d.error += ": " + body;
        retryable = res->status == 429 || res->status >= 500;
        retry_after = RetryAfterMicros(res->get_header_value("Retry-After"));
      }
      if (!retryable || attempt > c.retries) return d;
      Wait(retry_after ? *retry_after : Backoff(attempt));
    }
  }

 private:
  // Before retry n (1-based): backoff * 2^(n-1), +/- 20 % uniform jitter.
  int64_t Backoff(int n) {
    double base = static_cast<double>(config().backoff_micros) * static_cast<double>(1LL << std::min(n - 1, 30));
    double jitter = std::uniform_real_distribution<double>(-0.2, 0.2)(rng_);
    return static_cast<int64_t>(std::min(base * (1.0 + jitter), static_cast<double>(kMaxWaitMicros)));
  }

  void Wait(int64_t micros) {
    micros = std::clamp<int64_t>(micros, 0, kMaxWaitMicros);
    if (sleep_) {
      sleep_(micros);
    } else {
      std::this_thread::sleep_for(std::chrono::microseconds(micros));
    }
  }

  std::string origin_, path_;
  httplib::Headers headers_;
  std::function<void(int64_t)> sleep_;
  std::mt19937_64 rng_;
};

}  // namespace

std::unique_ptr<Sink> MakeWebhookSink(const SinkConfig& config, const SinkEnv& env) {
  return std::make_unique<WebhookSink>(config, env);
}

}  // namespace daybook::alerts_internal
