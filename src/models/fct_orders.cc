#include "models/fct_orders.h"

namespace daybook {

Status ReplaceOrders(Warehouse& wh, const std::vector<OrderSummary>& orders, int64_t run_id) {
  DAYBOOK_ASSIGN_OR_RETURN(int64_t any, wh.QueryInt("SELECT count(*) FROM (SELECT 1 FROM fct_orders LIMIT 1)"));
  if (any) {
    DAYBOOK_RETURN_IF_ERROR(wh.Exec(
        "DELETE FROM fct_orders WHERE order_key IN (SELECT order_key FROM affected_orders) "
        "AND order_id IN (SELECT order_id FROM affected_orders)"));
  }
  DAYBOOK_ASSIGN_OR_RETURN(auto app, wh.Appender("fct_orders"));
  constexpr int kNativeScale = 4;
  for (const OrderSummary& o : orders) {
    const Event* p = o.placed;
    size_t c = 0;
    app->String(c++, o.order_id);
    app->UInt64(c++, KeyHash(o.order_id));
    if (p) {
      app->String(c++, p->customer_id);
      app->String(c++, p->channel);
      app->Int64(c++, static_cast<int64_t>(CurrencyIndex(p->currency)));  // ENUM index
      app->Int64(c++, p->occurred_at.micros);
      app->Int32(c++, p->business_date);
      app->Int64(c++, p->amount_minor * Pow10(kNativeScale - p->currency->exponent));
      app->Int64(c++, o.refunded_minor * Pow10(kNativeScale - p->currency->exponent));
    } else {
      for (int i = 0; i < 6; ++i) app->Null(c++);  // customer … amount
      app->Int64(c++, 0);                          // refunded is NOT NULL

    }
    app->Bool(c++, o.cancel != nullptr);
    if (o.cancel) app->Int64(c++, o.cancel->occurred_at.micros); else app->Null(c++);
    app->Int64(c++, static_cast<int64_t>(o.status));  // ENUM index (load/schema.h kOrderStatusNames)
    app->Int64(c++, o.gross_reporting);
    app->Int64(c++, o.refunds_reporting);
    app->Int64(c++, o.cancellation_reporting);
    app->Int64(c++, o.net_reporting());
    app->Int32(c++, o.events);
    app->Int32(c++, o.excluded_events);
    app->Int64(c++, o.last_event_at.micros);
    app->Int64(c++, run_id);
    DAYBOOK_RETURN_IF_ERROR(app->EndRow());
  }
  return app->Close();
}

}  // namespace daybook
