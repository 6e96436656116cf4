// Implements gen/internal/order_model.h.
#include "gen/internal/order_model.h"

#include <algorithm>

#include "gen/internal/catalog.h"

namespace daybook::gen {
namespace {

constexpr uint64_t kStreamOrders = 1;
constexpr uint64_t kDomainCustomerTraits = 101;

constexpr int64_t kMinute = 60 * kMicrosPerSecond;
constexpr size_t kSampledOrders = 1 << 16;  // 512 KiB: stays in cache
constexpr size_t kExistingCustomers = 2000;
// Share of orders from a first-time customer; the rest pick a past order's
// customer (preferential attachment: a Yule-Simon heavy tail).
const uint64_t kNewCustomer = ChanceThreshold(0.55);

// Log-normal order size in USD: median e^3.85 ~ 47, sigma 0.9.
constexpr double kLogMedianUsd = 3.85;
constexpr double kLogSigma = 0.9;

int PickByPercent(uint64_t roll_0_99, const int* shares, int n) {
  int acc = 0;
  for (int i = 0; i < n; ++i) {
    acc += shares[i];
    if (static_cast<int>(roll_0_99) < acc) return i;
  }
  return n - 1;
}

}  // namespace

OrderModel::OrderModel(uint64_t seed, double refund_rate, double cancel_rate)
    : rng_(seed, kStreamOrders),
      customer_key_(SeedKey(seed, kDomainCustomerTraits)),
      refund_threshold_(ChanceThreshold(refund_rate)),
      cancel_threshold_(ChanceThreshold(cancel_rate)) {}

uint64_t OrderModel::PickCustomer() {
  if (recent_customers_.empty()) {
    // The shop has a history: recent orders of existing customers, one each,
    // so that repeat customers do not all pile onto the first few.
    recent_customers_.resize(kExistingCustomers);
    for (uint64_t& c : recent_customers_) c = next_customer_++;
    orders_seen_ = kExistingCustomers;
  }
  uint64_t c = rng_.Chance(kNewCustomer)
                   ? next_customer_++
                   : recent_customers_[rng_.Below(recent_customers_.size())];
  // Keep a uniform sample of all past orders' customers (reservoir sampling).
  ++orders_seen_;
  if (recent_customers_.size() < kSampledOrders) {
    recent_customers_.push_back(c);
  } else if (uint64_t slot = rng_.Below(orders_seen_); slot < kSampledOrders) {
    recent_customers_[slot] = c;
  }
  return c;
}

int64_t OrderModel::PickAmount(int currency) {
  const GenCurrency& cur = GenCurrencies()[currency];
  uint64_t kind = rng_.Below(1000);
  if (kind < 3) return 0;  // a free promotional order
  double usd = DetExp(kLogMedianUsd + kLogSigma * rng_.Normal());
  if (kind < 6) usd *= 12;  // an occasional bulk order
  double major = usd * cur.units_per_usd;
  int exponent = cur.iso->exponent;
  int64_t minor = static_cast<int64_t>(major * static_cast<double>(Pow10(exponent)) + 0.5);
  // Shop-like price endings.
  uint64_t ending = rng_.Below(10);
  switch (exponent) {
    case 0:  // JPY: round to 10 or 100 yen
      if (ending < 6) minor = (minor + 5) / 10 * 10;
      else if (ending < 8) minor = (minor + 50) / 100 * 100;
      break;
    case 2:  // x.99 or whole units
      if (ending < 5) minor = minor / 100 * 100 + 99;
      else if (ending < 7) minor = (minor + 50) / 100 * 100;
      break;
    case 3:  // KWD: quarter dinars now and then
      if (ending < 4) minor = (minor + 125) / 250 * 250;
      break;
    default:
      break;
  }
  return std::max<int64_t>(minor, 1);
}

uint8_t OrderModel::PickChannel(uint64_t customer) {
  uint64_t traits = Mix64(customer ^ customer_key_);
  if (rng_.Below(100) < 75) {  // customers mostly stay with their channel
    return static_cast<uint8_t>(PickByPercent((traits >> 8) % 100, kChannelSharePercent, 4));
  }
  return static_cast<uint8_t>(PickByPercent(rng_.Below(100), kChannelSharePercent, 4));
}

void OrderModel::Spell(GenEvent* e) {
  uint64_t style = rng_.Below(100);
  if (style < 80) {
    e->time_style = kZulu;
  } else if (style < 86) {
    e->time_style = kZuluMillis;
  } else if (style < 90) {
    e->time_style = kZuluMicros;
  } else if (style < 96) {
    e->time_style = kBusinessOffset;
  } else {
    e->time_style = kFixedOffset;
    e->offset_index = static_cast<uint8_t>(rng_.Below(std::size(kFixedOffsetMinutes)));
  }
  if (e->time_style == kZuluMillis) {
    e->at -= e->at % 1000;
  } else if (e->time_style != kZuluMicros) {
    e->at -= e->at % kMicrosPerSecond;
  }
  uint64_t flags = rng_.Next();
  if (e->type != EventType::kCancelled && (flags & 0xff) < 20) e->flags |= kAmountAsNumber;
  if (((flags >> 8) & 0xff) < 26) e->flags |= kSchemaVersion;
  if (((flags >> 16) & 0xff) < 8) e->flags |= kSpacedLayout;
  uint64_t extra = (flags >> 24) & 0x3ff;  // per 1024
  if (e->type == EventType::kPlaced ? extra < 15 : extra < 100) {
    e->flags |= kExtraField;
    e->extra_index = static_cast<uint8_t>((flags >> 40) % 4);
  }
}

GenEvent OrderModel::FollowUp(const GenEvent& placed, EventType type, int64_t at,
                              int64_t amount) {
  GenEvent e;
  e.at = at;
  e.seq = next_event_++;
  e.order = placed.order;
  e.type = type;
  e.amount = amount;
  e.currency = placed.currency;
  // Payment and support systems often leave the channel out.
  e.channel = rng_.Below(100) < 40 ? kNoChannel : placed.channel;
  Spell(&e);
  return e;
}

int OrderModel::Make(int64_t placed_at, GenEvent* out) {
  GenEvent& p = out[0];
  p = GenEvent();
  p.at = placed_at;
  p.seq = next_event_++;
  p.order = next_order_++;
  p.customer = PickCustomer();
  uint64_t traits = Mix64(p.customer ^ customer_key_);
  int shares[5];
  int n_currencies = 0;
  for (const GenCurrency& c : GenCurrencies()) shares[n_currencies++] = c.share_percent;
  p.currency = static_cast<uint8_t>(PickByPercent(traits % 100, shares, n_currencies));
  p.amount = PickAmount(p.currency);
  p.channel = rng_.Below(100) < 2 ? kNoChannel : PickChannel(p.customer);
  p.type = EventType::kPlaced;
  Spell(&p);
  int n = 1;

  bool cancel = rng_.Chance(cancel_threshold_);
  bool refund = p.amount > 0 && rng_.Chance(refund_threshold_);
  int64_t t0 = p.at;
  int64_t cancel_at = 0;
  if (cancel) {
    double u = rng_.Uniform();  // most cancellations come early
    cancel_at = t0 + 5 * kMinute +
                static_cast<int64_t>(u * u * static_cast<double>(kMaxCancelDelay - 5 * kMinute));
  }
  if (refund && cancel) {
    // A partial refund before the cancellation (cancel gets the rest).
    if (p.amount >= 2) {
      int64_t amount = std::clamp<int64_t>(p.amount * rng_.Between(5, 95) / 100, 1, p.amount - 1);
      int64_t at = t0 + kMinute + rng_.Between(0, cancel_at - t0 - 3 * kMinute);
      out[n++] = FollowUp(p, EventType::kRefunded, at, amount);
    }
  } else if (refund) {
    // Triangular delay, mostly a few days after the order.
    double u = (rng_.Uniform() + rng_.Uniform()) / 2;
    int64_t at = t0 + 10 * kMinute +
                 static_cast<int64_t>(u * static_cast<double>(kMaxRefundDelay - 20 * kMinute));
    bool full = rng_.Below(100) < 45;
    int64_t first = full || p.amount < 2
                        ? p.amount
                        : std::clamp<int64_t>(p.amount * rng_.Between(5, 95) / 100, 1,
                                              p.amount - 1);
    out[n++] = FollowUp(p, EventType::kRefunded, at, first);
    int64_t left = p.amount - first;
    if (left > 0 && rng_.Below(100) < 15) {  // a second partial refund
      int64_t second = std::clamp<int64_t>(left * rng_.Between(10, 100) / 100, 1, left);
      int64_t at2 = out[n - 1].at + kMinute +
                    rng_.Between(0, t0 + kMaxRefundDelay - out[n - 1].at - 2 * kMinute);
      out[n++] = FollowUp(p, EventType::kRefunded, at2, second);
    }
  }
  if (cancel) out[n++] = FollowUp(p, EventType::kCancelled, cancel_at, 0);
  return n;
}

}  // namespace daybook::gen
