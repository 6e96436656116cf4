// File: gen/generator.h
//
// Synthetic order events for `daybook gen` (spec §1 and §5): a realistic
// NDJSON stream with weekly and daily seasonality in the business time zone,
// heavy-tailed repeat customers, five currencies (USD majority, EUR, GBP,
// JPY, KWD), log-normal amounts, refunds and cancellations, plus the faults
// a real feed has (re-deliveries, late arrivals, lines the decoder must
// reject), and optionally a matching FX rate file.
//
//   GenOptions o;
//   o.orders = 100000;
//   o.days = 30;
//   o.start_date = *ParseDate("2025-03-01");
//   o.dup_rate = 0.01;  o.late_rate = 0.02;  o.bad_rate = 0.005;
//   o.out = "landing/events.jsonl";
//   o.fx_out = "fx_rates.csv";
//   Result<GenStats> stats = Generate(o);
//   if (!stats.ok()) return stats.status();
//   // lines in the file == stats->events + stats->duplicates + stats->bad
//
// The stream. Each order yields one order_placed (at a time drawn from the
// day-of-week and hour-of-day curves of `timezone`) and, with probability
// refund_rate, one or two refunds (partial or full, never more than the
// order, same currency, up to 10 days later) and, with probability
// cancel_rate, a cancellation 5 minutes to 48 hours later (possibly after a
// partial refund). Follow-ups falling after the generated range are dropped.
// Lines are written in occurred_at order, except that a late_rate fraction
// of events is written 1 to 3 days after its place (arrived late; those
// arriving after the range come at the end of the file).
//
// Faults, as extra lines (rates are per event written):
//  - dup_rate: exact re-deliveries of a recent event (same event_id and
//    typed content; sometimes in another key order or with spaces).
//  - bad_rate: lines the decoder must quarantine, spread evenly over
//    MALFORMED_JSON (truncated line), MISSING_FIELD, WRONG_TYPE (order_id or
//    customer_id as a number), UNKNOWN_EVENT_TYPE, INVALID_TIMESTAMP,
//    INVALID_AMOUNT ("12,50", "abc"), AMOUNT_PRECISION, UNKNOWN_CURRENCY
//    ("XXX", "usd") and DUPLICATE_CONFLICT (an earlier event's event_id with
//    a different amount). Every other line is valid per contract v1.
//
// Determinism: the same options give byte-identical files (own xoshiro256**,
// integer arithmetic, no std distributions, no libm).
// Orders, lateness, duplicates and bad lines draw from separate random
// streams: for one seed, changing a fault rate changes only that fault, so a
// clean and a faulty file describe the same orders (same ids, same amounts).
//
// Output files are written to a hidden temporary beside the target and
// renamed when complete, so a reader never sees a partial file. "-" as `out`
// writes the events to stdout. Memory stays bounded (a few days of
// follow-up events), whatever the number of orders.
//
// Errors: kInvalidArgument naming the bad option, kNotFound for an unknown
// time zone, kIoError naming the file. Thread safety: Generate shares no
// state between calls.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>

#include "core/reason.h"
#include "core/status.h"

namespace daybook {

struct GenOptions {
  int64_t orders = 1000;       // order_placed events, spread over the days
  int days = 30;               // business days covered: start_date .. start_date+days-1
  int32_t start_date = 20089;  // days since 1970-01-01 (2025-01-01); see ParseDate()
  uint64_t seed = 1;
  double dup_rate = 0;         // each in [0, 1]
  double late_rate = 0;
  double bad_rate = 0;
  double refund_rate = 0.05;   // per order
  double cancel_rate = 0.03;   // per order
  std::string out;             // NDJSON path (required); "-" is stdout; ".gz" is refused
  std::string fx_out;          // FX CSV path; empty = none
  std::string reporting_currency = "USD";  // the FX file's quote currency
  std::string timezone = "UTC";            // IANA zone of the business day
  // Called now and then with the fraction done (0..1]; may be empty.
  std::function<void(double)> on_progress;
};

struct GenStats {
  int64_t events = 0;         // distinct valid events written (late ones included)
  int64_t orders = 0;         // order_placed among them
  int64_t refunds = 0;        // order_refunded among them
  int64_t cancellations = 0;  // order_cancelled among them
  int64_t late = 0;           // events written 1-3 days after their place
  int64_t duplicates = 0;     // re-delivered lines
  int64_t bad = 0;            // lines the decoder must reject
  // bad lines by the reason code the decoder should give them.
  std::array<int64_t, static_cast<size_t>(Reason::kCount)> bad_by_reason{};
};

Result<GenStats> Generate(const GenOptions& opts);

}  // namespace daybook
