// Implements gen/internal/json_line.h.
#include "gen/internal/json_line.h"

#include <array>
#include <cstring>

#include "core/money.h"
#include "gen/internal/catalog.h"
#include "gen/internal/rng.h"

namespace daybook::gen {
namespace {

constexpr uint64_t kDomainEventIds = 201;
constexpr uint64_t kDomainOrderIds = 202;
constexpr uint64_t kDomainCustomerIds = 203;

constexpr std::string_view kKeyNames[] = {
    "event_id", "event_type", "order_id",       "occurred_at", "customer_id", "amount",
    "currency", "channel",    "schema_version", "coupon_code", "reason"};
static_assert(std::size(kKeyNames) == static_cast<size_t>(Key::kCount));

// '"key":' and '"key": ' padded to 32 bytes, so rendering copies fixed sizes.
struct KeyToken {
  char text[32];
  uint8_t length;
};
struct KeyTokens {
  std::array<KeyToken, static_cast<size_t>(Key::kCount)> compact, spaced;
};
constexpr KeyTokens MakeKeyTokens() {
  KeyTokens t{};
  for (size_t k = 0; k < std::size(kKeyNames); ++k) {
    std::string_view name = kKeyNames[k];
    for (KeyToken* token : {&t.compact[k], &t.spaced[k]}) {
      size_t n = 0;
      token->text[n++] = '"';
      for (char c : name) token->text[n++] = c;
      token->text[n++] = '"';
      token->text[n++] = ':';
      if (token == &t.spaced[k]) token->text[n++] = ' ';
      token->length = static_cast<uint8_t>(n);
    }
  }
  return t;
}
constexpr KeyTokens kKeyTokens = MakeKeyTokens();

char* Put(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

char* PutHex16(char* p, uint64_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 15; i >= 0; --i) {
    p[i] = kHex[v & 15];
    v >>= 4;
  }
  return p + 16;
}

char* Put2(char* p, int v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
  return p + 2;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

}  // namespace

std::string_view KeyName(Key k) { return kKeyNames[static_cast<size_t>(k)]; }

// --- FieldList ---------------------------------------------------------------

int FieldList::Find(Key key) const {
  for (int i = 0; i < n_; ++i) {
    if (fields_[i].key == key) return i;
  }
  return -1;
}

void FieldList::Append(Key key, std::string_view value, bool quoted) {
  char* v = AppendValue(key, quoted);
  size_t n = value.size() < kMaxValue ? value.size() : kMaxValue;
  std::memcpy(v, value.data(), n);
  CommitValue(n);
}

char* FieldList::SetValue(Key key, bool quoted) {
  int i = Find(key);
  if (i < 0) return AppendValue(key, quoted);
  fields_[i].quoted = quoted;
  pending_ = i;
  return fields_[i].value;
}

void FieldList::SetString(Key key, std::string_view value) {
  size_t n = value.size() < kMaxValue ? value.size() : kMaxValue;
  std::memcpy(SetValue(key, true), value.data(), n);
  CommitValue(n);
}

void FieldList::SetRaw(Key key, std::string_view value) {
  size_t n = value.size() < kMaxValue ? value.size() : kMaxValue;
  std::memcpy(SetValue(key, false), value.data(), n);
  CommitValue(n);
}

void FieldList::Remove(Key key) {
  int i = Find(key);
  if (i < 0) return;
  for (int j = i + 1; j < n_; ++j) fields_[j - 1] = fields_[j];
  --n_;
}

std::string_view FieldList::Get(Key key) const {
  int i = Find(key);
  return i < 0 ? std::string_view() : std::string_view(fields_[i].value, fields_[i].length);
}

char* FieldList::Render(Layout layout, char* p) const {
  const auto& tokens = layout.spaced ? kKeyTokens.spaced : kKeyTokens.compact;
  *p++ = '{';
  for (int k = 0; k < n_; ++k) {
    int i = k;
    if (layout.order == Layout::kReversed) i = n_ - 1 - k;
    if (layout.order == Layout::kRotated) i = (k + 2) % n_;
    const Field& f = fields_[i];
    if (k > 0) {
      *p++ = ',';
      if (layout.spaced) *p++ = ' ';
    }
    // Fixed-size copies (the buffer has room); only `length` bytes count.
    const KeyToken& token = tokens[static_cast<size_t>(f.key)];
    std::memcpy(p, token.text, sizeof token.text);
    p += token.length;
    *p = '"';
    p += f.quoted;
    std::memcpy(p, f.value, sizeof f.value);
    p += f.length;
    *p = '"';
    p += f.quoted;
  }
  *p++ = '}';
  *p++ = '\n';
  return p;
}

// --- EventFormatter ----------------------------------------------------------

EventFormatter::EventFormatter(uint64_t seed, const TimeZone& tz)
    : event_key_(SeedKey(seed, kDomainEventIds)),
      order_key_(SeedKey(seed, kDomainOrderIds)),
      customer_key_(SeedKey(seed, kDomainCustomerIds)),
      tz_(tz) {}

void EventFormatter::EventId(uint64_t seq, char* out) const {
  PutHex16(Put(out, "evt-"), Mix64(seq + event_key_));
}

size_t EventFormatter::OccurredAt(int64_t at, uint8_t style, uint8_t offset_index, char* out) {
  int offset_minutes = 0;
  if (style == kBusinessOffset) {
    offset_minutes = static_cast<int>(tz_.OffsetSeconds(daybook::Timestamp{at}) / 60);
  } else if (style == kFixedOffset) {
    offset_minutes = kFixedOffsetMinutes[offset_index];
  }
  int64_t local = at + static_cast<int64_t>(offset_minutes) * 60 * kMicrosPerSecond;
  int64_t day = FloorDiv(local, kMicrosPerDay);
  int64_t in_day = local - day * kMicrosPerDay;
  if (day != cached_day_) {
    cached_day_ = day;
    int y;
    unsigned m, d;
    CivilFromDays(static_cast<int32_t>(day), &y, &m, &d);
    char* q = cached_date_;
    q = Put2(q, y / 100);
    q = Put2(q, y % 100);
    *q++ = '-';
    q = Put2(q, static_cast<int>(m));
    *q++ = '-';
    Put2(q, static_cast<int>(d));
  }
  int64_t secs = in_day / kMicrosPerSecond;
  int micros = static_cast<int>(in_day % kMicrosPerSecond);
  char* p = out;
  std::memcpy(p, cached_date_, 10);
  p += 10;
  *p++ = 'T';
  p = Put2(p, static_cast<int>(secs / 3600));
  *p++ = ':';
  p = Put2(p, static_cast<int>(secs / 60 % 60));
  *p++ = ':';
  p = Put2(p, static_cast<int>(secs % 60));
  if (style == kZuluMillis || style == kZuluMicros) {
    int digits = style == kZuluMillis ? 3 : 6;
    int v = style == kZuluMillis ? micros / 1000 : micros;
    *p++ = '.';
    for (int i = digits - 1; i >= 0; --i) {
      p[i] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
    p += digits;
  }
  if (style == kBusinessOffset || style == kFixedOffset) {
    int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    *p++ = offset_minutes < 0 ? '-' : '+';
    p = Put2(p, a / 60);
    *p++ = ':';
    p = Put2(p, a % 60);
  } else {
    *p++ = 'Z';
  }
  return static_cast<size_t>(p - out);
}

void EventFormatter::Fields(const GenEvent& e, FieldList* f) {
  f->Clear();
  EventId(e.seq, f->AppendValue(Key::kEventId, true));
  f->CommitValue(20);
  f->AppendString(Key::kEventType, EventTypeName(e.type));
  PutHex16(Put(f->AppendValue(Key::kOrderId, true), "ord-"), Mix64(e.order + order_key_));
  f->CommitValue(20);
  char* v = f->AppendValue(Key::kOccurredAt, true);
  f->CommitValue(OccurredAt(e.at, e.time_style, e.offset_index, v));
  if (e.type == EventType::kPlaced) {
    PutHex16(Put(f->AppendValue(Key::kCustomerId, true), "cus-"), Mix64(e.customer + customer_key_));
    f->CommitValue(20);
  }
  if (e.type != EventType::kCancelled) {
    const Currency& cur = *GenCurrencies()[e.currency].iso;
    std::string amount = FormatMinor(e.amount, cur.exponent);  // short: no heap (SSO)
    if (e.flags & kAmountAsNumber) {
      f->AppendRaw(Key::kAmount, amount);
    } else {
      f->AppendString(Key::kAmount, amount);
    }
    f->AppendString(Key::kCurrency, cur.Code());
  }
  if (e.channel != kNoChannel) f->AppendString(Key::kChannel, kChannels[e.channel]);
  if (e.flags & kSchemaVersion) f->AppendRaw(Key::kSchemaVersion, "1");
  if (e.flags & kExtraField) {
    if (e.type == EventType::kPlaced) {
      f->AppendString(Key::kCouponCode, kCouponCodes[e.extra_index % 4]);
    } else {
      f->AppendString(Key::kReason, kReasons[e.extra_index % 4]);
    }
  }
}

}  // namespace daybook::gen
