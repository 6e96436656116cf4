// `daybook report` and `daybook sql`: read-only views of the warehouse.
#include <cstdio>

#include "cli/commands.h"
#include "cli/table_printer.h"
#include "load/schema.h"
#include "load/warehouse.h"

namespace daybook {
namespace {

Result<std::unique_ptr<Warehouse>> OpenForReading(const Config& config) {
  DAYBOOK_ASSIGN_OR_RETURN(auto wh, Warehouse::Open(config.warehouse_path, Warehouse::Mode::kReadOnly));
  DAYBOOK_RETURN_IF_ERROR(CheckReadable(*wh));
  return wh;
}

}  // namespace

int CmdReport(const GlobalFlags& g, const ReportFlags& f) {
  auto ctx = ResolveContext(g);
  if (!ctx.ok()) return ReportError(ctx.status());
  auto format = ParseFormat(f.format);
  if (!format.ok()) return ReportError(format.status());
  std::string where = "TRUE";
  for (auto [flag, value, op] : {std::tuple{"--from", f.from, ">="}, std::tuple{"--to", f.to, "<="}}) {
    if (value.empty()) continue;
    if (!ParseDate(value)) return ReportError(InvalidArgument(std::string(flag) + ": expected YYYY-MM-DD, got '" + value + "'"));
    where += std::string(" AND business_date ") + op + " DATE '" + value + "'";
  }
  if (!f.by.empty() && f.by != "channel") {
    return ReportError(InvalidArgument("--by: only 'channel' is supported, got '" + f.by + "'"));
  }
  // Only days with included events (spec §5): a day can keep a zero row
  // when it was published empty or lost its events, for restatement history.
  where += " AND (orders > 0 OR cancelled_orders > 0 OR refunded_orders > 0)";
  std::string table = f.by.empty() ? "daily_revenue" : "daily_revenue_by_channel";
  std::string keys = f.by.empty() ? "business_date" : "business_date, channel";
  if (!f.as_of.empty()) {
    if (!f.by.empty()) {
      return ReportError(InvalidArgument("--as-of cannot be combined with --by channel: channel splits are not versioned"));
    }
    std::string why;
    auto t = ParseRfc3339(f.as_of, &why);
    if (!t) return ReportError(InvalidArgument("--as-of: '" + f.as_of + "' is not an RFC 3339 time: " + why));
    table = "daily_revenue_versions";
    where += " AND valid_from <= make_timestamptz(" + std::to_string(t->micros) +
             "::BIGINT) AND (valid_to IS NULL OR valid_to > make_timestamptz(" + std::to_string(t->micros) + "::BIGINT))";
  }
  // The CSV layout is fixed by the spec (§5); table and JSON also show the
  // day's version (0 = provisional, 1 = published, 2+ = restated).
  std::string extra = *format != OutputFormat::kCsv && f.by.empty() ? ", version" : "";
  std::string sql = "SELECT " + keys +
                    ", orders, cancelled_orders, refunded_orders, customers, gross, cancellations, refunds, net, "
                    "reporting_currency AS currency" + extra + " FROM " + table + " WHERE " + where +
                    " ORDER BY " + keys;
  auto wh = OpenForReading(ctx->config);
  if (!wh.ok()) return ReportError(wh.status());
  auto rows = (*wh)->Query(sql);
  if (!rows.ok()) return ReportError(rows.status());
  auto t = CollectTable(**rows);
  if (!t.ok()) return ReportError(t.status());
  PrintTable(*t, *format, stdout);
  return 0;
}

int CmdSql(const GlobalFlags& g, const std::string& query, const std::string& format_name) {
  auto ctx = ResolveContext(g);
  if (!ctx.ok()) return ReportError(ctx.status());
  auto format = ParseFormat(format_name);
  if (!format.ok()) return ReportError(format.status());
  auto wh = OpenForReading(ctx->config);
  if (!wh.ok()) return ReportError(wh.status());
  auto rows = (*wh)->Query(query);
  if (!rows.ok()) return ReportError(InvalidArgument(rows.status().message()));
  bool nested = false;
  for (size_t c = 0; c < (*rows)->column_count(); ++c) nested |= (*rows)->column_kind(c) == ColumnKind::kOther;
  if (nested) {
    // Lists, structs, intervals …: let DuckDB render them as text.
    std::string q = query;
    while (!q.empty() && (q.back() == ';' || q.back() == ' ' || q.back() == '\n')) q.pop_back();
    auto cast = (*wh)->Query("SELECT COLUMNS(*)::VARCHAR FROM (" + q + ")");
    if (cast.ok()) rows = std::move(cast);
  }
  auto t = CollectTable(**rows);
  if (!t.ok()) return ReportError(t.status());
  PrintTable(*t, *format, stdout);
  return 0;
}

}  // namespace daybook
