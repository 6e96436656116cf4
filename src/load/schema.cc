#include "load/schema.h"

#include <string>
#include <utility>
#include <vector>

#include "core/event.h"
#include "core/money.h"
#include "core/reason.h"

namespace daybook {
namespace {

// The current version (3). `{M}` is the reporting money type: DECIMAL(18,
// minor digits). Native amounts use DECIMAL(18,4), which holds every ISO
// 4217 exponent. `order_events` is created from kOrderEvents, under the
// name `{T}` (a migration builds it beside the old one).
constexpr const char* kOrderEvents = R"sql(
CREATE TABLE {T} (
  event_id          VARCHAR USING COMPRESSION fsst NOT NULL,
  event_key         UBIGINT USING COMPRESSION uncompressed NOT NULL,
  event_type        event_type NOT NULL,
  order_id          VARCHAR USING COMPRESSION fsst NOT NULL,
  order_key         UBIGINT USING COMPRESSION uncompressed NOT NULL,
  customer_id       VARCHAR USING COMPRESSION fsst,
  occurred_at       TIMESTAMPTZ NOT NULL,
  business_date     DATE NOT NULL,
  channel_id        INTEGER USING COMPRESSION bitpacking NOT NULL,
  currency          currency_code,
  amount            DECIMAL(18,4),
  amount_minor      BIGINT,
  fx_rate           DECIMAL(18,10),
  reporting_amount  {M},
  included          BOOLEAN NOT NULL,
  excluded_reason   reason_code,
  schema_version    INTEGER NOT NULL,
  extra_fields      VARCHAR,
  content_hash      UBIGINT USING COMPRESSION uncompressed NOT NULL,
  source_file_id    INTEGER NOT NULL,
  source_line       BIGINT NOT NULL,
  run_id            BIGINT NOT NULL,
  updated_run_id    BIGINT NOT NULL
);
)sql";

// An event's locator is (source_file_id, source_line): one integer per row
// costs DuckDB's insert a fraction of what two repeated strings did (docs/
// decisions.md 64); `event_sources` joins the names back.
constexpr const char* kSourceFiles = R"sql(
CREATE TABLE source_files (
  source_file_id    INTEGER NOT NULL,
  source            VARCHAR NOT NULL,
  path              VARCHAR NOT NULL,
  first_run_id      BIGINT NOT NULL
);
)sql";

constexpr const char* kEventSourcesView = R"sql(
CREATE VIEW event_sources AS
SELECT e.event_id, f.source, f.path AS source_file, e.source_line, e.run_id, e.source_file_id
FROM order_events e JOIN source_files f USING (source_file_id);
)sql";

// A channel is stored as a number too: its name, repeated on every event,
// was as costly to insert as the two locator strings (decision 65).
constexpr const char* kChannels = R"sql(
CREATE TABLE channels (
  channel_id        INTEGER NOT NULL,
  channel           VARCHAR NOT NULL,
  first_run_id      BIGINT NOT NULL
);
)sql";

// The other tables, unchanged since version 1.
constexpr const char* kTables = R"sql(
CREATE TABLE quarantine (
  run_id            BIGINT NOT NULL,
  source            VARCHAR NOT NULL,
  source_file       VARCHAR NOT NULL,
  source_line       BIGINT NOT NULL,
  locator           VARCHAR NOT NULL,
  reason_code       VARCHAR NOT NULL,
  detail            VARCHAR NOT NULL,
  event_id          VARCHAR,
  raw               VARCHAR NOT NULL,
  raw_bytes         BLOB,
  raw_size          BIGINT NOT NULL,
  quarantined_at    TIMESTAMPTZ NOT NULL,
  replay_status     VARCHAR NOT NULL,
  replay_run_id     BIGINT
);
CREATE TABLE fct_orders (
  order_id          VARCHAR USING COMPRESSION fsst NOT NULL,
  order_key         UBIGINT USING COMPRESSION uncompressed NOT NULL,
  customer_id       VARCHAR USING COMPRESSION fsst,
  channel           VARCHAR USING COMPRESSION dictionary,
  currency          currency_code,
  placed_at         TIMESTAMPTZ,
  placed_date       DATE,
  amount            DECIMAL(18,4),
  refunded          DECIMAL(18,4) NOT NULL,
  cancelled         BOOLEAN NOT NULL,
  cancelled_at      TIMESTAMPTZ,
  status            order_status NOT NULL,
  gross_reporting   {M} NOT NULL,
  refunds_reporting {M} NOT NULL,
  cancellation_reporting {M} NOT NULL,
  net_reporting     {M} NOT NULL,
  events            INTEGER NOT NULL,
  excluded_events   INTEGER NOT NULL,
  last_event_at     TIMESTAMPTZ NOT NULL,
  updated_run_id    BIGINT NOT NULL
);
CREATE TABLE daily_revenue (
  business_date     DATE NOT NULL,
  orders            BIGINT NOT NULL,
  cancelled_orders  BIGINT NOT NULL,
  refunded_orders   BIGINT NOT NULL,
  customers         BIGINT NOT NULL,
  gross             {M} NOT NULL,
  cancellations     {M} NOT NULL,
  refunds           {M} NOT NULL,
  net               {M} NOT NULL,
  reporting_currency VARCHAR NOT NULL,
  version           INTEGER NOT NULL,
  published_at      TIMESTAMPTZ,
  updated_at        TIMESTAMPTZ NOT NULL,
  updated_run_id    BIGINT NOT NULL
);
CREATE TABLE daily_revenue_by_channel (
  business_date     DATE NOT NULL,
  channel           VARCHAR NOT NULL,
  orders            BIGINT NOT NULL,
  cancelled_orders  BIGINT NOT NULL,
  refunded_orders   BIGINT NOT NULL,
  customers         BIGINT NOT NULL,
  gross             {M} NOT NULL,
  cancellations     {M} NOT NULL,
  refunds           {M} NOT NULL,
  net               {M} NOT NULL,
  reporting_currency VARCHAR NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL,
  updated_run_id    BIGINT NOT NULL
);
CREATE TABLE daily_revenue_versions (
  business_date     DATE NOT NULL,
  version           INTEGER NOT NULL,
  orders            BIGINT NOT NULL,
  cancelled_orders  BIGINT NOT NULL,
  refunded_orders   BIGINT NOT NULL,
  customers         BIGINT NOT NULL,
  gross             {M} NOT NULL,
  cancellations     {M} NOT NULL,
  refunds           {M} NOT NULL,
  net               {M} NOT NULL,
  reporting_currency VARCHAR NOT NULL,
  valid_from        TIMESTAMPTZ NOT NULL,
  valid_to          TIMESTAMPTZ,
  run_id            BIGINT NOT NULL
);
CREATE TABLE revenue_restatements (
  business_date     DATE NOT NULL,
  version           INTEGER NOT NULL,
  metric            VARCHAR NOT NULL,
  old_value         {M} NOT NULL,
  new_value         {M} NOT NULL,
  delta             {M} NOT NULL,
  run_id            BIGINT NOT NULL,
  late_events       BIGINT NOT NULL,
  restated_at       TIMESTAMPTZ NOT NULL
);
CREATE TABLE pipeline_runs (
  run_id            BIGINT NOT NULL,
  command           VARCHAR NOT NULL,
  status            VARCHAR NOT NULL,
  started_at        TIMESTAMPTZ NOT NULL,
  finished_at       TIMESTAMPTZ NOT NULL,
  duration_ms       BIGINT NOT NULL,
  rows_read         BIGINT NOT NULL,
  accepted          BIGINT NOT NULL,
  duplicates        BIGINT NOT NULL,
  quarantined       BIGINT NOT NULL,
  quarantined_by_reason VARCHAR NOT NULL,
  files_loaded      BIGINT NOT NULL,
  files_skipped     BIGINT NOT NULL,
  affected_orders   BIGINT NOT NULL,
  affected_dates    BIGINT NOT NULL,
  published_days    BIGINT NOT NULL,
  restated_days     BIGINT NOT NULL,
  drop_rate         DOUBLE NOT NULL,
  max_drop_rate     DOUBLE NOT NULL,
  stage_ms          VARCHAR NOT NULL,
  error             VARCHAR,
  sample_rejections VARCHAR,
  daybook_version   VARCHAR NOT NULL
);
CREATE TABLE loaded_files (
  path              VARCHAR NOT NULL,
  source            VARCHAR NOT NULL,
  size_bytes        BIGINT NOT NULL,
  modified_ns       BIGINT NOT NULL,
  content_hash      VARCHAR NOT NULL,
  rows_read         BIGINT NOT NULL,
  accepted          BIGINT NOT NULL,
  duplicates        BIGINT NOT NULL,
  quarantined       BIGINT NOT NULL,
  run_id            BIGINT NOT NULL,
  loaded_at         TIMESTAMPTZ NOT NULL
);
CREATE TABLE schema_drift (
  field_name        VARCHAR NOT NULL,
  first_seen_at     TIMESTAMPTZ NOT NULL,
  first_seen_run_id BIGINT NOT NULL,
  first_seen_locator VARCHAR NOT NULL,
  last_seen_run_id  BIGINT NOT NULL,
  occurrences       BIGINT NOT NULL
);
CREATE TABLE check_results (
  run_id            BIGINT NOT NULL,
  check_name        VARCHAR NOT NULL,
  model             VARCHAR NOT NULL,
  severity          VARCHAR NOT NULL,
  status            VARCHAR NOT NULL,
  business_date     DATE,
  observed          VARCHAR,
  expected          VARCHAR,
  message           VARCHAR NOT NULL,
  checked_at        TIMESTAMPTZ NOT NULL
);
CREATE TABLE alerts (
  alert_id          VARCHAR NOT NULL,
  run_id            BIGINT,
  severity          VARCHAR NOT NULL,
  check_name        VARCHAR NOT NULL,
  model             VARCHAR NOT NULL,
  business_date     DATE,
  message           VARCHAR NOT NULL,
  status            VARCHAR NOT NULL,
  raised_at         TIMESTAMPTZ NOT NULL,
  resolved_at       TIMESTAMPTZ,
  deliveries        VARCHAR
);
)sql";

// Low-cardinality columns are ENUMs (a byte per row instead of a string).
// Their value order is the C++ enums' order, so the loader writes indexes.
std::string EnumTypes() {
  auto list = [](auto&& names) {
    std::string s;
    for (std::string_view n : names) s += (s.empty() ? "" : ", ") + SqlQuote(n);
    return s;
  };
  std::vector<std::string_view> types = {EventTypeName(EventType::kPlaced), EventTypeName(EventType::kCancelled),
                                         EventTypeName(EventType::kRefunded)};
  std::vector<std::string_view> currencies, reasons, statuses;
  size_t n = 0;
  const Currency* all = AllCurrencies(&n);
  for (size_t i = 0; i < n; ++i) currencies.push_back(all[i].Code());
  for (size_t i = 0; i < static_cast<size_t>(Reason::kCount); ++i) reasons.push_back(ReasonName(static_cast<Reason>(i)));
  for (const char* st : kOrderStatusNames) statuses.push_back(st);
  return "CREATE TYPE event_type AS ENUM (" + list(types) + ");\n"
         "CREATE TYPE currency_code AS ENUM (" + list(currencies) + ");\n"
         "CREATE TYPE reason_code AS ENUM (" + list(reasons) + ");\n"
         "CREATE TYPE order_status AS ENUM (" + list(statuses) + ");\n";
}

std::string Expand(const char* tmpl, int scale, std::string_view table = "order_events") {
  std::string s(tmpl), m = "DECIMAL(18," + std::to_string(scale) + ")";
  for (size_t p; (p = s.find("{M}")) != std::string::npos;) s.replace(p, 3, m);
  for (size_t p; (p = s.find("{T}")) != std::string::npos;) s.replace(p, 3, table);
  return s;
}

// Version 1 kept `source` and `source_file` as strings on every event;
// version 2 numbers the (source, path) pairs in `source_files`, in the
// order of the run that first loaded them. Version 2 kept `channel` as a
// string; version 3 numbers the channels in `channels` the same way. Either
// rebuilds `order_events` once, in its stored order (rows read by rowid
// rely on an order's events lying close together: decision 54), with the
// numbers in place of the names.
Status MigrateOrderEvents(Warehouse& wh, int scale, int from) {
  std::string joins;
  std::vector<std::pair<std::string, std::string>> replaced;  // column of the new table, its value
  if (from < 2) {
    DAYBOOK_RETURN_IF_ERROR(wh.Exec(kSourceFiles));
    DAYBOOK_RETURN_IF_ERROR(wh.Exec(
        "INSERT INTO source_files SELECT row_number() OVER (ORDER BY first_run_id, source, path)::INTEGER, "
        "source, path, first_run_id FROM (SELECT source, source_file AS path, min(run_id) AS first_run_id "
        "FROM order_events GROUP BY ALL)"));
    joins += " JOIN source_files f ON f.source = e.source AND f.path = e.source_file";
    replaced.emplace_back("source_file_id", "f.source_file_id");
  }
  if (from < 3) {
    DAYBOOK_RETURN_IF_ERROR(wh.Exec(kChannels));
    DAYBOOK_RETURN_IF_ERROR(wh.Exec(
        "INSERT INTO channels SELECT row_number() OVER (ORDER BY first_run_id, channel)::INTEGER, channel, "
        "first_run_id FROM (SELECT channel, min(run_id) AS first_run_id FROM order_events GROUP BY ALL)"));
    joins += " JOIN channels c ON c.channel = e.channel";
    replaced.emplace_back("channel_id", "c.channel_id");
  }
  DAYBOOK_RETURN_IF_ERROR(wh.Exec("DROP VIEW IF EXISTS event_sources"));
  DAYBOOK_RETURN_IF_ERROR(wh.Exec(Expand(kOrderEvents, scale, "order_events_new")));
  std::string cases;
  for (const auto& [column, value] : replaced) cases += " WHEN " + SqlQuote(column) + " THEN " + SqlQuote(value);
  DAYBOOK_ASSIGN_OR_RETURN(
      std::string select,
      wh.QueryScalar("SELECT string_agg(CASE column_name" + cases + " ELSE 'e.' || column_name END, ', ' "
                     "ORDER BY ordinal_position) FROM information_schema.columns "
                     "WHERE table_schema = 'main' AND table_name = 'order_events_new'"));
  // On one thread the joins' probe side is read in stored order and the
  // rows are inserted in it; on more, DuckDB interleaves the threads' chunks.
  DAYBOOK_RETURN_IF_ERROR(wh.Exec("SET threads = 1"));
  Status copied = wh.Exec("INSERT INTO order_events_new SELECT " + select + " FROM order_events e" + joins);
  DAYBOOK_RETURN_IF_ERROR(wh.Exec("RESET threads"));
  DAYBOOK_RETURN_IF_ERROR(copied);
  DAYBOOK_RETURN_IF_ERROR(wh.Exec("DROP TABLE order_events"));
  DAYBOOK_RETURN_IF_ERROR(wh.Exec("ALTER TABLE order_events_new RENAME TO order_events"));
  return wh.Exec(kEventSourcesView);
}

Result<int> StoredVersion(Warehouse& wh) {
  DAYBOOK_ASSIGN_OR_RETURN(int64_t has_meta,
                           wh.QueryInt("SELECT count(*) FROM information_schema.tables "
                                       "WHERE table_schema='main' AND table_name='daybook_meta'"));
  if (!has_meta) {
    DAYBOOK_ASSIGN_OR_RETURN(int64_t tables,
                             wh.QueryInt("SELECT count(*) FROM information_schema.tables "
                                         "WHERE table_schema='main'"));
    if (tables > 0) {
      return Corrupt("warehouse " + wh.path() +
                     " is a DuckDB file but not a Daybook warehouse (no daybook_meta table)");
    }
    return 0;
  }
  DAYBOOK_ASSIGN_OR_RETURN(std::string v, wh.QueryScalar("SELECT value FROM daybook_meta WHERE key='schema_version'"));
  int version = std::atoi(v.c_str());
  if (version > kSchemaVersion) {
    return Corrupt("warehouse " + wh.path() + " has schema version " + v +
                   ", written by a newer Daybook; this binary understands up to version " +
                   std::to_string(kSchemaVersion) + " — upgrade daybook");
  }
  return version;
}

}  // namespace

Status Migrate(Warehouse& wh, const std::string& reporting_currency) {
  DAYBOOK_ASSIGN_OR_RETURN(int version, StoredVersion(wh));
  if (version > 0) {
    DAYBOOK_ASSIGN_OR_RETURN(std::string stored, WarehouseCurrency(wh));
    if (stored != reporting_currency) {
      return InvalidArgument("warehouse " + wh.path() + " reports in " + stored +
                             " but business.reporting_currency is " + reporting_currency +
                             "; a warehouse's reporting currency is fixed when it is created");
    }
    if (version == kSchemaVersion) return Status::Ok();
  }
  const Currency* cur = FindCurrency(reporting_currency);
  if (!cur) return InvalidArgument("unknown reporting currency " + reporting_currency);
  DAYBOOK_RETURN_IF_ERROR(wh.Exec("BEGIN"));
  Status st = [&]() -> Status {
    if (version == 0) {
      DAYBOOK_RETURN_IF_ERROR(wh.Exec("CREATE TABLE daybook_meta (key VARCHAR NOT NULL, value VARCHAR NOT NULL)"));
      DAYBOOK_RETURN_IF_ERROR(wh.Exec(EnumTypes()));
      DAYBOOK_RETURN_IF_ERROR(wh.Exec(Expand(kOrderEvents, cur->exponent)));
      DAYBOOK_RETURN_IF_ERROR(wh.Exec(kSourceFiles));
      DAYBOOK_RETURN_IF_ERROR(wh.Exec(kEventSourcesView));
      DAYBOOK_RETURN_IF_ERROR(wh.Exec(kChannels));
      DAYBOOK_RETURN_IF_ERROR(wh.Exec(Expand(kTables, cur->exponent)));
      DAYBOOK_RETURN_IF_ERROR(wh.Exec("INSERT INTO daybook_meta VALUES ('schema_version', '" +
                                      std::to_string(kSchemaVersion) + "'), "
                                      "('reporting_currency', " + SqlQuote(reporting_currency) + ")"));
    }
    if (version > 0 && version < kSchemaVersion) {
      DAYBOOK_RETURN_IF_ERROR(MigrateOrderEvents(wh, cur->exponent, version));
    }
    return wh.Exec("UPDATE daybook_meta SET value = '" + std::to_string(kSchemaVersion) +
                   "' WHERE key = 'schema_version'");
  }();
  if (!st.ok()) {
    (void)wh.Exec("ROLLBACK");
    return st;
  }
  return wh.Exec("COMMIT");
}

Status CheckReadable(Warehouse& wh) {
  DAYBOOK_ASSIGN_OR_RETURN(int version, StoredVersion(wh));
  if (version == 0) return NotFound("warehouse " + wh.path() + " is empty (run `daybook run` first)");
  return Status::Ok();
}

Result<std::string> WarehouseCurrency(Warehouse& wh) {
  return wh.QueryScalar("SELECT value FROM daybook_meta WHERE key='reporting_currency'");
}

}  // namespace daybook
