// File: gen/internal/calendar.h
//
// Internal to src/gen. When orders happen: the business calendar cut into
// hour slots, and how many orders each day and each hour gets.
//
// Slot s = day * 24 + hour is local clock hour `hour` of business date
// start_date + day in the business time zone. Slots are contiguous in UTC;
// on a spring-forward day the skipped hour is an empty slot, on a fall-back
// day the repeated hour makes a two-hour slot.
//
//   SlotCalendar cal(tz, start, days, /*extra_days=*/14);
//   int64_t t0 = cal.Start(s), len = cal.Length(s);
//   int slot = cal.SlotOf(t0 + 3 * kMicrosPerDay);
#pragma once

#include <cstdint>
#include <vector>

#include "core/time.h"
#include "gen/internal/rng.h"

namespace daybook::gen {

class SlotCalendar {
 public:
  // Covers days + extra_days days from start_date.
  SlotCalendar(const TimeZone& tz, int32_t start_date, int days, int extra_days);

  int64_t Start(int slot) const { return starts_[slot]; }  // UTC micros
  int64_t Length(int slot) const { return starts_[slot + 1] - starts_[slot]; }
  int num_slots() const { return static_cast<int>(starts_.size()) - 1; }
  // The slot holding instant `micros`, or -1 when it is outside the table.
  int SlotOf(int64_t micros) const;

 private:
  std::vector<int64_t> starts_;  // num_slots + 1 boundaries, non-decreasing
};

// Orders per business day: a weekly pattern (weekends ~1.3x weekdays), a mild
// upward trend and +-10 % day-to-day noise, normalised so that the counts add
// up to exactly `orders`.
std::vector<int64_t> OrdersPerDay(int64_t orders, int32_t start_date, int days, Rng& rng);

// Splits one day's orders over its 24 slots by the hour-of-day curve (quiet
// nights, a lunch bump, an evening peak). Slots of zero length get none. The
// counts add up to exactly `day_orders`.
void SplitOverHours(int64_t day_orders, const int64_t slot_length[24], int64_t out[24]);

}  // namespace daybook::gen
