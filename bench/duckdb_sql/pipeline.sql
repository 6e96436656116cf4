-- bench/duckdb_sql/pipeline.sql: the same job as `daybook run`, written the way
-- a dbt-duckdb user would write it (one model per CTE/table), and run through
-- the libduckdb that Daybook links (bench/duckdb_sql/runner.c).
--
-- Parameters (substituted by the runner):
--   ${input}      the NDJSON file          ${fx}         the FX CSV (date,currency,rate)
--   ${tz}         business time zone       ${reporting}  reporting currency (USD)
--   ${staleness}  FX max staleness, days   ${daily_csv}  where to write daily totals
--
-- Produces two tables in the database file: order_events (one row per
-- distinct accepted event, with business_date, minor-unit amounts, the FX rate
-- used, the reporting amount and included/excluded_reason) and daily_revenue
-- (the metrics of spec §3 per business date), then copies daily_revenue to
-- ${daily_csv} in minor units so the bench can compare it with the other tools.
--
-- Same semantics as Daybook on a clean file (checked by the bench). Where it
-- simplifies (only matters on a faulty file):
--   * validation is what a careful dbt model does: typed casts, accepted
--     values, not-null, precision; a number where a string is expected is
--     coerced (Daybook: WRONG_TYPE); rejected rows are dropped, not kept in
--     a quarantine table with their raw text and locator;
--   * dedup keeps one row per event_id (the earliest occurred_at); a
--     same-id-different-content conflict is not detected (Daybook keeps the
--     first *accepted* version and quarantines the other);
--   * REFUND_EXCEEDS_ORDER uses a running sum over the candidate refunds; it
--     differs from Daybook's sequential walk only when an excluded refund is
--     followed by a smaller refund that would still fit;
--   * full rebuild every run: no incremental state, versions, restatements,
--     publication, checks or run log.

-- seeds/currencies.csv: ISO 4217 exponents of the currencies in the feed.
CREATE OR REPLACE TABLE currencies AS
SELECT * FROM (VALUES ('USD', 2), ('EUR', 2), ('GBP', 2), ('JPY', 0), ('KWD', 3), ('CHF', 2), ('CAD', 2), ('AUD', 2))
  AS t(currency, exponent);

-- seeds/fx_rates.csv
CREATE OR REPLACE TABLE fx_rates AS
SELECT date::DATE AS rate_date, currency, rate::DECIMAL(18, 10) AS rate
FROM read_csv('${fx}', header = true, columns = {'date': 'DATE', 'currency': 'VARCHAR', 'rate': 'VARCHAR'});

-- macros/half_even.sql: n / d rounded half to even, n >= 0, d > 0 (integers).
CREATE OR REPLACE MACRO half_even_div(n, d) AS
  (n // d) + CASE WHEN 2 * (n % d) > d OR (2 * (n % d) = d AND (n // d) % 2 = 1) THEN 1 ELSE 0 END;

-- models/staging/stg_order_events.sql
CREATE OR REPLACE TEMP TABLE stg_order_events AS
WITH raw AS (
  SELECT *
  FROM read_ndjson('${input}',
         columns = {
           event_id: 'VARCHAR', event_type: 'VARCHAR', order_id: 'VARCHAR',
           occurred_at: 'VARCHAR', customer_id: 'VARCHAR', amount: 'VARCHAR',
           currency: 'VARCHAR', channel: 'VARCHAR'
         },
         ignore_errors = true)
),
typed AS (
  SELECT
    event_id, event_type, order_id,
    TRY_CAST(occurred_at AS TIMESTAMPTZ) AS occurred_at,
    customer_id,
    TRY_CAST(amount AS DECIMAL(18, 4)) AS amount,
    amount AS amount_text,
    currency,
    coalesce(channel, 'unknown') AS channel
  FROM raw
),
valid AS (
  SELECT t.*, c.exponent
  FROM typed t
  LEFT JOIN currencies c USING (currency)
  WHERE t.event_id IS NOT NULL AND length(t.event_id) BETWEEN 1 AND 128
    AND t.order_id IS NOT NULL AND length(t.order_id) BETWEEN 1 AND 128
    AND t.occurred_at IS NOT NULL
    AND t.event_type IN ('order_placed', 'order_refunded', 'order_cancelled')
    AND CASE t.event_type
          WHEN 'order_placed' THEN t.customer_id IS NOT NULL AND t.amount >= 0 AND c.exponent IS NOT NULL
          WHEN 'order_refunded' THEN t.amount > 0 AND c.exponent IS NOT NULL
          ELSE t.amount_text IS NULL
        END
    -- no more fractional digits than the currency has (12.345 USD is rejected)
    AND (t.amount_text IS NULL OR length(rtrim(split_part(t.amount_text, '.', 2), '0')) <= c.exponent)
)
SELECT
  event_id, event_type, order_id, occurred_at,
  timezone('${tz}', occurred_at)::DATE AS business_date,
  customer_id, currency, exponent,
  CAST(amount * (10 ^ exponent)::DECIMAL(18, 0) AS BIGINT) AS amount_minor,
  channel
FROM valid
QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY occurred_at) = 1;

-- models/intermediate/int_order_sequence.sql: each order's events in
-- (occurred_at, event_id) order; the first placement is the order.
CREATE OR REPLACE TEMP TABLE int_order_sequence AS
SELECT *, row_number() OVER (PARTITION BY order_id ORDER BY occurred_at, event_id) AS seq
FROM stg_order_events;

CREATE OR REPLACE TEMP TABLE int_orders AS
WITH placed AS (
  SELECT order_id, seq AS placed_seq, event_id AS placed_event_id,
         amount_minor AS order_minor, currency AS order_currency, exponent AS order_exponent
  FROM int_order_sequence
  WHERE event_type = 'order_placed'
  QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY seq) = 1
),
first_cancel AS (
  SELECT c.order_id, min(c.seq) AS cancel_seq
  FROM int_order_sequence c
  JOIN placed p USING (order_id)
  WHERE c.event_type = 'order_cancelled' AND c.seq > p.placed_seq
  GROUP BY c.order_id
)
SELECT p.*, fc.cancel_seq
FROM placed p
LEFT JOIN first_cancel fc USING (order_id);

-- Refunds after the placement, before any cancel, in the order's currency,
-- while the running total stays within the order amount.
CREATE OR REPLACE TEMP TABLE int_refunds AS
SELECT s.event_id, s.order_id, s.amount_minor, o.order_minor,
       sum(s.amount_minor) OVER (PARTITION BY s.order_id ORDER BY s.seq) AS running_minor
FROM int_order_sequence s
JOIN int_orders o USING (order_id)
WHERE s.event_type = 'order_refunded' AND s.seq > o.placed_seq
  AND (o.cancel_seq IS NULL OR s.seq < o.cancel_seq)
  AND s.currency = o.order_currency;

CREATE OR REPLACE TEMP TABLE int_refunded AS
SELECT order_id, sum(amount_minor) AS refunded_minor
FROM int_refunds WHERE running_minor <= order_minor GROUP BY order_id;

-- models/marts/order_events.sql
CREATE OR REPLACE TABLE order_events AS
WITH derived AS (
  SELECT
    s.*,
    CASE
      WHEN s.event_type = 'order_placed' THEN
        CASE WHEN s.event_id = o.placed_event_id THEN NULL ELSE 'DUPLICATE_ORDER' END
      WHEN o.order_id IS NULL OR s.seq < o.placed_seq THEN 'ORPHAN_EVENT'
      WHEN o.cancel_seq IS NOT NULL AND s.seq > o.cancel_seq THEN 'AFTER_CANCEL'
      WHEN s.event_type = 'order_cancelled' THEN NULL
      WHEN s.currency <> o.order_currency THEN 'CURRENCY_MISMATCH'
      WHEN r.running_minor IS NULL OR r.running_minor > r.order_minor THEN 'REFUND_EXCEEDS_ORDER'
      ELSE NULL
    END AS rule_reason,
    -- the value to convert: a cancel is worth the order amount minus refunds
    -- before it, in the order's currency
    CASE WHEN s.event_type = 'order_cancelled' THEN o.order_minor - coalesce(f.refunded_minor, 0)
         ELSE s.amount_minor END AS value_minor,
    CASE WHEN s.event_type = 'order_cancelled' THEN o.order_currency ELSE s.currency END AS value_currency,
    CASE WHEN s.event_type = 'order_cancelled' THEN o.order_exponent ELSE s.exponent END AS value_exponent
  FROM int_order_sequence s
  LEFT JOIN int_orders o USING (order_id)
  LEFT JOIN int_refunds r USING (event_id)
  LEFT JOIN int_refunded f ON f.order_id = s.order_id
),
with_fx AS (
  -- latest rate on or before the business date, at most ${staleness} days old
  SELECT d.*,
         CASE WHEN d.value_currency = '${reporting}' THEN 1::DECIMAL(18, 10)
              WHEN d.business_date - fx.rate_date <= ${staleness} THEN fx.rate END AS fx_rate
  FROM derived d
  ASOF LEFT JOIN fx_rates fx
    ON fx.currency = d.value_currency AND d.business_date >= fx.rate_date
)
SELECT
  event_id, event_type, order_id, occurred_at, business_date, customer_id, channel,
  currency, amount_minor, fx_rate,
  CASE WHEN value_minor IS NULL OR fx_rate IS NULL THEN NULL
       ELSE half_even_div(value_minor::HUGEINT * CAST(fx_rate * 10000000000 AS BIGINT),
                          (10::HUGEINT ^ (10 + value_exponent - (SELECT exponent FROM currencies WHERE currency = '${reporting}')))::HUGEINT)::BIGINT
  END AS reporting_minor,
  coalesce(rule_reason, CASE WHEN fx_rate IS NULL AND value_minor IS NOT NULL THEN 'FX_RATE_MISSING' END) AS excluded_reason,
  excluded_reason IS NULL AS included
FROM with_fx;

-- models/marts/daily_revenue.sql (booking basis: every event on its own date)
CREATE OR REPLACE TABLE daily_revenue AS
SELECT
  business_date,
  count(*) FILTER (WHERE event_type = 'order_placed') AS orders,
  count(DISTINCT order_id) FILTER (WHERE event_type = 'order_cancelled') AS cancelled_orders,
  count(DISTINCT order_id) FILTER (WHERE event_type = 'order_refunded') AS refunded_orders,
  count(DISTINCT customer_id) FILTER (WHERE event_type = 'order_placed') AS customers,
  coalesce(sum(reporting_minor) FILTER (WHERE event_type = 'order_placed'), 0) AS gross_minor,
  coalesce(sum(reporting_minor) FILTER (WHERE event_type = 'order_cancelled'), 0) AS cancellations_minor,
  coalesce(sum(reporting_minor) FILTER (WHERE event_type = 'order_refunded'), 0) AS refunds_minor,
  gross_minor - cancellations_minor - refunds_minor AS net_minor
FROM order_events
WHERE included
GROUP BY business_date
ORDER BY business_date;

COPY (SELECT business_date, orders, cancelled_orders, refunded_orders, customers,
             gross_minor AS gross, cancellations_minor AS cancellations,
             refunds_minor AS refunds, net_minor AS net
      FROM daily_revenue ORDER BY business_date)
TO '${daily_csv}' (HEADER, DELIMITER ',');
