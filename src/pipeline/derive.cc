#include "pipeline/derive.h"

#include <algorithm>

#include "models/fct_orders.h"
#include "models/order_state.h"

namespace daybook {

DerivedOrders DeriveOrderModels(const std::vector<const Event*>& fresh, StoredEvents& stored,
                                const FxTable& fx, const Currency& reporting, int64_t run_id,
                                DailyTally* tally) {
  DerivedOrders out;
  ModelChanges& changes = out.changes;
  // Every event with its grouping key; index < fresh.size() is new.
  struct Item {
    uint64_t key;
    uint32_t index;
  };
  const size_t n_fresh = fresh.size(), n = n_fresh + stored.events.size();
  auto event_at = [&](uint32_t i) -> const Event* {
    return i < n_fresh ? fresh[i] : &stored.events[i - n_fresh];
  };
  std::vector<Item> items(n);
  for (uint32_t i = 0; i < n; ++i) items[i] = {OrderKey(*event_at(i)), i};
  std::sort(items.begin(), items.end(), [&](const Item& a, const Item& b) {
    if (a.key != b.key) return a.key < b.key;
    int c = event_at(a.index)->order_id.view().compare(event_at(b.index)->order_id.view());
    return c != 0 ? c < 0 : a.index < b.index;
  });

  std::vector<Derivation>& fresh_out = out.fresh_derivations;
  fresh_out.resize(n_fresh);
  std::vector<EventRow>& updates = out.updates;
  std::vector<OrderSummary>& summaries = out.summaries;
  summaries.reserve(n);  // at most one order per event: no regrowth, no copies
  std::vector<int32_t> dates;
  dates.reserve(n_fresh);
  for (const Event* e : fresh) dates.push_back(e->business_date);
  std::vector<DerivedEvent> group;
  for (size_t start = 0; start < n;) {
    size_t end = start + 1;
    while (end < n && items[end].key == items[start].key &&
           event_at(items[end].index)->order_id == event_at(items[start].index)->order_id) {
      ++end;
    }
    group.clear();
    // The order's included placement as earlier runs stored it: if
    // derivation picks another one (different channel), every day of the
    // order moves between channels. Events this run stored earlier carry a
    // provisional derivation (an order spanning batches), not a baseline.
    const Event* stored_placed = nullptr;
    for (size_t k = start; k < end; ++k) {
      uint32_t i = items[k].index;
      group.push_back({event_at(i), i, {}});
      if (i < n_fresh) continue;
      const size_t si = i - n_fresh;
      const bool earlier_run = si >= stored.run_ids.size() || stored.run_ids[si] != run_id;
      if (earlier_run && stored.derivations[si].included && event_at(i)->type == EventType::kPlaced) {
        stored_placed = event_at(i);
      }
    }
    summaries.push_back(DeriveOrder(group, fx, reporting));
    if (tally) tally->AddOrder(summaries.back(), group);
    const Event* placed = summaries.back().placed;
    if (stored_placed && (!placed || placed->channel != stored_placed->channel)) {
      for (const DerivedEvent& d : group) dates.push_back(d.event->business_date);
    }
    for (const DerivedEvent& d : group) {
      if (d.tag < n_fresh) {
        fresh_out[d.tag] = d.out;
        continue;
      }
      size_t si = d.tag - n_fresh;
      if (stored.derivations[si] == d.out) continue;
      stored.derivations[si] = d.out;  // now the derivation to write back
      updates.push_back({d.event, &stored.derivations[si]});
      dates.push_back(d.event->business_date);
    }
    start = end;
  }
  changes.affected_orders = static_cast<int64_t>(summaries.size());
  changes.rederived_events = static_cast<int64_t>(updates.size());

  out.inserts.reserve(n_fresh);
  for (size_t i = 0; i < n_fresh; ++i) out.inserts.push_back({fresh[i], &fresh_out[i]});

  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  changes.affected_dates = std::move(dates);
  return out;
}

Status WriteOrderModels(Warehouse& wh, const DerivedOrders& derived, int64_t run_id, ChannelNumbers& channels) {
  DAYBOOK_RETURN_IF_ERROR(AppendEvents(wh, derived.inserts, run_id, channels));
  DAYBOOK_RETURN_IF_ERROR(UpdateDerivations(wh, derived.updates, run_id));
  return ReplaceOrders(wh, derived.summaries, run_id);
}

Result<OrderModelLayouts> ReadOrderModelLayouts(Warehouse& wh) {
  OrderModelLayouts out;
  DAYBOOK_ASSIGN_OR_RETURN(out.events, wh.Layout("order_events"));
  DAYBOOK_ASSIGN_OR_RETURN(out.orders, wh.Layout("fct_orders"));
  return out;
}

Result<PreparedOrderModels> PrepareOrderModels(const DerivedOrders& derived, const OrderModelLayouts& layouts,
                                               int64_t run_id, ChannelNumbers& channels) {
  PreparedOrderModels out;
  DAYBOOK_ASSIGN_OR_RETURN(out.events, PrepareEvents(layouts.events, derived.inserts, run_id, channels));
  out.channels = channels.TakeNew();
  out.updates = derived.updates;
  DAYBOOK_ASSIGN_OR_RETURN(out.orders, PrepareOrders(layouts.orders, derived.summaries, run_id));
  return out;
}

Status WriteOrderModels(Warehouse& wh, PreparedOrderModels& prepared, int64_t run_id) {
  DAYBOOK_RETURN_IF_ERROR(StoreChannels(wh, prepared.channels, run_id));
  DAYBOOK_RETURN_IF_ERROR(wh.InsertRows(std::move(prepared.events)));
  DAYBOOK_RETURN_IF_ERROR(UpdateDerivations(wh, prepared.updates, run_id));
  return ReplaceOrders(wh, std::move(prepared.orders));
}

Result<ModelChanges> UpdateOrderModels(Warehouse& wh, const std::vector<const Event*>& fresh,
                                       StoredEvents& stored, const FxTable& fx,
                                       const Currency& reporting, int64_t run_id, ChannelNumbers& channels) {
  DerivedOrders derived = DeriveOrderModels(fresh, stored, fx, reporting, run_id);
  DAYBOOK_RETURN_IF_ERROR(WriteOrderModels(wh, derived, run_id, channels));
  return std::move(derived.changes);
}

}  // namespace daybook
