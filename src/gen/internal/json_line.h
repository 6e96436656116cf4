// File: gen/internal/json_line.h
//
// Internal to src/gen. Turns a GenEvent into its NDJSON line without heap
// allocation: the event's fields go into a FieldList (which fault injection
// may then edit), and the list is rendered in a chosen layout (key order and
// whitespace) into the output buffer.
//
//   FieldList f;
//   formatter.Fields(e, &f);                  // canonical fields
//   f.SetRaw(Key::kOrderId, "1234");          // e.g. a WRONG_TYPE fault
//   char* end = f.Render(Layout{}, buffer);   // '{...}\n'
#pragma once

#include <cstdint>
#include <string_view>

#include "core/time.h"
#include "gen/internal/order_model.h"

namespace daybook::gen {

// Room to leave at the output for one rendered line (lines are ~200 bytes;
// rendering may copy a little past the end of the line).
inline constexpr size_t kMaxLineBytes = 2048;

// The fields an event may carry, in canonical order.
enum class Key : uint8_t {
  kEventId, kEventType, kOrderId, kOccurredAt, kCustomerId, kAmount, kCurrency,
  kChannel, kSchemaVersion, kCouponCode, kReason, kCount
};
std::string_view KeyName(Key k);

// Key order and whitespace of a rendered line. The same fields in any layout
// are the same event.
struct Layout {
  enum Order : uint8_t { kCanonical, kReversed, kRotated };
  Order order = kCanonical;
  bool spaced = false;  // ", " and ": " instead of "," and ":"
};

// A flat JSON object of distinct keys with values up to 63 bytes that need
// no escaping.
class FieldList {
 public:
  static constexpr size_t kMaxValue = 63;

  void Clear() { n_ = 0; }
  // Appends `key` (not yet present) and returns a kMaxValue-byte buffer for
  // its value; finish with CommitValue(length).
  char* AppendValue(Key key, bool quoted) {
    Field& f = fields_[n_];
    f.key = key;
    f.quoted = quoted;
    pending_ = n_++;
    return f.value;
  }
  void CommitValue(size_t length) { fields_[pending_].length = static_cast<uint8_t>(length); }
  void AppendString(Key key, std::string_view value) { Append(key, value, true); }
  void AppendRaw(Key key, std::string_view value) { Append(key, value, false); }

  // Editing, for faults: replace (or append) a value, drop a key.
  void SetString(Key key, std::string_view value);
  void SetRaw(Key key, std::string_view value);
  char* SetValue(Key key, bool quoted);  // then CommitValue
  void Remove(Key key);
  // The value of `key` (without quotes), or empty when absent.
  std::string_view Get(Key key) const;

  // Writes "{...}\n" at `out`, which must have kMaxLineBytes free; returns
  // the end of the line.
  char* Render(Layout layout, char* out) const;

 private:
  struct Field {
    char value[kMaxValue + 1];
    Key key;
    bool quoted;
    uint8_t length;
  };
  void Append(Key key, std::string_view value, bool quoted);
  int Find(Key key) const;

  Field fields_[static_cast<int>(Key::kCount)];
  int n_ = 0;
  int pending_ = 0;
};

// Renders events' fields: ids, timestamps in their style, amounts through
// FormatMinor. Holds the business time zone (for kBusinessOffset) and a date
// cache; one per generator run, not thread-safe.
class EventFormatter {
 public:
  EventFormatter(uint64_t seed, const TimeZone& tz);

  // The event's fields in canonical order.
  void Fields(const GenEvent& e, FieldList* out);
  // "evt-" + 16 hex digits (20 bytes) for an event number; distinct numbers
  // give distinct ids.
  void EventId(uint64_t seq, char* out) const;
  // occurred_at text for `at` in `style`; returns its length (<= 32).
  size_t OccurredAt(int64_t at, uint8_t style, uint8_t offset_index, char* out);

 private:
  uint64_t event_key_, order_key_, customer_key_;
  const TimeZone& tz_;
  int64_t cached_day_ = INT64_MIN;
  char cached_date_[10];
};

}  // namespace daybook::gen
