#include "models/fct_orders.h"

#include "load/event_store.h"

namespace daybook {
namespace {

// fct_orders rows for Warehouse::InsertRows (DuckDB pulls them in parallel).
class OrderRows : public RowProducer {
 public:
  OrderRows(const std::vector<OrderSummary>& orders, int64_t run_id) : orders_(orders), run_id_(run_id) {}
  size_t rows() const override { return orders_.size(); }
  Status Fill(size_t begin, size_t end, RowWriter& w) const override {
    constexpr int kNativeScale = 4;
    constexpr size_t kAhead = 8;
    for (size_t i = begin; i < end; ++i) {
      // Orders come sorted by key, so their events are scattered: the
      // placement is asked for two strides ahead, its strings one stride.
      if (i + 2 * kAhead < end && orders_[i + 2 * kAhead].placed) {
        const char* p = reinterpret_cast<const char*>(orders_[i + 2 * kAhead].placed);
        for (size_t at = 0; at < sizeof(Event); at += 64) __builtin_prefetch(p + at);
      }
      if (i + kAhead < end) {
        const OrderSummary& next = orders_[i + kAhead];
        __builtin_prefetch(next.order_id.data());
        if (next.placed) __builtin_prefetch(next.placed->customer_id.data());
      }
      const OrderSummary& o = orders_[i];
      const Event* p = o.placed;
      size_t c = 0;
      w.String(c++, o.order_id);
      w.UInt64(c++, o.order_key);
      if (p) {
        w.String(c++, p->customer_id);
        w.String(c++, p->channel);
        w.Int64(c++, static_cast<int64_t>(CurrencyIndex(p->currency)));  // ENUM index
        w.Int64(c++, p->occurred_at.micros);
        w.Int32(c++, p->business_date);
        w.Int64(c++, p->amount_minor * Pow10(kNativeScale - p->currency->exponent));
        w.Int64(c++, o.refunded_minor * Pow10(kNativeScale - p->currency->exponent));
      } else {
        for (int k = 0; k < 6; ++k) w.Null(c++);  // customer … amount
        w.Int64(c++, 0);                          // refunded is NOT NULL
      }
      w.Bool(c++, o.cancel != nullptr);
      if (o.cancel) w.Int64(c++, o.cancel->occurred_at.micros); else w.Null(c++);
      w.Int64(c++, static_cast<int64_t>(o.status));  // ENUM index (load/schema.h kOrderStatusNames)
      w.Int64(c++, o.gross_reporting);
      w.Int64(c++, o.refunds_reporting);
      w.Int64(c++, o.cancellation_reporting);
      w.Int64(c++, o.net_reporting());
      w.Int32(c++, o.events);
      w.Int32(c++, o.excluded_events);
      w.Int64(c++, o.last_event_at.micros);
      w.Int64(c++, run_id_);
      DAYBOOK_RETURN_IF_ERROR(w.EndRow());
    }
    return Status::Ok();
  }

 private:
  const std::vector<OrderSummary>& orders_;
  int64_t run_id_;
};

// Deletes the fct_orders rows of the staged orders, before their new rows go in.
Status DeleteStagedOrders(Warehouse& wh) {
  // Only staged orders can have a row to replace (see StageAffectedOrders),
  // and often none has one (a batch of new orders): the key column alone
  // says so, before a DELETE that reads every row's key and id.
  DAYBOOK_ASSIGN_OR_RETURN(bool staged, AnyAffectedOrders(wh));
  if (staged) {
    DAYBOOK_ASSIGN_OR_RETURN(int64_t stored, wh.QueryInt(
        "SELECT count(*) FROM (SELECT 1 FROM fct_orders WHERE order_key IN (SELECT order_key FROM affected_orders) "
        "LIMIT 1)"));
    if (stored) {
      DAYBOOK_RETURN_IF_ERROR(wh.Exec(
          "DELETE FROM fct_orders USING affected_orders a "
          "WHERE fct_orders.order_key = a.order_key AND fct_orders.order_id = a.order_id"));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ReplaceOrders(Warehouse& wh, const std::vector<OrderSummary>& orders, int64_t run_id) {
  DAYBOOK_RETURN_IF_ERROR(DeleteStagedOrders(wh));
  return wh.InsertRows("fct_orders", OrderRows(orders, run_id));
}

Result<PreparedRows> PrepareOrders(std::shared_ptr<const TableLayout> layout,
                                   const std::vector<OrderSummary>& orders, int64_t run_id) {
  return PrepareRows(std::move(layout), OrderRows(orders, run_id));
}

Status ReplaceOrders(Warehouse& wh, PreparedRows orders) {
  DAYBOOK_RETURN_IF_ERROR(DeleteStagedOrders(wh));
  return wh.InsertRows(std::move(orders));
}

}  // namespace daybook
