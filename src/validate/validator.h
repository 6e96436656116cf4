// File: validate/validator.h
//
// Record-level business validation of a decoded event (spec §3): computes
// its business date in business.timezone, rejects it when it is in the
// future beyond max_clock_skew (FUTURE_TIMESTAMP) or older than the
// restatement window (TOO_LATE), and converts its amount to the reporting
// currency at the rate of its business date (FX_RATE_MISSING when there is
// none). Pure: the clock comes in as `now`.
//
//   Validator v(config, tz, fx, now);
//   if (!v.Validate(&event, &rejection)) quarantine(rejection);
//
// Not thread-safe (caches the last time-zone interval); use one per thread.
#pragma once

#include "core/config.h"
#include "core/event.h"
#include "core/fx.h"
#include "core/reason.h"
#include "core/time.h"

namespace daybook {

class Validator {
 public:
  Validator(const Config& config, const TimeZone& tz, const FxTable& fx, Timestamp now);

  // Fills business_date, fx_rate and reporting_minor; false and *rej on a
  // rejection.
  bool Validate(Event* e, Rejection* rej);

  // The business date of an instant (cached per UTC-offset interval).
  int32_t BusinessDate(Timestamp t);
  // Oldest business date still accepted (local date of now − window).
  int32_t earliest_date() const { return earliest_date_; }

 private:
  const TimeZone& tz_;
  const FxTable& fx_;
  const Currency* reporting_;
  Timestamp now_;
  int64_t max_skew_;
  int32_t earliest_date_;
  int64_t cache_begin_ = 1, cache_end_ = 0, cache_offset_us_ = 0;
};

}  // namespace daybook
