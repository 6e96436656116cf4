#include "checks/internal/robust_stats.h"

#include <algorithm>
#include <cmath>

namespace daybook::checks_internal {

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double Mad(const std::vector<double>& v) {
  double m = Median(v);
  std::vector<double> dev;
  dev.reserve(v.size());
  for (double x : v) dev.push_back(std::fabs(x - m));
  return Median(dev);
}

DayScore ScoreDay(const std::function<double(int32_t)>& value, int32_t d, int32_t first_day, int weeks,
                  size_t min_points, double rel_floor, double abs_floor) {
  constexpr double kMadToSigma = 1.4826;  // MAD of a normal distribution -> its standard deviation
  DayScore s;
  // Weekday groups of the `weeks` weeks before d; group 0 is d's weekday.
  std::vector<double> groups[7];
  for (int k = 1; k <= weeks; ++k) {
    for (int j = 0; j < 7; ++j) {
      int32_t e = d - 7 * (k - 1) - j - (j == 0 ? 7 : 0);
      if (e >= first_day) groups[j].push_back(value(e));
    }
  }
  const std::vector<double>& history = groups[0];
  s.points = history.size();
  if (s.points < min_points || s.points == 0) return s;
  s.evaluated = true;
  s.median = Median(history);
  std::vector<double> residuals;
  for (const auto& g : groups) {
    if (g.size() < min_points) continue;
    double m = Median(g);
    if (!(m > 0)) continue;
    for (double x : g) residuals.push_back(x / m - 1);
  }
  s.spread = !residuals.empty() ? kMadToSigma * Mad(residuals)
             : s.median != 0    ? kMadToSigma * Mad(history) / std::fabs(s.median)
                                : 0;
  const double scale = std::fabs(s.median);
  s.sigma = std::max({s.spread * scale, rel_floor * scale, abs_floor});
  s.z = s.sigma > 0 ? std::fabs(value(d) - s.median) / s.sigma : 0;
  return s;
}

}  // namespace daybook::checks_internal
