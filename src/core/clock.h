// File: core/clock.h
//
// The only place that reads the wall clock. Every command takes --now (or
// DAYBOOK_NOW) so runs are reproducible; ResolveNow picks, in order, the
// flag, the environment variable, then the system clock.
#pragma once

#include <string>

#include "core/status.h"
#include "core/time.h"

namespace daybook {

Result<Timestamp> ResolveNow(const std::string& flag_value);

// Monotonic milliseconds, for stage timings only (never for data).
int64_t MonotonicMillis();

}  // namespace daybook
