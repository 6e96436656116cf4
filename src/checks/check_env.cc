#include "checks/internal/check_env.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "core/money.h"
#include "models/daily_revenue.h"

namespace daybook {

CheckResult CheckEnv::Make(bool violated) const {
  CheckResult r;
  r.check = settings.check;
  r.model = settings.model;
  r.severity = settings.severity;
  r.status = Verdict(violated);
  return r;
}

CheckResult CheckEnv::NoRun() const {
  CheckResult r = Make(false);
  r.observed = "no run";
  r.message = "no run recorded yet; nothing to check";
  return r;
}

std::string CheckEnv::FocusFilter(const std::string& column) const {
  if (affected.empty()) {
    return column + " BETWEEN " + checks_internal::SqlDate(window_start) + " AND " +
           checks_internal::SqlDate(today);
  }
  std::string s = column + " IN (";
  for (size_t i = 0; i < affected.size(); ++i) s += (i ? "," : "") + checks_internal::SqlDate(affected[i]);
  return s + ")";
}

std::string CheckEnv::FocusText() const {
  if (affected.empty()) return FormatDate(window_start) + ".." + FormatDate(today);
  if (affected.size() == 1) return FormatDate(affected.front());
  return std::to_string(affected.size()) + " days " + FormatDate(affected.front()) + ".." +
         FormatDate(affected.back());
}

std::vector<int32_t> CheckEnv::ClosedDays(int32_t first_day) const {
  std::vector<int32_t> out;
  for (int32_t d = std::max(window_start, first_day); d <= last_closed; ++d) out.push_back(d);
  for (int32_t d : affected) {
    if (d <= last_closed && d >= first_day && d < window_start) out.push_back(d);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Timestamp CheckEnv::Close(int32_t d) const { return DayClose(ctx.tz, ctx.config.daily_close_minutes, d); }

namespace checks_internal {
namespace {

// {"MISSING_FIELD":3,"WRONG_TYPE":2} — the flat object RecordRun writes.
std::map<std::string, int64_t> ParseReasonCounts(std::string_view json) {
  std::map<std::string, int64_t> out;
  size_t i = 0;
  while (true) {
    size_t q1 = json.find('"', i);
    if (q1 == std::string_view::npos) break;
    size_t q2 = json.find('"', q1 + 1);
    if (q2 == std::string_view::npos) break;
    size_t colon = json.find(':', q2);
    if (colon == std::string_view::npos) break;
    std::string key(json.substr(q1 + 1, q2 - q1 - 1));
    out[key] = std::strtoll(std::string(json.substr(colon + 1, 24)).c_str(), nullptr, 10);
    i = colon + 1;
  }
  return out;
}

}  // namespace

Result<std::optional<RunRecord>> LoadLastRun(Warehouse& wh) {
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, wh.Query(
      "SELECT run_id, command, status, epoch_us(started_at), epoch_us(finished_at), rows_read, accepted, "
      "duplicates, quarantined, quarantined_by_reason, files_loaded, files_skipped, drop_rate, max_drop_rate, "
      "error FROM pipeline_runs WHERE command = 'run' ORDER BY run_id DESC LIMIT 1"));
  std::optional<RunRecord> out;
  while (rows->NextChunk()) {
    for (size_t r = 0; r < rows->size() && !out; ++r) {
      RunRecord rec;
      rec.run_id = rows->Int64(0, r);
      rec.command = std::string(rows->String(1, r));
      rec.status = std::string(rows->String(2, r));
      rec.started_at.micros = rows->Int64(3, r);
      rec.finished_at.micros = rows->Int64(4, r);
      rec.rows_read = rows->Int64(5, r);
      rec.accepted = rows->Int64(6, r);
      rec.duplicates = rows->Int64(7, r);
      rec.quarantined = rows->Int64(8, r);
      rec.quarantined_by_reason = ParseReasonCounts(rows->String(9, r));
      rec.files_loaded = rows->Int64(10, r);
      rec.files_skipped = rows->Int64(11, r);
      rec.drop_rate = rows->Double(12, r);
      rec.max_drop_rate = rows->Double(13, r);
      if (!rows->IsNull(14, r)) rec.error = std::string(rows->String(14, r));
      out = std::move(rec);
    }
  }
  DAYBOOK_RETURN_IF_ERROR(rows->status());
  return out;
}

std::string SqlDate(int32_t d) { return "DATE '" + FormatDate(d) + "'"; }

std::string FormatAge(int64_t micros) {
  if (micros < 0) micros = 0;
  const int64_t s = micros / kMicrosPerSecond;
  // Two units at most, the second omitted when zero: "45s", "30m", "2h 12m", "1d 3h".
  auto two = [](int64_t big, const char* bu, int64_t small, const char* su) {
    return std::to_string(big) + bu + (small ? " " + std::to_string(small) + su : "");
  };
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return two(s / 60, "m", s % 60, "s");
  if (s < 86400) return two(s / 3600, "h", s % 3600 / 60, "m");
  return two(s / 86400, "d", s % 86400 / 3600, "h");
}

std::string Money(int64_t unscaled, int scale, bool sign) {
  std::string s = FormatMinor(unscaled, scale);
  return (sign && unscaled > 0 ? "+" : "") + s;
}

std::string Percent(double ratio) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f%%", ratio * 100.0);
  return buf;
}

Result<int64_t> QueryInt64OrZero(Warehouse& wh, const std::string& sql) {
  DAYBOOK_ASSIGN_OR_RETURN(std::string v, wh.QueryScalar(sql));
  return v.empty() ? 0 : std::strtoll(v.c_str(), nullptr, 10);
}

}  // namespace checks_internal
}  // namespace daybook
