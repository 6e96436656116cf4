#!/usr/bin/env bash
# The Daybook demo: a month of realistic orders for a shop selling in five
# currencies, with re-delivered duplicates, late and malformed events, then a
# batch of late events that restates three published days. Everything lands
# in ./demo (a throwaway project folder). Usage: scripts/demo.sh [daybook]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="$(cd "$(dirname "${1:-$here/build/daybook}")" && pwd)/$(basename "${1:-daybook}")"
demo="$here/demo"

rm -rf "$demo"
if [[ -t 1 ]]; then bold=$'\033[1m'; plain=$'\033[0m'; else bold=""; plain=""; fi
step() { printf '\n%s== %s%s\n$ %s\n' "$bold" "$1" "$plain" "${*:2}"; "${@:2}"; }

cd "$here"
step "Scaffold a project" "$bin" init "$demo"
cd "$demo"
step "Generate 30 days of orders (1% duplicates, 1% late, 0.5% bad lines)" \
  "$bin" gen --orders 60000 --days 30 --start 2025-01-01 --seed 7 \
  --dup-rate 0.01 --late-rate 0.01 --bad-rate 0.005 --refund-rate 0.06 --cancel-rate 0.03 \
  --out landing/orders-2025-01.jsonl --fx-out fx_rates.csv
step "Load them (every day closes at 07:00 the next morning, so all 30 days get published)" \
  "$bin" run --now 2025-01-31T08:00:00Z
step "Re-run: the file is already loaded, nothing changes — and the volume check fails loudly (exit 1): no new data arrived" \
  "$bin" run --now 2025-01-31T09:00:00Z || echo "(exit code $? — as a scheduler would see it)"
step "A partner re-sends three days of orders that never arrived" \
  "$bin" gen --orders 900 --days 3 --start 2025-01-20 --seed 8 --out landing/late-2025-01-20.jsonl
step "Load the late batch: the published days are restated, the old numbers stay queryable" \
  "$bin" run --now 2025-02-01T08:00:00Z
step "The 30-day report" "$bin" report --from 2025-01-01 --to 2025-01-30
step "What finance signed for those days before the late batch" \
  "$bin" report --from 2025-01-19 --to 2025-01-23 --as-of 2025-01-31T12:00:00Z
step "Restatements" "$bin" sql "SELECT business_date, version, metric, old_value, new_value, delta, late_events FROM revenue_restatements WHERE metric IN ('orders', 'net') ORDER BY 1, 3"
step "Quarantined rows by reason (nothing is dropped silently)" \
  "$bin" sql "SELECT reason_code, count(*) AS rows, any_value(locator) AS example FROM quarantine GROUP BY ALL ORDER BY rows DESC"
step "Status: freshness and SLA per model, open alerts, restatements" "$bin" status --now 2025-02-01T09:00:00Z
step "Runs" "$bin" sql "SELECT run_id, status, rows_read, accepted, duplicates, quarantined, published_days, restated_days, duration_ms FROM pipeline_runs ORDER BY run_id"
printf '\nThe warehouse is %s/daybook.duckdb; open it with any DuckDB client (read-only) or `daybook sql`.\n' "$demo"
