// File: models/daily_tally.h
//
// The metrics of `daily_revenue` and `daily_revenue_by_channel` (spec §3–§4,
// the definitions of models/daily_revenue.cc) tallied in memory while a first
// load derives its orders, so that the run does not aggregate the rows it
// has just written (decision 61). It holds only when every order was derived
// once, from all its events: the caller tallies each order as it derives it
// and drops the tally (RefreshDailyRevenue then aggregates in SQL) when an
// order was derived again.
//
//   DailyTally tally;
//   for each derived order:  tally.AddOrder(summary, its_derived_events);
//   after each batch:        tally.EndBatch();
//   TalliedMetrics t = tally.Finish();   // if tally.usable()
//
// Distinct customers are counted by the KeyHash of customer_id, per day and
// per day and channel: kept as sorted arrays of keys (10 bytes per distinct
// customer and channel of a day), merged once per batch. Two different ids
// of one day with equal 64-bit hashes would count once; the reconciliation
// check recomputes `daily_revenue` from order_events after the commit and
// would report it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "models/daily_revenue.h"
#include "models/order_state.h"

namespace daybook {

struct TalliedMetrics {
  std::map<int32_t, DailyMetrics> days;  // the days with included events
  std::map<std::pair<int32_t, std::string>, DailyMetrics> by_channel;
};

class DailyTally {
 public:
  // One order, derived from all its events (`events`, with their
  // derivations); `order.placed` gives the channel its follow-ups count under.
  void AddOrder(const OrderSummary& order, const std::vector<DerivedEvent>& events);
  // Folds the customers added since the last call into the per-day sets.
  void EndBatch();
  // False once an order had something the by-channel model cannot place (an
  // included refund or cancel without an included placement): the SQL
  // aggregation then decides what that means.
  bool usable() const { return usable_; }
  TalliedMetrics Finish();

 private:
  struct Customer {
    int32_t day;
    uint16_t channel;
    uint64_t key;
  };
  // One day's (customer key, channel) pairs, sorted and unique, as two arrays.
  struct DayCustomers {
    std::vector<uint64_t> keys;
    std::vector<uint16_t> channels;
  };
  uint16_t ChannelId(const std::string& channel);
  DailyMetrics& Day(int32_t day) { return days_[day]; }
  DailyMetrics& Channel(int32_t day, uint16_t channel) {
    return by_channel_[static_cast<uint64_t>(static_cast<uint32_t>(day)) << 16 | channel];
  }

  bool usable_ = true;
  // Looked up once or twice per included event: hash maps of a few hundred
  // entries, in cache.
  absl::flat_hash_map<int32_t, DailyMetrics> days_;
  absl::flat_hash_map<uint64_t, DailyMetrics> by_channel_;  // (day << 16 | channel id)
  std::vector<std::string> channels_;
  absl::flat_hash_map<std::string, uint16_t> channel_ids_;
  std::vector<Customer> batch_;  // since EndBatch
  std::map<int32_t, DayCustomers> customers_;
  std::vector<int32_t> order_days_;  // AddOrder's scratch
};

}  // namespace daybook
