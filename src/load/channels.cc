#include "load/channels.h"

#include <limits>
#include <utility>

namespace daybook {

Result<ChannelNumbers> ChannelNumbers::Read(Warehouse& wh) {
  ChannelNumbers out;
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, wh.Query("SELECT channel_id, channel FROM channels"));
  int64_t last = 0;
  while (rows->NextChunk()) {
    for (size_t r = 0; r < rows->size(); ++r) {
      const int64_t id = rows->Int64(0, r);
      out.ids_.emplace(std::string(rows->String(1, r)), static_cast<int32_t>(id));
      if (id > last) last = id;
    }
  }
  DAYBOOK_RETURN_IF_ERROR(rows->status());
  if (last >= std::numeric_limits<int32_t>::max()) {
    return Failed("channels: every channel_id up to 2^31 - 1 is taken");
  }
  out.next_ = static_cast<int32_t>(last + 1);
  return out;
}

int32_t ChannelNumbers::Number(const std::string& channel) {
  if (last_id_ >= 0 && channel == last_) return last_id_;
  auto it = ids_.find(channel);
  if (it == ids_.end()) {
    // 2^31 names would not fit in memory first: next_ cannot overflow.
    it = ids_.emplace(channel, next_++).first;
    new_.push_back({it->second, it->first});
  }
  last_ = channel;
  last_id_ = it->second;
  return last_id_;
}

std::vector<NewChannel> ChannelNumbers::TakeNew() { return std::exchange(new_, {}); }

Status StoreChannels(Warehouse& wh, const std::vector<NewChannel>& channels, int64_t run_id) {
  if (channels.empty()) return Status::Ok();
  DAYBOOK_ASSIGN_OR_RETURN(auto app, wh.Appender("channels"));
  for (const NewChannel& c : channels) {
    app->Int32(0, c.channel_id);
    app->String(1, c.channel);
    app->Int64(2, run_id);
    DAYBOOK_RETURN_IF_ERROR(app->EndRow());
  }
  return app->Close();
}

}  // namespace daybook
