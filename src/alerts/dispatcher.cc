#include "alerts/dispatcher.h"

#include <map>
#include <memory>
#include <tuple>

#include "alerts/internal/alert_store.h"

namespace daybook {
namespace {

using alerts_internal::AlertRow;
using Identity = std::tuple<std::string, std::string, std::optional<int32_t>>;

int Rank(const std::string& severity) { return severity == "error" ? 2 : 1; }

Status Validate(const AlertCondition& c) {
  std::string who = "alert condition '" + c.check + "' on '" + c.model + "'";
  if (c.check.empty() || c.model.empty()) return InvalidArgument(who + ": check and model must not be empty");
  if (c.severity != "warn" && c.severity != "error") {
    return InvalidArgument(who + ": severity must be warn or error, got '" + c.severity + "'");
  }
  return Status::Ok();
}

// One condition per identity, in first-seen order.
std::vector<AlertCondition> Merge(const std::vector<AlertCondition>& conditions) {
  std::vector<AlertCondition> out;
  std::map<Identity, size_t> index;
  for (const auto& c : conditions) {
    auto [it, fresh] = index.emplace(Identity{c.check, c.model, c.business_date}, out.size());
    if (fresh) {
      out.push_back(c);
      continue;
    }
    AlertCondition& m = out[it->second];
    if (!c.violated) continue;
    if (!m.violated) {
      m = c;
    } else if (Rank(c.severity) > Rank(m.severity)) {
      m.severity = c.severity;
    }
  }
  return out;
}

class Dispatcher {
 public:
  Dispatcher(Warehouse& wh, const AlertSettings& settings, int64_t run_id, Timestamp now, const SinkEnv& env)
      : wh_(wh), settings_(settings), run_id_(run_id), now_(now) {
    for (const auto& s : settings.sinks) sinks_.push_back(MakeSink(s, env));
  }

  Status Raise(const AlertCondition& c) {
    Alert a = Make(c, AlertId(c.check, c.model, c.business_date, now_), "raised", now_);
    auto ds = Deliver(a);
    DAYBOOK_RETURN_IF_ERROR(
        alerts_internal::InsertOpenAlert(wh_, a, alerts_internal::AppendDeliveries("", "raised", now_, ds)));
    ++report_.raised;
    return Status::Ok();
  }

  Status StillOpen(const AlertCondition& c, const AlertRow& row) {
    auto history = alerts_internal::ScanNotices(row.deliveries);
    bool escalated = Rank(c.severity) > Rank(row.severity);
    bool never_delivered = history.any && !history.last_success;
    int64_t last = history.last_success ? history.last_success->micros : row.raised_at.micros;
    std::string kind;
    if (escalated || never_delivered) {
      kind = "raised";
    } else if (now_.micros - last >= settings_.cooldown_micros) {
      kind = "reminder";
    }
    if (!kind.empty() && !AnySinkAccepts(c.severity)) kind.clear();
    std::string deliveries = row.deliveries;
    if (kind.empty()) {
      ++report_.suppressed;
    } else {
      Alert a = Make(c, row.alert_id, kind, row.raised_at);
      deliveries = alerts_internal::AppendDeliveries(deliveries, kind, now_, Deliver(a));
      ++(kind == "raised" ? report_.raised : report_.reminded);
    }
    if (deliveries == row.deliveries && c.severity == row.severity && c.message == row.message) return Status::Ok();
    return alerts_internal::UpdateOpenAlert(wh_, row.alert_id, c.severity, c.message, deliveries);
  }

  Status Resolve(const AlertCondition& c, const AlertRow& row) {
    AlertCondition closed = c;
    closed.severity = row.severity;
    if (closed.message.empty()) closed.message = row.message;
    Alert a = Make(closed, row.alert_id, "resolved", row.raised_at);
    auto deliveries = alerts_internal::AppendDeliveries(row.deliveries, "resolved", now_, Deliver(a));
    DAYBOOK_RETURN_IF_ERROR(alerts_internal::ResolveAlert(wh_, row.alert_id, now_, deliveries));
    ++report_.resolved;
    return Status::Ok();
  }

  DispatchReport TakeReport() { return std::move(report_); }

 private:
  Alert Make(const AlertCondition& c, const std::string& id, const std::string& kind, Timestamp raised_at) const {
    Alert a;
    a.alert_id = id;
    a.kind = kind;
    a.severity = c.severity;
    a.check = c.check;
    a.model = c.model;
    a.business_date = c.business_date;
    a.message = c.message;
    a.run_id = run_id_;
    a.raised_at = raised_at;
    a.time = now_;
    return a;
  }

  bool AnySinkAccepts(const std::string& severity) const {
    for (const auto& s : sinks_) {
      if (SinkAccepts(s->config(), severity)) return true;
    }
    return false;
  }

  std::vector<Delivery> Deliver(const Alert& a) {
    report_.notices.push_back(a);
    std::string json = AlertJson(a);
    std::vector<Delivery> out;
    for (const auto& s : sinks_) {
      if (!SinkAccepts(s->config(), a.severity)) continue;
      Delivery d = s->Send(a, json);
      if (!d.ok) {
        ++report_.delivery_failures;
        report_.errors.push_back(d.sink + ": " + d.error + " (alert " + a.alert_id + ", " +
                                 std::to_string(d.attempts) + (d.attempts == 1 ? " attempt)" : " attempts)"));
      }
      out.push_back(std::move(d));
    }
    return out;
  }

  Warehouse& wh_;
  const AlertSettings& settings_;
  int64_t run_id_;
  Timestamp now_;
  std::vector<std::unique_ptr<Sink>> sinks_;
  DispatchReport report_;
};

}  // namespace

Result<DispatchReport> ProcessConditions(Warehouse& wh, const std::vector<AlertCondition>& conditions,
                                         const AlertSettings& settings, int64_t run_id, Timestamp now,
                                         const SinkEnv& env) {
  for (const auto& c : conditions) DAYBOOK_RETURN_IF_ERROR(Validate(c));
  std::vector<AlertCondition> merged = Merge(conditions);
  DAYBOOK_ASSIGN_OR_RETURN(std::vector<AlertRow> open, alerts_internal::LoadOpenAlerts(wh));
  std::map<Identity, std::vector<const AlertRow*>> open_by_identity;  // oldest first
  for (const auto& row : open) open_by_identity[Identity{row.check, row.model, row.business_date}].push_back(&row);

  Dispatcher d(wh, settings, run_id, now, env);
  for (const auto& c : merged) {
    auto it = open_by_identity.find(Identity{c.check, c.model, c.business_date});
    if (c.violated) {
      if (it == open_by_identity.end()) {
        DAYBOOK_RETURN_IF_ERROR(d.Raise(c));
      } else {
        DAYBOOK_RETURN_IF_ERROR(d.StillOpen(c, *it->second.back()));
      }
    } else if (it != open_by_identity.end()) {
      for (const AlertRow* row : it->second) DAYBOOK_RETURN_IF_ERROR(d.Resolve(c, *row));
    }
  }
  return d.TakeReport();
}

Result<std::vector<Alert>> OpenAlerts(Warehouse& wh) {
  DAYBOOK_ASSIGN_OR_RETURN(std::vector<AlertRow> rows, alerts_internal::LoadOpenAlerts(wh));
  std::vector<Alert> out;
  for (const auto& r : rows) {
    Alert a;
    a.alert_id = r.alert_id;
    a.kind = "raised";
    a.severity = r.severity;
    a.check = r.check;
    a.model = r.model;
    a.business_date = r.business_date;
    a.message = r.message;
    a.run_id = r.run_id;
    a.raised_at = r.raised_at;
    a.time = r.raised_at;
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace daybook
