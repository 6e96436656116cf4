#include "load/event_store.h"

#include <algorithm>

namespace daybook {
namespace {

constexpr int kNativeScale = 4;  // DECIMAL(18,4) for native amounts

// Length of a valid UTF-8 sequence at p (0 if invalid).
size_t Utf8Len(const unsigned char* p, size_t n) {
  unsigned char c = p[0];
  if (c < 0x80) return 1;
  size_t len;
  uint32_t cp;
  if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
  else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
  else return 0;
  if (n < len) return 0;
  for (size_t i = 1; i < len; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
      cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return len;
}

// What order derivation needs of a stored event (not its extras, hash or
// locator: fewer columns to scan, less memory per event), from order_events
// `e` and its channel's name from `channels` (kWithChannels; an outer join,
// so that an event whose number `channels` lacks is an error, not a loss).
const char* kEventColumns =
    "e.event_id, e.event_type, e.order_id, e.customer_id, e.occurred_at, e.business_date, c.channel, e.currency, "
    "e.amount_minor, e.fx_rate, e.reporting_amount, e.included, e.excluded_reason, e.run_id";
const char* kWithChannels = " LEFT JOIN channels c ON c.channel_id = e.channel_id";

// Appends the rows of a `SELECT kEventColumns` to `out`.
Status ReadStoredEvents(QueryRows& rows, StoredEvents* out) {
  while (rows.NextChunk()) {
    for (size_t r = 0; r < rows.size(); ++r) {
      Event e;
      Derivation d;
      e.event_id = rows.String(0, r);
      std::string_view type = rows.String(1, r);
      e.type = type == "order_placed" ? EventType::kPlaced
               : type == "order_cancelled" ? EventType::kCancelled : EventType::kRefunded;
      e.order_id = rows.String(2, r);
      if (!rows.IsNull(3, r)) e.customer_id = rows.String(3, r);
      e.occurred_at = Timestamp{rows.Int64(4, r)};
      e.business_date = static_cast<int32_t>(rows.Int64(5, r));
      if (rows.IsNull(6, r)) {
        return Corrupt("order_events: event '" + e.event_id + "' has a channel_id that channels does not name");
      }
      e.channel = rows.String(6, r);
      if (!rows.IsNull(7, r)) e.currency = FindCurrency(rows.String(7, r));
      e.has_amount = !rows.IsNull(8, r);
      if (e.has_amount) e.amount_minor = rows.Int64(8, r);
      d.fx_rate = Rate{rows.IsNull(9, r) ? 0 : rows.Int64(9, r)};
      d.reporting_minor = rows.IsNull(10, r) ? 0 : rows.Int64(10, r);
      d.included = rows.Bool(11, r);
      if (!rows.IsNull(12, r)) {
        Reason reason;
        if (ParseReason(rows.String(12, r), &reason)) d.excluded_reason = reason;
      }
      // Typed values as validate produced them: a cancel carries no amount of
      // its own; placed/refund keep the value they were accepted with.
      if (e.has_amount) {
        e.fx_rate = d.fx_rate;
        e.reporting_minor = d.reporting_minor;
      }
      out->events.push_back(std::move(e));
      out->derivations.push_back(d);
      out->run_ids.push_back(rows.Int64(13, r));
    }
  }
  return rows.status();
}

}  // namespace

std::string SanitizeUtf8(std::string_view bytes, bool* changed) {
  *changed = false;
  std::string out;
  out.reserve(bytes.size());
  auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  for (size_t i = 0; i < n;) {
    size_t len = Utf8Len(p + i, n - i);
    if (len == 0 || p[i] == 0) {
      out += "\xEF\xBF\xBD";
      *changed = true;
      ++i;
    } else {
      out.append(bytes.data() + i, len);
      i += len;
    }
  }
  return out;
}

Result<bool> HasStoredEvents(Warehouse& wh) {
  DAYBOOK_ASSIGN_OR_RETURN(int64_t stored, wh.QueryInt("SELECT count(*) FROM (SELECT 1 FROM order_events LIMIT 1)"));
  return stored > 0;
}

Result<std::vector<StoredMatch>> FindStoredEvents(Warehouse& wh, const std::vector<const Event*>& batch) {
  std::vector<StoredMatch> out;
  if (batch.empty()) return out;
  DAYBOOK_ASSIGN_OR_RETURN(bool stored, HasStoredEvents(wh));
  if (!stored) return out;
  DAYBOOK_RETURN_IF_ERROR(wh.Exec(
      "CREATE OR REPLACE TEMP TABLE batch_ids (idx BIGINT, event_key UBIGINT, event_id VARCHAR)"));
  {
    DAYBOOK_ASSIGN_OR_RETURN(auto app, wh.Appender("temp.batch_ids"));
    for (size_t i = 0; i < batch.size(); ++i) {
      app->Int64(0, static_cast<int64_t>(i));
      app->UInt64(1, EventKey(*batch[i]));
      app->String(2, batch[i]->event_id);
      DAYBOOK_RETURN_IF_ERROR(app->EndRow());
    }
    DAYBOOK_RETURN_IF_ERROR(app->Close());
  }
  // By key only first: the join then reads two integer columns of
  // order_events, not the event_id strings of every row. A stored event with
  // the same key and the same content hash is the same event (the content
  // hash covers event_id). Keys that match only with other content (a
  // conflict, or another id whose key collides) are checked by id.
  std::vector<std::pair<uint32_t, uint64_t>> by_key;
  {
    DAYBOOK_ASSIGN_OR_RETURN(auto rows, wh.Query(
        "SELECT b.idx, e.content_hash FROM batch_ids b JOIN order_events e ON e.event_key = b.event_key"));
    while (rows->NextChunk()) {
      for (size_t r = 0; r < rows->size(); ++r) {
        by_key.emplace_back(static_cast<uint32_t>(rows->Int64(0, r)), rows->UInt64(1, r));
      }
    }
    DAYBOOK_RETURN_IF_ERROR(rows->status());
  }
  std::sort(by_key.begin(), by_key.end());
  std::vector<uint32_t> unsure;
  for (size_t k = 0; k < by_key.size();) {
    const uint32_t idx = by_key[k].first;
    bool same = false;
    for (; k < by_key.size() && by_key[k].first == idx; ++k) same |= by_key[k].second == batch[idx]->content_hash;
    if (same) {
      out.push_back({idx, batch[idx]->content_hash});
    } else {
      unsure.push_back(idx);
    }
  }
  if (!unsure.empty()) {
    DAYBOOK_RETURN_IF_ERROR(wh.Exec("CREATE OR REPLACE TEMP TABLE unsure_ids (idx BIGINT)"));
    {
      DAYBOOK_ASSIGN_OR_RETURN(auto app, wh.Appender("temp.unsure_ids"));
      for (uint32_t idx : unsure) {
        app->Int64(0, idx);
        DAYBOOK_RETURN_IF_ERROR(app->EndRow());
      }
      DAYBOOK_RETURN_IF_ERROR(app->Close());
    }
    // The few rows with those keys are found by key, then read by rowid: a
    // join on (key, id) would read the event_id of every stored row (2.4 s
    // against 0.2 s for 30 ids among 49M events).
    DAYBOOK_ASSIGN_OR_RETURN(auto rows, wh.Query(
        "WITH u AS (SELECT b.* FROM batch_ids b SEMI JOIN unsure_ids u ON u.idx = b.idx) "
        "SELECT u.idx, e.content_hash FROM u JOIN (SELECT event_key, event_id, content_hash FROM order_events "
        "WHERE rowid IN (SELECT rowid FROM order_events WHERE event_key IN (SELECT event_key FROM u))) e "
        "ON e.event_key = u.event_key AND e.event_id = u.event_id"));
    while (rows->NextChunk()) {
      for (size_t r = 0; r < rows->size(); ++r) {
        out.push_back({static_cast<uint32_t>(rows->Int64(0, r)), rows->UInt64(1, r)});
      }
    }
    DAYBOOK_RETURN_IF_ERROR(rows->status());
    DAYBOOK_RETURN_IF_ERROR(wh.Exec("DROP TABLE unsure_ids"));
  }
  DAYBOOK_RETURN_IF_ERROR(wh.Exec("DROP TABLE batch_ids"));
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.batch_index < b.batch_index; });
  return out;
}

Status StageAffectedOrders(Warehouse& wh, const std::vector<std::string_view>& order_ids) {
  DAYBOOK_RETURN_IF_ERROR(wh.Exec("CREATE OR REPLACE TEMP TABLE affected_orders (order_key UBIGINT, order_id VARCHAR)"));
  // Nothing stored yet (a first load): no order can have history to look up.
  DAYBOOK_ASSIGN_OR_RETURN(bool stored, HasStoredEvents(wh));
  if (!stored) return Status::Ok();
  DAYBOOK_ASSIGN_OR_RETURN(auto app, wh.Appender("temp.affected_orders"));
  for (std::string_view id : order_ids) {
    app->UInt64(0, KeyHash(id));
    app->String(1, id);
    DAYBOOK_RETURN_IF_ERROR(app->EndRow());
  }
  return app->Close();
}

Result<std::vector<uint64_t>> FindOrderKeysWithStoredEvents(Warehouse& wh,
                                                            const std::vector<std::string_view>& order_ids) {
  std::vector<uint64_t> out;
  if (order_ids.empty()) return out;
  DAYBOOK_RETURN_IF_ERROR(wh.Exec("CREATE OR REPLACE TEMP TABLE probe_orders (order_key UBIGINT)"));
  {
    DAYBOOK_ASSIGN_OR_RETURN(auto app, wh.Appender("temp.probe_orders"));
    for (std::string_view id : order_ids) {
      app->UInt64(0, KeyHash(id));
      DAYBOOK_RETURN_IF_ERROR(app->EndRow());
    }
    DAYBOOK_RETURN_IF_ERROR(app->Close());
  }
  // The key column alone: a tenth of what reading the order ids would cost.
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, wh.Query(
      "SELECT DISTINCT p.order_key FROM probe_orders p SEMI JOIN order_events e ON e.order_key = p.order_key"));
  while (rows->NextChunk()) {
    for (size_t r = 0; r < rows->size(); ++r) out.push_back(rows->UInt64(0, r));
  }
  DAYBOOK_RETURN_IF_ERROR(rows->status());
  DAYBOOK_RETURN_IF_ERROR(wh.Exec("DROP TABLE probe_orders"));
  return out;
}

Result<bool> AnyAffectedOrders(Warehouse& wh) {
  DAYBOOK_ASSIGN_OR_RETURN(int64_t n, wh.QueryInt("SELECT count(*) FROM (SELECT 1 FROM affected_orders LIMIT 1)"));
  return n > 0;
}

Result<StoredEvents> LoadEventsOfAffectedOrders(Warehouse& wh) {
  StoredEvents out;
  DAYBOOK_ASSIGN_OR_RETURN(bool any, AnyAffectedOrders(wh));
  if (!any) return out;
  // Fetching the columns below reads them for every stored row (DuckDB has
  // no late materialization here), the key column alone a tenth of that:
  // when no staged order has a stored event (a batch of new orders), stop.
  // Such orders have no fct_orders row either (fct_orders is derived from
  // stored events): the staging is emptied so that ReplaceOrders does not
  // scan fct_orders' keys to find none (a scan per 10M orders: 0.05 s).
  DAYBOOK_ASSIGN_OR_RETURN(int64_t known, wh.QueryInt(
      "SELECT count(*) FROM (SELECT 1 FROM order_events WHERE order_key IN (SELECT order_key FROM affected_orders) "
      "LIMIT 1)"));
  if (known == 0) {
    DAYBOOK_RETURN_IF_ERROR(wh.Exec("DELETE FROM affected_orders"));
    return out;
  }
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, wh.Query(
      std::string("SELECT ") + kEventColumns +
      " FROM order_events e SEMI JOIN affected_orders b ON e.order_key = b.order_key AND e.order_id = b.order_id" +
      kWithChannels));
  DAYBOOK_RETURN_IF_ERROR(ReadStoredEvents(*rows, &out));
  return out;
}

Result<StoredEvents> LoadEventsOfPartition(Warehouse& wh, int bits, uint64_t partition) {
  StoredEvents out;
  std::string sql = std::string("SELECT ") + kEventColumns + " FROM order_events e" + kWithChannels;
  if (bits > 0) {
    sql += " WHERE e.order_key >> " + std::to_string(64 - bits) + " = " + std::to_string(partition);
  }
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, wh.Query(sql));
  DAYBOOK_RETURN_IF_ERROR(ReadStoredEvents(*rows, &out));
  return out;
}

// order_events rows for Warehouse::InsertRows (DuckDB pulls them in parallel).
constexpr size_t kFillPrefetchAhead = 8;

void PrefetchIds(const Event& e) {
  __builtin_prefetch(e.event_id.data());
  __builtin_prefetch(e.order_id.data());
  __builtin_prefetch(e.customer_id.data());
}

class EventRows : public RowProducer {
 public:
  // channel_ids[i]: the number of row i's channel (ChannelNumbers).
  EventRows(const std::vector<EventRow>& rows, const std::vector<int32_t>& channel_ids, int64_t run_id)
      : rows_(rows), channel_ids_(channel_ids), run_id_(run_id) {}
  size_t rows() const override { return rows_.size(); }
  Status Fill(size_t begin, size_t end, RowWriter& w) const override {
    for (size_t i = begin; i < end; ++i) {
      // The id strings live on the heap, far apart: their lines are asked
      // for a few rows ahead (copying them into DuckDB's vectors otherwise
      // waits on a cache miss per string).
      if (i + kFillPrefetchAhead < end) PrefetchIds(*rows_[i + kFillPrefetchAhead].event);
      const Event& e = *rows_[i].event;
      const Derivation& d = *rows_[i].derivation;
      size_t c = 0;
      w.String(c++, e.event_id);
      w.UInt64(c++, EventKey(e));
      w.Int64(c++, static_cast<int64_t>(e.type));  // ENUM index
      w.String(c++, e.order_id);
      w.UInt64(c++, OrderKey(e));
      if (e.customer_id.empty()) w.Null(c++); else w.String(c++, e.customer_id);
      w.Int64(c++, e.occurred_at.micros);
      w.Int32(c++, e.business_date);
      w.Int32(c++, channel_ids_[i]);
      if (e.currency) w.Int64(c++, static_cast<int64_t>(CurrencyIndex(e.currency))); else w.Null(c++);
      if (e.has_amount) {
        w.Int64(c++, e.amount_minor * Pow10(kNativeScale - e.currency->exponent));
        w.Int64(c++, e.amount_minor);
      } else {
        w.Null(c++);
        w.Null(c++);
      }
      if (d.fx_rate.scaled) w.Int64(c++, d.fx_rate.scaled); else w.Null(c++);
      if (e.has_amount || d.included) w.Int64(c++, d.reporting_minor); else w.Null(c++);
      w.Bool(c++, d.included);
      if (d.excluded_reason) w.Int64(c++, static_cast<int64_t>(*d.excluded_reason)); else w.Null(c++);
      w.Int32(c++, e.schema_version);
      if (e.extra_json == "{}") w.Null(c++); else w.String(c++, e.extra_json);
      w.UInt64(c++, e.content_hash);
      w.Int32(c++, e.locator.file_id);
      w.Int64(c++, e.locator.line);
      w.Int64(c++, run_id_);
      w.Int64(c++, run_id_);
      DAYBOOK_RETURN_IF_ERROR(w.EndRow());
    }
    return Status::Ok();
  }

 private:
  const std::vector<EventRow>& rows_;
  const std::vector<int32_t>& channel_ids_;
  int64_t run_id_;
};

std::vector<int32_t> NumberChannels(const std::vector<EventRow>& rows, ChannelNumbers& channels) {
  std::vector<int32_t> ids(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) ids[i] = channels.Number(rows[i].event->channel);
  return ids;
}

Status AppendEvents(Warehouse& wh, const std::vector<EventRow>& rows, int64_t run_id, ChannelNumbers& channels) {
  if (rows.empty()) return Status::Ok();
  const std::vector<int32_t> ids = NumberChannels(rows, channels);
  DAYBOOK_RETURN_IF_ERROR(StoreChannels(wh, channels.TakeNew(), run_id));
  return wh.InsertRows("order_events", EventRows(rows, ids, run_id));
}

Result<PreparedRows> PrepareEvents(std::shared_ptr<const TableLayout> layout, const std::vector<EventRow>& rows,
                                   int64_t run_id, ChannelNumbers& channels) {
  const std::vector<int32_t> ids = NumberChannels(rows, channels);
  return PrepareRows(std::move(layout), EventRows(rows, ids, run_id));
}

Status UpdateDerivations(Warehouse& wh, const std::vector<EventRow>& rows, int64_t run_id) {
  if (rows.empty()) return Status::Ok();
  DAYBOOK_ASSIGN_OR_RETURN(std::string scale, wh.QueryScalar(
      "SELECT numeric_scale FROM information_schema.columns WHERE table_name='order_events' "
      "AND column_name='reporting_amount'"));
  DAYBOOK_RETURN_IF_ERROR(wh.Exec(
      "CREATE OR REPLACE TEMP TABLE derivation_updates (event_key UBIGINT, event_id VARCHAR, "
      "fx_rate DECIMAL(18,10), reporting_amount DECIMAL(18," + scale + "), included BOOLEAN, "
      "excluded_reason VARCHAR)"));
  {
    DAYBOOK_ASSIGN_OR_RETURN(auto app, wh.Appender("temp.derivation_updates"));
    for (const EventRow& row : rows) {
      const Event& e = *row.event;
      const Derivation& d = *row.derivation;
      app->UInt64(0, EventKey(e));
      app->String(1, e.event_id);
      if (d.fx_rate.scaled) app->Int64(2, d.fx_rate.scaled); else app->Null(2);
      if (e.has_amount || d.included) app->Int64(3, d.reporting_minor); else app->Null(3);
      app->Bool(4, d.included);
      if (d.excluded_reason) app->String(5, ReasonName(*d.excluded_reason)); else app->Null(5);
      DAYBOOK_RETURN_IF_ERROR(app->EndRow());
    }
    DAYBOOK_RETURN_IF_ERROR(app->Close());
  }
  DAYBOOK_RETURN_IF_ERROR(wh.Exec(
      "UPDATE order_events SET fx_rate = u.fx_rate, reporting_amount = u.reporting_amount, "
      "included = u.included, excluded_reason = u.excluded_reason, updated_run_id = " +
      std::to_string(run_id) +
      " FROM derivation_updates u WHERE order_events.event_key = u.event_key "
      "AND order_events.event_id = u.event_id"));
  return wh.Exec("DROP TABLE derivation_updates");
}

Status AppendQuarantine(Warehouse& wh, const std::vector<QuarantineRow>& rows, int64_t run_id,
                        Timestamp now) {
  if (rows.empty()) return Status::Ok();
  DAYBOOK_ASSIGN_OR_RETURN(auto app, wh.Appender("quarantine"));
  for (const QuarantineRow& q : rows) {
    bool changed = false;
    std::string text = SanitizeUtf8(q.raw, &changed);
    bool detail_changed = false;
    std::string detail = SanitizeUtf8(q.detail, &detail_changed);
    size_t c = 0;
    app->Int64(c++, run_id);
    app->String(c++, q.locator.source);
    app->String(c++, q.locator.file);
    app->Int64(c++, q.locator.line);
    app->String(c++, q.locator.ToString());
    app->String(c++, ReasonName(q.reason));
    app->String(c++, detail);
    bool id_changed = false;
    std::string id = SanitizeUtf8(q.event_id, &id_changed);
    if (q.event_id.empty()) app->Null(c++); else app->String(c++, id);
    app->String(c++, text);
    if (changed) app->String(c++, q.raw); else app->Null(c++);
    app->Int64(c++, q.raw_size);
    app->Int64(c++, now.micros);
    app->String(c++, "pending");
    app->Null(c++);
    DAYBOOK_RETURN_IF_ERROR(app->EndRow());
  }
  return app->Close();
}

}  // namespace daybook
