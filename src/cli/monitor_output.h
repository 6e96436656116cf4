// File: cli/monitor_output.h — printing check results and alert outcomes.
#pragma once

#include "pipeline/monitor.h"

namespace daybook {
void PrintMonitorText(const MonitorReport& m);
}
