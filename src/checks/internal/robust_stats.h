// File: checks/internal/robust_stats.h — internal to checks/ (and its tests).
//
// Robust statistics for the volume and anomaly checks. Doubles are fine
// here: these are statistics about money, never money itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace daybook::checks_internal {

// The median (mean of the two middle values for an even count); 0 for none.
double Median(std::vector<double> v);
// Median absolute deviation from the median.
double Mad(const std::vector<double>& v);

// The anomaly score of day d of a daily series (runner.h):
//   history  = the same weekday in each of the `weeks` weeks before d (days
//              before first_day are not history); needs min_points values;
//   median   = their median;
//   spread   = 1.4826 · MAD of the relative residuals x / median(weekday) − 1
//              of every day of those weeks, each against its own weekday's
//              median (weekdays with fewer than min_points values or a
//              median <= 0 left out): one robust noise level from up to
//              7 · weeks points instead of `weeks`; when no weekday
//              qualifies, 1.4826 · MAD(history) / |median|;
//   sigma    = max(spread · |median|, rel_floor · |median|, abs_floor);
//   z        = |x − median| / sigma.
// The floors keep sigma positive when MAD = 0 (a constant history) and stop
// a small sample's too-tight spread from raising alarms.
struct DayScore {
  bool evaluated = false;  // enough history
  size_t points = 0;       // same-weekday history values
  double median = 0, spread = 0, sigma = 0, z = 0;
};
DayScore ScoreDay(const std::function<double(int32_t)>& value, int32_t d, int32_t first_day, int weeks,
                  size_t min_points, double rel_floor, double abs_floor);

}  // namespace daybook::checks_internal
