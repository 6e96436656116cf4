#include "alerts/alert.h"

#include <cstdio>

#include "core/json.h"

namespace daybook {

std::string AlertId(const std::string& check, const std::string& model,
                    std::optional<int32_t> business_date, Timestamp raised_at) {
  std::string key = check + "|" + model + "|" + (business_date ? FormatDate(*business_date) : "-") + "|" +
                    std::to_string(raised_at.micros);
  uint64_t h = 14695981039346656037ULL;  // FNV-1a 64
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string AlertText(const Alert& a) {
  std::string label;
  if (a.kind == "resolved") {
    label = "RESOLVED";
  } else {
    label = a.severity == "error" ? "ERROR" : "WARN";
    if (a.kind == "reminder") label += ", open since " + FormatTimestamp(a.raised_at);
  }
  std::string s = "[" + label + "] " + a.check + " on " + a.model;
  if (a.business_date) s += " for " + FormatDate(*a.business_date);
  if (!a.message.empty()) s += ": " + a.message;
  return s;
}

std::string AlertJson(const Alert& a) {
  JsonWriter w;
  w.BeginObject();
  w.Key("alert_id").String(a.alert_id);
  w.Key("kind").String(a.kind);
  w.Key("severity").String(a.severity);
  w.Key("check").String(a.check);
  w.Key("model").String(a.model);
  w.Key("business_date");
  if (a.business_date) w.String(FormatDate(*a.business_date)); else w.Null();
  w.Key("message").String(a.message);
  w.Key("text").String(AlertText(a));
  w.Key("run_id");
  if (a.run_id > 0) w.Int(a.run_id); else w.Null();
  w.Key("raised_at").String(FormatTimestamp(a.raised_at));
  w.Key("time").String(FormatTimestamp(a.time));
  w.Key("source").String("daybook");
  w.EndObject();
  return w.str();
}

}  // namespace daybook
