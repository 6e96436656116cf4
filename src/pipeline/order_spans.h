// File: pipeline/order_spans.h  (internal to pipeline/)
//
// Which orders of a first load have lines in more than one batch, found by
// a quick scan of the input before the load: each line's order id is read
// without parsing the JSON (the first `"order_id": "…"` of the line, under
// every name a contract version gives the field). The load holds such an
// order's events in memory until the batch with its last line and derives
// the order once, from all of them, instead of deriving it per batch and
// again from its stored rows at the end (pipeline/run.cc, decision 60).
//
// The scan is a hint, never the truth the load relies on: a line whose id
// it misreads or cannot read (an escaped id, a nested "order_id") only
// makes the load fall back to deriving that order again at the end. Lines
// that turn out rejected or duplicate count as the order's lines, which
// only holds an order longer than needed.
//
//   DAYBOOK_ASSIGN_OR_RETURN(OrderSpans spans, ScanOrderSpans(files, OrderIdNames(contracts), batch_lines));
//   std::optional<int64_t> last = spans.LastBatch(KeyHash(order_id));
//   if (last && *last > batch_index) ...   // more of the order comes later: hold it
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/status.h"
#include "pipeline/ingest.h"
#include "pipeline/key_table.h"

namespace daybook {

class OrderSpans {
 public:
  // The 0-based batch of the order's last line, for an order (by KeyHash of
  // its id) whose lines fall in more than one batch; nullopt otherwise.
  std::optional<int64_t> LastBatch(uint64_t order_key) const {
    const uint32_t* last = last_batch_.Find(order_key);
    return last ? std::optional<int64_t>(*last) : std::nullopt;
  }
  void Prefetch(uint64_t order_key) const { last_batch_.Prefetch(order_key); }
  size_t size() const { return last_batch_.size(); }  // orders spanning batches
  // False when the input was not scanned (a compressed file: reading it
  // twice would cost more than it saves); then no order spans.
  bool scanned() const { return scanned_; }
  // What the scan saw: lines, and distinct order ids (by key) among them.
  // Upper bounds of the events and orders the load keeps keys of, so it
  // sizes its key tables once instead of growing them (each growth copies
  // every key into a table twice the size).
  int64_t lines() const { return lines_; }
  int64_t orders() const { return orders_; }

 private:
  friend Result<OrderSpans> ScanOrderSpans(const std::vector<InputFile>&, const std::vector<std::string>&,
                                           int64_t);
  KeyTable<uint32_t> last_batch_;
  bool scanned_ = false;
  int64_t lines_ = 0;
  int64_t orders_ = 0;
};

// Scans `files` in the order Ingester reads them, line i (0-based, over all
// files) falling in batch i / batch_lines. Errors are those of reading the
// files (LineReader), naming the file.
Result<OrderSpans> ScanOrderSpans(const std::vector<InputFile>& files, const std::vector<std::string>& order_id_names,
                                  int64_t batch_lines);

// "order_id" and the names contract versions give it, each once.
std::vector<std::string> OrderIdNames(const std::vector<ContractVersion>& contracts);

// The value of the first member `"name": "value"` of `line` (JSON
// whitespace allowed around the colon), given `quoted_name` = "\"name\"";
// nullopt when there is none or its value holds an escape (the unescaped
// id would differ from the raw bytes).
std::optional<std::string_view> FindIdMember(std::string_view line, std::string_view quoted_name);

}  // namespace daybook
