#include "core/clock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <optional>

namespace daybook {
namespace {

using ::testing::HasSubstr;

// Sets DAYBOOK_NOW for one test and restores it afterwards.
class ScopedNowEnv {
 public:
  explicit ScopedNowEnv(const char* value) {
    if (const char* old = std::getenv("DAYBOOK_NOW")) old_ = old;
    if (value) {
      setenv("DAYBOOK_NOW", value, 1);
    } else {
      unsetenv("DAYBOOK_NOW");
    }
  }
  ~ScopedNowEnv() {
    if (old_) {
      setenv("DAYBOOK_NOW", old_->c_str(), 1);
    } else {
      unsetenv("DAYBOOK_NOW");
    }
  }

 private:
  std::optional<std::string> old_;
};

std::string Now(const std::string& flag) {
  auto t = ResolveNow(flag);
  return t.ok() ? FormatTimestamp(*t) : "error: " + t.status().message();
}

TEST(ResolveNow, FlagWins) {
  ScopedNowEnv env("2030-01-01T00:00:00Z");
  EXPECT_EQ(Now("2024-06-01T08:00:00+02:00"), "2024-06-01T06:00:00Z");
}

TEST(ResolveNow, EnvironmentWhenNoFlag) {
  ScopedNowEnv env("2030-01-01T00:00:00Z");
  EXPECT_EQ(Now(""), "2030-01-01T00:00:00Z");
}

TEST(ResolveNow, InvalidValuesNameTheirOrigin) {
  {
    ScopedNowEnv env(nullptr);
    auto t = ResolveNow("yesterday");
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(t.status().message(), HasSubstr("--now: 'yesterday' is not an RFC 3339 time"));
  }
  {
    ScopedNowEnv env("2024-02-30T00:00:00Z");
    EXPECT_EQ(Now(""), "error: DAYBOOK_NOW: '2024-02-30T00:00:00Z' is not an RFC 3339 time: no such calendar date");
  }
}

TEST(ResolveNow, SystemClockWhenNeitherIsSet) {
  ScopedNowEnv env("");  // empty counts as unset
  auto before = std::chrono::system_clock::now();
  auto t = ResolveNow("");
  auto after = std::chrono::system_clock::now();
  ASSERT_TRUE(t.ok());
  auto us = [](auto tp) {
    return std::chrono::duration_cast<std::chrono::microseconds>(tp.time_since_epoch()).count();
  };
  EXPECT_GE(t->micros, us(before));
  EXPECT_LE(t->micros, us(after));
}

TEST(MonotonicMillis, NeverGoesBackwards) {
  int64_t a = MonotonicMillis();
  int64_t b = MonotonicMillis();
  EXPECT_LE(a, b);
}

}  // namespace
}  // namespace daybook
