// Implements gen/internal/faults.h.
#include "gen/internal/faults.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "core/money.h"
#include "gen/internal/catalog.h"

namespace daybook::gen {
namespace {

constexpr uint64_t kStreamDuplicates = 3;
constexpr uint64_t kStreamBadLines = 4;
constexpr size_t kRecent = 1024;
// Bad lines take event numbers from the top half of the space, valid events
// from the bottom: their ids never collide.
constexpr uint64_t kBadIdBase = 1ULL << 63;

constexpr Reason kBadKinds[] = {
    Reason::kMalformedJson,    Reason::kMissingField,    Reason::kWrongType,
    Reason::kUnknownEventType, Reason::kInvalidTimestamp, Reason::kInvalidAmount,
    Reason::kAmountPrecision,  Reason::kUnknownCurrency, Reason::kDuplicateConflict,
};

Layout OriginalLayout(const GenEvent& e) {
  Layout l;
  l.spaced = (e.flags & kSpacedLayout) != 0;
  return l;
}

bool HasAmount(const GenEvent& e) { return e.type != EventType::kCancelled; }

}  // namespace

FaultInjector::FaultInjector(uint64_t seed, double dup_rate, double bad_rate,
                             EventFormatter* formatter)
    : dup_rng_(seed, kStreamDuplicates),
      bad_rng_(seed, kStreamBadLines),
      dup_threshold_(ChanceThreshold(dup_rate)),
      bad_threshold_(ChanceThreshold(bad_rate)),
      formatter_(formatter) {
  recent_.reserve(kRecent);
}

char* FaultInjector::After(const GenEvent& e, char* out, GenStats* stats) {
  if (recent_.size() < kRecent) {
    recent_.push_back(e);
  } else {
    recent_[recent_next_] = e;
    recent_next_ = (recent_next_ + 1) % kRecent;
  }
  if (HasAmount(e)) {
    last_with_amount_ = e;
    have_amount_ = true;
  }
  if (dup_threshold_ != 0 && dup_rng_.Chance(dup_threshold_)) {
    out = Duplicate(e, out);
    ++stats->duplicates;
  }
  if (bad_threshold_ != 0 && bad_rng_.Chance(bad_threshold_)) {
    Reason reason;
    out = Bad(e, out, &reason);
    ++stats->bad;
    ++stats->bad_by_reason[static_cast<size_t>(reason)];
  }
  return out;
}

char* FaultInjector::Duplicate(const GenEvent& e, char* out) {
  // Half are immediate retries, half re-deliver something seen recently.
  const GenEvent& original =
      dup_rng_.Below(2) == 0 ? e : recent_[dup_rng_.Below(recent_.size())];
  Layout layout = OriginalLayout(original);
  switch (dup_rng_.Below(4)) {
    case 0: break;  // byte-identical
    case 1: layout.spaced = !layout.spaced; break;
    case 2: layout.order = Layout::kReversed; break;
    default: layout.order = Layout::kRotated; layout.spaced = dup_rng_.Below(2) == 0; break;
  }
  formatter_->Fields(original, &fields_);
  return fields_.Render(layout, out);
}

const GenEvent* FaultInjector::RecentWithAmount() {
  for (int tries = 0; tries < 8; ++tries) {
    const GenEvent& r = recent_[bad_rng_.Below(recent_.size())];
    if (HasAmount(r)) return &r;
  }
  return have_amount_ ? &last_with_amount_ : nullptr;
}

char* FaultInjector::Bad(const GenEvent& current, char* out, Reason* reason) {
  Rng& rng = bad_rng_;
  Reason kind = kBadKinds[rng.Below(std::size(kBadKinds))];
  bool needs_amount = kind == Reason::kInvalidAmount || kind == Reason::kAmountPrecision ||
                      kind == Reason::kUnknownCurrency || kind == Reason::kDuplicateConflict;
  const GenEvent* base = &current;
  if (needs_amount && !HasAmount(*base)) base = RecentWithAmount();
  if (kind == Reason::kDuplicateConflict && base != nullptr) base = RecentWithAmount();
  if (base == nullptr) {  // nothing with an amount written yet
    base = &current;
    kind = Reason::kMissingField;
  }
  *reason = kind;
  const GenEvent& e = *base;
  formatter_->Fields(e, &fields_);
  Layout layout = OriginalLayout(e);
  if (kind == Reason::kDuplicateConflict) {
    // Same event_id, different amount: a producer bug, not a re-delivery.
    int exponent = GenCurrencies()[e.currency].iso->exponent;
    int64_t delta = rng.Between(1, std::max<int64_t>(1, e.amount / 10));
    std::string amount = FormatMinor(e.amount + delta, exponent);
    if (e.flags & kAmountAsNumber) {
      fields_.SetRaw(Key::kAmount, amount);
    } else {
      fields_.SetString(Key::kAmount, amount);
    }
    return fields_.Render(layout, out);
  }
  // Every other bad line is a new event.
  formatter_->EventId(kBadIdBase | bad_ids_++, fields_.SetValue(Key::kEventId, true));
  fields_.CommitValue(20);

  char text[64];
  switch (kind) {
    case Reason::kMalformedJson: {
      char* end = fields_.Render(layout, out) - 1;  // before '\n'
      int64_t length = end - out;
      int64_t cut = rng.Between(length / 3, length - 1);  // loses at least the '}'
      out[cut] = '\n';
      return out + cut + 1;
    }
    case Reason::kMissingField: {
      Key candidates[7] = {Key::kEventId, Key::kEventType, Key::kOrderId, Key::kOccurredAt};
      int n = 4;
      if (e.type == EventType::kPlaced) candidates[n++] = Key::kCustomerId;
      if (HasAmount(e)) {
        candidates[n++] = Key::kAmount;
        candidates[n++] = Key::kCurrency;
      }
      fields_.Remove(candidates[rng.Below(n)]);
      break;
    }
    case Reason::kWrongType: {
      std::string digits = std::to_string(rng.Between(1000, 999999999));
      bool customer = e.type == EventType::kPlaced && rng.Below(2) == 0;
      fields_.SetRaw(customer ? Key::kCustomerId : Key::kOrderId, digits);
      break;
    }
    case Reason::kUnknownEventType: {
      static constexpr std::string_view kTypes[] = {"order_shipped", "order_updated",
                                                    "ORDER_PLACED", "refund"};
      fields_.SetString(Key::kEventType, kTypes[rng.Below(std::size(kTypes))]);
      break;
    }
    case Reason::kInvalidTimestamp: {
      std::string_view ts = fields_.Get(Key::kOccurredAt);
      size_t n = ts.size();
      std::memcpy(text, ts.data(), n);
      switch (rng.Below(4)) {
        case 0:  // no offset
          n = text[n - 1] == 'Z' ? n - 1 : n - 6;
          break;
        case 1:  // no such day
          text[8] = '3';
          text[9] = '2';
          break;
        case 2:  // no such hour
          text[11] = '2';
          text[12] = '5';
          break;
        default: {  // epoch seconds
          std::string epoch = std::to_string(e.at / kMicrosPerSecond);
          n = epoch.size();
          std::memcpy(text, epoch.data(), n);
          break;
        }
      }
      fields_.SetString(Key::kOccurredAt, std::string_view(text, n));
      break;
    }
    case Reason::kInvalidAmount: {
      std::string amount(fields_.Get(Key::kAmount));
      switch (rng.Below(4)) {
        case 0:  // decimal comma
          if (size_t dot = amount.find('.'); dot != std::string::npos) {
            amount[dot] = ',';
          } else {
            amount = "12,50";
          }
          break;
        case 1: amount = "abc"; break;
        case 2: amount = "$" + amount; break;
        default: amount = "1e3"; break;
      }
      fields_.SetString(Key::kAmount, amount);
      break;
    }
    case Reason::kAmountPrecision: {
      std::string amount(fields_.Get(Key::kAmount));
      amount += amount.find('.') == std::string::npos ? ".5" : "5";
      if (rng.Below(10) < 3) {
        fields_.SetRaw(Key::kAmount, amount);
      } else {
        fields_.SetString(Key::kAmount, amount);
      }
      break;
    }
    case Reason::kUnknownCurrency: {
      static constexpr std::string_view kCodes[] = {"XXX", "usd", "ABC"};
      fields_.SetString(Key::kCurrency, kCodes[rng.Below(std::size(kCodes))]);
      break;
    }
    default:
      break;
  }
  return fields_.Render(layout, out);
}

}  // namespace daybook::gen
