// File: alerts/alert.h
//
// What the alerts stage takes in (AlertCondition: one check's verdict for one
// identity) and what it sends out (Alert: one notice about one open
// condition), with the notice's JSON form that every sink delivers.
//
//   AlertCondition c{.check = "volume", .model = "order_events", .severity = "error",
//                    .business_date = std::nullopt,
//                    .message = "loaded 0 rows from source 'landing'; expected at least 1000",
//                    .violated = true};
//   // ... ProcessConditions (dispatcher.h) turns conditions into Alerts ...
//   std::string line = AlertJson(alert);   // {"alert_id":"3f9c...","kind":"raised",...}
//
// Identity. An open condition is identified by (check, model, business_date);
// business_date is absent for conditions that are not about one day (e.g. the
// run's volume or the drop rate). The alert_id of an open condition is
// AlertId(check, model, business_date, raised_at): stable from the moment it
// is raised until it is resolved, so receivers can deduplicate on it; the
// same condition failing again later is a new alert with a new id.
//
// JSON form (one object on one line; keys always present, in this order):
//   "alert_id"       16 lowercase hex digits
//   "kind"           "raised"   — the condition is newly open (or was never delivered)
//                    "reminder" — still open after the cooldown
//                    "resolved" — the condition passes again; the alert is closed
//   "severity"       "warn" | "error"
//   "check"          check name, e.g. "volume"
//   "model"          model name, e.g. "order_events"
//   "business_date"  "YYYY-MM-DD", or null when the condition has no date
//   "message"        what is wrong (for "resolved": what the check says now)
//   "text"           one human line: "[ERROR] volume on order_events: <message>";
//                    named "text" so chat webhooks (Slack, Mattermost) show it as is
//   "run_id"         the run that produced this notice, or null (e.g. `daybook check`)
//   "raised_at"      RFC 3339 UTC, when the condition was first raised
//   "time"           RFC 3339 UTC, when this notice was produced (the run's `now`)
//   "source"         "daybook"
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/time.h"

namespace daybook {

// One check's verdict for one identity, as the alerts stage consumes it. The
// checks stage's results map onto it one to one (kPass -> violated = false;
// kWarn/kFail -> violated = true).
struct AlertCondition {
  std::string check;                     // non-empty
  std::string model;                     // non-empty
  std::string severity = "error";        // "warn" | "error"
  std::optional<int32_t> business_date;  // days since 1970-01-01; nullopt: not about one day
  std::string message;                   // a sentence a person can act on
  bool violated = false;                 // true: alert; false: the check passes
};

struct Alert {
  std::string alert_id;
  std::string kind;      // "raised" | "reminder" | "resolved"
  std::string severity;  // "warn" | "error"
  std::string check, model;
  std::optional<int32_t> business_date;
  std::string message;
  int64_t run_id = 0;  // <= 0: no run (rendered as null)
  Timestamp raised_at;
  Timestamp time;
};

// The stable id of an open condition raised at `raised_at`: 16 hex digits of
// a 64-bit FNV-1a hash of "check|model|YYYY-MM-DD or -|raised_at micros".
std::string AlertId(const std::string& check, const std::string& model,
                    std::optional<int32_t> business_date, Timestamp raised_at);

// The JSON object documented above, on one line, without a trailing newline.
std::string AlertJson(const Alert& alert);

// The one-line human summary (the JSON's "text"), e.g.
//   "[ERROR] volume on order_events: loaded 0 rows from source 'landing'; expected at least 1000"
//   "[WARN, open since 2024-02-01T07:00:00Z] freshness on daily_revenue for 2024-01-31: ..."
//   "[RESOLVED] volume on order_events: loaded 1500 rows from source 'landing'"
std::string AlertText(const Alert& alert);

}  // namespace daybook
