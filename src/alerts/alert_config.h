// File: alerts/alert_config.h
//
// The `alerts:` section of daybook.yml (spec §7), checked once at start-up:
// unknown keys and sink types are InvalidArgument errors naming the file,
// line and key, with a "did you mean" suggestion.
//
//   Result<AlertSettings> s = ParseAlertSettings(config);   // config: core/config.h
//   if (!s.ok()) return s.status();                          // exit 2
//
// The section is either a list of sinks (cooldown 6h), or a mapping with
// options and the list under `sinks:`:
//
//   alerts:                                  alerts:
//     - type: log                              cooldown: 6h
//     - type: file                             sinks:
//       path: alerts.jsonl                       - type: log
//
// Sinks (every one also takes `name:` — the label recorded in
// alerts.deliveries, default below — and `min_severity: warn|error`, default
// warn: which alerts it receives, resolution notices included):
//
//   - type: log                      # one JSON line per notice on stderr      name: log
//   - type: file                     # append one JSON line; the folder must exist
//     path: alerts.jsonl             # relative to daybook.yml's folder      name: file:<path as written>
//   - type: webhook                  # HTTP(S) POST, Content-Type: application/json
//     url: http://127.0.0.1:9000/hook                                       name: webhook:<scheme://host:port>
//     timeout: 5s                    # connect, read and write timeout of each attempt
//     retries: 3                     # extra attempts on connection errors, timeouts, 5xx, 429
//     backoff: 1s                    # wait before retry n (1-based): backoff * 2^(n-1), +/- 20 % jitter;
//                                    # a Retry-After: <seconds> answer is waited instead; each wait <= 60 s
//     headers: {Authorization: "Bearer x"}
//   - type: command                  # run argv (no shell), the JSON line on stdin
//     command: ["/usr/bin/logger", "-t", "daybook"]                         name: command:<argv[0]>
//     timeout: 10s                   # then the process group is killed; exit != 0 is a failure
//
// The default names leave out URL paths and queries, which often hold
// secrets (chat webhook tokens); the warehouse is readable by analysts.
// Durations use core/time.h ParseDuration ("500ms", "5s", "6h", "1d").
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/config.h"
#include "core/status.h"

namespace daybook {

enum class SinkType { kLog, kFile, kWebhook, kCommand };

struct SinkConfig {
  SinkType type = SinkType::kLog;
  std::string name;                   // label in deliveries and reports
  std::string min_severity = "warn";  // "warn" | "error"

  std::string path;  // file: absolute

  std::string url;  // webhook: http:// or https://
  std::vector<std::pair<std::string, std::string>> headers;
  int retries = 3;
  int64_t backoff_micros = 1 * 1000000LL;

  std::vector<std::string> argv;  // command: non-empty

  int64_t timeout_micros = 5 * 1000000LL;  // webhook default 5s, command default 10s
};

struct AlertSettings {
  int64_t cooldown_micros = 6LL * 3600 * 1000000;  // 0: re-send on every evaluation
  std::vector<SinkConfig> sinks;                   // in configuration order
};

// Parses config.alerts_yaml; relative file paths resolve against
// config.base_dir. When config.source_file still holds the same section,
// errors carry its line numbers ("daybook.yml:31: alerts[1].url: ...").
Result<AlertSettings> ParseAlertSettings(const Config& config);

// The same from YAML text (tests, or a section that does not come from a
// file); `file_label` prefixes error messages.
Result<AlertSettings> ParseAlertSettingsYaml(const std::string& yaml, const std::string& base_dir,
                                             const std::string& file_label = "configuration");

}  // namespace daybook
