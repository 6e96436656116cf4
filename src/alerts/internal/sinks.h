// File: alerts/internal/sinks.h — internal to alerts/ (and its tests).
//
// One factory per sink type; MakeSink (sink.h) picks among them.
#pragma once

#include <memory>

#include "alerts/sink.h"

namespace daybook::alerts_internal {

std::unique_ptr<Sink> MakeLogSink(const SinkConfig& config, const SinkEnv& env);
std::unique_ptr<Sink> MakeFileSink(const SinkConfig& config);
std::unique_ptr<Sink> MakeWebhookSink(const SinkConfig& config, const SinkEnv& env);
std::unique_ptr<Sink> MakeCommandSink(const SinkConfig& config);

// "5s", "300ms", "1.5s": a duration in micros rendered for messages.
std::string FormatMicros(int64_t micros);

}  // namespace daybook::alerts_internal
