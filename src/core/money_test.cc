#include "core/money.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <climits>
#include <sstream>

namespace daybook {
namespace {

using ::testing::HasSubstr;

const Currency& Cur(std::string_view code) {
  const Currency* c = FindCurrency(code);
  if (c == nullptr) throw std::runtime_error("unknown currency in test: " + std::string(code));
  return *c;
}

// "1230" for success, "PRECISION: <detail>" / "INVALID: <detail>" otherwise,
// so that each expectation reads as one line.
std::string Parse(std::string_view text, std::string_view code) {
  ParsedAmount p = ParseAmount(text, Cur(code));
  switch (p.error) {
    case AmountError::kNone: return std::to_string(p.minor);
    case AmountError::kInvalid: return "INVALID: " + p.detail;
    case AmountError::kPrecision: return "PRECISION: " + p.detail;
    case AmountError::kNegative: return "NEGATIVE: " + p.detail;
  }
  return "?";
}

Rate R(std::string_view text) {
  auto r = ParseRate(text);
  if (!r) throw std::runtime_error("bad rate in test: " + std::string(text));
  return *r;
}

int64_t Convert(int64_t minor, std::string_view from, std::string_view rate, std::string_view to) {
  return ConvertHalfEven(minor, Cur(from), R(rate), Cur(to));
}

TEST(FindCurrency, KnowsIso4217Exponents) {
  EXPECT_EQ(Cur("JPY").exponent, 0);
  EXPECT_EQ(Cur("USD").exponent, 2);
  EXPECT_EQ(Cur("EUR").exponent, 2);
  EXPECT_EQ(Cur("KWD").exponent, 3);
  EXPECT_EQ(Cur("BHD").exponent, 3);
  EXPECT_EQ(Cur("CLF").exponent, 4);
  EXPECT_EQ(Cur("KRW").exponent, 0);
  EXPECT_EQ(Cur("USD").Code(), "USD");
}

TEST(FindCurrency, FindsEveryTableEntrySoTheTableIsSorted) {
  // Every code of the table; lower_bound only finds them all if sorted.
  std::istringstream codes(
      "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD "
      "BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD "
      "EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD "
      "IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL "
      "MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN "
      "PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN "
      "SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES "
      "VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG");
  int n = 0;
  for (std::string code; codes >> code; ++n) {
    const Currency* c = FindCurrency(code);
    ASSERT_NE(c, nullptr) << code;
    EXPECT_EQ(c->Code(), code);
  }
  EXPECT_EQ(n, 166);
}

TEST(FindCurrency, RejectsUnknownLowerCaseAndWrongLength) {
  EXPECT_EQ(FindCurrency("usd"), nullptr);
  EXPECT_EQ(FindCurrency("XYZ"), nullptr);
  EXPECT_EQ(FindCurrency("US"), nullptr);
  EXPECT_EQ(FindCurrency("USDX"), nullptr);
  EXPECT_EQ(FindCurrency(""), nullptr);
  EXPECT_EQ(FindCurrency("AAA"), nullptr);  // before the first entry
  EXPECT_EQ(FindCurrency("ZZZ"), nullptr);  // after the last entry
}

TEST(ParseAmount, ExactMinorUnitsPerCurrencyExponent) {
  EXPECT_EQ(Parse("1234", "JPY"), "1234");
  EXPECT_EQ(Parse("12.30", "USD"), "1230");
  EXPECT_EQ(Parse("12.3", "USD"), "1230");
  EXPECT_EQ(Parse("12", "USD"), "1200");
  EXPECT_EQ(Parse("0.01", "USD"), "1");
  EXPECT_EQ(Parse("1.234", "KWD"), "1234");
  EXPECT_EQ(Parse("0.001", "KWD"), "1");
  EXPECT_EQ(Parse("7", "KWD"), "7000");
  EXPECT_EQ(Parse("0", "USD"), "0");
  EXPECT_EQ(Parse("007.50", "USD"), "750");
  // The classic binary floating point trap, exact here.
  EXPECT_EQ(Parse("0.29", "USD"), "29");
  EXPECT_EQ(Parse("1.1", "KWD"), "1100");
}

TEST(ParseAmount, NegativeValuesParse) {
  EXPECT_EQ(Parse("-0.50", "USD"), "-50");
  EXPECT_EQ(Parse("-12", "JPY"), "-12");
  EXPECT_EQ(Parse("-0", "USD"), "0");
}

TEST(ParseAmount, MoreFractionDigitsThanExponentIsPrecisionError) {
  EXPECT_EQ(Parse("1.5", "JPY"), "PRECISION: amount '1.5' has more than 0 fractional digits for JPY");
  EXPECT_EQ(Parse("0.001", "USD"), "PRECISION: amount '0.001' has more than 2 fractional digits for USD");
  EXPECT_EQ(Parse("1.0001", "KWD"), "PRECISION: amount '1.0001' has more than 3 fractional digits for KWD");
  EXPECT_EQ(Parse("-9.999", "USD"), "PRECISION: amount '-9.999' has more than 2 fractional digits for USD");
}

TEST(ParseAmount, TrailingZerosBeyondExponentAreExact) {
  EXPECT_EQ(Parse("1.000", "USD"), "100");
  EXPECT_EQ(Parse("5.0", "JPY"), "5");
  EXPECT_EQ(Parse("5.000000000000", "JPY"), "5");
  EXPECT_EQ(Parse("1.2300", "KWD"), "1230");
  EXPECT_EQ(Parse("1.2000001", "USD"), "PRECISION: amount '1.2000001' has more than 2 fractional digits for USD");
}

TEST(ParseAmount, RejectsEverythingButPlainDecimals) {
  for (const char* bad : {"1e3", "1E3", "1.5e2", "+5", " 5", "5 ", "1 000", "1,000", "1,5", "",
                          ".5", "5.", "-", "-.5", "--5", "1.2.3", "abc", "0x10", "5$", "NaN",
                          "Infinity", "١٢"}) {
    EXPECT_THAT(Parse(bad, "USD"), HasSubstr("INVALID: ")) << "'" << bad << "'";
  }
  EXPECT_EQ(Parse("1e3", "USD"),
            "INVALID: amount '1e3' is not a plain decimal number (digits, optional '-' and '.')");
}

TEST(ParseAmount, FourteenIntegerDigitsAtMost) {
  EXPECT_EQ(Parse("99999999999999", "JPY"), "99999999999999");
  EXPECT_EQ(Parse("99999999999999.99", "USD"), "9999999999999999");
  EXPECT_EQ(Parse("99999999999999.999", "KWD"), "99999999999999999");
  EXPECT_EQ(Parse("-99999999999999.99", "USD"), "-9999999999999999");
  EXPECT_EQ(Parse("99999999999999.9999", "CLF"), "999999999999999999");
  // Leading zeros do not count.
  EXPECT_EQ(Parse("0000000000000000001", "USD"), "100");
  EXPECT_EQ(Parse("100000000000000", "JPY"), "INVALID: amount '100000000000000' is 10^14 JPY or more (at most 14 integer digits)");
  EXPECT_THAT(Parse("-100000000000000.00", "USD"), HasSubstr("INVALID: "));
  EXPECT_THAT(Parse("123456789012345678901234567890", "USD"), HasSubstr("INVALID: "));
  EXPECT_EQ(kMaxAmountUnits, 100000000000000LL);
}

TEST(ParseRate, ExactPositiveDecimalsUpToTenFractionDigits) {
  EXPECT_EQ(R("1").scaled, 10000000000LL);
  EXPECT_EQ(R("1.085").scaled, 10850000000LL);
  EXPECT_EQ(R("0.0000000001").scaled, 1);
  EXPECT_EQ(R("99999999.9999999999").scaled, 999999999999999999LL);
  EXPECT_EQ(R("1.08500000000000"), R("1.085"));  // trailing zeros are exact
  EXPECT_EQ(Rate::One(), R("1"));
  EXPECT_EQ(R("1.085").ToString(), "1.0850000000");
  for (const char* bad : {"0", "0.0", "-1", "1.00000000001", "123456789", "", "1e2", "+1", "1,5"}) {
    EXPECT_FALSE(ParseRate(bad).has_value()) << "'" << bad << "'";
  }
}

TEST(ConvertHalfEven, RateOneInSameCurrencyIsIdentity) {
  EXPECT_EQ(Convert(123456, "USD", "1", "USD"), 123456);
  EXPECT_EQ(Convert(-7, "USD", "1", "USD"), -7);
  EXPECT_EQ(Convert(0, "EUR", "1.085", "USD"), 0);
}

TEST(ConvertHalfEven, ConvertsExactlyAtTheRate) {
  EXPECT_EQ(Convert(1000, "EUR", "1.085", "USD"), 1085);
  EXPECT_EQ(Convert(1999, "EUR", "1.1", "USD"), 2199);  // 21.989 -> 21.99
  EXPECT_EQ(Convert(1001, "EUR", "1.1", "USD"), 1101);  // 11.011 -> 11.01
}

TEST(ConvertHalfEven, TiesGoToTheEvenNeighbourBothWays) {
  // x.5 cents: down to even, up to even.
  EXPECT_EQ(Convert(1, "USD", "0.5", "USD"), 0);   // 0.5 -> 0
  EXPECT_EQ(Convert(3, "USD", "0.5", "USD"), 2);   // 1.5 -> 2
  EXPECT_EQ(Convert(5, "USD", "0.5", "USD"), 2);   // 2.5 -> 2
  EXPECT_EQ(Convert(7, "USD", "0.5", "USD"), 4);   // 3.5 -> 4
  EXPECT_EQ(Convert(2050, "EUR", "0.01", "USD"), 20);  // 20.5 -> 20
  EXPECT_EQ(Convert(2150, "EUR", "0.01", "USD"), 22);  // 21.5 -> 22
  // Just off the tie rounds to nearest.
  EXPECT_EQ(Convert(5, "USD", "0.5000000001", "USD"), 3);
  EXPECT_EQ(Convert(5, "USD", "0.4999999999", "USD"), 2);
}

TEST(ConvertHalfEven, NegativeAmountsRoundSymmetrically) {
  EXPECT_EQ(Convert(-1, "USD", "0.5", "USD"), 0);
  EXPECT_EQ(Convert(-3, "USD", "0.5", "USD"), -2);
  EXPECT_EQ(Convert(-5, "USD", "0.5", "USD"), -2);
  EXPECT_EQ(Convert(-7, "USD", "0.5", "USD"), -4);
  EXPECT_EQ(Convert(-1999, "EUR", "1.1", "USD"), -2199);
  EXPECT_EQ(Convert(-5, "USD", "0.5000000001", "USD"), -3);
}

TEST(ConvertHalfEven, ShiftsBetweenExponents) {
  // JPY (0) -> USD (2): 1000 yen at 0.0067 = 6.70 USD.
  EXPECT_EQ(Convert(1000, "JPY", "0.0067", "USD"), 670);
  EXPECT_EQ(Convert(1, "JPY", "0.00675", "USD"), 1);   // 0.675 cent -> 1
  EXPECT_EQ(Convert(2, "JPY", "0.0025", "USD"), 0);    // 0.5 cent -> 0
  EXPECT_EQ(Convert(6, "JPY", "0.0025", "USD"), 2);    // 1.5 cents -> 2
  // USD (2) -> KWD (3): 1.00 USD at 0.307 = 0.307 KWD.
  EXPECT_EQ(Convert(100, "USD", "0.307", "KWD"), 307);
  EXPECT_EQ(Convert(1, "USD", "0.25", "KWD"), 2);      // 2.5 fils -> 2
  EXPECT_EQ(Convert(3, "USD", "0.25", "KWD"), 8);      // 7.5 fils -> 8
  // KWD (3) -> JPY (0): fils to yen.
  EXPECT_EQ(Convert(1, "KWD", "500", "JPY"), 0);       // 0.5 yen -> 0
  EXPECT_EQ(Convert(3, "KWD", "500", "JPY"), 2);       // 1.5 yen -> 2
  EXPECT_EQ(Convert(1234, "KWD", "487.5", "JPY"), 602);  // 601.575 -> 602
  // USD (2) -> JPY (0).
  EXPECT_EQ(Convert(12345, "USD", "150", "JPY"), 18518);  // 18517.5 -> 18518
  EXPECT_EQ(Convert(12335, "USD", "150", "JPY"), 18502);  // 18502.5 -> 18502
}

TEST(ConvertHalfEven, LargestAmountsStayExact) {
  // 10^14 - 1 whole units times a large rate needs the 128-bit intermediate.
  EXPECT_EQ(Convert(9999999999999999LL, "USD", "1", "USD"), 9999999999999999LL);
  EXPECT_EQ(Convert(9999999999999999LL, "USD", "0.0000000001", "USD"), 1000000);  // 999999.9999999999
  EXPECT_EQ(Convert(99999999999999LL, "JPY", "0.0067123456", "USD"), 67123455999999LL);  // ...99.33 cents
}

TEST(FormatMinor, RendersTheCurrencyDigits) {
  EXPECT_EQ(FormatMinor(123450, 2), "1234.50");
  EXPECT_EQ(FormatMinor(-5, 2), "-0.05");
  EXPECT_EQ(FormatMinor(0, 2), "0.00");
  EXPECT_EQ(FormatMinor(12, 0), "12");
  EXPECT_EQ(FormatMinor(-12, 0), "-12");
  EXPECT_EQ(FormatMinor(0, 0), "0");
  EXPECT_EQ(FormatMinor(1, 3), "0.001");
  EXPECT_EQ(FormatMinor(-1234, 3), "-1.234");
  EXPECT_EQ(FormatMinor(100, 2), "1.00");
  EXPECT_EQ(FormatMinor(INT64_MAX, 2), "92233720368547758.07");
  EXPECT_EQ(FormatMinor(INT64_MIN, 2), "-92233720368547758.08");
  EXPECT_EQ(FormatMinor(10850000000LL, kRateScale), "1.0850000000");
}

TEST(FormatMinor, RoundTripsWithParseAmount) {
  for (int64_t v : {0LL, 1LL, -1LL, 99LL, 100LL, 123456789LL, -987654321LL, 9999999999999999LL}) {
    EXPECT_EQ(Parse(FormatMinor(v, 2), "USD"), std::to_string(v));
    EXPECT_EQ(Parse(FormatMinor(v, 3), "KWD"), std::to_string(v));
  }
}

TEST(Pow10, PowersUpToEighteen) {
  EXPECT_EQ(Pow10(0), 1);
  EXPECT_EQ(Pow10(2), 100);
  EXPECT_EQ(Pow10(18), 1000000000000000000LL);
}

}  // namespace
}  // namespace daybook
