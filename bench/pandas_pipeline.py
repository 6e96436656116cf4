#!/usr/bin/python3
"""bench/pandas_pipeline.py: the same job as `daybook run`, the way a pandas
user writes it (pandas from Debian, python3-pandas; no pip).

    pandas_pipeline.py --input FILE --fx FX.csv --daily-csv OUT.csv
                       [--events-out FILE.pkl] [--tz UTC] [--reporting USD]
                       [--staleness-days 3] [--chunk-lines 100000]

read_json(lines=True) per chunk of lines, drop_duplicates on event_id,
to_datetime/tz_convert for the business date, merge_asof for FX, groupby per
business date. Money stays exact: amounts are parsed from their decimal text
to integer minor units, FX conversion is integer arithmetic rounded half to
even (never float money). Writes the events table (pickle: the cheapest
durable pandas output without pyarrow, which Debian 12 does not package) and
the daily revenue table (CSV, minor units) used by the bench to compare.

Same semantics as Daybook on a clean file (checked by the bench). Where it
simplifies (matters only on a faulty file): validation is type/value checks
only, rejected rows are dropped (no quarantine, no locator); a number where a
string is expected is coerced; same-id conflicts are not detected (the first
line wins); REFUND_EXCEEDS_ORDER uses a running sum over candidate refunds; no
incremental state, versions, restatements, checks or run log.
"""
import argparse
import io
import itertools
import json
import sys

import numpy as np
import pandas as pd

EXPONENTS = {"USD": 2, "EUR": 2, "GBP": 2, "JPY": 0, "KWD": 3, "CHF": 2, "CAD": 2, "AUD": 2}
COLUMNS = ["event_id", "event_type", "order_id", "occurred_at", "customer_id",
           "amount", "currency", "channel"]
EVENT_TYPES = ["order_placed", "order_refunded", "order_cancelled"]
EVENT_TYPE = pd.CategoricalDtype(EVENT_TYPES)
CURRENCY = pd.CategoricalDtype(sorted(EXPONENTS))


def read_chunks(path, chunk_lines):
    """NDJSON -> DataFrames of the contract's columns, one per chunk of lines.

    pd.read_json(lines=True) per chunk; a chunk with a malformed line is
    re-read line by line with json.loads, skipping the bad lines (read_json
    rejects the whole chunk otherwise)."""
    with open(path, "r", encoding="utf-8", errors="replace") as f:
        while True:
            lines = list(itertools.islice(f, chunk_lines))
            if not lines:
                break
            lines = [ln for ln in lines if ln.strip()]
            try:
                df = pd.read_json(io.StringIO("".join(lines)), lines=True, dtype=False,
                                  convert_dates=False, precise_float=True)
            except ValueError:
                records = []
                for ln in lines:
                    try:
                        obj = json.loads(ln)
                    except ValueError:
                        continue
                    if isinstance(obj, dict):
                        records.append(obj)
                df = pd.DataFrame.from_records(records)
            del lines
            yield df.reindex(columns=COLUMNS)


def stage(df, tz):
    """One chunk -> typed, validated rows (staging model). Returns the rows
    kept and the number of rows read."""
    amount_text = to_text(df["amount"])
    occurred_at = pd.to_datetime(df["occurred_at"], utc=True, errors="coerce")
    exponent = df["currency"].map(EXPONENTS)
    parts = amount_text.str.extract(r"^(\d+)(?:\.(\d*))?$")
    frac = parts[1].fillna("").str.rstrip("0")
    has_amount = amount_text.notna()
    amount_ok = parts[0].notna() & exponent.notna() & (frac.str.len() <= exponent.fillna(-1))
    exp = exponent.fillna(0).astype(np.int64)
    whole = pd.to_numeric(parts[0], errors="coerce").fillna(0).astype(np.int64)
    frac_digits = frac.str.len().fillna(0).astype(np.int64)
    frac_val = pd.to_numeric(frac.where(frac != "", "0"), errors="coerce").fillna(0).astype(np.int64)
    amount_minor = whole * (10 ** exp) + frac_val * (10 ** (exp - frac_digits).clip(lower=0))
    et = df["event_type"]
    id_ok = (df["event_id"].str.len().between(1, 128) & df["order_id"].str.len().between(1, 128)).fillna(False)
    valid = (
        id_ok & occurred_at.notna()
        & (((et == "order_placed") & df["customer_id"].notna() & amount_ok)
           | ((et == "order_refunded") & amount_ok & (amount_minor > 0))
           | ((et == "order_cancelled") & ~has_amount))
    )
    out = pd.DataFrame({
        "event_id": df["event_id"], "event_type": et.astype(EVENT_TYPE), "order_id": df["order_id"],
        "occurred_at": occurred_at, "customer_id": df["customer_id"],
        "currency": df["currency"].astype(CURRENCY), "channel": df["channel"].fillna("unknown"),
        "exponent": exponent, "amount_minor": amount_minor,
    })[valid]
    out["business_date"] = out["occurred_at"].dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()
    return out


def to_text(s):
    """Object column -> str column; JSON numbers come back as their shortest
    repr (29.99 -> '29.99'), which is the decimal the producer wrote for
    amounts of up to 15 significant digits."""
    return s.where(s.isna(), s.astype(str))


def half_even_div(n, d):
    """Elementwise n / d rounded half to even; n >= 0 int64 arrays, d > 0."""
    q, r = np.divmod(n, d)
    twice = 2 * r
    return q + ((twice > d) | ((twice == d) & (q % 2 == 1))).astype(np.int64)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--fx", required=True)
    ap.add_argument("--daily-csv", required=True)
    ap.add_argument("--events-out")
    ap.add_argument("--tz", default="UTC")
    ap.add_argument("--reporting", default="USD")
    ap.add_argument("--staleness-days", type=int, default=3)
    ap.add_argument("--chunk-lines", type=int, default=100000)
    a = ap.parse_args()
    rep_exp = EXPONENTS[a.reporting]

    # --- staging: read, type and check each chunk, keep the valid rows ----
    rows_read = 0
    frames = []
    for chunk in read_chunks(a.input, a.chunk_lines):
        rows_read += len(chunk)
        frames.append(stage(chunk, a.tz))
        del chunk
    df = pd.concat(frames, ignore_index=True)
    del frames
    df["channel"] = df["channel"].astype("category")

    # --- dedup: first line per event_id ----------------------------------
    df = df.drop_duplicates("event_id", keep="first")

    # --- order state: each order's events by (occurred_at, event_id) ------
    df = df.sort_values(["order_id", "occurred_at", "event_id"], kind="mergesort", ignore_index=True)
    df["seq"] = df.groupby("order_id", sort=False).cumcount()
    placed = (df[df["event_type"] == "order_placed"].drop_duplicates("order_id", keep="first")
              .set_index("order_id"))
    oid = df["order_id"]
    df["placed_seq"] = oid.map(placed["seq"])
    df["placed_event_id"] = oid.map(placed["event_id"])
    df["order_minor"] = oid.map(placed["amount_minor"])
    df["order_currency"] = oid.map(placed["currency"]).astype(CURRENCY)
    df["order_exponent"] = oid.map(placed["exponent"])
    del placed
    cancels = df[(df["event_type"] == "order_cancelled") & (df["seq"] > df["placed_seq"])]
    df["cancel_seq"] = oid.map(cancels.groupby("order_id", sort=False)["seq"].min())
    del cancels

    cand = ((df["event_type"] == "order_refunded") & (df["seq"] > df["placed_seq"])
            & (df["cancel_seq"].isna() | (df["seq"] < df["cancel_seq"]))
            & (df["currency"] == df["order_currency"]))
    running = df["amount_minor"].where(cand, 0).groupby(oid, sort=False).cumsum()
    refund_ok = cand & (running <= df["order_minor"])
    df["refunded_minor"] = oid.map(df["amount_minor"].where(refund_ok, 0).groupby(oid, sort=False).sum())

    et = df["event_type"]
    reason = pd.Series(None, index=df.index, dtype=object)
    has_order = df["placed_seq"].notna()
    after_cancel = df["cancel_seq"].notna() & (df["seq"] > df["cancel_seq"])
    reason[(et == "order_placed") & (df["event_id"] != df["placed_event_id"])] = "DUPLICATE_ORDER"
    nonplaced = et != "order_placed"
    reason[nonplaced & ~has_order | nonplaced & has_order & (df["seq"] < df["placed_seq"])] = "ORPHAN_EVENT"
    pending = nonplaced & reason.isna()
    reason[pending & after_cancel] = "AFTER_CANCEL"
    pending = (et == "order_refunded") & reason.isna()
    reason[pending & (df["currency"] != df["order_currency"])] = "CURRENCY_MISMATCH"
    pending = (et == "order_refunded") & reason.isna()
    reason[pending & ~refund_ok] = "REFUND_EXCEEDS_ORDER"

    # The value to convert: a cancel is worth the order amount minus refunds
    # before it, in the order's currency.
    cancel = et == "order_cancelled"
    df["value_minor"] = np.where(cancel, df["order_minor"].fillna(0) - df["refunded_minor"].fillna(0),
                                 df["amount_minor"]).astype(np.int64)
    df["value_currency"] = df["currency"].where(~cancel, df["order_currency"]).astype(object)
    df["value_exponent"] = df["exponent"].where(~cancel, df["order_exponent"])
    df["excluded_reason"] = reason
    df = df.drop(columns=["placed_seq", "placed_event_id", "order_minor", "order_currency", "order_exponent",
                          "cancel_seq", "refunded_minor", "seq", "exponent"])

    # --- FX: latest rate on or before the business date, within staleness --
    fx = pd.read_csv(a.fx, dtype={"currency": str, "rate": str})
    fx["rate_date"] = pd.to_datetime(fx["date"])
    rp = fx["rate"].str.extract(r"^(\d+)(?:\.(\d*))?$")
    rf = rp[1].fillna("")
    fx["rate_scaled"] = (pd.to_numeric(rp[0]).astype(np.int64) * 10**10
                         + pd.to_numeric(rf.where(rf != "", "0")).astype(np.int64)
                         * (10 ** (10 - rf.str.len())).astype(np.int64))
    fx = fx.rename(columns={"currency": "value_currency"})[["rate_date", "value_currency", "rate_scaled"]]
    df = df.sort_values("business_date", kind="mergesort")
    df = pd.merge_asof(df, fx.sort_values("rate_date"), left_on="business_date", right_on="rate_date",
                       by="value_currency", direction="backward",
                       tolerance=pd.Timedelta(days=a.staleness_days))
    df.loc[df["value_currency"] == a.reporting, "rate_scaled"] = 10**10
    no_rate = df["value_currency"].notna() & df["rate_scaled"].isna() & df["excluded_reason"].isna()
    df.loc[no_rate, "excluded_reason"] = "FX_RATE_MISSING"
    rate = df["rate_scaled"].fillna(0).astype(np.int64).to_numpy()
    value = df["value_minor"].to_numpy()
    den = (10 ** (10 + df["value_exponent"].fillna(rep_exp).astype(np.int64) - rep_exp)).to_numpy()
    # value * rate fits int64 for the bench's amounts (<= 10^7 minor units of
    # a non-reporting currency, rates <= 10^10 scaled) ...
    rep = half_even_div(value * rate, den)
    # ... and the reporting currency converts at exactly 1.
    same = (df["value_currency"] == a.reporting).to_numpy()
    rep[same] = value[same]
    df["reporting_minor"] = rep
    df["included"] = df["excluded_reason"].isna()

    events = df[["event_id", "event_type", "order_id", "occurred_at", "business_date", "customer_id",
                 "channel", "currency", "amount_minor", "rate_scaled", "reporting_minor",
                 "included", "excluded_reason"]]
    if a.events_out:
        events.to_pickle(a.events_out)

    # --- daily revenue (booking basis) ------------------------------------
    inc = events[events["included"]]
    t = inc["event_type"]
    daily = pd.DataFrame({
        "orders": inc[t == "order_placed"].groupby("business_date").size(),
        "cancelled_orders": inc[t == "order_cancelled"].groupby("business_date")["order_id"].nunique(),
        "refunded_orders": inc[t == "order_refunded"].groupby("business_date")["order_id"].nunique(),
        "customers": inc[t == "order_placed"].groupby("business_date")["customer_id"].nunique(),
        "gross": inc[t == "order_placed"].groupby("business_date")["reporting_minor"].sum(),
        "cancellations": inc[t == "order_cancelled"].groupby("business_date")["reporting_minor"].sum(),
        "refunds": inc[t == "order_refunded"].groupby("business_date")["reporting_minor"].sum(),
    }).fillna(0).astype(np.int64)
    daily["net"] = daily["gross"] - daily["cancellations"] - daily["refunds"]
    daily.index = daily.index.strftime("%Y-%m-%d")
    daily.index.name = "business_date"
    daily.sort_index().to_csv(a.daily_csv)
    print(json.dumps({"rows_read": rows_read, "events": int(len(events)),
                      "included": int(events["included"].sum()), "days": int(len(daily))}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
