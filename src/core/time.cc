#include "core/time.h"

#include <date/date.h>
#include <date/tz.h>

#include <charconv>
#include <cstdio>

namespace daybook {
namespace {

bool Digits(std::string_view t, size_t pos, size_t n, int* out) {
  if (pos + n > t.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (t[i] < '0' || t[i] > '9') return false;
    v = v * 10 + (t[i] - '0');
  }
  *out = v;
  return true;
}

const date::time_zone* Zone(const void* p) { return static_cast<const date::time_zone*>(p); }

}  // namespace

int32_t DaysFromCivil(int year, unsigned month, unsigned day) {
  return date::sys_days(date::year(year) / date::month(month) / date::day(day))
      .time_since_epoch()
      .count();
}

void CivilFromDays(int32_t days, int* year, unsigned* month, unsigned* day) {
  date::year_month_day ymd{date::sys_days(date::days(days))};
  *year = static_cast<int>(ymd.year());
  *month = static_cast<unsigned>(ymd.month());
  *day = static_cast<unsigned>(ymd.day());
}

std::string FormatDate(int32_t days) {
  int y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

std::optional<int32_t> ParseDate(std::string_view t) {
  int y, m, d;
  if (t.size() != 10 || t[4] != '-' || t[7] != '-' || !Digits(t, 0, 4, &y) ||
      !Digits(t, 5, 2, &m) || !Digits(t, 8, 2, &d)) {
    return std::nullopt;
  }
  date::year_month_day ymd{date::year(y), date::month(m), date::day(d)};
  if (!ymd.ok()) return std::nullopt;
  return date::sys_days(ymd).time_since_epoch().count();
}

int Weekday(int32_t days) {
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  int w = static_cast<int>((static_cast<int64_t>(days) + 3) % 7);
  return w < 0 ? w + 7 : w;
}

std::optional<Timestamp> ParseRfc3339(std::string_view t, std::string* error) {
  auto fail = [&](const char* why) -> std::optional<Timestamp> {
    if (error) *error = why;
    return std::nullopt;
  };
  int y, mo, d, h, mi, s;
  if (t.size() < 20) return fail("too short for RFC 3339 (YYYY-MM-DDTHH:MM:SS plus offset)");
  if (!Digits(t, 0, 4, &y) || t[4] != '-' || !Digits(t, 5, 2, &mo) || t[7] != '-' ||
      !Digits(t, 8, 2, &d)) {
    return fail("date part is not YYYY-MM-DD");
  }
  if (t[10] != 'T' && t[10] != 't' && t[10] != ' ') return fail("missing 'T' between date and time");
  if (!Digits(t, 11, 2, &h) || t[13] != ':' || !Digits(t, 14, 2, &mi) || t[16] != ':' ||
      !Digits(t, 17, 2, &s)) {
    return fail("time part is not HH:MM:SS");
  }
  date::year_month_day ymd{date::year(y), date::month(mo), date::day(d)};
  if (!ymd.ok()) return fail("no such calendar date");
  if (h > 23 || mi > 59) return fail("hour or minute out of range");
  if (s == 60) return fail("leap second :60 is not representable; use :59.999999");
  if (s > 59) return fail("second out of range");
  size_t pos = 19;
  int64_t frac_us = 0;
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') ++pos;
    size_t n = pos - start;
    if (n == 0) return fail("empty fraction after '.'");
    if (n > 9) return fail("fraction longer than 9 digits");
    for (size_t i = 0; i < 6; ++i) frac_us = frac_us * 10 + (i < n ? t[start + i] - '0' : 0);
  }
  if (pos >= t.size()) return fail("missing UTC offset ('Z' or ±hh:mm)");
  int64_t offset_s = 0;
  if (t[pos] == 'Z' || t[pos] == 'z') {
    ++pos;
  } else if (t[pos] == '+' || t[pos] == '-') {
    int oh, om;
    if (!Digits(t, pos + 1, 2, &oh) || pos + 3 >= t.size() || t[pos + 3] != ':' ||
        !Digits(t, pos + 4, 2, &om)) {
      return fail("offset is not ±hh:mm");
    }
    if (oh > 23 || om > 59) return fail("offset out of range (max ±23:59)");
    offset_s = (oh * 3600 + om * 60) * (t[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return fail("missing UTC offset ('Z' or ±hh:mm)");
  }
  if (pos != t.size()) return fail("unexpected characters after the offset");
  int64_t days = date::sys_days(ymd).time_since_epoch().count();
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + s - offset_s;
  return Timestamp{secs * kMicrosPerSecond + frac_us};
}

std::string FormatTimestamp(Timestamp t) {
  int64_t days = t.micros >= 0 ? t.micros / kMicrosPerDay : -((-t.micros + kMicrosPerDay - 1) / kMicrosPerDay);
  int64_t rem = t.micros - days * kMicrosPerDay;
  int64_t secs = rem / kMicrosPerSecond, us = rem % kMicrosPerSecond;
  std::string date = FormatDate(static_cast<int32_t>(days));
  char buf[64];
  if (us == 0) {
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", date.c_str(), static_cast<int>(secs / 3600),
                  static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%06dZ", date.c_str(),
                  static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                  static_cast<int>(secs % 60), static_cast<int>(us));
  }
  return buf;
}

std::optional<int64_t> ParseDuration(std::string_view t) {
  size_t i = 0;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
  if (i == 0 || i > 12) return std::nullopt;
  int64_t n = 0;
  std::from_chars(t.data(), t.data() + i, n);
  std::string_view unit = t.substr(i);
  int64_t per;
  if (unit == "ms") per = 1000;
  else if (unit == "s") per = kMicrosPerSecond;
  else if (unit == "m") per = 60 * kMicrosPerSecond;
  else if (unit == "h") per = 3600 * kMicrosPerSecond;
  else if (unit == "d") per = kMicrosPerDay;
  else return std::nullopt;
  if (n > INT64_MAX / per) return std::nullopt;
  return n * per;
}

std::optional<int> ParseClockTime(std::string_view t) {
  int h, m;
  if (t.size() != 5 || t[2] != ':' || !Digits(t, 0, 2, &h) || !Digits(t, 3, 2, &m) || h > 23 ||
      m > 59) {
    return std::nullopt;
  }
  return h * 60 + m;
}

Result<TimeZone> TimeZone::Load(const std::string& name) {
  TimeZone tz;
  tz.name_ = name;
  try {
    tz.zone_ = date::locate_zone(name);
  } catch (const std::exception& e) {
    return NotFound("unknown IANA time zone '" + name + "'");
  }
  return tz;
}

int32_t TimeZone::LocalDate(Timestamp t) const {
  date::sys_time<std::chrono::microseconds> st{std::chrono::microseconds(t.micros)};
  auto info = Zone(zone_)->get_info(st);
  int64_t local = t.micros + info.offset.count() * kMicrosPerSecond;
  int64_t days = local >= 0 ? local / kMicrosPerDay : -((-local + kMicrosPerDay - 1) / kMicrosPerDay);
  return static_cast<int32_t>(days);
}

int64_t TimeZone::OffsetSeconds(Timestamp t) const {
  date::sys_time<std::chrono::microseconds> st{std::chrono::microseconds(t.micros)};
  return Zone(zone_)->get_info(st).offset.count();
}

int64_t TimeZone::OffsetInterval(Timestamp t, int64_t* begin, int64_t* end) const {
  date::sys_time<std::chrono::microseconds> st{std::chrono::microseconds(t.micros)};
  auto info = Zone(zone_)->get_info(st);
  auto clamp = [](auto tp) {
    auto s = tp.time_since_epoch().count();  // seconds
    constexpr int64_t kLimit = INT64_MAX / kMicrosPerSecond;
    return s > kLimit ? INT64_MAX : s < -kLimit ? INT64_MIN : s * kMicrosPerSecond;
  };
  *begin = clamp(info.begin);
  *end = clamp(info.end);
  return info.offset.count();
}

Timestamp TimeZone::LocalToUtc(int32_t days, int minutes) const {
  date::local_time<std::chrono::seconds> lt{std::chrono::seconds(
      static_cast<int64_t>(days) * 86400 + static_cast<int64_t>(minutes) * 60)};
  auto info = Zone(zone_)->get_info(lt);
  std::chrono::seconds utc;
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:
      utc = lt.time_since_epoch() - info.first.offset;
      break;
    case date::local_info::nonexistent:
    default:
      // The gap starts where the first offset ends; the first valid instant.
      utc = info.first.end.time_since_epoch();
      break;
  }
  return Timestamp{utc.count() * kMicrosPerSecond};
}

}  // namespace daybook
