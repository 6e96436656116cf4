// File: gen/internal/catalog.h
//
// Internal to src/gen. The fixed vocabulary of generated events: which
// currencies orders are in (and how often), the sales channels, and the
// values of the extra "schema drift" fields.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "core/money.h"

namespace daybook::gen {

struct GenCurrency {
  const Currency* iso;      // from FindCurrency(): code and minor-unit exponent
  int share_percent;        // of customers paying in it (sums to 100)
  double units_per_usd;     // to size a typical order in this currency
};

// USD (majority), EUR, GBP, JPY (exponent 0), KWD (exponent 3); in that order.
std::span<const GenCurrency> GenCurrencies();

inline constexpr std::string_view kChannels[] = {"web", "app", "marketplace", "pos"};
inline constexpr int kChannelSharePercent[] = {50, 32, 13, 5};
inline constexpr uint8_t kNoChannel = 0xff;  // the event has no "channel" field

inline constexpr std::string_view kCouponCodes[] = {"WELCOME10", "SPRING25", "FREESHIP",
                                                    "VIP15"};
inline constexpr std::string_view kReasons[] = {"damaged", "late_delivery", "wrong_item",
                                                "changed_mind"};

}  // namespace daybook::gen
