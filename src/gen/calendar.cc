// Implements gen/internal/calendar.h.
#include "gen/internal/calendar.h"

#include <algorithm>

namespace daybook::gen {
namespace {

constexpr int64_t kMicrosPerHour = 3600 * kMicrosPerSecond;

// Relative order volume by weekday, Monday first.
constexpr int64_t kWeekdayWeight[7] = {96, 95, 97, 100, 108, 130, 126};

// Relative order volume by local hour of day.
constexpr int64_t kHourWeight[24] = {22, 12, 7,  5,  5,  7,  14, 28, 46,  62,  74,  86,
                                     96, 90, 84, 82, 86, 96, 112, 128, 132, 116, 82, 44};

// Splits `total` in proportion to `weights` with exact integer arithmetic:
// out[i] = floor(total * W(<=i) / W) - floor(total * W(<i) / W).
void Apportion(int64_t total, const int64_t* weights, size_t n, int64_t* out) {
  __int128 sum = 0;
  for (size_t i = 0; i < n; ++i) sum += weights[i];
  if (sum == 0) {
    std::fill(out, out + n, 0);
    return;
  }
  __int128 cum = 0;
  int64_t prev = 0;
  for (size_t i = 0; i < n; ++i) {
    cum += weights[i];
    int64_t upto = static_cast<int64_t>(total * cum / sum);
    out[i] = upto - prev;
    prev = upto;
  }
}

}  // namespace

SlotCalendar::SlotCalendar(const TimeZone& tz, int32_t start_date, int days, int extra_days) {
  int total_days = days + extra_days;
  starts_.reserve(static_cast<size_t>(total_days) * 24 + 1);
  Timestamp day_start = tz.LocalToUtc(start_date, 0);
  for (int d = 0; d < total_days; ++d) {
    Timestamp next = tz.LocalToUtc(start_date + d + 1, 0);
    bool plain_day = next.micros - day_start.micros == 24 * kMicrosPerHour &&
                     tz.OffsetSeconds(day_start) == tz.OffsetSeconds(Timestamp{next.micros - 1});
    for (int h = 0; h < 24; ++h) {
      starts_.push_back(plain_day ? day_start.micros + h * kMicrosPerHour
                                  : tz.LocalToUtc(start_date + d, h * 60).micros);
    }
    day_start = next;
  }
  starts_.push_back(day_start.micros);
  // LocalToUtc maps a skipped hour onto the next valid instant; keep the
  // boundaries monotonic whatever the zone does.
  for (size_t i = 1; i < starts_.size(); ++i) starts_[i] = std::max(starts_[i], starts_[i - 1]);
}

int SlotCalendar::SlotOf(int64_t micros) const {
  if (micros < starts_.front() || micros >= starts_.back()) return -1;
  auto it = std::upper_bound(starts_.begin(), starts_.end(), micros);
  return static_cast<int>(it - starts_.begin()) - 1;
}

std::vector<int64_t> OrdersPerDay(int64_t orders, int32_t start_date, int days, Rng& rng) {
  std::vector<int64_t> weights(days), counts(days);
  for (int d = 0; d < days; ++d) {
    int64_t weekly = kWeekdayWeight[Weekday(start_date + d)];
    int64_t trend = 1000 + std::min(d, 1000);        // +0.1 % a day, capped at 2x
    int64_t noise = rng.Between(90, 110);            // percent
    weights[d] = weekly * trend * noise;
  }
  Apportion(orders, weights.data(), weights.size(), counts.data());
  return counts;
}

void SplitOverHours(int64_t day_orders, const int64_t slot_length[24], int64_t out[24]) {
  int64_t weights[24];
  for (int h = 0; h < 24; ++h) weights[h] = slot_length[h] > 0 ? kHourWeight[h] : 0;
  Apportion(day_orders, weights, 24, out);
}

}  // namespace daybook::gen
