// `daybook init [DIR]`: scaffold a project.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/commands.h"

namespace daybook {
namespace {

constexpr const char* kConfig = R"yaml(# Daybook configuration. Every key has a default; delete what you do not need.
# Relative paths are relative to this file's folder. Reference: README.md.

warehouse:
  path: daybook.duckdb            # the DuckDB file any DuckDB client can open read-only
  batch_events: 250000            # lines loaded at a time within a run: bounds its memory
  memory_limit: 512MB             # DuckDB's memory while writing; beyond it, it spills to disk

business:
  timezone: UTC                   # IANA zone; business_date = local date of occurred_at
  reporting_currency: USD         # fixed when the warehouse is created
  daily_close: "07:00"            # local time on D+1 by which day D is final (publication, SLA)
  restatement_window_days: 35     # older business dates are rejected as TOO_LATE
  max_clock_skew: 5m              # occurred_at later than now + skew is FUTURE_TIMESTAMP

fx:
  rates: fx_rates.csv             # date,currency,rate: 1 unit of currency = rate reporting units
  max_staleness_days: 3           # use the latest earlier rate at most this old

sources:
  - name: landing
    type: files
    path: landing/*.jsonl*        # NDJSON, plain or .gz

quality:
  max_drop_rate: 0.01             # quarantined / (read - duplicates) above this fails the run
  min_rows_per_run: 1
  restatement_alert_ratio: 0.005

# Later contract versions: how each v1 field is named in them.
# contracts:
#   2:
#     fields: {amount: total_amount}

# Documentation and checks per model. Every table ships documented (see
# `daybook describe daily_revenue` and `daybook docs --out site`); override
# any text here, e.g.:
#   daily_revenue:
#     owner: finance-data@example.com
#     columns: {net: revenue after refunds and cancellations}
#     checks: {anomaly: {max_z: 5}}
models: {}
alerts: []
)yaml";

constexpr const char* kFx = R"csv(date,currency,rate
2025-01-01,EUR,1.08
2025-01-01,GBP,1.27
2025-01-01,JPY,0.0067
)csv";

Status WriteNew(const std::filesystem::path& p, const char* text) {
  if (std::filesystem::exists(p)) return InvalidArgument(p.string() + " already exists; init never overwrites");
  std::ofstream out(p);
  out << text;
  if (!out) return IoError("cannot write " + p.string());
  return Status::Ok();
}

}  // namespace

int CmdInit(const std::string& dir) {
  namespace fs = std::filesystem;
  fs::path root = dir.empty() ? fs::current_path() : fs::path(dir);
  std::error_code ec;
  fs::create_directories(root / "landing", ec);
  if (ec) return ReportError(IoError("cannot create " + (root / "landing").string() + ": " + ec.message()));
  for (auto [name, text] : {std::pair{"daybook.yml", kConfig}, std::pair{"fx_rates.csv", kFx}}) {
    Status st = WriteNew(root / name, text);
    if (!st.ok()) return ReportError(st);
  }
  std::printf("Initialised a Daybook project in %s\n"
              "  daybook.yml    configuration (documented)\n"
              "  fx_rates.csv   sample FX rates\n"
              "  landing/       drop NDJSON order events here (*.jsonl, *.jsonl.gz)\n"
              "Next: daybook gen --orders 10000 --days 30 --out landing/events.jsonl --fx-out fx_rates.csv\n"
              "      daybook run && daybook report\n",
              fs::absolute(root).lexically_normal().string().c_str());
  return 0;
}

}  // namespace daybook
