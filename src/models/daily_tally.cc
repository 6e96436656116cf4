#include "models/daily_tally.h"

#include <algorithm>
#include <tuple>

namespace daybook {

uint16_t DailyTally::ChannelId(const std::string& channel) {
  auto [it, inserted] = channel_ids_.try_emplace(channel, static_cast<uint16_t>(channels_.size()));
  if (inserted) {
    if (channels_.size() == 0xFFFF) usable_ = false;  // more channels than an id holds: aggregate in SQL
    channels_.push_back(channel);
  }
  return it->second;
}

void DailyTally::AddOrder(const OrderSummary& order, const std::vector<DerivedEvent>& events) {
  // Refunds and cancels count under their order's channel (the included
  // placement's), as the by-channel model joins them with fct_orders.
  const bool placed = order.placed != nullptr;
  const uint16_t order_channel = placed ? ChannelId(order.placed->channel) : 0;
  // The days this order was cancelled or refunded on, each counted once
  // (count(DISTINCT order_id) per day): day * 2 + (1 for a cancel).
  order_days_.clear();
  for (const DerivedEvent& d : events) {
    if (!d.out.included) continue;
    const Event& e = *d.event;
    const int32_t day = e.business_date;
    const int64_t value = d.out.reporting_minor;
    if (e.type == EventType::kPlaced) {
      const uint16_t channel = ChannelId(e.channel);
      DailyMetrics& m = Day(day);
      DailyMetrics& c = Channel(day, channel);
      ++m.orders;
      ++c.orders;
      m.gross += value;
      c.gross += value;
      if (!e.customer_id.empty()) batch_.push_back({day, channel, KeyHash(e.customer_id)});
      continue;
    }
    if (!placed) {
      usable_ = false;
      continue;
    }
    const bool cancel = e.type == EventType::kCancelled;
    const int32_t tag = day * 2 + (cancel ? 1 : 0);
    const bool first = std::find(order_days_.begin(), order_days_.end(), tag) == order_days_.end();
    if (first) order_days_.push_back(tag);
    DailyMetrics& m = Day(day);
    DailyMetrics& c = Channel(day, order_channel);
    if (cancel) {
      m.cancellations += value;
      c.cancellations += value;
      m.cancelled_orders += first;
      c.cancelled_orders += first;
    } else {
      m.refunds += value;
      c.refunds += value;
      m.refunded_orders += first;
      c.refunded_orders += first;
    }
  }
}

void DailyTally::EndBatch() {
  if (batch_.empty()) return;
  auto order = [](const Customer& a, const Customer& b) {
    return std::tie(a.day, a.key, a.channel) < std::tie(b.day, b.key, b.channel);
  };
  std::sort(batch_.begin(), batch_.end(), order);
  for (size_t start = 0; start < batch_.size();) {
    size_t end = start;
    while (end < batch_.size() && batch_[end].day == batch_[start].day) ++end;
    // Merge the day's new pairs (sorted, maybe repeated) into its set.
    DayCustomers& have = customers_[batch_[start].day];
    DayCustomers merged;
    merged.keys.reserve(have.keys.size() + (end - start));
    merged.channels.reserve(have.keys.size() + (end - start));
    size_t i = 0, j = start;
    auto push = [&merged](uint64_t key, uint16_t channel) {
      if (!merged.keys.empty() && merged.keys.back() == key && merged.channels.back() == channel) return;
      merged.keys.push_back(key);
      merged.channels.push_back(channel);
    };
    while (i < have.keys.size() || j < end) {
      const bool take_old =
          j == end || (i < have.keys.size() && std::tie(have.keys[i], have.channels[i]) <=
                                                   std::tie(batch_[j].key, batch_[j].channel));
      if (take_old) {
        push(have.keys[i], have.channels[i]);
        ++i;
      } else {
        push(batch_[j].key, batch_[j].channel);
        ++j;
      }
    }
    have = std::move(merged);
    start = end;
  }
  batch_.clear();
}

TalliedMetrics DailyTally::Finish() {
  EndBatch();
  for (auto& [day, set] : customers_) {
    int64_t distinct = 0;
    for (size_t i = 0; i < set.keys.size(); ++i) {
      if (i == 0 || set.keys[i] != set.keys[i - 1]) ++distinct;
      ++Channel(day, set.channels[i]).customers;
    }
    Day(day).customers = distinct;
  }
  customers_.clear();
  TalliedMetrics out;
  out.days.insert(days_.begin(), days_.end());
  for (const auto& [key, m] : by_channel_) {
    out.by_channel[{static_cast<int32_t>(static_cast<uint32_t>(key >> 16)), channels_[key & 0xFFFF]}] = m;
  }
  return out;
}

}  // namespace daybook
