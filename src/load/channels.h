// File: load/channels.h
//
// The numbering of sales channels. `order_events` stores a channel as an
// INTEGER `channel_id`; the table `channels` (channel_id, channel,
// first_run_id) names it (docs/decisions.md 65). Names are numbered in the
// order a warehouse first stores them and keep their number for good.
//
//   DAYBOOK_ASSIGN_OR_RETURN(ChannelNumbers channels, ChannelNumbers::Read(wh));
//   int32_t id = channels.Number(event.channel);      // in memory
//   StoreChannels(wh, channels.TakeNew(), run_id);    // with the events that use them
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "load/warehouse.h"

namespace daybook {

struct NewChannel {
  int32_t channel_id = 0;
  std::string channel;
};

// The channel numbers of one warehouse, as read at the start of a write and
// extended by it. Not thread-safe: one thread numbers.
class ChannelNumbers {
 public:
  // The numbers `channels` holds (in the caller's transaction).
  static Result<ChannelNumbers> Read(Warehouse& wh);

  // The number of `channel`: its stored one, or else the next free one,
  // remembered until TakeNew hands it out to be stored. Channels are few
  // (a label per sales channel), so every name is kept in memory.
  int32_t Number(const std::string& channel);

  // The channels numbered since Read or the last TakeNew, in number order.
  // Whoever writes events that use them stores them (StoreChannels) in the
  // same transaction.
  std::vector<NewChannel> TakeNew();

  size_t size() const { return ids_.size(); }

 private:
  absl::flat_hash_map<std::string, int32_t> ids_;
  std::vector<NewChannel> new_;
  int32_t next_ = 1;
  // The last name asked for: events of one source often share a channel.
  std::string last_;
  int32_t last_id_ = -1;
};

// Appends numbered channels to `channels`, first stored by run `run_id`.
Status StoreChannels(Warehouse& wh, const std::vector<NewChannel>& channels, int64_t run_id);

}  // namespace daybook
