// Implements gen/generator.h: walks the business calendar hour slot by hour
// slot, generating each slot's orders, holding their follow-up events until
// the slot they occur in, diverting late events to a slot 1-3 days on, and
// writing each slot's events sorted by time.
#include "gen/generator.h"

#include <algorithm>
#include <string>
#include <vector>

#include "core/money.h"
#include "core/time.h"
#include "gen/internal/calendar.h"
#include "gen/internal/catalog.h"
#include "gen/internal/faults.h"
#include "gen/internal/fx_writer.h"
#include "gen/internal/json_line.h"
#include "gen/internal/order_model.h"
#include "gen/internal/out_file.h"
#include "gen/internal/rng.h"

namespace daybook {
namespace {

using gen::GenEvent;

constexpr uint64_t kStreamDays = 2;
constexpr uint64_t kStreamLate = 6;
constexpr uint64_t kStreamTimes = 7;

constexpr int kSlotsPerDay = 24;
// Late events arrive 1 to 3 days (24 to 72 hour slots) after their place.
constexpr int kLateMinSlots = 24;
constexpr int kLateMaxSlots = 72;
constexpr int kLateRing = 128;  // > kLateMaxSlots
// Follow-ups occur up to 10 days (~240 slots, DST aside) after their order.
constexpr int kFollowUpRing = 512;
static_assert(gen::kMaxRefundDelay / (3600 * kMicrosPerSecond) + 2 < kFollowUpRing);
// Calendar beyond the range, for late arrivals after the last day.
constexpr int kExtraDays = kLateMaxSlots / kSlotsPerDay + 2;
// FX rows cover this many days either side of the range.
constexpr int kFxMarginDays = 5;

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Status CheckRate(const char* flag, double r) {
  if (r >= 0 && r <= 1) return Status::Ok();
  return InvalidArgument(std::string(flag) + " must be between 0 and 1 (got " + std::to_string(r) +
                         ")");
}

Status Validate(const GenOptions& o) {
  if (o.orders < 0) return InvalidArgument("--orders must be >= 0 (got " + std::to_string(o.orders) + ")");
  if (o.days < 1 || o.days > 3660) {
    return InvalidArgument("--days must be between 1 and 3660 (got " + std::to_string(o.days) + ")");
  }
  if (o.start_date < DaysFromCivil(1971, 1, 1) || o.start_date > DaysFromCivil(2200, 1, 1)) {
    return InvalidArgument("--start must be between 1971-01-01 and 2200-01-01 (got " +
                           FormatDate(o.start_date) + ")");
  }
  DAYBOOK_RETURN_IF_ERROR(CheckRate("--dup-rate", o.dup_rate));
  DAYBOOK_RETURN_IF_ERROR(CheckRate("--late-rate", o.late_rate));
  DAYBOOK_RETURN_IF_ERROR(CheckRate("--bad-rate", o.bad_rate));
  DAYBOOK_RETURN_IF_ERROR(CheckRate("--refund-rate", o.refund_rate));
  DAYBOOK_RETURN_IF_ERROR(CheckRate("--cancel-rate", o.cancel_rate));
  if (o.out.empty()) return InvalidArgument("--out is required");
  if (EndsWith(o.out, ".gz")) {
    return InvalidArgument("--out '" + o.out +
                           "': gzip output is not supported by the generator; write plain "
                           "NDJSON and compress it separately");
  }
  if (o.fx_out == o.out) return InvalidArgument("--fx-out must differ from --out");
  if (FindCurrency(o.reporting_currency) == nullptr) {
    return InvalidArgument("reporting currency '" + o.reporting_currency +
                           "' is not an ISO 4217 code");
  }
  if (!o.fx_out.empty() && !gen::HasFxAnchor(o.reporting_currency)) {
    return InvalidArgument("--fx-out: no FX rates can be generated against reporting currency '" +
                           o.reporting_currency + "' (use USD, EUR, GBP, JPY, KWD, CHF, CAD or AUD)");
  }
  return Status::Ok();
}

// The slot-by-slot walk. One per Generate() call.
class EventStream {
 public:
  EventStream(const GenOptions& o, const TimeZone& tz, gen::OutFile* out)
      : opts_(o),
        calendar_(tz, o.start_date, o.days, kExtraDays),
        model_(o.seed, o.refund_rate, o.cancel_rate),
        formatter_(o.seed, tz),
        faults_(o.seed, o.dup_rate, o.bad_rate, &formatter_),
        late_rng_(o.seed, kStreamLate),
        late_threshold_(gen::ChanceThreshold(o.late_rate)),
        out_(out),
        follow_ups_(kFollowUpRing),
        late_(kLateRing),
        times_rng_(o.seed, kStreamTimes) {
    Rng days_rng(o.seed, kStreamDays);
    per_day_ = gen::OrdersPerDay(o.orders, o.start_date, o.days, days_rng);
  }

  Status Run(GenStats* stats) {
    stats_ = stats;
    const int range_slots = opts_.days * kSlotsPerDay;
    for (int s = 0; s < range_slots + kLateMaxSlots; ++s) {
      placed_.clear();
      others_.clear();
      if (s < range_slots) {
        std::vector<GenEvent>& held = follow_ups_[s % kFollowUpRing];
        others_.swap(held);
        MakeOrders(s);
        DivertLate(s, &placed_);
        DivertLate(s, &others_);
      }
      std::vector<GenEvent>& arriving = late_[s % kLateRing];
      others_.insert(others_.end(), arriving.begin(), arriving.end());
      arriving.clear();
      WriteSlot();
      if (!out_->status().ok()) return out_->status();
      if (opts_.on_progress && s % kSlotsPerDay == kSlotsPerDay - 1 && s < range_slots) {
        opts_.on_progress(static_cast<double>(s + 1) / range_slots);
      }
    }
    return Status::Ok();
  }

 private:
  using Rng = gen::Rng;

  static bool Before(const GenEvent& a, const GenEvent& b) {
    return a.key != b.key ? a.key < b.key : a.seq < b.seq;
  }

  // The slot's orders, in time order, into placed_; follow-ups into the slot
  // they occur in (others_ for this one).
  void MakeOrders(int s) {
    int hour = s % kSlotsPerDay;
    if (hour == 0) {
      int64_t lengths[kSlotsPerDay];
      for (int h = 0; h < kSlotsPerDay; ++h) lengths[h] = calendar_.Length(s + h);
      gen::SplitOverHours(per_day_[s / kSlotsPerDay], lengths, hour_orders_);
    }
    const int64_t start = calendar_.Start(s);
    const uint64_t length = static_cast<uint64_t>(calendar_.Length(s));
    times_.resize(static_cast<size_t>(hour_orders_[hour]));
    for (int64_t& t : times_) t = start + static_cast<int64_t>(times_rng_.Below(length));
    std::sort(times_.begin(), times_.end());

    const int64_t range_end = calendar_.Start(opts_.days * kSlotsPerDay);
    GenEvent events[gen::kMaxEventsPerOrder];
    for (int64_t t : times_) {
      int n = model_.Make(t, events);
      events[0].key = events[0].at;
      placed_.push_back(events[0]);
      for (int j = 1; j < n; ++j) {
        if (events[j].at >= range_end) continue;  // after the range: dropped
        int slot = calendar_.SlotOf(events[j].at);
        (slot == s ? others_ : follow_ups_[slot % kFollowUpRing]).push_back(events[j]);
      }
    }
  }

  // Moves a late_rate share of `events` to a slot 1-3 days on, where they
  // are written at a random arrival time. Keeps the order of the rest.
  void DivertLate(int s, std::vector<GenEvent>* events) {
    size_t kept = 0;
    for (GenEvent& e : *events) {
      if (late_threshold_ != 0 && late_rng_.Chance(late_threshold_)) {
        int target = s + static_cast<int>(late_rng_.Between(kLateMinSlots, kLateMaxSlots));
        uint64_t length = static_cast<uint64_t>(std::max<int64_t>(calendar_.Length(target), 1));
        e.key = calendar_.Start(target) + static_cast<int64_t>(late_rng_.Below(length));
        late_[target % kLateRing].push_back(e);
        ++stats_->late;
      } else {
        e.key = e.at;
        (*events)[kept++] = e;
      }
    }
    events->resize(kept);
  }

  // Writes placed_ merged with others_, in (key, seq) order.
  void WriteSlot() {
    // placed_ is in order up to the truncation of times to whole seconds or
    // milliseconds, which only swaps neighbours within a second.
    for (size_t i = 1; i < placed_.size(); ++i) {
      for (size_t j = i; j > 0 && Before(placed_[j], placed_[j - 1]); --j) {
        std::swap(placed_[j], placed_[j - 1]);
      }
    }
    std::sort(others_.begin(), others_.end(), Before);
    size_t i = 0, j = 0;
    while (i < placed_.size() || j < others_.size()) {
      bool take_placed = j == others_.size() || (i < placed_.size() && Before(placed_[i], others_[j]));
      Write(take_placed ? placed_[i++] : others_[j++]);
    }
  }

  void Write(const GenEvent& e) {
    char* p = out_->Reserve(3 * gen::kMaxLineBytes);
    formatter_.Fields(e, &fields_);
    gen::Layout layout;
    layout.spaced = (e.flags & gen::kSpacedLayout) != 0;
    p = fields_.Render(layout, p);
    p = faults_.After(e, p, stats_);
    out_->Commit(p);
    ++stats_->events;
    switch (e.type) {
      case EventType::kPlaced: ++stats_->orders; break;
      case EventType::kRefunded: ++stats_->refunds; break;
      case EventType::kCancelled: ++stats_->cancellations; break;
    }
  }

  const GenOptions& opts_;
  gen::SlotCalendar calendar_;
  gen::OrderModel model_;
  gen::EventFormatter formatter_;
  gen::FaultInjector faults_;
  Rng late_rng_;
  uint64_t late_threshold_;
  gen::OutFile* out_;
  GenStats* stats_ = nullptr;
  std::vector<int64_t> per_day_;
  int64_t hour_orders_[kSlotsPerDay] = {};
  std::vector<std::vector<GenEvent>> follow_ups_;  // by slot, ring
  std::vector<std::vector<GenEvent>> late_;        // by arrival slot, ring
  gen::Rng times_rng_;
  std::vector<int64_t> times_;                     // order times of the slot
  std::vector<GenEvent> placed_;                   // the slot's orders, in order
  std::vector<GenEvent> others_;                   // its follow-ups and late arrivals
  gen::FieldList fields_;
};

}  // namespace

Result<GenStats> Generate(const GenOptions& opts) {
  DAYBOOK_RETURN_IF_ERROR(Validate(opts));
  Result<TimeZone> tz = TimeZone::Load(opts.timezone);
  if (!tz.ok()) return Status(tz.status().code(), "--timezone: " + tz.status().message());

  GenStats stats;
  {
    DAYBOOK_ASSIGN_OR_RETURN(std::unique_ptr<gen::OutFile> out, gen::OutFile::Create(opts.out));
    EventStream stream(opts, *tz, out.get());
    DAYBOOK_RETURN_IF_ERROR(stream.Run(&stats));
    DAYBOOK_RETURN_IF_ERROR(out->Finish());
  }
  if (!opts.fx_out.empty()) {
    DAYBOOK_RETURN_IF_ERROR(gen::WriteFxRates(opts.fx_out, opts.seed,
                                              opts.start_date - kFxMarginDays,
                                              opts.start_date + opts.days + kFxMarginDays,
                                              opts.reporting_currency));
  }
  return stats;
}

}  // namespace daybook
