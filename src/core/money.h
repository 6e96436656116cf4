// File: core/money.h
//
// Exact money. Amounts are integers of a currency's minor unit (cents for
// USD, yen for JPY, fils for KWD); the exponent comes from ISO 4217. Binary
// floating point never holds money. FX rates are exact decimals.
//
//   const Currency* usd = FindCurrency("USD");
//   auto cents = ParseAmount("12.30", *usd);   // 1230, or an error code
//   int64_t eur = ConvertHalfEven(1230, *usd, rate, *eur_currency);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace daybook {

struct Currency {
  char code[4];      // ISO 4217 alpha-3, NUL-terminated
  int8_t exponent;   // minor-unit digits: JPY 0, USD 2, KWD 3
  std::string_view Code() const { return std::string_view(code, 3); }
};

// The ISO 4217 entry for an upper-case alpha-3 code, or nullptr.
const Currency* FindCurrency(std::string_view code);

// Every known currency, sorted by code; a Currency's index in it is stable
// within a release (the warehouse's currency ENUM uses this order).
const Currency* AllCurrencies(size_t* count);
inline size_t CurrencyIndex(const Currency* c) {
  size_t n;
  return static_cast<size_t>(c - AllCurrencies(&n));
}

// Amounts of this many whole units or more are refused (they would not fit the
// warehouse's DECIMAL(18,4) columns): 10^14.
inline constexpr int64_t kMaxAmountUnits = 100000000000000LL;

enum class AmountError { kNone, kInvalid, kPrecision, kNegative };

struct ParsedAmount {
  AmountError error = AmountError::kNone;
  int64_t minor = 0;  // valid when error == kNone
  std::string detail; // human explanation when error != kNone
};

// Parses a plain decimal ("12", "12.3", "-0.50") into minor units of
// `currency`. No exponent, no spaces, no thousands separators, no leading
// '+'. More fractional digits than the currency's exponent is kPrecision
// (trailing zeros beyond it count: "1.000" in USD is still exact and
// accepted). Negative values parse; callers apply their own sign rules.
ParsedAmount ParseAmount(std::string_view text, const Currency& currency);

// An exact positive decimal rate with up to kRateScale fractional digits,
// held as rate * 10^kRateScale.
inline constexpr int kRateScale = 10;
struct Rate {
  int64_t scaled = 0;
  static Rate One();
  std::string ToString() const;
  bool operator==(const Rate&) const = default;
};
std::optional<Rate> ParseRate(std::string_view text);

// amount (minor units of `from`) * rate, expressed in minor units of `to`,
// rounded half to even. Exact (128-bit intermediate).
int64_t ConvertHalfEven(int64_t amount_minor, const Currency& from, Rate rate, const Currency& to);

// "1234.50", "-0.05", "12" (exponent 0): minor units rendered with the
// currency's digits.
std::string FormatMinor(int64_t minor, int exponent);

// 10^n for 0 <= n <= 18.
int64_t Pow10(int n);

}  // namespace daybook
