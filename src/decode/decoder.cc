// The contract pass: JsonScanner (json_scan.h) has checked the syntax and
// listed the top-level fields; this file maps them to canonical fields by
// the line's contract version and applies spec §1 field by field, in
// contract order, so the first problem in that order is the one reported.
#include "decode/decoder.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "decode/json_scan.h"

namespace daybook {
namespace {

using decode_internal::AppendJsonString;
using decode_internal::JsonType;
using decode_internal::JsonTypeName;
using decode_internal::Quote;
using decode_internal::RawField;

enum Slot : uint8_t {
  kEventId,
  kEventType,
  kOrderId,
  kOccurredAt,
  kCustomerId,
  kCurrency,
  kAmount,
  kChannel,
  kSchemaVersion,
  kSlotCount
};
constexpr uint8_t kUnknown = kSlotCount;

constexpr std::array<std::string_view, kSlotCount> kCanonical = {
    "event_id", "event_type", "order_id", "occurred_at",   "customer_id",
    "currency", "amount",     "channel",  "schema_version"};

// Equality of short strings without a libc call per key (hot: every key of
// every line is looked up).
bool SameBytes(const char* a, const char* b, size_t n) {
  for (; n >= 8; a += 8, b += 8, n -= 8) {
    uint64_t x, y;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    if (x != y) return false;
  }
  for (; n > 0; ++a, ++b, --n) {
    if (*a != *b) return false;
  }
  return true;
}

// The field names of one contract version.
struct Names {
  int version = 1;
  std::array<std::string, kSlotCount> name;
  std::array<std::string, kSlotCount> label;  // for details: "total (amount)"

  explicit Names(const ContractVersion* cv) {
    for (int s = 0; s < kSlotCount; ++s) {
      name[s] = kCanonical[s];
      if (cv != nullptr && s != kSchemaVersion) {
        auto it = cv->fields.find(name[s]);
        if (it != cv->fields.end()) name[s] = it->second;
      }
      label[s] =
          name[s] == kCanonical[s] ? name[s] : name[s] + " (" + std::string(kCanonical[s]) + ")";
    }
    if (cv != nullptr) version = cv->version;
  }

  uint8_t Find(std::string_view key) const {
    if (key.empty()) return kUnknown;
    for (uint8_t s = 0; s < kSlotCount; ++s) {
      const std::string& n = name[s];
      if (n.size() == key.size() && n[0] == key[0] && SameBytes(n.data(), key.data(), n.size())) {
        return s;
      }
    }
    return kUnknown;
  }
};

bool Reject(Rejection* rej, Reason reason, std::string detail) {
  rej->reason = reason;
  rej->detail = std::move(detail);
  return false;
}

// `s` without the bytes that break UTF-8. Details are stored as VARCHAR and
// printed; a helper outside decode/ may cut a quoted value mid-character
// (ParseAmount keeps the first 64 bytes of a bad amount).
std::string ValidUtf8(std::string s) {
  size_t bad = decode_internal::FirstInvalidUtf8(s);
  if (bad == s.size()) return s;
  std::string out(s, 0, bad);
  std::string_view rest(s);
  rest.remove_prefix(bad + 1);
  while (!rest.empty()) {
    size_t ok = decode_internal::FirstInvalidUtf8(rest);
    out.append(rest.substr(0, ok));
    rest.remove_prefix(std::min(rest.size(), ok + 1));
  }
  return out;
}

enum class Has { kValue, kMissing, kRejected };

// Absent, null and "" all mean "missing"; nullptr when the field has a value.
const char* MissingWhy(const RawField* f) {
  if (f == nullptr) return "is missing";
  if (f->type == JsonType::kNull) return "is null";
  if (f->type == JsonType::kString && f->value.empty()) return "is empty";
  return nullptr;
}

}  // namespace

struct Decoder::Impl {
  std::vector<Names> versions;  // [0] is v1
  decode_internal::JsonScanner scanner;
  // The line's fields by the names of `names`: known ones by slot, the
  // others as indexes into scanner.fields(), sorted by key.
  const Names* names = nullptr;
  std::array<const RawField*, kSlotCount> slot{};
  std::vector<uint32_t> unknown;
  std::string error;

  bool Decode(std::string_view line, bool padded, Event* out, Rejection* rej, SchemaDrift* drift);
  bool Classify(const Names& by, Rejection* rej);
  bool SelectVersion(Event* out, Rejection* rej);
  bool DecodeFields(Event* out, Rejection* rej);
  bool DecodeMoney(Event* out, Rejection* rej);
  void WriteExtra(Event* out, SchemaDrift* drift);

  const std::string& Label(Slot s) const { return names->label[s]; }

  // A string field: kValue with *v when non-empty; kMissing with *why when
  // absent, null or ""; kRejected (WRONG_TYPE written) for other types.
  Has Str(Slot s, std::string_view* v, const char** why, Rejection* rej) const {
    const RawField* f = slot[s];
    if (f != nullptr && f->type != JsonType::kString && f->type != JsonType::kNull) {
      Reject(rej, Reason::kWrongType,
             Label(s) + ": expected string, got " + std::string(JsonTypeName(f->type)));
      return Has::kRejected;
    }
    *why = MissingWhy(f);
    if (*why != nullptr) return Has::kMissing;
    *v = f->value;
    return Has::kValue;
  }

  bool Required(Slot s, std::string_view* v, Rejection* rej, const char* when = "") const {
    const char* why = nullptr;
    switch (Str(s, v, &why, rej)) {
      case Has::kValue: return true;
      case Has::kRejected: return false;
      case Has::kMissing: break;
    }
    return Reject(rej, Reason::kMissingField, Label(s) + " " + why + when);
  }

  bool IdLength(Slot s, std::string_view v, Rejection* rej) const {
    if (v.size() <= kMaxIdBytes) return true;
    return Reject(rej, Reason::kWrongType,
                  Label(s) + " is " + std::to_string(v.size()) + " bytes; at most " +
                      std::to_string(kMaxIdBytes));
  }
};

Decoder::Decoder(DecodeOptions opts) : impl_(std::make_unique<Impl>()) {
  impl_->versions.emplace_back(nullptr);
  for (const ContractVersion& cv : opts.contracts) {
    if (cv.version > 1) impl_->versions.emplace_back(&cv);
  }
}
Decoder::~Decoder() = default;
Decoder::Decoder(Decoder&&) noexcept = default;
Decoder& Decoder::operator=(Decoder&&) noexcept = default;

bool Decoder::Decode(std::string_view line, bool padded, Event* out, Rejection* rej,
                     SchemaDrift* drift) {
  return impl_->Decode(line, padded, out, rej, drift);
}

bool Decoder::Impl::Decode(std::string_view line, bool padded, Event* out, Rejection* rej,
                           SchemaDrift* drift) {
  if (!scanner.Scan(line, padded, &error)) {
    // simdjson validates UTF-8 in every successful parse, but may report
    // another error first; bad UTF-8 takes precedence, so look again.
    if (!simdjson::validate_utf8(line.data(), line.size())) {
      return Reject(rej, Reason::kInvalidUtf8,
                    "line is not valid UTF-8 (bad byte at offset " +
                        std::to_string(decode_internal::FirstInvalidUtf8(line)) + ")");
    }
    return Reject(rej, Reason::kMalformedJson, error);
  }
  // Equal keys are equal under every version's names, so v1 finds them all.
  if (!Classify(versions[0], rej) || !SelectVersion(out, rej)) return false;
  if (names != &versions[0]) Classify(*names, rej);
  if (!DecodeFields(out, rej)) return false;
  WriteExtra(out, drift);
  out->content_hash = ContentHash(*out);
  out->event_key = KeyHash(out->event_id);
  out->order_key = KeyHash(out->order_id);
  return true;
}

bool Decoder::Impl::Classify(const Names& by, Rejection* rej) {
  const auto& fields = scanner.fields();
  names = &by;
  slot.fill(nullptr);
  unknown.clear();
  for (uint32_t i = 0; i < fields.size(); ++i) {
    uint8_t s = by.Find(fields[i].key);
    if (s == kUnknown) {
      unknown.push_back(i);
    } else if (slot[s] == nullptr) {
      slot[s] = &fields[i];
    } else {
      return Reject(rej, Reason::kMalformedJson, "duplicate key " + Quote(fields[i].key));
    }
  }
  if (unknown.size() > 1) {
    std::sort(unknown.begin(), unknown.end(),
              [&](uint32_t a, uint32_t b) { return fields[a].key < fields[b].key; });
    for (size_t i = 1; i < unknown.size(); ++i) {
      if (fields[unknown[i]].key == fields[unknown[i - 1]].key) {
        return Reject(rej, Reason::kMalformedJson,
                      "duplicate key " + Quote(fields[unknown[i]].key));
      }
    }
  }
  return true;
}

// schema_version is always read under its v1 name: it chooses the names.
bool Decoder::Impl::SelectVersion(Event* out, Rejection* rej) {
  out->schema_version = 1;
  const RawField* sv = slot[kSchemaVersion];
  if (sv == nullptr || sv->type == JsonType::kNull) return true;
  std::string_view text = sv->value;
  bool integer =
      sv->type == JsonType::kNumber && text.find_first_of(".eE") == std::string_view::npos;
  if (!integer) {
    std::string got =
        sv->type == JsonType::kNumber ? Quote(text) : std::string(JsonTypeName(sv->type));
    return Reject(rej, Reason::kWrongType, "schema_version: expected integer, got " + got);
  }
  int64_t n = 0;
  bool in_range = text[0] != '-' && text.size() <= 9;
  for (char c : text) n = in_range ? n * 10 + (c - '0') : 0;
  if (in_range && n == 1) return true;
  for (const Names& v : versions) {
    if (in_range && v.version == n && n > 1) {
      names = &v;
      out->schema_version = static_cast<int32_t>(n);
      return true;
    }
  }
  return Reject(
      rej, Reason::kUnknownSchemaVersion,
      "schema_version " + std::string(text.substr(0, 32)) + " is not declared under contracts:");
}

bool Decoder::Impl::DecodeFields(Event* out, Rejection* rej) {
  std::string_view v;
  if (!Required(kEventId, &v, rej) || !IdLength(kEventId, v, rej)) return false;
  out->event_id.assign(v);

  if (!Required(kEventType, &v, rej)) return false;
  if (v == "order_placed") {
    out->type = EventType::kPlaced;
  } else if (v == "order_cancelled") {
    out->type = EventType::kCancelled;
  } else if (v == "order_refunded") {
    out->type = EventType::kRefunded;
  } else {
    return Reject(rej, Reason::kUnknownEventType,
                  Label(kEventType) + " " + Quote(v) +
                      " is not one of order_placed, order_cancelled, order_refunded");
  }

  if (!Required(kOrderId, &v, rej) || !IdLength(kOrderId, v, rej)) return false;
  out->order_id.assign(v);

  if (!Required(kOccurredAt, &v, rej)) return false;
  auto ts = ParseRfc3339(v, &error);
  if (!ts) {
    return Reject(rej, Reason::kInvalidTimestamp,
                  Label(kOccurredAt) + " " + Quote(v) + ": " + error);
  }
  out->occurred_at = *ts;

  if (out->type == EventType::kPlaced) {
    if (!Required(kCustomerId, &v, rej, " (required on order_placed)")) return false;
  } else {
    const char* why;
    Has h = Str(kCustomerId, &v, &why, rej);
    if (h == Has::kRejected) return false;
    if (h == Has::kMissing) v = {};
  }
  if (!IdLength(kCustomerId, v, rej)) return false;
  out->customer_id.assign(v);

  if (!DecodeMoney(out, rej)) return false;

  const char* why;
  switch (Str(kChannel, &v, &why, rej)) {
    case Has::kValue: out->channel.assign(v); break;
    case Has::kMissing: out->channel.assign("unknown"); break;
    case Has::kRejected: return false;
  }
  return true;
}

bool Decoder::Impl::DecodeMoney(Event* out, Rejection* rej) {
  const bool cancel = out->type == EventType::kCancelled;
  const char* when = out->type == EventType::kPlaced ? " (required on order_placed)"
                                                     : " (required on order_refunded)";
  out->currency = nullptr;
  out->has_amount = false;
  out->amount_minor = 0;

  std::string_view code;
  const char* why = nullptr;
  switch (Str(kCurrency, &code, &why, rej)) {
    case Has::kRejected: return false;
    case Has::kMissing:
      if (!cancel) return Reject(rej, Reason::kMissingField, Label(kCurrency) + " " + why + when);
      break;
    case Has::kValue:
      out->currency = FindCurrency(code);
      if (out->currency == nullptr) {
        return Reject(
            rej, Reason::kUnknownCurrency,
            Label(kCurrency) + " " + Quote(code) + " is not an upper-case ISO 4217 currency code");
      }
  }

  const RawField* a = slot[kAmount];
  why = MissingWhy(a);
  if (cancel) {
    if (why != nullptr) return true;
    return Reject(rej, Reason::kInvalidAmount,
                  Label(kAmount) + " is not allowed on order_cancelled");
  }
  if (why != nullptr) return Reject(rej, Reason::kMissingField, Label(kAmount) + " " + why + when);
  if (a->type != JsonType::kString && a->type != JsonType::kNumber) {
    return Reject(rej, Reason::kWrongType,
                  Label(kAmount) + ": expected decimal string or number, got " +
                      std::string(JsonTypeName(a->type)));
  }
  ParsedAmount parsed = ParseAmount(a->value, *out->currency);
  if (parsed.error != AmountError::kNone) {
    // ParseAmount's detail starts with "amount '…'"; name a renamed field.
    std::string detail = names->name[kAmount] == kCanonical[kAmount]
                             ? std::move(parsed.detail)
                             : Label(kAmount) + ": " + parsed.detail;
    Reason r =
        parsed.error == AmountError::kPrecision ? Reason::kAmountPrecision : Reason::kInvalidAmount;
    return Reject(rej, r, ValidUtf8(std::move(detail)));
  }
  if (out->type == EventType::kPlaced && parsed.minor < 0) {
    return Reject(rej, Reason::kInvalidAmount,
                  Label(kAmount) + " " + Quote(a->value) + " is negative; order_placed needs >= 0");
  }
  if (out->type == EventType::kRefunded && parsed.minor <= 0) {
    return Reject(rej, Reason::kInvalidAmount,
                  Label(kAmount) + " " + Quote(a->value) + " must be > 0 on order_refunded");
  }
  out->has_amount = true;
  out->amount_minor = parsed.minor;
  return true;
}

// Unknown fields, sorted by key: {"coupon":"X","meta":{"a":1}}.
void Decoder::Impl::WriteExtra(Event* out, SchemaDrift* drift) {
  const auto& fields = scanner.fields();
  std::string& x = out->extra_json;
  x.clear();
  x.push_back('{');
  for (uint32_t i : unknown) {
    const RawField& f = fields[i];
    if (x.size() > 1) x.push_back(',');
    AppendJsonString(f.key, &x);
    x.push_back(':');
    if (f.type == JsonType::kString) {
      AppendJsonString(f.value, &x);
    } else {
      x.append(f.value);
    }
    if (drift != nullptr) drift->Record(f.key);
  }
  x.push_back('}');
}

}  // namespace daybook
