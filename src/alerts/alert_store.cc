#include "alerts/internal/alert_store.h"

#include "core/json.h"

namespace daybook::alerts_internal {
namespace {

std::string Ts(Timestamp t) { return "make_timestamptz(" + std::to_string(t.micros) + "::BIGINT)"; }

std::string OrNull(const std::string& json) { return json.empty() ? "NULL" : SqlQuote(json); }

}  // namespace

Result<std::vector<AlertRow>> LoadOpenAlerts(Warehouse& wh) {
  DAYBOOK_ASSIGN_OR_RETURN(
      auto rows, wh.Query("SELECT alert_id, severity, check_name, model, business_date, message, run_id, "
                          "epoch_us(raised_at), deliveries FROM alerts WHERE status = 'open' "
                          "ORDER BY raised_at, alert_id"));
  std::vector<AlertRow> out;
  while (rows->NextChunk()) {
    for (size_t r = 0; r < rows->size(); ++r) {
      AlertRow a;
      a.alert_id = rows->String(0, r);
      a.severity = rows->String(1, r);
      a.check = rows->String(2, r);
      a.model = rows->String(3, r);
      if (!rows->IsNull(4, r)) a.business_date = static_cast<int32_t>(rows->Int64(4, r));
      a.message = rows->String(5, r);
      if (!rows->IsNull(6, r)) a.run_id = rows->Int64(6, r);
      a.raised_at.micros = rows->Int64(7, r);
      if (!rows->IsNull(8, r)) a.deliveries = rows->String(8, r);
      out.push_back(std::move(a));
    }
  }
  if (!rows->status().ok()) return rows->status();
  return out;
}

Status InsertOpenAlert(Warehouse& wh, const Alert& a, const std::string& deliveries) {
  std::string date = a.business_date ? "DATE " + SqlQuote(FormatDate(*a.business_date)) : "NULL";
  std::string run = a.run_id > 0 ? std::to_string(a.run_id) : "NULL";
  return wh.Exec("INSERT INTO alerts (alert_id, run_id, severity, check_name, model, business_date, message, "
                 "status, raised_at, resolved_at, deliveries) VALUES (" +
                 SqlQuote(a.alert_id) + ", " + run + ", " + SqlQuote(a.severity) + ", " + SqlQuote(a.check) + ", " +
                 SqlQuote(a.model) + ", " + date + ", " + SqlQuote(a.message) + ", 'open', " + Ts(a.raised_at) +
                 ", NULL, " + OrNull(deliveries) + ")");
}

Status UpdateOpenAlert(Warehouse& wh, const std::string& alert_id, const std::string& severity,
                       const std::string& message, const std::string& deliveries) {
  return wh.Exec("UPDATE alerts SET severity = " + SqlQuote(severity) + ", message = " + SqlQuote(message) +
                 ", deliveries = " + OrNull(deliveries) + " WHERE alert_id = " + SqlQuote(alert_id) +
                 " AND status = 'open'");
}

Status ResolveAlert(Warehouse& wh, const std::string& alert_id, Timestamp now, const std::string& deliveries) {
  return wh.Exec("UPDATE alerts SET status = 'resolved', resolved_at = " + Ts(now) +
                 ", deliveries = " + OrNull(deliveries) + " WHERE alert_id = " + SqlQuote(alert_id) +
                 " AND status = 'open'");
}

std::string AppendDeliveries(const std::string& existing, const std::string& kind, Timestamp at,
                             const std::vector<Delivery>& deliveries) {
  std::string out = existing;
  while (!out.empty() && out.back() != ']') out.pop_back();
  if (out.size() < 2) {
    out = "[";
  } else {
    out.pop_back();  // the closing ']'
  }
  for (const auto& d : deliveries) {
    // Key order matters: ScanNotices reads "at", "kind" and "ok" in this order.
    JsonWriter w;
    w.BeginObject();
    w.Key("at").String(FormatTimestamp(at));
    w.Key("kind").String(kind);
    w.Key("sink").String(d.sink);
    w.Key("ok").Bool(d.ok);
    w.Key("attempts").Int(d.attempts);
    w.Key("error");
    if (d.ok) w.Null(); else w.String(d.error);
    w.EndObject();
    if (out.size() > 1) out += ",";
    out += w.str();
  }
  out += "]";
  return out == "[]" && existing.empty() ? "" : out;
}

// The entries are written by AppendDeliveries only. Inside a JSON string
// every '"' is escaped, so the structural sequences searched for here
// ({"at":" , "kind":" , ,"ok":) cannot occur inside a value.
NoticeHistory ScanNotices(const std::string& json) {
  NoticeHistory h;
  static const std::string kAt = "{\"at\":\"", kKind = "\"kind\":\"", kOk = ",\"ok\":";
  for (size_t p = json.find(kAt); p != std::string::npos; p = json.find(kAt, p + 1)) {
    size_t ts_begin = p + kAt.size(), ts_end = json.find('"', ts_begin);
    size_t k = json.find(kKind, ts_end);
    if (ts_end == std::string::npos || k == std::string::npos) break;
    size_t kind_begin = k + kKind.size(), kind_end = json.find('"', kind_begin);
    size_t ok = json.find(kOk, kind_end);
    if (kind_end == std::string::npos || ok == std::string::npos) break;
    std::string kind = json.substr(kind_begin, kind_end - kind_begin);
    if (kind != "raised" && kind != "reminder") continue;
    h.any = true;
    if (json.compare(ok + kOk.size(), 4, "true") != 0) continue;
    auto t = ParseRfc3339(std::string_view(json).substr(ts_begin, ts_end - ts_begin), nullptr);
    if (t && (!h.last_success || t->micros > h.last_success->micros)) h.last_success = *t;
  }
  return h;
}

}  // namespace daybook::alerts_internal
