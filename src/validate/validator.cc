#include "validate/validator.h"

namespace daybook {

Validator::Validator(const Config& config, const TimeZone& tz, const FxTable& fx, Timestamp now)
    : tz_(tz),
      fx_(fx),
      reporting_(FindCurrency(config.reporting_currency)),
      now_(now),
      max_skew_(config.max_clock_skew_micros) {
  earliest_date_ = tz_.LocalDate(now_) - config.restatement_window_days;
}

int32_t Validator::BusinessDate(Timestamp t) {
  if (t.micros < cache_begin_ || t.micros >= cache_end_) {
    cache_offset_us_ = tz_.OffsetInterval(t, &cache_begin_, &cache_end_) * kMicrosPerSecond;
  }
  int64_t local = t.micros + cache_offset_us_;
  int64_t days = local >= 0 ? local / kMicrosPerDay : -((-local + kMicrosPerDay - 1) / kMicrosPerDay);
  return static_cast<int32_t>(days);
}

bool Validator::Validate(Event* e, Rejection* rej) {
  if (e->occurred_at.micros > now_.micros + max_skew_) {
    rej->reason = Reason::kFutureTimestamp;
    rej->detail = "occurred_at " + FormatTimestamp(e->occurred_at) + " is later than now (" +
                  FormatTimestamp(now_) + ") plus max_clock_skew";
    return false;
  }
  e->business_date = BusinessDate(e->occurred_at);
  if (e->business_date < earliest_date_) {
    rej->reason = Reason::kTooLate;
    rej->detail = "occurred_at: business date " + FormatDate(e->business_date) +
                  " is before the restatement window (earliest accepted " + FormatDate(earliest_date_) + ")";
    return false;
  }
  if (e->has_amount) {
    auto rate = fx_.Lookup(e->currency->Code(), e->business_date);
    if (!rate) {
      rej->reason = Reason::kFxRateMissing;
      rej->detail = "currency: no " + std::string(e->currency->Code()) + "->" +
                    std::string(reporting_->Code()) + " rate for " + FormatDate(e->business_date) +
                    " or the days before it within fx.max_staleness_days";
      return false;
    }
    e->fx_rate = *rate;
    e->reporting_minor = ConvertHalfEven(e->amount_minor, *e->currency, *rate, *reporting_);
  } else {
    e->fx_rate = Rate{0};
    e->reporting_minor = 0;
  }
  return true;
}

}  // namespace daybook
