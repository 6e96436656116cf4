#include "gen/generator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/money.h"
#include "core/time.h"

namespace daybook {
namespace {

// --- Reading what the generator wrote ----------------------------------------

struct Value {
  std::string text;  // without quotes
  bool is_string = false;
};
using Object = std::map<std::string, Value>;

void SkipSpace(std::string_view s, size_t* i) {
  while (*i < s.size() && (s[*i] == ' ' || s[*i] == '\t')) ++*i;
}

// A strict parser for flat JSON objects of strings and scalars (what
// contract v1 events are); nullopt when the line is not such an object.
std::optional<Object> ParseFlat(std::string_view s) {
  Object o;
  size_t i = 0;
  SkipSpace(s, &i);
  if (i >= s.size() || s[i++] != '{') return std::nullopt;
  SkipSpace(s, &i);
  if (i < s.size() && s[i] == '}') return ++i == s.size() ? std::optional(o) : std::nullopt;
  while (true) {
    SkipSpace(s, &i);
    if (i >= s.size() || s[i++] != '"') return std::nullopt;
    size_t k = s.find('"', i);
    if (k == std::string_view::npos) return std::nullopt;
    std::string key(s.substr(i, k - i));
    i = k + 1;
    SkipSpace(s, &i);
    if (i >= s.size() || s[i++] != ':') return std::nullopt;
    SkipSpace(s, &i);
    if (i >= s.size()) return std::nullopt;
    Value v;
    if (s[i] == '"') {
      size_t e = s.find('"', i + 1);
      if (e == std::string_view::npos) return std::nullopt;
      v.text = std::string(s.substr(i + 1, e - i - 1));
      v.is_string = true;
      i = e + 1;
    } else {
      size_t e = i;
      while (e < s.size() && std::string_view("-+.0123456789eEtrufalsn").find(s[e]) !=
                                 std::string_view::npos) {
        ++e;
      }
      if (e == i) return std::nullopt;
      v.text = std::string(s.substr(i, e - i));
      i = e;
    }
    if (o.count(key)) return std::nullopt;
    o[key] = v;
    SkipSpace(s, &i);
    if (i >= s.size()) return std::nullopt;
    if (s[i] == ',') {
      ++i;
      continue;
    }
    if (s[i] == '}') return ++i == s.size() ? std::optional(o) : std::nullopt;
    return std::nullopt;
  }
}

const Value* Field(const Object& o, const std::string& key) {
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->second;
}

// Typed content of an event, independent of key order and whitespace.
std::string Canonical(const Object& o) {
  std::string c;
  for (const auto& [k, v] : o) c += k + (v.is_string ? "=s:" : "=n:") + v.text + "\n";
  return c;
}

// What a contract-v1 decoder should make of each line, in file order:
// "valid", "duplicate", or the reason code of the rejection.
class ReferenceDecoder {
 public:
  std::string Classify(std::string_view line) {
    std::optional<Object> parsed = ParseFlat(line);
    if (!parsed) return "MALFORMED_JSON";
    const Object& o = *parsed;
    for (const char* f : {"event_id", "event_type", "order_id", "occurred_at"}) {
      const Value* v = Field(o, f);
      if (v == nullptr) return "MISSING_FIELD";
      if (!v->is_string) return "WRONG_TYPE";
    }
    std::string type = Field(o, "event_type")->text;
    if (type != "order_placed" && type != "order_refunded" && type != "order_cancelled") {
      return "UNKNOWN_EVENT_TYPE";
    }
    if (type == "order_placed") {
      const Value* c = Field(o, "customer_id");
      if (c == nullptr) return "MISSING_FIELD";
      if (!c->is_string) return "WRONG_TYPE";
    }
    std::string error;
    if (!ParseRfc3339(Field(o, "occurred_at")->text, &error)) return "INVALID_TIMESTAMP";
    if (type == "order_cancelled") {
      if (Field(o, "amount") || Field(o, "currency")) return "AMOUNT_ON_CANCEL";
    } else {
      const Value* amount = Field(o, "amount");
      const Value* currency = Field(o, "currency");
      if (amount == nullptr || currency == nullptr) return "MISSING_FIELD";
      const Currency* cur = FindCurrency(currency->text);
      if (cur == nullptr) return "UNKNOWN_CURRENCY";
      ParsedAmount a = ParseAmount(amount->text, *cur);
      if (a.error == AmountError::kPrecision) return "AMOUNT_PRECISION";
      if (a.error != AmountError::kNone || a.minor < 0) return "INVALID_AMOUNT";
      if (type == "order_refunded" && a.minor == 0) return "INVALID_AMOUNT";
    }
    std::string id = Field(o, "event_id")->text;
    std::string content = Canonical(o);
    auto [it, inserted] = seen_.emplace(id, content);
    if (!inserted) return it->second == content ? "duplicate" : "DUPLICATE_CONFLICT";
    return "valid";
  }

 private:
  std::map<std::string, std::string> seen_;
};

std::string TempPath(const std::string& name) {
  return testing::TempDir() + "daybook_gen_" + std::to_string(::getpid()) + "_" + name;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

GenOptions Options(const std::string& name, int64_t orders, int days = 14) {
  GenOptions o;
  o.orders = orders;
  o.days = days;
  o.start_date = *ParseDate("2025-01-06");  // a Monday
  o.out = TempPath(name + ".jsonl");
  return o;
}

// Generates and returns the file's lines (and removes the file).
std::vector<std::string> GenerateLines(const GenOptions& o, GenStats* stats = nullptr) {
  Result<GenStats> r = Generate(o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (stats != nullptr && r.ok()) *stats = *r;
  std::vector<std::string> lines = Lines(ReadAll(o.out));
  std::remove(o.out.c_str());
  return lines;
}

int64_t Micros(const Object& o) {
  return ParseRfc3339(Field(o, "occurred_at")->text, nullptr)->micros;
}

// --- Determinism ----------------------------------------------------------------

TEST(Generator, SameSeedGivesIdenticalBytes) {
  GenOptions a = Options("same_a", 5000);
  a.dup_rate = a.late_rate = a.bad_rate = 0.03;
  a.timezone = "Europe/Berlin";
  GenOptions b = a;
  b.out = TempPath("same_b.jsonl");
  ASSERT_TRUE(Generate(a).ok());
  ASSERT_TRUE(Generate(b).ok());
  std::string bytes_a = ReadAll(a.out), bytes_b = ReadAll(b.out);
  EXPECT_GT(bytes_a.size(), 100000u);
  EXPECT_TRUE(bytes_a == bytes_b);
  std::remove(a.out.c_str());
  std::remove(b.out.c_str());
}

TEST(Generator, DifferentSeedsDiffer) {
  GenOptions a = Options("seed1", 2000);
  GenOptions b = a;
  b.seed = 2;
  std::vector<std::string> la = GenerateLines(a), lb = GenerateLines(b);
  ASSERT_FALSE(la.empty());
  ASSERT_FALSE(lb.empty());
  std::set<std::string> ids_a;
  for (const std::string& l : la) ids_a.insert(Field(*ParseFlat(l), "event_id")->text);
  int shared = 0;
  for (const std::string& l : lb) shared += ids_a.count(Field(*ParseFlat(l), "event_id")->text);
  EXPECT_EQ(shared, 0);
  EXPECT_NE(la, lb);
}

TEST(Generator, FaultRatesDoNotChangeTheOrders) {
  GenOptions clean = Options("clean", 3000);
  GenOptions dirty = clean;
  dirty.out = TempPath("dirty.jsonl");
  dirty.dup_rate = 0.05;
  dirty.late_rate = 0.05;
  dirty.bad_rate = 0.05;
  std::set<std::string> clean_events, dirty_events;
  ReferenceDecoder d1, d2;
  for (const std::string& l : GenerateLines(clean)) {
    ASSERT_EQ(d1.Classify(l), "valid") << l;
    clean_events.insert(Canonical(*ParseFlat(l)));
  }
  for (const std::string& l : GenerateLines(dirty)) {
    if (d2.Classify(l) == "valid") dirty_events.insert(Canonical(*ParseFlat(l)));
  }
  EXPECT_EQ(clean_events, dirty_events);
}

// --- The contract -------------------------------------------------------------

TEST(Generator, EveryEventHasRequiredFieldsOfItsType) {
  GenOptions o = Options("fields", 20000);
  o.timezone = "America/New_York";
  ReferenceDecoder decoder;
  std::map<std::string, int> seen;  // features that must each appear
  for (const std::string& line : GenerateLines(o)) {
    ASSERT_EQ(decoder.Classify(line), "valid") << line;
    Object e = *ParseFlat(line);
    std::string type = Field(e, "event_type")->text;
    EXPECT_EQ(Field(e, "event_id")->text.rfind("evt-", 0), 0u) << line;
    EXPECT_EQ(Field(e, "order_id")->text.rfind("ord-", 0), 0u) << line;
    if (type == "order_placed") {
      EXPECT_EQ(Field(e, "customer_id")->text.rfind("cus-", 0), 0u) << line;
    }
    if (type != "order_cancelled") {
      ASSERT_NE(Field(e, "amount"), nullptr) << line;
      ASSERT_NE(Field(e, "currency"), nullptr) << line;
      if (!Field(e, "amount")->is_string) ++seen["amount as number"];
    }
    if (const Value* c = Field(e, "channel")) {
      EXPECT_TRUE(c->text == "web" || c->text == "app" || c->text == "marketplace" ||
                  c->text == "pos")
          << line;
    } else {
      ++seen["no channel"];
    }
    if (const Value* v = Field(e, "schema_version")) {
      EXPECT_EQ(v->text, "1");
      EXPECT_FALSE(v->is_string);
      ++seen["schema_version"];
    }
    const std::string& ts = Field(e, "occurred_at")->text;
    ++seen[ts.back() == 'Z' ? (ts.size() > 20 ? "fraction" : "zulu") : "offset"];
    if (Field(e, "coupon_code") || Field(e, "reason")) ++seen["extra field"];
    if (line.find("\": ") != std::string::npos) ++seen["spaced"];
    ++seen[type];
  }
  for (const char* feature : {"order_placed", "order_refunded", "order_cancelled",
                              "amount as number", "no channel", "schema_version", "fraction",
                              "zulu", "offset", "extra field", "spaced"}) {
    EXPECT_GT(seen[feature], 0) << feature;
  }
  EXPECT_EQ(seen["order_placed"], 20000);
  EXPECT_GT(seen["zulu"], seen["offset"] + seen["fraction"]);  // mostly plain "Z"
}

TEST(Generator, AmountsHaveTheCurrencyExponent) {
  GenOptions o = Options("amounts", 20000);
  std::map<std::string, int> by_currency;
  for (const std::string& line : GenerateLines(o)) {
    Object e = *ParseFlat(line);
    const Value* amount = Field(e, "amount");
    if (amount == nullptr) continue;
    const std::string& code = Field(e, "currency")->text;
    const Currency* cur = FindCurrency(code);
    ASSERT_NE(cur, nullptr) << line;
    size_t dot = amount->text.find('.');
    int digits = dot == std::string::npos ? 0 : static_cast<int>(amount->text.size() - dot - 1);
    EXPECT_EQ(digits, cur->exponent) << line;
    ++by_currency[code];
  }
  for (const char* code : {"USD", "EUR", "GBP", "JPY", "KWD"}) EXPECT_GT(by_currency[code], 0) << code;
  int total = 0;
  for (const auto& [code, n] : by_currency) total += n;
  EXPECT_GT(by_currency["USD"] * 2, total);  // USD is the majority
}

TEST(Generator, RefundsNeverExceedTheOrder) {
  GenOptions o = Options("refunds", 30000, 30);
  o.refund_rate = 0.2;
  o.cancel_rate = 0.1;
  struct Order {
    int64_t placed_at = -1, amount = 0, refunded = 0, cancelled_at = -1, last_at = -1;
    std::string currency;
    int refunds = 0;
  };
  std::map<std::string, Order> orders;
  int refunds_before_cancel = 0;
  for (const std::string& line : GenerateLines(o)) {
    Object e = *ParseFlat(line);
    Order& ord = orders[Field(e, "order_id")->text];
    std::string type = Field(e, "event_type")->text;
    int64_t at = Micros(e);
    if (type == "order_placed") {
      ASSERT_EQ(ord.placed_at, -1) << "second order_placed: " << line;
      ord.placed_at = at;
      ord.currency = Field(e, "currency")->text;
      ord.amount = ParseAmount(Field(e, "amount")->text, *FindCurrency(ord.currency)).minor;
    } else {
      ASSERT_NE(ord.placed_at, -1) << "follow-up before its order: " << line;
      ASSERT_EQ(ord.cancelled_at, -1) << "event after the cancellation: " << line;
      EXPECT_GT(at, ord.last_at) << line;
      if (type == "order_refunded") {
        EXPECT_EQ(Field(e, "currency")->text, ord.currency) << line;
        int64_t r = ParseAmount(Field(e, "amount")->text, *FindCurrency(ord.currency)).minor;
        EXPECT_GT(r, 0) << line;
        ord.refunded += r;
        EXPECT_LE(ord.refunded, ord.amount) << line;
        EXPECT_LE(at - ord.placed_at, 10 * kMicrosPerDay) << line;
        ++ord.refunds;
      } else {
        EXPECT_LE(at - ord.placed_at, 2 * kMicrosPerDay) << line;
        ord.cancelled_at = at;
        refunds_before_cancel += ord.refunds > 0;
      }
    }
    ord.last_at = at;
  }
  // Follow-ups after the range are dropped: count orders old enough to have them all.
  const int64_t range_end = (o.start_date + o.days) * kMicrosPerDay;
  int old_enough = 0, refunded = 0, cancelled = 0, full = 0;
  for (const auto& [id, ord] : orders) {
    if (ord.placed_at >= range_end - 10 * kMicrosPerDay) continue;
    ++old_enough;
    refunded += ord.refunds > 0;
    cancelled += ord.cancelled_at != -1;
    full += ord.refunds > 0 && ord.refunded == ord.amount;
  }
  EXPECT_NEAR(static_cast<double>(refunded) / old_enough, 0.2, 0.015);
  EXPECT_NEAR(static_cast<double>(cancelled) / old_enough, 0.1, 0.01);
  EXPECT_GT(full, 0);
  EXPECT_LT(full, refunded);  // partial refunds too
  EXPECT_GT(refunds_before_cancel, 0);
}

// --- Faults ---------------------------------------------------------------------

TEST(Generator, DuplicateRateIsRespected) {
  GenOptions o = Options("dups", 20000);
  o.dup_rate = 0.05;
  GenStats stats;
  std::vector<std::string> lines = GenerateLines(o, &stats);
  ReferenceDecoder decoder;
  std::map<std::string, std::string> first_line;
  int duplicates = 0, identical_bytes = 0;
  for (const std::string& line : lines) {
    std::string verdict = decoder.Classify(line);
    ASSERT_TRUE(verdict == "valid" || verdict == "duplicate") << verdict << ": " << line;
    std::string id = Field(*ParseFlat(line), "event_id")->text;
    if (verdict == "valid") {
      first_line[id] = line;
    } else {
      ++duplicates;
      identical_bytes += first_line[id] == line;
    }
  }
  EXPECT_EQ(duplicates, stats.duplicates);
  EXPECT_NEAR(static_cast<double>(duplicates) / stats.events, 0.05, 0.005);
  EXPECT_GT(identical_bytes, 0);               // plain re-deliveries
  EXPECT_LT(identical_bytes, duplicates);      // and some in another key order or spacing
}

TEST(Generator, BadLinesGetEveryRejectionReason) {
  GenOptions o = Options("bad", 20000);
  o.bad_rate = 0.05;
  GenStats stats;
  std::vector<std::string> lines = GenerateLines(o, &stats);
  ReferenceDecoder decoder;
  std::map<std::string, int64_t> rejected;
  int64_t valid = 0;
  for (const std::string& line : lines) {
    std::string verdict = decoder.Classify(line);
    if (verdict == "valid") {
      ++valid;
    } else {
      ++rejected[verdict];
    }
  }
  EXPECT_EQ(valid, stats.events);
  EXPECT_EQ(rejected.count("duplicate"), 0u);
  int64_t total = 0;
  for (Reason r : {Reason::kMalformedJson, Reason::kMissingField, Reason::kWrongType,
                   Reason::kUnknownEventType, Reason::kInvalidTimestamp, Reason::kInvalidAmount,
                   Reason::kAmountPrecision, Reason::kUnknownCurrency,
                   Reason::kDuplicateConflict}) {
    std::string name(ReasonName(r));
    EXPECT_GT(rejected[name], 0) << name;
    EXPECT_EQ(rejected[name], stats.bad_by_reason[static_cast<size_t>(r)]) << name;
    total += rejected[name];
  }
  EXPECT_EQ(total, stats.bad);
  EXPECT_NEAR(static_cast<double>(stats.bad) / stats.events, 0.05, 0.005);
}

TEST(Generator, LateEventsAppearAfterLaterDays) {
  // On time: the file is in occurred_at order.
  GenOptions o = Options("ontime", 20000);
  int64_t max_at = 0;
  for (const std::string& line : GenerateLines(o)) {
    int64_t at = Micros(*ParseFlat(line));
    ASSERT_GE(at, max_at) << line;
    max_at = at;
  }
  // Late: a late_rate share comes 1-3 days after its place (those of the
  // last 3 days at the end of the file).
  o.late_rate = 0.05;
  const int64_t kHour = 3600 * kMicrosPerSecond;
  const int64_t last_days = (o.start_date + o.days - 3) * kMicrosPerDay;
  GenStats stats;
  max_at = 0;
  int64_t behind = 0, early_behind = 0, over_a_day = 0;
  for (const std::string& line : GenerateLines(o, &stats)) {
    int64_t at = Micros(*ParseFlat(line));
    if (at < max_at) {
      ++behind;
      int64_t lag = max_at - at;
      EXPECT_LE(lag, 73 * kHour) << line;
      if (at < last_days) {
        ++early_behind;
        over_a_day += lag >= 22 * kHour;
      }
    }
    max_at = std::max(max_at, at);
  }
  EXPECT_NEAR(static_cast<double>(stats.late) / stats.events, 0.05, 0.005);
  EXPECT_NEAR(static_cast<double>(behind), static_cast<double>(stats.late), stats.late * 0.01);
  EXPECT_GE(over_a_day, early_behind * 99 / 100);
}

TEST(Generator, StatsCountLines) {
  GenOptions o = Options("stats", 10000);
  o.dup_rate = 0.02;
  o.late_rate = 0.02;
  o.bad_rate = 0.02;
  GenStats stats;
  std::vector<std::string> lines = GenerateLines(o, &stats);
  EXPECT_EQ(static_cast<int64_t>(lines.size()), stats.events + stats.duplicates + stats.bad);
  EXPECT_EQ(stats.orders, 10000);
  EXPECT_EQ(stats.events, stats.orders + stats.refunds + stats.cancellations);
  ReferenceDecoder decoder;
  std::map<std::string, int64_t> by_type;
  for (const std::string& line : lines) {
    if (decoder.Classify(line) == "valid") ++by_type[Field(*ParseFlat(line), "event_type")->text];
  }
  EXPECT_EQ(by_type["order_placed"], stats.orders);
  EXPECT_EQ(by_type["order_refunded"], stats.refunds);
  EXPECT_EQ(by_type["order_cancelled"], stats.cancellations);
  EXPECT_GT(stats.late, 0);
}

// --- Realism --------------------------------------------------------------------

TEST(Generator, WeekendsHaveMoreOrdersThanWeekdays) {
  GenOptions o = Options("weekly", 60000, 28);
  int64_t by_weekday[7] = {};
  for (const std::string& line : GenerateLines(o)) {
    Object e = *ParseFlat(line);
    if (Field(e, "event_type")->text != "order_placed") continue;
    int64_t at = Micros(e);
    ++by_weekday[Weekday(static_cast<int32_t>(at / kMicrosPerDay))];
  }
  double weekday = (by_weekday[0] + by_weekday[1] + by_weekday[2] + by_weekday[3] + by_weekday[4]) / 5.0;
  double weekend = (by_weekday[5] + by_weekday[6]) / 2.0;
  EXPECT_GT(weekend / weekday, 1.15);
  EXPECT_LT(weekend / weekday, 1.5);
}

TEST(Generator, OrdersFollowTheHourOfDayInTheBusinessTimeZone) {
  GenOptions o = Options("hourly", 30000);
  o.timezone = "Asia/Tokyo";
  Result<TimeZone> tz = TimeZone::Load(o.timezone);
  ASSERT_TRUE(tz.ok());
  int64_t by_local_hour[24] = {};
  for (const std::string& line : GenerateLines(o)) {
    Object e = *ParseFlat(line);
    if (Field(e, "event_type")->text != "order_placed") continue;
    Timestamp t{Micros(e)};
    int64_t local = t.micros + tz->OffsetSeconds(t) * kMicrosPerSecond;
    ++by_local_hour[local % kMicrosPerDay / (3600 * kMicrosPerSecond)];
  }
  int64_t night = by_local_hour[2] + by_local_hour[3] + by_local_hour[4] + by_local_hour[5];
  int64_t evening = by_local_hour[18] + by_local_hour[19] + by_local_hour[20] + by_local_hour[21];
  EXPECT_GT(evening, 10 * night);
}

TEST(Generator, CustomersRepeatWithAHeavyTail) {
  GenOptions o = Options("customers", 20000);
  std::map<std::string, int> orders_of;
  for (const std::string& line : GenerateLines(o)) {
    Object e = *ParseFlat(line);
    if (const Value* c = Field(e, "customer_id")) ++orders_of[c->text];
  }
  int once = 0, top = 0;
  for (const auto& [c, n] : orders_of) {
    once += n == 1;
    top = std::max(top, n);
  }
  double distinct = static_cast<double>(orders_of.size());
  EXPECT_GT(distinct / 20000, 0.4);
  EXPECT_LT(distinct / 20000, 0.8);   // repeat customers
  EXPECT_GT(once / distinct, 0.6);    // most order once
  EXPECT_GE(top, 10);                 // a few order many times
}

// --- FX -------------------------------------------------------------------------

std::map<std::pair<std::string, std::string>, std::string> ReadFx(const std::string& path) {
  std::map<std::pair<std::string, std::string>, std::string> rates;
  std::vector<std::string> lines = Lines(ReadAll(path));
  EXPECT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "date,currency,rate");
  for (size_t i = 1; i < lines.size(); ++i) {
    size_t c1 = lines[i].find(','), c2 = lines[i].rfind(',');
    EXPECT_TRUE(rates.emplace(std::pair(lines[i].substr(0, c1), lines[i].substr(c1 + 1, c2 - c1 - 1)),
                              lines[i].substr(c2 + 1))
                    .second)
        << "repeated row " << lines[i];
  }
  std::remove(path.c_str());
  return rates;
}

double AsDouble(const std::string& rate) { return std::stod(rate); }

TEST(Generator, FxFileCoversEveryDayAndCurrency) {
  GenOptions o = Options("fx_events", 100, 20);
  o.fx_out = TempPath("fx_usd.csv");
  GenerateLines(o);
  auto usd = ReadFx(o.fx_out);
  const std::map<std::string, std::pair<double, double>> kPlausible = {
      {"EUR", {0.95, 1.25}}, {"GBP", {1.1, 1.45}}, {"JPY", {0.0055, 0.008}}, {"KWD", {3.0, 3.5}}};
  EXPECT_EQ(usd.size(), static_cast<size_t>(20 + 11) * 4);
  for (int32_t d = o.start_date - 5; d <= o.start_date + 20 + 5; ++d) {
    for (const auto& [code, range] : kPlausible) {
      auto it = usd.find({FormatDate(d), code});
      ASSERT_NE(it, usd.end()) << FormatDate(d) << " " << code;
      ASSERT_TRUE(ParseRate(it->second).has_value()) << it->second;
      size_t dot = it->second.find('.');
      EXPECT_TRUE(dot == std::string::npos || it->second.size() - dot - 1 <= 6) << it->second;
      EXPECT_GT(AsDouble(it->second), range.first) << code;
      EXPECT_LT(AsDouble(it->second), range.second) << code;
      auto prev = usd.find({FormatDate(d - 1), code});
      if (prev != usd.end()) {
        EXPECT_NEAR(AsDouble(it->second) / AsDouble(prev->second), 1.0, 0.02) << code;
      }
    }
  }
  // Reporting in EUR: USD is quoted, EUR is not, and the cross rates agree.
  o.reporting_currency = "EUR";
  o.fx_out = TempPath("fx_eur.csv");
  GenerateLines(o);
  auto eur = ReadFx(o.fx_out);
  EXPECT_EQ(eur.size(), static_cast<size_t>(20 + 11) * 4);
  std::string day = FormatDate(o.start_date);
  ASSERT_TRUE(eur.count({day, "USD"}));
  EXPECT_FALSE(eur.count({day, "EUR"}));
  EXPECT_NEAR(AsDouble(eur[{day, "USD"}]) * AsDouble(usd[{day, "EUR"}]), 1.0, 1e-5);
  EXPECT_NEAR(AsDouble(eur[{day, "GBP"}]), AsDouble(usd[{day, "GBP"}]) / AsDouble(usd[{day, "EUR"}]),
              1e-5);
}

// --- Errors and edges -----------------------------------------------------------

TEST(Generator, RejectsBadOptionsNamingTheFlag) {
  struct Case {
    void (*edit)(GenOptions*);
    StatusCode code;
    std::string mentions;
  };
  const Case cases[] = {
      {[](GenOptions* o) { o->orders = -1; }, StatusCode::kInvalidArgument, "--orders"},
      {[](GenOptions* o) { o->days = 0; }, StatusCode::kInvalidArgument, "--days"},
      {[](GenOptions* o) { o->dup_rate = 1.5; }, StatusCode::kInvalidArgument, "--dup-rate"},
      {[](GenOptions* o) { o->late_rate = -0.1; }, StatusCode::kInvalidArgument, "--late-rate"},
      {[](GenOptions* o) { o->out = ""; }, StatusCode::kInvalidArgument, "--out"},
      {[](GenOptions* o) { o->out = "events.jsonl.gz"; }, StatusCode::kInvalidArgument, "gzip"},
      {[](GenOptions* o) { o->timezone = "Mars/Olympus"; }, StatusCode::kNotFound, "Mars/Olympus"},
      {[](GenOptions* o) { o->reporting_currency = "usd"; }, StatusCode::kInvalidArgument, "usd"},
      {[](GenOptions* o) { o->reporting_currency = "SEK"; o->fx_out = "fx.csv"; },
       StatusCode::kInvalidArgument, "SEK"},
  };
  for (const Case& c : cases) {
    GenOptions o = Options("never_written", 10);
    c.edit(&o);
    Result<GenStats> r = Generate(o);
    ASSERT_FALSE(r.ok()) << c.mentions;
    EXPECT_EQ(r.status().code(), c.code) << r.status().ToString();
    EXPECT_NE(r.status().message().find(c.mentions), std::string::npos) << r.status().ToString();
  }
}

TEST(Generator, IoErrorsNameTheFile) {
  GenOptions o = Options("io", 10);
  o.out = "/nonexistent-daybook-dir/events.jsonl";
  Result<GenStats> r = Generate(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_NE(r.status().message().find(o.out), std::string::npos) << r.status().ToString();
}

// Writes happen on a thread of their own (gen/internal/out_file.h); a
// failed one still fails the command, naming the file and the reason.
TEST(Generator, AFullDeviceIsAnIoErrorNamingIt) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full here";
  GenOptions o = Options("full", 200000);  // several buffers' worth
  o.out = "/dev/full";
  Result<GenStats> r = Generate(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_NE(r.status().message().find("'/dev/full'"), std::string::npos) << r.status().ToString();
  EXPECT_NE(r.status().message().find("No space left on device"), std::string::npos) << r.status().ToString();
}

TEST(Generator, WritesNoTemporaryFilesBeside) {
  std::string dir = TempPath("dir");
  ASSERT_EQ(std::system(("mkdir -p " + dir).c_str()), 0);
  GenOptions o = Options("unused", 100);
  o.out = dir + "/events.jsonl";
  o.fx_out = dir + "/fx.csv";
  ASSERT_TRUE(Generate(o).ok());
  EXPECT_FALSE(ReadAll(o.out).empty());
  EXPECT_FALSE(ReadAll(o.fx_out).empty());
  std::string listing;
  FILE* ls = ::popen(("ls -A " + dir).c_str(), "r");
  char buf[256];
  while (std::fgets(buf, sizeof buf, ls)) listing += buf;
  ::pclose(ls);
  EXPECT_EQ(listing, "events.jsonl\nfx.csv\n");
  ASSERT_EQ(std::system(("rm -rf " + dir).c_str()), 0);
}

TEST(Generator, ZeroOrdersWritesAnEmptyFile) {
  GenOptions o = Options("empty", 0);
  o.dup_rate = o.bad_rate = o.late_rate = 1;
  GenStats stats;
  std::vector<std::string> lines = GenerateLines(o, &stats);
  EXPECT_TRUE(lines.empty());
  EXPECT_EQ(stats.events + stats.duplicates + stats.bad, 0);
}

// Throughput: run with --gtest_also_run_disabled_tests.
TEST(Generator, DISABLED_TenMillionEventsThroughput) {
  GenOptions o = Options("throughput", 9200000, 30);
  o.dup_rate = o.late_rate = o.bad_rate = 0.01;
  auto start = std::chrono::steady_clock::now();
  Result<GenStats> r = Generate(o);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::FILE* f = std::fopen(o.out.c_str(), "rb");
  std::fseek(f, 0, SEEK_END);
  long bytes = std::ftell(f);
  std::fclose(f);
  std::remove(o.out.c_str());
  int64_t lines = r->events + r->duplicates + r->bad;
  std::printf("%lld events (%lld lines, %.0f MB) in %.2f s: %.2f M events/s, %.0f MB/s\n",
              static_cast<long long>(r->events), static_cast<long long>(lines), bytes / 1e6, secs,
              r->events / secs / 1e6, bytes / 1e6 / secs);
}

}  // namespace
}  // namespace daybook
