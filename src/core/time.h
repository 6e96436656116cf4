// File: core/time.h
//
// Time is explicit: instants are microseconds since the Unix epoch (UTC),
// calendar dates are days since 1970-01-01, and time zones are real IANA
// zones from the system tz database (DST-correct through Howard Hinnant's
// date/tz). Nothing here reads the clock; see core/clock.h.
//
//   auto tz = TimeZone::Load("Europe/Berlin");
//   auto t = ParseRfc3339("2024-03-31T01:30:00+01:00");
//   int32_t d = tz->LocalDate(t->micros);      // business date
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace daybook {

inline constexpr int64_t kMicrosPerSecond = 1000000;
inline constexpr int64_t kMicrosPerDay = 86400LL * kMicrosPerSecond;

struct Timestamp {
  int64_t micros = 0;  // since 1970-01-01T00:00:00Z
};

// RFC 3339 with a mandatory offset: YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm).
// 't'/'z' and a space separator are accepted as RFC 3339 allows. Up to nine
// fractional digits are read; digits beyond the microsecond are truncated
// (the warehouse's TIMESTAMPTZ has microsecond precision). A leap second
// (:60) is rejected: no instant in the warehouse can hold it.
// Returns nullopt and fills *error with the reason on failure.
std::optional<Timestamp> ParseRfc3339(std::string_view text, std::string* error);

// "2024-01-31T12:00:00Z" / "2024-01-31T12:00:00.123456Z" (UTC).
std::string FormatTimestamp(Timestamp t);

// Days since 1970-01-01 for a proleptic Gregorian date; ISO text forms.
int32_t DaysFromCivil(int year, unsigned month, unsigned day);
void CivilFromDays(int32_t days, int* year, unsigned* month, unsigned* day);
std::string FormatDate(int32_t days);                        // "2024-01-31"
std::optional<int32_t> ParseDate(std::string_view text);     // strict YYYY-MM-DD
int Weekday(int32_t days);                                   // 0 = Monday … 6 = Sunday

// Durations such as "90s", "5m", "2h", "3d" (also "500ms"); microseconds.
std::optional<int64_t> ParseDuration(std::string_view text);
// "HH:MM" local clock time; minutes after midnight.
std::optional<int> ParseClockTime(std::string_view text);

class TimeZone {
 public:
  // Loads an IANA zone ("UTC", "America/New_York"); NotFound if unknown.
  static Result<TimeZone> Load(const std::string& name);
  const std::string& name() const { return name_; }

  // The local calendar date of an instant.
  int32_t LocalDate(Timestamp t) const;
  // The instant at which local clock time `minutes` on local date `days`
  // happens. In a gap (spring forward) the first valid instant after it; in
  // an overlap (fall back) the earlier of the two.
  Timestamp LocalToUtc(int32_t days, int minutes) const;
  // UTC offset in seconds at an instant.
  int64_t OffsetSeconds(Timestamp t) const;
  // The same, plus the interval [*begin, *end) (micros) over which that
  // offset holds, so callers can cache it for runs of nearby instants.
  int64_t OffsetInterval(Timestamp t, int64_t* begin, int64_t* end) const;

 private:
  std::string name_;
  const void* zone_ = nullptr;  // const date::time_zone*, owned by the tz database
};

}  // namespace daybook
