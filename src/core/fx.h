// File: core/fx.h
//
// Foreign-exchange rates (spec §2 `fx:`): a CSV with header
// `date,currency,rate` where 1 unit of `currency` = `rate` units of the
// reporting currency. An event converts at the rate of its own business
// date; when that date has none, the latest earlier rate at most
// `max_staleness_days` old is used, else there is no rate (FX_RATE_MISSING).
// The reporting currency always converts at exactly 1.
//
//   auto fx = FxTable::Load("fx_rates.csv", "USD", 3);
//   std::optional<Rate> r = fx->Lookup("EUR", business_date);
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"
#include "core/status.h"

namespace daybook {

class FxTable {
 public:
  FxTable(std::string reporting_currency, int max_staleness_days);
  // Parses the CSV; any bad line is an InvalidArgument naming file:line and
  // the field (unknown currency, bad date, non-positive or too-precise rate,
  // a repeated date/currency pair).
  static Result<FxTable> Load(const std::string& path, std::string reporting_currency,
                              int max_staleness_days);

  void Add(std::string_view currency, int32_t date, Rate rate);
  std::optional<Rate> Lookup(std::string_view currency, int32_t date) const;
  const std::string& reporting_currency() const { return reporting_; }
  size_t size() const;

 private:
  std::string reporting_;
  int max_staleness_days_;
  std::map<std::string, std::map<int32_t, Rate>, std::less<>> rates_;
};

}  // namespace daybook
