#include "core/money.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace daybook {
namespace {

// Active ISO 4217 codes with their minor-unit exponent. Sorted by code.
constexpr Currency kCurrencies[] = {
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2}, {"ARS", 2},
    {"AUD", 2}, {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2},
    {"BHD", 3}, {"BIF", 0}, {"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BOV", 2}, {"BRL", 2},
    {"BSD", 2}, {"BTN", 2}, {"BWP", 2}, {"BYN", 2}, {"BZD", 2}, {"CAD", 2}, {"CDF", 2},
    {"CHE", 2}, {"CHF", 2}, {"CHW", 2}, {"CLF", 4}, {"CLP", 0}, {"CNY", 2}, {"COP", 2},
    {"COU", 2}, {"CRC", 2}, {"CUP", 2}, {"CVE", 2}, {"CZK", 2}, {"DJF", 0}, {"DKK", 2},
    {"DOP", 2}, {"DZD", 2}, {"EGP", 2}, {"ERN", 2}, {"ETB", 2}, {"EUR", 2}, {"FJD", 2},
    {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2}, {"GMD", 2}, {"GNF", 0},
    {"GTQ", 2}, {"GYD", 2}, {"HKD", 2}, {"HNL", 2}, {"HTG", 2}, {"HUF", 2}, {"IDR", 2},
    {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2}, {"JOD", 3},
    {"JPY", 0}, {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2}, {"KRW", 0},
    {"KWD", 3}, {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2},
    {"LSL", 2}, {"LYD", 3}, {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2}, {"MMK", 2},
    {"MNT", 2}, {"MOP", 2}, {"MRU", 2}, {"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2},
    {"MXV", 2}, {"MYR", 2}, {"MZN", 2}, {"NAD", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2},
    {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2}, {"PEN", 2}, {"PGK", 2}, {"PHP", 2},
    {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2}, {"RUB", 2},
    {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2}, {"SGD", 2},
    {"SHP", 2}, {"SLE", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2},
    {"SYP", 2}, {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2},
    {"TRY", 2}, {"TTD", 2}, {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2},
    {"USN", 2}, {"UYI", 0}, {"UYU", 2}, {"UYW", 4}, {"UZS", 2}, {"VED", 2}, {"VES", 2},
    {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XCD", 2}, {"XCG", 2}, {"XOF", 0},
    {"XPF", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWG", 2},
};

constexpr std::array<int64_t, 19> kPow10 = {
    1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL, 100000000LL,
    1000000000LL, 10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL,
    100000000000000LL, 1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
    1000000000000000000LL};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Parses [-]digits[.digits] into an unscaled integer with `scale` fraction
// digits. Returns false on syntax errors; sets *too_precise when non-zero
// digits appear beyond `scale`; *overflow when the integer part is too long.
bool ParseScaled(std::string_view t, int scale, int max_int_digits, bool allow_negative,
                 int64_t* out, bool* negative, bool* too_precise, bool* overflow) {
  *too_precise = false;
  *overflow = false;
  *negative = false;
  size_t i = 0;
  if (i < t.size() && t[i] == '-') {
    if (!allow_negative) return false;
    *negative = true;
    ++i;
  }
  size_t int_start = i;
  while (i < t.size() && IsDigit(t[i])) ++i;
  size_t int_len = i - int_start;
  if (int_len == 0) return false;
  size_t frac_start = i, frac_len = 0;
  if (i < t.size() && t[i] == '.') {
    ++i;
    frac_start = i;
    while (i < t.size() && IsDigit(t[i])) ++i;
    frac_len = i - frac_start;
    if (frac_len == 0) return false;
  }
  if (i != t.size()) return false;
  // Strip leading zeros of the integer part for the length check.
  size_t lead = int_start;
  while (lead < int_start + int_len - 1 && t[lead] == '0') ++lead;
  if (int_start + int_len - lead > static_cast<size_t>(max_int_digits)) {
    *overflow = true;
    return true;
  }
  __int128 v = 0;
  for (size_t k = lead; k < int_start + int_len; ++k) v = v * 10 + (t[k] - '0');
  for (int k = 0; k < scale; ++k) {
    v *= 10;
    if (static_cast<size_t>(k) < frac_len) v += t[frac_start + k] - '0';
  }
  for (size_t k = scale; k < frac_len; ++k) {
    if (t[frac_start + k] != '0') *too_precise = true;
  }
  *out = static_cast<int64_t>(v);
  return true;
}

}  // namespace

int64_t Pow10(int n) { return kPow10.at(n); }

const Currency* AllCurrencies(size_t* count) {
  *count = std::size(kCurrencies);
  return kCurrencies;
}

const Currency* FindCurrency(std::string_view code) {
  if (code.size() != 3) return nullptr;
  auto it = std::lower_bound(std::begin(kCurrencies), std::end(kCurrencies), code,
                             [](const Currency& c, std::string_view k) { return c.Code() < k; });
  if (it == std::end(kCurrencies) || it->Code() != code) return nullptr;
  return &*it;
}

ParsedAmount ParseAmount(std::string_view text, const Currency& currency) {
  ParsedAmount r;
  int64_t v = 0;
  bool neg = false, too_precise = false, overflow = false;
  if (!ParseScaled(text, currency.exponent, 14, /*allow_negative=*/true, &v, &neg, &too_precise,
                   &overflow)) {
    r.error = AmountError::kInvalid;
    r.detail = "amount '" + std::string(text.substr(0, 64)) +
               "' is not a plain decimal number (digits, optional '-' and '.')";
    return r;
  }
  if (overflow) {
    r.error = AmountError::kInvalid;
    r.detail = "amount '" + std::string(text.substr(0, 64)) + "' is 10^14 " +
               std::string(currency.Code()) + " or more (at most 14 integer digits)";
    return r;
  }
  if (too_precise) {
    r.error = AmountError::kPrecision;
    r.detail = "amount '" + std::string(text) + "' has more than " +
               std::to_string(currency.exponent) + " fractional digits for " +
               std::string(currency.Code());
    return r;
  }
  r.minor = neg ? -v : v;
  return r;
}

Rate Rate::One() { return Rate{Pow10(kRateScale)}; }

std::string Rate::ToString() const { return FormatMinor(scaled, kRateScale); }

std::optional<Rate> ParseRate(std::string_view text) {
  int64_t v = 0;
  bool neg = false, too_precise = false, overflow = false;
  if (!ParseScaled(text, kRateScale, 8, /*allow_negative=*/false, &v, &neg, &too_precise,
                   &overflow) ||
      too_precise || overflow || v <= 0) {
    return std::nullopt;
  }
  return Rate{v};
}

int64_t ConvertHalfEven(int64_t amount_minor, const Currency& from, Rate rate,
                        const Currency& to) {
  // value_to_minor = amount_minor * rate / 10^kRateScale * 10^(to.exp - from.exp)
  __int128 num = static_cast<__int128>(amount_minor) * rate.scaled;
  int shift = to.exponent - from.exponent;
  __int128 den = kPow10[kRateScale];
  if (shift >= 0) {
    num *= kPow10[shift];
  } else {
    den *= kPow10[-shift];
  }
  bool neg = num < 0;
  if (neg) num = -num;
  __int128 q = num / den, r = num % den;
  __int128 twice = r * 2;
  if (twice > den || (twice == den && (q % 2) == 1)) ++q;
  return static_cast<int64_t>(neg ? -q : q);
}

std::string FormatMinor(int64_t minor, int exponent) {
  bool neg = minor < 0;
  unsigned __int128 v = neg ? -static_cast<__int128>(minor) : minor;
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v != 0);
  while (static_cast<int>(digits.size()) <= exponent) digits.push_back('0');
  std::string out;
  if (neg) out.push_back('-');
  for (int i = static_cast<int>(digits.size()) - 1; i >= 0; --i) {
    out.push_back(digits[i]);
    if (i == exponent && exponent > 0) out.push_back('.');
  }
  return out;
}

}  // namespace daybook
