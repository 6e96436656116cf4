// The log sink: one JSON line per notice on stderr (or SinkEnv::log_stream).
#include <iostream>

#include "alerts/internal/sinks.h"

namespace daybook::alerts_internal {
namespace {

class LogSink : public Sink {
 public:
  LogSink(const SinkConfig& config, std::ostream* out) : Sink(config), out_(out) {}

  Delivery Send(const Alert&, const std::string& json) override {
    Delivery d{config().name, false, 1, ""};
    *out_ << json << '\n';
    out_->flush();
    d.ok = out_->good();
    if (!d.ok) {
      d.error = "cannot write to the log stream";
      out_->clear();
    }
    return d;
  }

 private:
  std::ostream* out_;
};

}  // namespace

std::unique_ptr<Sink> MakeLogSink(const SinkConfig& config, const SinkEnv& env) {
  return std::make_unique<LogSink>(config, env.log_stream ? env.log_stream : &std::cerr);
}

}  // namespace daybook::alerts_internal
