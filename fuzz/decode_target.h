// File: fuzz/decode_target.h
//
// The property every input line must satisfy, shared by the libFuzzer target
// (fuzz/fuzz_decode.cc, `make fuzz`) and the corpus replay that runs in
// `make test` (src/decode/fuzz_corpus_test.cc): one line goes through
// Decoder::Decode and, when it decodes, Validator::Validate, and
//  - nothing crashes, hangs or trips ASan/UBSan (the build's job);
//  - decoding is deterministic: padded and unpadded input, and a second
//    decode by the same (reused) Decoder, give the same outcome;
//  - a rejection has a record-level reason and a non-empty detail that is
//    valid UTF-8 (it is stored in a VARCHAR column);
//  - an accepted event obeys the contract (docs/event-contract.md): ids of
//    1-128 bytes, valid UTF-8 everywhere, amounts by type and within 10^14
//    units, extra_json a JSON object, content_hash == ContentHash(event);
//  - its canonical re-encoding (typed fields plus extra_json) decodes to the
//    same content hash: the decoder loses nothing it hashes;
//  - validation either accepts with a business date and a reporting amount
//    or rejects with FUTURE_TIMESTAMP, TOO_LATE or FX_RATE_MISSING.
//
//   daybook::fuzz::Target t;
//   std::string problem = t.Check(line);   // "" when every property holds
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/config.h"
#include "core/event.h"
#include "core/fx.h"
#include "core/money.h"
#include "core/reason.h"
#include "core/time.h"
#include "decode/decoder.h"
#include "decode/json_scan.h"
#include "validate/validator.h"

namespace daybook::fuzz {

class Target {
 public:
  Target()
      : tz_(LoadZone()),
        fx_(MakeFx()),
        v1_(DecodeOptions{}),
        v2_(DecodeOptions{Contracts()}),
        validator_(MakeConfig(), tz_, fx_, ParseRfc3339("2025-01-20T00:00:00Z", nullptr).value()) {}

  // "" when every property holds for `line`, else what broke.
  std::string Check(std::string_view line) {
    std::string p = CheckWith(v1_, line, /*round_trip=*/true);
    if (p.empty()) p = CheckWith(v2_, line, /*round_trip=*/false);
    return p;
  }

 private:
  static TimeZone LoadZone() {
    auto tz = TimeZone::Load("Europe/Berlin");
    if (!tz.ok()) tz = TimeZone::Load("UTC");
    return std::move(*tz);
  }
  static FxTable MakeFx() {
    FxTable fx("USD", 30);
    int32_t d = 0;
    for (const char* day : {"2025-01-01", "0001-01-01", "9999-12-01"}) {
      auto ts = ParseRfc3339(std::string(day) + "T00:00:00Z", nullptr);
      d = static_cast<int32_t>(ts->micros / kMicrosPerDay - (ts->micros % kMicrosPerDay < 0));
      fx.Add("EUR", d, *ParseRate("1.08"));
      fx.Add("JPY", d, *ParseRate("0.0067"));
      fx.Add("KWD", d, *ParseRate("3.25"));
    }
    return fx;
  }
  static std::vector<ContractVersion> Contracts() {
    ContractVersion v2;
    v2.version = 2;
    v2.fields = {{"amount", "total"}, {"event_id", "id"}, {"occurred_at", "ts"}};
    return {v2};
  }
  static Config MakeConfig() {
    Config c;
    c.timezone = "Europe/Berlin";
    c.restatement_window_days = 36500;
    return c;
  }

  static bool Utf8(std::string_view s) { return decode_internal::FirstInvalidUtf8(s) == s.size(); }

  static std::string Describe(bool ok, const Event& e, const Rejection& r) {
    if (!ok) return "rejected " + std::string(ReasonName(r.reason)) + ": " + r.detail;
    return "accepted " + std::to_string(e.content_hash);
  }

  std::string CheckWith(Decoder& d, std::string_view line, bool round_trip) {
    Event e;
    Rejection r;
    const bool ok = d.Decode(line, /*padded=*/false, &e, &r, &drift_);
    const std::string first = Describe(ok, e, r);

    // The same again, padded in place, by the same decoder.
    padded_.assign(line);
    padded_.append(64, '\0');
    Event e2;
    Rejection r2;
    const bool ok2 = d.Decode(std::string_view(padded_.data(), line.size()), /*padded=*/true, &e2, &r2, nullptr);
    if (Describe(ok2, e2, r2) != first) return "padded decode differs: " + first + " vs " + Describe(ok2, e2, r2);

    if (!ok) {
      if (static_cast<int>(r.reason) >= static_cast<int>(Reason::kOrphanEvent)) {
        return "rejection with an order-level reason " + std::string(ReasonName(r.reason));
      }
      if (r.detail.empty()) return "rejection without a detail";
      if (!Utf8(r.detail)) return "rejection detail is not valid UTF-8: " + r.detail;
      return "";
    }
    if (std::string p = CheckEvent(line, e); !p.empty()) return p;
    if (round_trip) {
      if (std::string p = RoundTrip(d, e); !p.empty()) return p;
    }
    Rejection vr;
    if (validator_.Validate(&e, &vr)) {
      if (e.has_amount && e.currency != nullptr && e.reporting_minor < 0 && e.type == EventType::kPlaced &&
          e.amount_minor > 0) {
        return "negative reporting amount for a positive order";
      }
    } else if (vr.reason != Reason::kFutureTimestamp && vr.reason != Reason::kTooLate &&
               vr.reason != Reason::kFxRateMissing) {
      return "validation rejected with " + std::string(ReasonName(vr.reason));
    } else if (vr.detail.empty() || !Utf8(vr.detail)) {
      return "validation detail empty or not UTF-8";
    }
    return "";
  }

  static std::string CheckEvent(std::string_view line, const Event& e) {
    if (!Utf8(line)) return "accepted a line that is not valid UTF-8";
    for (std::string_view s : {e.event_id.view(), e.order_id.view(), e.customer_id.view(),
                               std::string_view(e.channel), std::string_view(e.extra_json)}) {
      if (!Utf8(s)) return "accepted a field that is not valid UTF-8";
    }
    if (e.event_id.empty() || e.event_id.size() > kMaxIdBytes) return "event_id length";
    if (e.order_id.empty() || e.order_id.size() > kMaxIdBytes) return "order_id length";
    if (e.customer_id.size() > kMaxIdBytes) return "customer_id length";
    if (e.type == EventType::kPlaced && e.customer_id.empty()) return "order_placed without customer_id";
    if (e.channel.empty()) return "empty channel";
    if (e.type == EventType::kCancelled) {
      if (e.has_amount) return "order_cancelled with an amount";
    } else {
      if (!e.has_amount || e.currency == nullptr) return "amount or currency missing";
      if (e.type == EventType::kPlaced && e.amount_minor < 0) return "negative order_placed";
      if (e.type == EventType::kRefunded && e.amount_minor <= 0) return "refund not > 0";
      const __int128 limit = static_cast<__int128>(kMaxAmountUnits) * Pow10(e.currency->exponent);
      if (e.amount_minor >= limit || -static_cast<__int128>(e.amount_minor) >= limit) return "amount over 10^14 units";
    }
    if (e.extra_json.size() < 2 || e.extra_json.front() != '{' || e.extra_json.back() != '}') {
      return "extra_json is not an object: " + e.extra_json;
    }
    decode_internal::JsonScanner scan;
    std::string err;
    if (!scan.Scan(e.extra_json, false, &err)) return "extra_json does not parse: " + err + ": " + e.extra_json;
    if (e.content_hash != ContentHash(e)) return "content_hash is not ContentHash(event)";
    return "";
  }

  // The event written back as v1 JSON (the instant in UTC, the amount as a
  // plain decimal string), extras spliced in, must decode to the same hash.
  std::string RoundTrip(Decoder& d, const Event& e) {
    if (e.schema_version != 1) return "";
    const int64_t days = e.occurred_at.micros / kMicrosPerDay - (e.occurred_at.micros % kMicrosPerDay < 0);
    const std::string date = FormatDate(static_cast<int32_t>(days));
    if (date.size() != 10 || date[0] == '-') return "";  // outside years 0000-9999: no RFC 3339 spelling in UTC
    std::string j = "{";
    auto field = [&](const char* name, std::string_view value) {
      if (j.size() > 1) j += ',';
      decode_internal::AppendJsonString(name, &j);
      j += ':';
      decode_internal::AppendJsonString(value, &j);
    };
    field("event_id", e.event_id);
    field("event_type", e.type == EventType::kPlaced      ? "order_placed"
                        : e.type == EventType::kCancelled ? "order_cancelled"
                                                          : "order_refunded");
    field("order_id", e.order_id);
    field("occurred_at", FormatTimestamp(e.occurred_at));
    if (!e.customer_id.empty()) field("customer_id", e.customer_id);
    if (e.currency != nullptr) field("currency", e.currency->Code());
    if (e.has_amount) field("amount", FormatMinor(e.amount_minor, e.currency->exponent));
    field("channel", e.channel);
    if (e.extra_json.size() > 2) j += "," + e.extra_json.substr(1, e.extra_json.size() - 2);
    j += "}";
    Event back;
    Rejection r;
    if (!d.Decode(j, false, &back, &r, nullptr)) {
      return "the canonical re-encoding is rejected (" + std::string(ReasonName(r.reason)) + ": " + r.detail +
             "): " + j.substr(0, 300);
    }
    if (back.content_hash != e.content_hash) return "the canonical re-encoding has another content hash: " + j.substr(0, 300);
    return "";
  }

  TimeZone tz_;
  FxTable fx_;
  Decoder v1_, v2_;
  Validator validator_;
  SchemaDrift drift_;
  std::string padded_;
};

}  // namespace daybook::fuzz
