#include "alerts/sink.h"

#include "alerts/internal/sinks.h"

namespace daybook {

std::unique_ptr<Sink> MakeSink(const SinkConfig& config, const SinkEnv& env) {
  switch (config.type) {
    case SinkType::kLog: return alerts_internal::MakeLogSink(config, env);
    case SinkType::kFile: return alerts_internal::MakeFileSink(config);
    case SinkType::kWebhook: return alerts_internal::MakeWebhookSink(config, env);
    case SinkType::kCommand: return alerts_internal::MakeCommandSink(config);
  }
  return nullptr;
}

bool SinkAccepts(const SinkConfig& config, const std::string& severity) {
  return config.min_severity != "error" || severity == "error";
}

namespace alerts_internal {

std::string FormatMicros(int64_t micros) {
  if (micros % 1000000 == 0) return std::to_string(micros / 1000000) + "s";
  if (micros % 1000 == 0) return std::to_string(micros / 1000) + "ms";
  return std::to_string(micros) + "us";
}

}  // namespace alerts_internal
}  // namespace daybook
