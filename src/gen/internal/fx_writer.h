// File: gen/internal/fx_writer.h
//
// Internal to src/gen. The FX rate file matching generated events (spec §2:
// CSV `date,currency,rate`, 1 unit of currency = rate units of the reporting
// currency). Each currency's USD value random-walks slowly around a plausible
// level (EUR ~1.08, GBP ~1.27, JPY ~0.0067, KWD ~3.25 USD); rates against
// another reporting currency are cross rates of the same walks, so a file for
// EUR and a file for USD agree. Integer arithmetic only; rates have at most
// six fractional digits.
//
//   DAYBOOK_RETURN_IF_ERROR(WriteFxRates("fx.csv", seed, first, last, "USD"));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace daybook::gen {

// Whether WriteFxRates can quote rates in `code`.
bool HasFxAnchor(std::string_view code);

// One row per day in [first_date, last_date] for every generated currency
// other than `reporting` (USD included when it is not the reporting one),
// ordered by date then currency.
Status WriteFxRates(const std::string& path, uint64_t seed, int32_t first_date,
                    int32_t last_date, std::string_view reporting);

}  // namespace daybook::gen
