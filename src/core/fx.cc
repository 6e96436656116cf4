#include "core/fx.h"

#include <fstream>

#include "core/time.h"

namespace daybook {
namespace {
std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}
}  // namespace

FxTable::FxTable(std::string reporting_currency, int max_staleness_days)
    : reporting_(std::move(reporting_currency)), max_staleness_days_(max_staleness_days) {}

Result<FxTable> FxTable::Load(const std::string& path, std::string reporting_currency,
                              int max_staleness_days) {
  std::ifstream in(path);
  if (!in) return NotFound("fx.rates: cannot read " + path);
  FxTable t(std::move(reporting_currency), max_staleness_days);
  std::string line;
  int64_t n = 0;
  bool header = false;
  while (std::getline(in, line)) {
    ++n;
    std::string_view l = Trim(line);
    if (l.empty() || l.front() == '#') continue;
    auto where = [&](const std::string& field) { return path + ":" + std::to_string(n) + ": " + field + ": "; };
    if (!header) {
      if (l != "date,currency,rate") {
        return InvalidArgument(where("header") + "expected 'date,currency,rate', got '" + std::string(l) + "'");
      }
      header = true;
      continue;
    }
    size_t c1 = l.find(','), c2 = c1 == std::string_view::npos ? c1 : l.find(',', c1 + 1);
    if (c2 == std::string_view::npos || l.find(',', c2 + 1) != std::string_view::npos) {
      return InvalidArgument(where("line") + "expected 3 comma-separated fields");
    }
    std::string_view ds = Trim(l.substr(0, c1)), cs = Trim(l.substr(c1 + 1, c2 - c1 - 1)),
                     rs = Trim(l.substr(c2 + 1));
    auto d = ParseDate(ds);
    if (!d) return InvalidArgument(where("date") + "'" + std::string(ds) + "' is not YYYY-MM-DD");
    if (!FindCurrency(cs)) return InvalidArgument(where("currency") + "'" + std::string(cs) + "' is not an ISO 4217 code");
    auto r = ParseRate(rs);
    if (!r) {
      return InvalidArgument(where("rate") + "'" + std::string(rs) +
                             "' is not a positive decimal with at most 10 fractional digits");
    }
    auto& per = t.rates_[std::string(cs)];
    if (per.count(*d)) {
      return InvalidArgument(where("date") + "a second rate for " + std::string(cs) + " on " + std::string(ds));
    }
    per[*d] = *r;
  }
  if (!header) return InvalidArgument(path + ":1: header: expected 'date,currency,rate' (file is empty)");
  return t;
}

void FxTable::Add(std::string_view currency, int32_t date, Rate rate) {
  rates_[std::string(currency)][date] = rate;
}

std::optional<Rate> FxTable::Lookup(std::string_view currency, int32_t date) const {
  if (currency == reporting_) return Rate::One();
  auto it = rates_.find(currency);
  if (it == rates_.end()) return std::nullopt;
  auto r = it->second.upper_bound(date);  // first rate after `date`
  if (r == it->second.begin()) return std::nullopt;
  --r;
  if (date - r->first > max_staleness_days_) return std::nullopt;
  return r->second;
}

size_t FxTable::size() const {
  size_t n = 0;
  for (const auto& [k, v] : rates_) n += v.size();
  return n;
}

}  // namespace daybook
