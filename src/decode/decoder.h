// File: decode/decoder.h
//
// The decode stage: one NDJSON line (the bytes without their '\n') becomes a
// typed Event (core/event.h) or a Rejection (core/reason.h) with a stable
// reason code and a detail that names the field. Spec §1 is the contract;
// this header records the decisions it leaves open.
//
//   Decoder decoder(DecodeOptions{config.contracts});
//   SchemaDrift drift;
//   Event ev;          // reused for every line: its strings keep their capacity
//   Rejection rej;
//   for (each line, locator) {
//     if (decoder.Decode(line, /*padded=*/false, &ev, &rej, &drift)) {
//       drift.SetFirstSeen(locator);  // names first recorded by this line
//       ev.locator = locator;         // business_date, fx_rate: validate's job
//     } else {
//       Quarantine(locator, rej.reason, rej.detail, line);
//     }
//   }
//
// Checks, in this order; the first problem wins:
//  1. INVALID_UTF8: the whole line must be UTF-8 (detail gives the offset).
//  2. MALFORMED_JSON: not exactly one JSON object (scalars, arrays, trailing
//     content, syntax errors, NaN/Infinity, a raw NUL or control character,
//     a UTF-8 BOM at the start of the line or between tokens — the file
//     reader strips the one at the start of a file; inside a string it is
//     just U+FEFF), a key twice in the top-level object ("duplicate key
//     'amount'", keys compared after unescaping; nested objects are not
//     checked), or nesting deeper than kMaxJsonDepth. A trailing '\r' is
//     JSON whitespace and fine.
//  3. schema_version (always read under that name; a contract cannot rename
//     it): absent, null or 1 -> contract v1 names; an integer N > 1 declared
//     in DecodeOptions::contracts -> that version's names (canonical v1 name
//     -> name in version N; unlisted fields keep their v1 name); any other
//     integer -> UNKNOWN_SCHEMA_VERSION; not an integer (1.0, "2", true) ->
//     WRONG_TYPE.
//  4. Fields in contract order: event_id, event_type, order_id, occurred_at,
//     customer_id, currency, amount, channel.
//     - Absent, null and "" are the same thing: "missing". A missing required
//       field is MISSING_FIELD; a missing optional field takes its default.
//     - Required: event_id, event_type, order_id, occurred_at; customer_id on
//       order_placed; currency and amount on order_placed and order_refunded.
//     - String fields given another JSON type: WRONG_TYPE ("order_id: expected
//       string, got number"). Never coerced.
//     - event_id, order_id, customer_id: at most kMaxIdBytes bytes (after
//       unescaping), else WRONG_TYPE. customer_id is kept when present on
//       cancels and refunds, "" when missing.
//     - event_type not one of the three names: UNKNOWN_EVENT_TYPE.
//     - occurred_at: ParseRfc3339 (core/time.h), else INVALID_TIMESTAMP.
//     - currency: an upper-case ISO 4217 code (FindCurrency), else
//       UNKNOWN_CURRENCY ("usd" too). Optional on order_cancelled, and then
//       kept in Event::currency when valid even though there is no amount.
//     - amount: a JSON string holding a plain decimal or a JSON number; both
//       are parsed exactly from their source text by ParseAmount (never via
//       double), so "12.50" and 12.5 are the same value. Exponents, '+',
//       spaces, commas: INVALID_AMOUNT; too many fractional digits for the
//       currency (non-zero ones; "1.230" USD is 123 cents): AMOUNT_PRECISION;
//       other JSON types: WRONG_TYPE. order_placed needs >= 0 ("-0" is 0),
//       order_refunded > 0, else INVALID_AMOUNT. Any non-missing amount on
//       order_cancelled: INVALID_AMOUNT.
//     - channel: optional string, missing -> "unknown".
//  5. Fields the contract version in use does not name are kept in
//     Event::extra_json, canonical: top-level keys sorted bytewise, strings
//     re-escaped minimally, values minified (nested key order and number
//     spelling kept), e.g. {"coupon":"X","meta":{"a":1}}; "{}" when none.
//     In a renamed version the old v1 name is such an unknown field.
// Details name the field as it appears in the line; a renamed field adds its
// canonical name: "total (amount): ...". A detail is always valid UTF-8 (a
// quoted value cut short is cut between characters).
//
// Thread safety: a Decoder and a SchemaDrift are not thread-safe; use one
// of each per thread and Merge the drift.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/event.h"
#include "core/reason.h"

namespace daybook {

inline constexpr size_t kMaxIdBytes = 128;  // event_id, order_id, customer_id
inline constexpr int kMaxJsonDepth = 64;    // the event object is depth 1

struct DecodeOptions {
  // Contract versions beyond v1 (config `contracts:`). Entries with
  // version <= 1 are ignored: v1 is built in. Mappings for names that are
  // not canonical v1 fields, and for schema_version, are ignored.
  std::vector<ContractVersion> contracts;
};

// Unknown field names seen in accepted lines: name -> count and the locator
// of the line that first showed it. Only successful decodes record drift.
class SchemaDrift {
 public:
  struct Field {
    int64_t count = 0;
    Locator first_seen;  // empty (line 0) until SetFirstSeen
  };
  using Map = std::map<std::string, Field, std::less<>>;

  SchemaDrift() = default;
  SchemaDrift(SchemaDrift&&) = default;  // movable; to copy, Merge into an empty one
  SchemaDrift& operator=(SchemaDrift&&) = default;

  // Counts one occurrence of `name` (the Decoder calls this).
  void Record(std::string_view name);
  // Gives `where` to the names recorded for the first time since the last
  // call. O(1) when there are none, so call it after every accepted line.
  void SetFirstSeen(const Locator& where);
  // Adds other's counts; a name keeps this object's first_seen unless it
  // has none yet. Merge per-thread drift in input order.
  void Merge(const SchemaDrift& other);
  void Clear();

  bool empty() const { return fields_.empty(); }
  const Map& fields() const { return fields_; }  // sorted by name
  Map::const_iterator begin() const { return fields_.begin(); }
  Map::const_iterator end() const { return fields_.end(); }

 private:
  Map fields_;
  std::vector<Field*> unplaced_;  // recorded, no first_seen yet
};

class Decoder {
 public:
  explicit Decoder(DecodeOptions opts);
  ~Decoder();
  Decoder(Decoder&&) noexcept;
  Decoder& operator=(Decoder&&) noexcept;

  // Decodes one line. When `padded` is true, `line` must stay readable up
  // to line.size() + simdjson::SIMDJSON_PADDING (64) bytes; otherwise the
  // decoder copies it into its own padded buffer first.
  // Returns true and fills *out — every field except business_date, fx_rate,
  // reporting_minor and locator, which it leaves alone — including
  // content_hash; records unknown field names in *drift (may be null).
  // Returns false and fills *rej; *out is then partly overwritten and
  // meaningless. Never throws for bad input.
  bool Decode(std::string_view line, bool padded, Event* out, Rejection* rej, SchemaDrift* drift);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace daybook
