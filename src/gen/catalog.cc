// Implements gen/internal/catalog.h.
#include "gen/internal/catalog.h"

#include <array>

namespace daybook::gen {

std::span<const GenCurrency> GenCurrencies() {
  static const std::array<GenCurrency, 5> kTable = {{
      {FindCurrency("USD"), 60, 1.0},
      {FindCurrency("EUR"), 18, 0.93},
      {FindCurrency("GBP"), 11, 0.79},
      {FindCurrency("JPY"), 7, 150.0},
      {FindCurrency("KWD"), 4, 0.31},
  }};
  return kTable;
}

}  // namespace daybook::gen
