// File: cli/monitor_output.h — printing check results and alert outcomes.
#pragma once

#include <vector>

#include "core/json.h"
#include "pipeline/monitor.h"

namespace daybook {
void PrintMonitorText(const MonitorReport& m);
// The check results as a JSON array (run --json, check --json).
void WriteChecksJson(JsonWriter& w, const std::vector<CheckResult>& checks);
}
