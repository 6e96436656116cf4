// File: gen/internal/faults.h
//
// Internal to src/gen. The faults of a real feed, written as extra lines
// after a valid event: re-deliveries of recent events (same content, maybe
// another key order or whitespace) and lines the decoder must reject, one
// defect per line, each with the reason code it should get.
//
//   FaultInjector faults(seed, opts.dup_rate, opts.bad_rate, &formatter);
//   p = formatter-rendered event line ...;
//   p = faults.After(event, p, &stats);   // 0, 1 or 2 more lines
#pragma once

#include <cstdint>
#include <vector>

#include "gen/generator.h"
#include "gen/internal/json_line.h"
#include "gen/internal/rng.h"

namespace daybook::gen {

class FaultInjector {
 public:
  FaultInjector(uint64_t seed, double dup_rate, double bad_rate, EventFormatter* formatter);

  // Call once per valid event, after writing it. May append a re-delivery
  // and a bad line at `out` (room for 2 * kMaxLineBytes) and counts them in
  // `stats`. Returns the new end.
  char* After(const GenEvent& e, char* out, GenStats* stats);

 private:
  char* Duplicate(const GenEvent& e, char* out);
  char* Bad(const GenEvent& e, char* out, Reason* reason);
  const GenEvent* RecentWithAmount();

  Rng dup_rng_, bad_rng_;
  uint64_t dup_threshold_, bad_threshold_;
  EventFormatter* formatter_;
  FieldList fields_;
  std::vector<GenEvent> recent_;  // ring of the last kRecent events written
  size_t recent_next_ = 0;
  GenEvent last_with_amount_;
  bool have_amount_ = false;
  uint64_t bad_ids_ = 0;
};

}  // namespace daybook::gen
