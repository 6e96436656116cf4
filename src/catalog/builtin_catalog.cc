// The built-in model catalog: every table of the warehouse with its
// description, grain, freshness SLA, lineage and a description of every
// column, in the shape of daybook.yml's `models:` section (plus the built-in
// only keys `kind` and `upstream`). `owner` defaults to kDefaultOwner.
// Placeholders in braces are filled from the configuration (catalog.h).
//
// When a table of src/load/schema.cc gains a column, document it here:
// catalog_test.cc fails on any column without a description.
#include "catalog/internal/builtin.h"

namespace daybook::catalog_internal {

const char* BuiltinCatalogYaml() {
  return R"yaml(
order_events:
  kind: landed
  upstream: [sources]
  description: >-
    Every accepted order event, typed and converted to the reporting
    currency ({reporting_currency}). Duplicates (same event_id, same content)
    are not stored again. Each event carries its derivation: whether it counts
    toward revenue and, if not, why. The typed columns plus extra_fields
    reconstruct the original event.
  grain: one row per accepted event (event_id)
  freshness_sla: the newest event is at most 24 h old (checks.freshness.max_age)
  columns:
    event_id: the event's globally unique id, as sent
    event_key: xxh64 of event_id, the join key
    event_type: order_placed, order_cancelled or order_refunded
    order_id: the order the event belongs to
    order_key: xxh64 of order_id, the join key
    customer_id: the customer (NULL when the event had none)
    occurred_at: when the event happened (fraction truncated to microseconds)
    business_date: the local date of occurred_at in {timezone}
    channel_id: the sales channel's number in channels ('unknown' when the event had none)
    currency: ISO 4217 code of amount (NULL on a cancel without one)
    amount: the native amount, exact (NULL on cancels)
    amount_minor: the native amount in the currency's minor units (cents, yen, fils)
    fx_rate: 1 unit of currency = fx_rate {reporting_currency}, the rate of the event's own business date
    reporting_amount: >-
      placed or refund: amount x fx_rate rounded half-to-even; included cancel:
      the cancellation value (order amount minus earlier refunds), in {reporting_currency}
    included: true when the event counts toward revenue
    excluded_reason: >-
      why an event does not count: ORPHAN_EVENT, DUPLICATE_ORDER, CURRENCY_MISMATCH,
      REFUND_EXCEEDS_ORDER, AFTER_CANCEL or FX_RATE_MISSING
    schema_version: the contract version the event was decoded by
    extra_fields: fields the contract does not type, as canonical JSON (NULL or '{}' when none)
    content_hash: xxh64 over the typed values; equal content, equal hash (duplicate detection)
    source_file_id: the input file the event was read from (source_files; event_sources joins the path back)
    source_line: 1-based physical line in the source file
    run_id: the run that loaded the event
    updated_run_id: the last run that changed its derivation (included, excluded_reason, fx_rate, reporting_amount)

quarantine:
  kind: landed
  upstream: [sources]
  description: >-
    Every input line that failed the event contract or the accepted window,
    with a stable reason code, a human detail and the raw text, so nothing is
    ever silently dropped.
  grain: one row per rejected input line (source_file, source_line, run_id)
  freshness_sla: written by the same transaction as order_events; as fresh as the last run
  columns:
    run_id: the run that rejected the line
    source: the source name from daybook.yml
    source_file: absolute path of the input file
    source_line: 1-based physical line in source_file
    locator: path:line of the rejected line
    reason_code: >-
      stable reason code: MALFORMED_JSON, MISSING_FIELD, WRONG_TYPE, UNKNOWN_EVENT_TYPE,
      INVALID_TIMESTAMP, INVALID_AMOUNT, AMOUNT_PRECISION, UNKNOWN_CURRENCY, FX_RATE_MISSING,
      FUTURE_TIMESTAMP, TOO_LATE, DUPLICATE_CONFLICT, OVERSIZED_RECORD, INVALID_UTF8
    detail: human explanation naming the field at fault
    event_id: the event id when the line decoded (validation rejections, DUPLICATE_CONFLICT)
    raw: the line as text (invalid UTF-8 replaced; first 4096 bytes of an oversized record)
    raw_bytes: the original bytes, only when raw had to replace invalid UTF-8
    raw_size: the line's full length in bytes
    quarantined_at: the run's now
    replay_status: pending until the line is re-submitted by quarantine replay
    replay_run_id: the run that replayed the line

source_files:
  kind: landed
  upstream: [sources]
  description: >-
    The input files events were read from, numbered once: order_events
    stores the number (source_file_id) instead of repeating the source name
    and path on every event. Ids never change and are never reused.
  grain: one row per input file (source_file_id; source and path are unique together)
  freshness_sla: written by the run that first reads the file, in its transaction
  columns:
    source_file_id: 1, 2, ... in the order runs first read the files
    source: the source name from daybook.yml ('cli' for --input)
    path: absolute path of the input file
    first_run_id: the run that first read the file

channels:
  kind: landed
  upstream: [sources]
  description: >-
    The sales channels events name, numbered once: order_events stores the
    number (channel_id) instead of repeating the name on every event. Join
    it back with `JOIN channels USING (channel_id)`. Ids never change and
    are never reused.
  grain: one row per channel (channel_id; channel is unique)
  freshness_sla: written by the run that first stores an event of the channel, in its transaction
  columns:
    channel_id: 1, 2, ... in the order the warehouse first stored an event of each channel
    channel: the channel as sent; 'unknown' for events without one
    first_run_id: the run that first stored an event of the channel

event_sources:
  kind: model
  upstream: [order_events, source_files]
  description: >-
    A view: where every accepted event came from, as names — order_events
    joined with source_files. Use it to go from an event to its input line.
  grain: one row per accepted event (event_id)
  freshness_sla: a view, as fresh as order_events
  columns:
    event_id: the event's id
    source: the source name from daybook.yml ('cli' for --input)
    source_file: absolute path of the input file
    source_line: 1-based physical line in source_file
    run_id: the run that loaded the event
    source_file_id: the file's number in source_files

fct_orders:
  kind: model
  upstream: [order_events]
  description: >-
    The current state of every order, derived from its accepted events sorted
    by (occurred_at, event_id): what was placed, refunded and cancelled, and
    its net value in {reporting_currency}. Rebuilt whenever the order gains an
    event.
  grain: one row per order (order_id)
  freshness_sla: updated in the same transaction as order_events; as fresh as order_events
  columns:
    order_id: the order id
    order_key: xxh64 of order_id
    customer_id: from the included order_placed; NULL when orphaned
    channel: from the included order_placed
    currency: from the included order_placed
    placed_at: occurred_at of the included order_placed
    placed_date: business date of placed_at
    amount: the order amount, native currency
    refunded: sum of included refunds, native currency (0 when none)
    cancelled: true when the order has an included cancel
    cancelled_at: occurred_at of the included cancel
    status: placed, partially_refunded, refunded, cancelled or orphaned (no included order_placed)
    gross_reporting: included placed value in {reporting_currency}
    refunds_reporting: included refunds in {reporting_currency}, each at its own date's rate
    cancellation_reporting: included cancellation value in {reporting_currency}, at the cancel date's rate
    net_reporting: gross_reporting - refunds_reporting - cancellation_reporting
    events: accepted events of the order
    excluded_events: of which excluded from revenue
    last_event_at: the latest occurred_at of the order's events
    updated_run_id: the run that last rewrote the row

daily_revenue:
  kind: model
  upstream: [order_events]
  description: >-
    The daily revenue report finance signs: orders, customers, gross,
    refunds, cancellations and net per business date in {reporting_currency},
    over included events. Refunds and cancellations count on the day they
    happen. A day is published at its daily close; a later change is a
    restatement (a new version, see daily_revenue_versions).
  grain: one row per business date (business_date)
  freshness_sla: business day D is final by {daily_close} {timezone} on D+1 (business.daily_close)
  columns:
    business_date: the business date ({timezone})
    orders: included order_placed events that day
    cancelled_orders: distinct orders with an included cancel that day
    refunded_orders: distinct orders with an included refund that day
    customers: distinct customer_id among that day's included order_placed
    gross: sum of that day's included order amounts in {reporting_currency}
    cancellations: sum of that day's cancellation values (amount minus earlier refunds)
    refunds: sum of that day's included refunds
    net: gross - cancellations - refunds
    reporting_currency: the reporting currency ({reporting_currency})
    version: 0 provisional, 1 published, 2 and up restated
    published_at: now of the run that first published the day; NULL while provisional
    updated_at: now of the run that last changed the numbers
    updated_run_id: the run that last changed the numbers

daily_revenue_by_channel:
  kind: model
  upstream: [order_events, fct_orders, channels]
  description: >-
    The metrics of daily_revenue split by sales channel; each event counts
    under its order's channel. Not versioned: always the current numbers.
  grain: one row per business date and channel (business_date, channel)
  freshness_sla: updated with daily_revenue in the same transaction; day D final by {daily_close} {timezone} on D+1
  columns:
    business_date: the business date ({timezone})
    channel: the sales channel ('unknown' when the order had none)
    orders: included order_placed events that day in this channel
    cancelled_orders: distinct orders with an included cancel that day
    refunded_orders: distinct orders with an included refund that day
    customers: distinct customers among that day's included order_placed
    gross: sum of included order amounts in {reporting_currency}
    cancellations: sum of cancellation values
    refunds: sum of included refunds
    net: gross - cancellations - refunds
    reporting_currency: the reporting currency ({reporting_currency})
    updated_at: now of the run that last touched the date
    updated_run_id: the run that last touched the date

daily_revenue_versions:
  kind: model
  upstream: [daily_revenue]
  description: >-
    Every published version of every business day, with its validity
    interval, so the report can be read as it was published at any time
    (daybook report --as-of).
  grain: one row per published version of a business date (business_date, version)
  freshness_sla: a version is written by the run that publishes or restates the day; as fresh as daily_revenue
  columns:
    business_date: the business date ({timezone})
    version: 1 for the first publication, 2 and up for restatements
    orders: included order_placed events that day
    cancelled_orders: distinct orders with an included cancel that day
    refunded_orders: distinct orders with an included refund that day
    customers: distinct customers among that day's included order_placed
    gross: sum of included order amounts in {reporting_currency}
    cancellations: sum of cancellation values
    refunds: sum of included refunds
    net: gross - cancellations - refunds
    reporting_currency: the reporting currency ({reporting_currency})
    valid_from: now of the run that wrote this version
    valid_to: now of the run that replaced it; NULL for the current version
    run_id: the run that wrote this version

revenue_restatements:
  kind: model
  upstream: [daily_revenue]
  description: >-
    Every change to a published day: which metric moved, from what to what,
    in which run and because of how many late events. An alert fires when
    |delta net| / |old net| exceeds quality.restatement_alert_ratio.
  grain: one row per changed metric of a restated business date (business_date, version, metric)
  freshness_sla: written by the run that restates the day; as fresh as daily_revenue
  columns:
    business_date: the restated business date
    version: the new version of the day
    metric: orders, cancelled_orders, refunded_orders, customers, gross, cancellations, refunds or net
    old_value: the published value before (counts as whole numbers)
    new_value: the value after
    delta: new_value - old_value
    run_id: the restating run
    late_events: events accepted by that run for this business date
    restated_at: the run's now

pipeline_runs:
  kind: operations
  upstream: [sources]
  description: >-
    The accounting of every run, rebuild and check, failed ones included:
    rows_read = accepted + duplicates + quarantined, by reason, with the drop
    rate, what was recomputed and the stage timings.
  grain: one row per run (run_id)
  freshness_sla: written at the end of every run, in its transaction
  columns:
    run_id: 1, 2, ... in the order runs happen
    command: run, rebuild or check
    status: succeeded or failed
    started_at: the run's now
    finished_at: the run's now
    duration_ms: wall time in milliseconds (monotonic clock)
    rows_read: non-blank input lines read
    accepted: new events stored in order_events
    duplicates: re-delivered events (same id, same content) not stored again
    quarantined: lines stored in quarantine
    quarantined_by_reason: JSON object of quarantined counts by reason code
    files_loaded: input files read
    files_skipped: input files skipped as already loaded (same content hash)
    affected_orders: orders the run recomputed
    affected_dates: business dates the run recomputed
    published_days: days the run published
    restated_days: published days the run changed
    drop_rate: quarantined / (rows_read - duplicates)
    max_drop_rate: the drop-rate limit applied
    stage_ms: JSON object of stage timings in milliseconds
    error: why a failed run failed
    sample_rejections: failed runs only, JSON array of up to 10 rejected lines
    daybook_version: the Daybook version that ran

loaded_files:
  kind: operations
  upstream: [sources]
  description: >-
    The file manifest: every input file loaded, with its content hash and its
    accounting. A file whose hash is already here is skipped, which makes
    re-runs idempotent.
  grain: one row per loaded input file (content_hash)
  freshness_sla: written by the run that loads the file, in its transaction
  columns:
    path: absolute path when loaded
    source: the source name from daybook.yml
    size_bytes: bytes as stored
    modified_ns: modification time in nanoseconds since 1970 when loaded
    content_hash: XXH3-128 of the bytes as stored, 32 hex digits
    rows_read: non-blank lines read from the file
    accepted: of which stored in order_events
    duplicates: of which re-delivered events
    quarantined: of which quarantined
    run_id: the loading run
    loaded_at: the run's now

schema_drift:
  kind: operations
  upstream: [sources]
  description: >-
    Fields outside the event contract seen in the input: when each was first
    seen, where, and how often. Such fields are kept in
    order_events.extra_fields.
  grain: one row per field name outside the contract (field_name)
  freshness_sla: updated by every run that sees a field outside the contract
  columns:
    field_name: the field name as sent
    first_seen_at: now of the run that first saw it
    first_seen_run_id: the run that first saw it
    first_seen_locator: path:line of the first line with it
    last_seen_run_id: the last run that saw it
    occurrences: lines with the field, over all runs

check_results:
  kind: operations
  upstream: [order_events, quarantine, fct_orders, daily_revenue, revenue_restatements, pipeline_runs, loaded_files, schema_drift]
  description: >-
    The verdict of every data-quality check after every run and every
    daybook check: volume, freshness against the SLA, keys, drop rate,
    reconciliation, restatement size, anomaly, schema drift, duplicate
    conflicts and excluded events.
  grain: one row per check, model and examined day per run (run_id, check_name, model, business_date)
  freshness_sla: written after every run and every daybook check
  columns:
    run_id: the run the results belong to
    check_name: the check (volume, freshness, keys, ...)
    model: the model the check guards
    severity: warn or error (configured in models.<model>.checks)
    status: pass, warn or fail (fail = a violated error-severity check)
    business_date: the day a day-level result is about; NULL for results about the whole model
    observed: what was measured
    expected: the expectation or threshold
    message: one sentence a person can act on
    checked_at: the run's now

alerts:
  kind: operations
  upstream: [check_results]
  description: >-
    Every alert raised from a violated check, its deliveries to the
    configured sinks, and its resolution once the check passes again.
  grain: one row per raised alert (alert_id)
  freshness_sla: updated after every run and every daybook check
  columns:
    alert_id: stable id of the open condition (16 hex digits)
    run_id: the run that raised it
    severity: warn or error
    check_name: the violated check
    model: the model the check guards
    business_date: the day the condition is about; NULL when not about one day
    message: what is wrong (latest text while open)
    status: open or resolved
    raised_at: when the condition was first raised
    resolved_at: when the check passed again
    deliveries: JSON array of notices sent to each sink, with outcome

model_catalog:
  kind: catalog
  upstream: [daybook.yml]
  description: >-
    This catalog: every model with its description, grain, owner, freshness
    SLA and lineage, from the built-in catalog and daybook.yml models:. Also
    stored as COMMENT ON TABLE.
  grain: one row per model (model)
  freshness_sla: rewritten by the first run after the catalog changes
  columns:
    model: the table name
    kind: landed (from the sources), model (derived), operations (runs, checks, alerts) or catalog
    description: what the model holds and why
    grain: what one row is, and its key
    owner: who answers questions about it
    freshness_sla: how fresh it is promised to be
    upstream: what it is built from, comma-separated
    downstream: what reads it, comma-separated

column_catalog:
  kind: catalog
  upstream: [daybook.yml]
  description: >-
    A description of every column of every model. Also stored as COMMENT ON
    COLUMN.
  grain: one row per column of a model (model, column_name)
  freshness_sla: rewritten by the first run after the catalog changes
  columns:
    model: the table name
    column_name: the column name
    ordinal: the column's position in the table, from 1
    data_type: the column's type in the warehouse
    description: what the column holds
)yaml";
}

}  // namespace daybook::catalog_internal
