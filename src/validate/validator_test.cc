#include "validate/validator.h"

#include <gtest/gtest.h>

namespace daybook {
namespace {

Timestamp T(const char* s) {
  std::string why;
  return *ParseRfc3339(s, &why);
}

class ValidatorTest : public ::testing::Test {
 protected:
  ValidatorTest() : fx_("USD", 3) {
    config_.timezone = "America/New_York";
    config_.restatement_window_days = 35;
    fx_.Add("EUR", *ParseDate("2024-03-08"), *ParseRate("1.085"));
  }
  Event Placed(const char* at, int64_t minor, const char* cur) {
    Event e;
    e.event_id = "e1";
    e.order_id = "o1";
    e.occurred_at = T(at);
    e.has_amount = true;
    e.amount_minor = minor;
    e.currency = FindCurrency(cur);
    return e;
  }
  bool Check(Event* e, Rejection* r, const char* now = "2024-03-12T12:00:00Z") {
    auto tz = TimeZone::Load(config_.timezone);
    Validator v(config_, *tz, fx_, T(now));
    return v.Validate(e, r);
  }
  Config config_;
  FxTable fx_;
};

TEST_F(ValidatorTest, BusinessDateIsLocalDateAcrossDst) {
  Rejection r;
  // 2024-03-10 is the 23-hour day in New York (EST -> EDT at 07:00Z).
  Event a = Placed("2024-03-10T04:30:00Z", 100, "USD");  // 23:30 EST on 03-09
  Event b = Placed("2024-03-10T05:30:00Z", 100, "USD");  // 00:30 EST on 03-10
  Event c = Placed("2024-03-11T03:30:00Z", 100, "USD");  // 23:30 EDT on 03-10
  Event d = Placed("2024-03-11T04:30:00Z", 100, "USD");  // 00:30 EDT on 03-11
  ASSERT_TRUE(Check(&a, &r) && Check(&b, &r) && Check(&c, &r) && Check(&d, &r));
  EXPECT_EQ(FormatDate(a.business_date), "2024-03-09");
  EXPECT_EQ(FormatDate(b.business_date), "2024-03-10");
  EXPECT_EQ(FormatDate(c.business_date), "2024-03-10");
  EXPECT_EQ(FormatDate(d.business_date), "2024-03-11");
}

TEST_F(ValidatorTest, FutureBeyondSkewIsRejected) {
  Rejection r;
  Event ok = Placed("2024-03-12T12:04:59Z", 100, "USD");
  Event late = Placed("2024-03-12T12:05:01Z", 100, "USD");
  EXPECT_TRUE(Check(&ok, &r));
  EXPECT_FALSE(Check(&late, &r));
  EXPECT_EQ(r.reason, Reason::kFutureTimestamp);
}

TEST_F(ValidatorTest, OlderThanWindowIsTooLate) {
  Rejection r;
  // now is 2024-03-12 local; window 35 days: earliest accepted 2024-02-06.
  Event edge = Placed("2024-02-06T12:00:00Z", 100, "USD");
  Event old = Placed("2024-02-05T12:00:00Z", 100, "USD");
  EXPECT_TRUE(Check(&edge, &r));
  EXPECT_FALSE(Check(&old, &r));
  EXPECT_EQ(r.reason, Reason::kTooLate);
  EXPECT_NE(r.detail.find("2024-02-05"), std::string::npos);
}

TEST_F(ValidatorTest, ConvertsAtTheRateOfItsDateWithinStaleness) {
  Rejection r;
  Event e = Placed("2024-03-11T15:00:00Z", 1234, "EUR");  // rate from 03-08: 3 days old
  ASSERT_TRUE(Check(&e, &r));
  EXPECT_EQ(e.fx_rate.ToString(), "1.0850000000");
  EXPECT_EQ(e.reporting_minor, 1339);  // 12.34 * 1.085 = 13.3889
  Event stale = Placed("2024-03-12T11:00:00Z", 1234, "EUR");  // 4 days old
  EXPECT_FALSE(Check(&stale, &r));
  EXPECT_EQ(r.reason, Reason::kFxRateMissing);
}

TEST_F(ValidatorTest, ReportingCurrencyNeedsNoRate) {
  Rejection r;
  Event e = Placed("2024-03-11T15:00:00Z", 999, "USD");
  ASSERT_TRUE(Check(&e, &r));
  EXPECT_EQ(e.reporting_minor, 999);
}

}  // namespace
}  // namespace daybook
