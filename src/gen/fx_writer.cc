// Implements gen/internal/fx_writer.h.
#include "gen/internal/fx_writer.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/money.h"
#include "core/time.h"
#include "gen/internal/catalog.h"
#include "gen/internal/out_file.h"
#include "gen/internal/rng.h"

namespace daybook::gen {
namespace {

constexpr uint64_t kStreamFx = 5;
constexpr int64_t kUsdScale = 1000000000000LL;  // USD values held as value * 10^12

struct Anchor {
  std::string_view code;
  int64_t usd_value;        // USD per unit, * kUsdScale
  int64_t daily_vol_ppm;    // typical daily move, parts per million
};

// Generated currencies first (in GenCurrencies() order), then other
// reporting currencies we can quote in.
constexpr Anchor kAnchors[] = {
    {"USD", kUsdScale, 0},
    {"EUR", 1080000000000LL, 2500},
    {"GBP", 1270000000000LL, 2500},
    {"JPY", 6700000000LL, 3500},
    {"KWD", 3250000000000LL, 300},
    {"CHF", 1130000000000LL, 2500},
    {"CAD", 740000000000LL, 2000},
    {"AUD", 660000000000LL, 3000},
};

const Anchor* FindAnchor(std::string_view code) {
  for (const Anchor& a : kAnchors) {
    if (a.code == code) return &a;
  }
  return nullptr;
}

// USD value of one currency for every day of the range.
std::vector<int64_t> Walk(const Anchor& a, uint64_t seed, size_t n_days) {
  Rng rng(seed, kStreamFx * 1000 + static_cast<uint64_t>(&a - kAnchors));
  std::vector<int64_t> v(n_days);
  // Start within +-2 % of the anchor (USD itself stays 1).
  int64_t start_ppm = a.daily_vol_ppm == 0 ? 0 : rng.Between(-20000, 20000);
  __int128 value = a.usd_value + static_cast<__int128>(a.usd_value) * start_ppm / 1000000;
  for (size_t d = 0; d < n_days; ++d) {
    v[d] = static_cast<int64_t>(value);
    int64_t step_ppm = (rng.Between(-a.daily_vol_ppm, a.daily_vol_ppm) +
                        rng.Between(-a.daily_vol_ppm, a.daily_vol_ppm)) / 2;
    value += value * step_ppm / 1000000;
    value += (a.usd_value - value) / 64;  // drift back towards the anchor
  }
  return v;
}

// rate = numerator / denominator, rounded half up to 6 decimals, without
// trailing zeros ("1.0812", "149.25", "3").
size_t FormatRate(int64_t numerator, int64_t denominator, char* out) {
  __int128 micro = (static_cast<__int128>(numerator) * 1000000 + denominator / 2) / denominator;
  std::string text = FormatMinor(static_cast<int64_t>(std::max<__int128>(micro, 1)), 6);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  std::memcpy(out, text.data(), text.size());
  return text.size();
}

}  // namespace

bool HasFxAnchor(std::string_view code) { return FindAnchor(code) != nullptr; }

Status WriteFxRates(const std::string& path, uint64_t seed, int32_t first_date,
                    int32_t last_date, std::string_view reporting) {
  const Anchor* quote = FindAnchor(reporting);
  if (quote == nullptr) {
    return InvalidArgument("no FX rates can be generated against reporting currency '" +
                           std::string(reporting) + "'");
  }
  size_t n_days = static_cast<size_t>(last_date - first_date + 1);
  std::vector<const Anchor*> listed;
  for (const GenCurrency& c : GenCurrencies()) {
    if (c.iso->Code() != reporting) listed.push_back(FindAnchor(c.iso->Code()));
  }
  std::sort(listed.begin(), listed.end(),
            [](const Anchor* a, const Anchor* b) { return a->code < b->code; });
  std::vector<std::vector<int64_t>> walks;
  for (const Anchor* a : listed) walks.push_back(Walk(*a, seed, n_days));
  std::vector<int64_t> quote_walk = Walk(*quote, seed, n_days);

  DAYBOOK_ASSIGN_OR_RETURN(std::unique_ptr<OutFile> file, OutFile::Create(path));
  file->Append("date,currency,rate\n");
  for (size_t d = 0; d < n_days; ++d) {
    std::string date = FormatDate(first_date + static_cast<int32_t>(d));
    for (size_t c = 0; c < listed.size(); ++c) {
      char* p = file->Reserve(64);
      std::memcpy(p, date.data(), date.size());
      p += date.size();
      *p++ = ',';
      std::memcpy(p, listed[c]->code.data(), 3);
      p += 3;
      *p++ = ',';
      p += FormatRate(walks[c][d], quote_walk[d], p);
      *p++ = '\n';
      file->Commit(p);
    }
  }
  return file->Finish();
}

}  // namespace daybook::gen
