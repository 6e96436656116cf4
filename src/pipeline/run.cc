#include "pipeline/run.h"

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <future>
#include <optional>
#include <set>
#include <utility>

#include "catalog/catalog.h"
#include "core/clock.h"
#include "core/fx.h"
#include "core/json.h"
#include "load/channels.h"
#include "load/event_store.h"
#include "load/schema.h"
#include "load/warehouse.h"
#include "load/writer_lock.h"
#include "pipeline/derive.h"
#include "pipeline/ingest.h"
#include "pipeline/key_table.h"
#include "pipeline/order_spans.h"
#include "sources/file_list.h"

namespace daybook {
namespace {

constexpr size_t kMaxSamples = 10;
// How far ahead LoadBatch prefetches its probes of the run's key tables.
constexpr uint32_t kPrefetchAhead = 16;

// Fault injection for the crash tests: DAYBOOK_CRASH_AFTER=<stage> kills the
// process with SIGKILL right after that stage (names as in stage_ms, e.g.
// "events_and_orders" or "quarantine_and_manifest"), i.e. mid-transaction.
void MaybeCrash(const char* stage) {
  static const char* target = std::getenv("DAYBOOK_CRASH_AFTER");
  if (target && std::strcmp(target, stage) == 0) std::raise(SIGKILL);
}

// The integer a numeric test hook's environment variable holds, or nullopt
// when it is unset or empty. Callers read it once (a static).
std::optional<int64_t> TestHook(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? std::optional<int64_t>(std::atoll(v)) : std::nullopt;
}

// Fault injection for the tests: DAYBOOK_TEST_FAIL_WRITE=<n> fails the
// write of the run's n-th batch (1-based) on the writer thread, as a DuckDB
// error there would.
int64_t FailWriteOfBatch() {
  static const int64_t n = TestHook("DAYBOOK_TEST_FAIL_WRITE").value_or(0);
  return n;
}

// Test hook: DAYBOOK_TEST_HOLD_EXTRA_BATCHES=<n> holds each order the scan
// found spanning batches n batches past its last one, so that orders are
// still held after the last batch (released then: Run::InTransaction).
int64_t HoldExtraBatches() {
  static const int64_t n = std::max<int64_t>(TestHook("DAYBOOK_TEST_HOLD_EXTRA_BATCHES").value_or(0), 0);
  return n;
}

class StageTimer {
 public:
  explicit StageTimer(RunRecord* r) : r_(r), t_(MonotonicMillis()) {}
  // Adds the time since the last mark to `stage` (a run of many batches
  // marks the per-batch stages once per batch; they are summed).
  void Mark(const char* stage) {
    MaybeCrash(stage);
    int64_t now = MonotonicMillis();
    auto it = std::find_if(r_->stage_ms.begin(), r_->stage_ms.end(), [&](const auto& s) { return s.first == stage; });
    if (it == r_->stage_ms.end()) r_->stage_ms.emplace_back(stage, now - t_); else it->second += now - t_;
    t_ = now;
  }

 private:
  RunRecord* r_;
  int64_t t_;
};

// Resolves what to read: --input paths/globs, else the configured sources.
Result<std::vector<InputFile>> ResolveInputs(const Config& config, const RunOptions& opts) {
  std::vector<InputFile> out;
  auto add_glob = [&](const std::string& pattern, const std::string& source, int64_t max_bytes,
                      bool must_match) -> Status {
    DAYBOOK_ASSIGN_OR_RETURN(std::vector<std::string> paths, ExpandGlob(pattern));
    if (paths.empty() && must_match) {
      return NotFound("--input " + pattern + ": no such file");
    }
    for (auto& p : paths) {
      InputFile f;
      f.path = p;
      f.source = source;
      f.max_record_bytes = max_bytes;
      out.push_back(std::move(f));
    }
    return Status::Ok();
  };
  if (!opts.inputs.empty()) {
    int64_t max_bytes = config.sources.empty() ? (1 << 20) : config.sources.front().max_record_bytes;
    for (const auto& in : opts.inputs) {
      std::string abs = std::filesystem::absolute(in).lexically_normal().string();
      DAYBOOK_RETURN_IF_ERROR(add_glob(abs, "cli", max_bytes, /*must_match=*/true));
    }
  } else {
    for (const auto& s : config.sources) {
      DAYBOOK_RETURN_IF_ERROR(add_glob(s.path, s.name, s.max_record_bytes, /*must_match=*/false));
    }
  }
  for (auto& f : out) {
    struct stat st;
    if (::stat(f.path.c_str(), &st) != 0) {
      return IoError("cannot read input " + f.path + ": " + std::strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) {  // a pipe or a device would never end, or change under the manifest
      const char* what = S_ISFIFO(st.st_mode) ? " is a FIFO (named pipe), not a regular file"
                         : S_ISDIR(st.st_mode) ? " is a directory, not a file"
                                               : " is not a regular file";
      return IoError("input " + f.path + what);
    }
    f.size = st.st_size;
    f.modified_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
  }
  return out;
}

// Commands that work on an existing warehouse must not create one.
Status RequireWarehouse(const Config& config) {
  if (config.warehouse_path == ":memory:" || std::filesystem::exists(config.warehouse_path)) return Status::Ok();
  return NotFound("no warehouse at " + config.warehouse_path + " (run `daybook run` first, or pass --db)");
}

Result<FxTable> LoadFx(const Config& config) {
  if (!config.fx_rates_path) return FxTable(config.reporting_currency, config.fx_max_staleness_days);
  return FxTable::Load(*config.fx_rates_path, config.reporting_currency, config.fx_max_staleness_days);
}

std::string SamplesJson(const std::vector<SampleRejection>& samples) {
  JsonWriter w;
  w.BeginArray();
  for (const auto& s : samples) {
    w.BeginObject().Key("locator").String(s.locator).Key("reason").String(s.reason);
    w.Key("detail").String(s.detail).Key("raw").String(s.raw.substr(0, 500)).EndObject();
  }
  w.EndArray();
  return w.str();
}

// A batch looked up in what earlier runs stored, by the reader thread while
// the loader writes the previous batch (a scan of the key columns each).
struct HistoryHits {
  std::vector<StoredMatch> events;  // batch_index: index in IngestBatch::events
  bool orders_looked_up = false;
  std::vector<uint64_t> order_keys;  // keys of the batch's orders with stored events
};

// Every event of the batch (whatever this run's earlier batches hold: the
// loader, which knows, keeps the matches of the ids still new) and, with
// `orders`, every order of the batch.
Status LookUpHistory(Warehouse& history, const IngestBatch& batch, bool orders, HistoryHits* out) {
  out->events.clear();
  out->order_keys.clear();
  out->orders_looked_up = false;
  if (batch.events.empty()) return Status::Ok();
  std::vector<const Event*> all;
  all.reserve(batch.events.size());
  for (const Event& e : batch.events) all.push_back(&e);
  DAYBOOK_ASSIGN_OR_RETURN(out->events, FindStoredEvents(history, all));
  if (!orders) return Status::Ok();
  std::vector<std::string_view> ids;
  absl::flat_hash_set<std::string_view> seen;
  for (const Event& e : batch.events) {
    if (seen.insert(e.order_id).second) ids.push_back(e.order_id);
  }
  DAYBOOK_ASSIGN_OR_RETURN(out->order_keys, FindOrderKeysWithStoredEvents(history, ids));
  out->orders_looked_up = true;
  return Status::Ok();
}

// Everything that happens inside the run's transaction.
class Run {
 public:
  Run(const Config& config, Timestamp now, const RunOptions& opts)
      : config_(config), now_(now), opts_(opts), timer_(&summary_.record) {}

  Result<RunSummary> Execute() {
    RunRecord& rec = summary_.record;
    rec.command = opts_.command;
    rec.started_at = now_;
    rec.max_drop_rate = opts_.max_drop_rate.value_or(config_.max_drop_rate);
    start_ms_ = MonotonicMillis();

    // Start-up checks: nothing moves before configuration, FX and inputs are good.
    DAYBOOK_ASSIGN_OR_RETURN(TimeZone tz, TimeZone::Load(config_.timezone));
    DAYBOOK_ASSIGN_OR_RETURN(FxTable fx, LoadFx(config_));
    reporting_ = FindCurrency(config_.reporting_currency);
    DAYBOOK_ASSIGN_OR_RETURN(catalog_, LoadCatalog(config_));
    DAYBOOK_ASSIGN_OR_RETURN(std::vector<InputFile> files, ResolveInputs(config_, opts_));

    std::filesystem::path dir = std::filesystem::path(config_.warehouse_path).parent_path();
    if (config_.warehouse_path != ":memory:" && !dir.empty() && !std::filesystem::is_directory(dir)) {
      return NotFound("warehouse.path: folder " + dir.string() + " does not exist");
    }
    DAYBOOK_ASSIGN_OR_RETURN(lock_, WriterLock::Acquire(config_.warehouse_path, opts_.command));
    DAYBOOK_ASSIGN_OR_RETURN(wh_, Warehouse::OpenForWriting(config_.warehouse_path, config_.memory_limit));
    DAYBOOK_RETURN_IF_ERROR(Migrate(*wh_, config_.reporting_currency));
    DAYBOOK_ASSIGN_OR_RETURN(rec.run_id, NextRunId(*wh_));

    // From here on a failure is recorded as a failed run before it is returned.
    Status st = Load(std::move(files), tz, fx);
    if (!st.ok()) {
      rec.status = "failed";
      rec.error = st.message();
      rec.files_loaded = 0;  // nothing was marked loaded
      FinishRecord();
      Status logged = wh_->Exec("BEGIN TRANSACTION");
      if (logged.ok()) logged = RecordRun(*wh_, rec);
      if (logged.ok()) (void)wh_->Exec("COMMIT"); else (void)wh_->Exec("ROLLBACK");
      // The drop-rate gate is an outcome (exit 1 with the accounting), not an error.
      if (!gate_failed_) return st;
    }
    // Checks and alerts, after the data is committed (or the gate failed).
    DAYBOOK_ASSIGN_OR_RETURN(summary_.monitor, Monitor(*wh_, config_, tz, now_, rec.run_id, &rec,
                                                       summary_.affected_dates));
    return std::move(summary_);
  }

 private:
  // Manifest, then the transaction, in which the input is read, checked and
  // loaded one batch at a time.
  Status Load(std::vector<InputFile> files, const TimeZone& tz, const FxTable& fx) {
    DAYBOOK_RETURN_IF_ERROR(SkipLoadedFiles(files));
    timer_.Mark("resolve");

    std::function<void(int64_t, int64_t)> progress;
    if (opts_.progress) {
      int64_t total = 0;
      for (auto& f : work_) total += f.size;
      progress = [total](int64_t lines, int64_t bytes) {
        std::fprintf(stderr, "\rdaybook: read %lld lines, %.0f%%   ", static_cast<long long>(lines),
                     total ? 100.0 * static_cast<double>(bytes) / static_cast<double>(total) : 100.0);
        std::fflush(stderr);
      };
    }
    DAYBOOK_RETURN_IF_ERROR(CheckFreeSpace());
    DAYBOOK_RETURN_IF_ERROR(wh_->Exec("BEGIN TRANSACTION"));
    Status st = InTransaction(tz, fx, progress);
    if (opts_.progress) std::fprintf(stderr, "\n");
    if (!st.ok()) (void)wh_->Exec("ROLLBACK");
    return st;
  }

  // Refuses early when the warehouse's disk is obviously too small for this
  // batch (rather than failing half-way through the commit). The estimate is
  // deliberately low — 1 MiB plus a quarter of the input bytes — so it only
  // stops runs that cannot succeed; a real shortage later still fails the
  // commit cleanly (nothing is committed).
  Status CheckFreeSpace() {
    if (config_.warehouse_path == ":memory:") return Status::Ok();
    int64_t input = 0;
    for (const auto& f : work_) input += f.size;
    const int64_t needed = (1 << 20) + input / 4;
    std::string dir = std::filesystem::path(config_.warehouse_path).parent_path().string();
    if (dir.empty()) dir = ".";
    struct statvfs vfs;
    if (::statvfs(dir.c_str(), &vfs) != 0) return Status::Ok();  // unknown: let the write decide
    const int64_t free_bytes = static_cast<int64_t>(vfs.f_bavail) * static_cast<int64_t>(vfs.f_frsize);
    if (free_bytes >= needed) return Status::Ok();
    return Failed("disk full: only " + std::to_string(free_bytes / 1024) + " KiB free in " + dir +
                  ", and loading " + std::to_string(input / 1024) + " KiB of input needs at least about " +
                  std::to_string(needed / 1024) + " KiB; nothing was written — free some space and re-run");
  }

  // The manifest: a file whose path, size and modification time match a
  // loaded one is skipped without reading it; otherwise it is fingerprinted
  // and skipped when its content hash was loaded before (or repeats).
  Status SkipLoadedFiles(std::vector<InputFile>& files) {
    RunRecord& rec = summary_.record;
    std::vector<std::string> paths;
    for (const auto& f : files) paths.push_back(f.path);
    DAYBOOK_ASSIGN_OR_RETURN(std::vector<LoadedFile> known, LoadedFilesByPath(*wh_, paths));
    std::vector<bool> unchanged(files.size(), false);
    std::vector<std::string> hashes;
    for (size_t i = 0; i < files.size(); ++i) {
      InputFile& f = files[i];
      for (const auto& k : known) {
        if (k.path == f.path && k.size_bytes == f.size && k.modified_ns == f.modified_ns) {
          f.content_hash = k.content_hash;
          unchanged[i] = true;
        }
      }
      if (!unchanged[i]) {
        DAYBOOK_ASSIGN_OR_RETURN(FileFingerprint fp, Fingerprint(f.path));
        f.size = fp.size;
        f.content_hash = fp.content_hash;
        hashes.push_back(f.content_hash);
      }
    }
    DAYBOOK_ASSIGN_OR_RETURN(std::vector<std::string> loaded, LoadedHashes(*wh_, hashes));
    std::set<std::string> seen(loaded.begin(), loaded.end());
    for (size_t i = 0; i < files.size(); ++i) {
      const InputFile& f = files[i];
      FileOutcome o;
      o.path = f.path;
      o.source = f.source;
      o.counts.path = f.path;
      o.counts.source = f.source;
      o.counts.size_bytes = f.size;
      o.counts.modified_ns = f.modified_ns;
      o.counts.content_hash = f.content_hash;
      o.skipped = unchanged[i] || !seen.insert(f.content_hash).second;
      if (o.skipped) {
        ++rec.files_skipped;
      } else {
        work_.push_back(f);
      }
      summary_.files.push_back(o);
    }
    return Status::Ok();
  }

  // What one batch's events turned out to be.
  enum : uint8_t { kNew = 0, kDuplicate = 1, kConflict = 2, kPending = 3 };

  // A DUPLICATE_CONFLICT found in a batch; its raw line is re-read from the
  // file once every batch is loaded (the batch no longer holds it).
  struct Conflict {
    uint32_t file;
    Locator locator;
    IdString event_id;
  };

  Status InTransaction(const TimeZone& tz, const FxTable& fx, const std::function<void(int64_t, int64_t)>& progress) {
    RunRecord& rec = summary_.record;
    for (auto& o : summary_.files) if (!o.skipped) per_file_.push_back(&o.counts);
    std::vector<SourceFile> names;
    for (const auto& f : work_) names.push_back({f.source, f.path});
    DAYBOOK_ASSIGN_OR_RETURN(std::vector<int32_t> file_ids, NumberSourceFiles(*wh_, names, rec.run_id));
    for (size_t i = 0; i < work_.size(); ++i) work_[i].source_file_id = file_ids[i];
    DAYBOOK_ASSIGN_OR_RETURN(channels_, ChannelNumbers::Read(*wh_));
    DAYBOOK_ASSIGN_OR_RETURN(known_rejections_, QuarantinedLines());
    // The run keeps the keys of what its earlier batches loaded in memory
    // (LoadBatch); what earlier runs stored is read through a second
    // connection, which sees only committed rows (read faster than the rows
    // this transaction wrote, and never this run's own).
    DAYBOOK_ASSIGN_OR_RETURN(had_history_, HasStoredEvents(*wh_));
    if (had_history_) {
      DAYBOOK_ASSIGN_OR_RETURN(history_, wh_->Connect());
    }
    DAYBOOK_RETURN_IF_ERROR(StageAffectedOrders(*wh_, {}));  // nothing to replace until staged

    // A bounded pipeline on three threads: a thread of its own reads,
    // decodes and validates the next batch, and looks its ids and orders up
    // in what earlier runs stored (history_, which only that thread uses
    // until the last batch is read); this one deduplicates the current
    // batch, derives its orders and converts its rows for DuckDB; in a
    // first load a third writes the previous batch's converted rows
    // (LoadBatch), which need its events no more. "read_decode_validate" is
    // the time spent waiting for the reader.
    const size_t batch_lines = static_cast<size_t>(opts_.batch_events.value_or(config_.batch_events));
    DAYBOOK_ASSIGN_OR_RETURN(layouts_, ReadOrderModelLayouts(*wh_));
    Ingester ingester(work_, config_, tz, fx, now_, progress);
    IngestBatch batches[2];
    HistoryHits hits[2];
    // A first load's batches run on one DuckDB thread: its inserts are not
    // parallel, and a second DuckDB thread would only poll for their end
    // (measured: 7 s of CPU over a 10M-event load) on the cores the reader
    // and the loader need. A run into history keeps them for its look-ups.
    struct OneDuckDbThread {
      Warehouse* wh = nullptr;
      Status Reset() {
        Warehouse* w = std::exchange(wh, nullptr);
        return w ? w->Exec("RESET threads") : Status::Ok();
      }
      ~OneDuckDbThread() { (void)Reset(); }
    } one_thread;
    if (!had_history_) {
      DAYBOOK_RETURN_IF_ERROR(wh_->Exec("SET threads = 1"));
      one_thread.wh = wh_.get();
    }
    // Whatever way this returns, the write in flight (which uses wh_) is
    // over before the caller rolls back.
    struct JoinWrite {
      Run* run;
      ~JoinWrite() { (void)run->FinishWrite(); }
    } join_write{this};
    // A first load knows before its first batch which orders have lines in
    // later batches too (pipeline/order_spans.h): a scan of the input, on a
    // thread of its own while the reader reads the first batch.
    std::future<Result<OrderSpans>> scanning_spans;
    if (!had_history_) {
      scanning_spans = std::async(std::launch::async, [this, batch_lines] {
        return ScanOrderSpans(work_, OrderIdNames(config_.contracts), static_cast<int64_t>(batch_lines));
      });
    }
    Warehouse* history = history_.get();
    auto read_into = [&ingester, batch_lines, history](IngestBatch* b, HistoryHits* h, bool orders) {
      return std::async(std::launch::async, [&ingester, batch_lines, history, b, h, orders]() -> Result<bool> {
        DAYBOOK_ASSIGN_OR_RETURN(bool more, ingester.Next(batch_lines, b));
        if (more && history) DAYBOOK_RETURN_IF_ERROR(LookUpHistory(*history, *b, orders, h));
        return more;
      });
    };
    // The first batch reads its orders' stored events itself (LoadBatch).
    std::future<Result<bool>> reading = read_into(&batches[0], &hits[0], /*orders=*/false);
    for (int cur = 0;; cur ^= 1) {
      Result<bool> more = reading.get();
      timer_.Mark("read_decode_validate");
      if (!more.ok()) return more.status();
      if (!*more) break;
      // Joined before return: the future's destructor waits.
      reading = read_into(&batches[cur ^ 1], &hits[cur ^ 1], /*orders=*/true);
      if (scanning_spans.valid()) {
        Result<OrderSpans> spans = scanning_spans.get();
        timer_.Mark("order_spans");
        if (!spans.ok()) return spans.status();
        spans_ = std::move(*spans);
        run_events_.Reserve(static_cast<size_t>(spans_.lines()));
        run_order_keys_.Reserve(static_cast<size_t>(spans_.orders()));
      }
      ++summary_.batches;
      DAYBOOK_RETURN_IF_ERROR(LoadBatch(batches[cur], fx, &hits[cur]));
    }
    if (!held_.empty()) {
      // Orders still held after the last batch: the scan saw lines the read
      // did not (a file that changed in between; or the test hook
      // DAYBOOK_TEST_HOLD_EXTRA_BATCHES). Lines rejected or duplicate still
      // fall in a batch read, which releases their orders.
      IngestBatch none;
      DAYBOOK_RETURN_IF_ERROR(LoadBatch(none, fx));
    }
    spans_ = OrderSpans();
    DAYBOOK_RETURN_IF_ERROR(FinishWrite());
    timer_.Mark("events_and_orders");  // the last batch's write
    DAYBOOK_RETURN_IF_ERROR(one_thread.Reset());
    // The read buffers are needed no more: free them (their events and
    // capacity, some 100 MB a batch) before the orders that span batches are
    // read back, where a run's memory peaks.
    for (IngestBatch& b : batches) b = IngestBatch();
    for (HistoryHits& h : hits) h = HistoryHits();
    for (size_t fi = 0; fi < work_.size(); ++fi) per_file_[fi]->rows_read = ingester.rows_read_per_file()[fi];
    DAYBOOK_RETURN_IF_ERROR(ResolvePending(fx));
    // The in-memory keys are needed no more: free them before the orders
    // that span batches are read back.
    run_events_ = {};
    run_order_keys_ = {};
    history_.reset();
    timer_.Mark("pending");
    DAYBOOK_RETURN_IF_ERROR(QuarantineConflicts());
    timer_.Mark("conflicts");
    for (auto& o : summary_.files) rec.rows_read += o.counts.rows_read;
    rec.files_loaded = static_cast<int64_t>(work_.size());

    // The drop-rate gate, over the whole run: a failure rolls every batch back.
    int64_t denom = rec.rows_read - rec.duplicates;
    rec.drop_rate = denom > 0 ? static_cast<double>(rec.quarantined) / static_cast<double>(denom) : 0.0;
    if (rec.drop_rate > rec.max_drop_rate) {
      char buf[256];
      std::snprintf(buf, sizeof buf,
                    "drop rate %.4f (%lld quarantined of %lld non-duplicate rows) exceeds max_drop_rate %.4f; "
                    "nothing of this batch was committed",
                    rec.drop_rate, static_cast<long long>(rec.quarantined), static_cast<long long>(denom),
                    rec.max_drop_rate);
      rec.sample_rejections_json = SamplesJson(summary_.samples);
      gate_failed_ = true;
      return Failed(buf);
    }

    DAYBOOK_RETURN_IF_ERROR(FinishCrossBatchOrders(fx));

    // Orders touched by several batches were replaced by each: count them once.
    DAYBOOK_ASSIGN_OR_RETURN(rec.affected_orders, wh_->QueryInt(
        "SELECT count(*) FROM fct_orders WHERE updated_run_id = " + std::to_string(rec.run_id)));
    std::vector<int32_t> dates(affected_dates_.begin(), affected_dates_.end());
    rec.affected_dates = static_cast<int64_t>(dates.size());
    summary_.affected_dates = dates;
    RevenueContext ctx{tz, config_.daily_close_minutes, config_.restatement_window_days,
                       config_.reporting_currency, now_, rec.run_id};
    // A first load whose orders were each derived once knows its daily
    // metrics already (decision 61); otherwise they are aggregated in SQL.
    std::optional<TalliedMetrics> tallied;
    if (!had_history_ && cross_batch_orders_.empty() && tally_.usable()) tallied = tally_.Finish();
    tally_ = DailyTally();
    summary_.daily_metrics_tallied = tallied.has_value();
    DAYBOOK_ASSIGN_OR_RETURN(RevenueUpdate ru, RefreshDailyRevenue(*wh_, dates, late_by_date_, ctx,
                                                                   tallied ? &*tallied : nullptr));
    rec.published_days = ru.published_days;
    rec.restated_days = static_cast<int64_t>(ru.restatements.size());
    summary_.restatements = ru.restatements;
    timer_.Mark("daily_revenue");

    std::vector<LoadedFile> manifest;
    for (auto& o : summary_.files) if (!o.skipped) manifest.push_back(o.counts);
    DAYBOOK_RETURN_IF_ERROR(RecordLoadedFiles(*wh_, manifest, rec.run_id, now_));
    std::vector<DriftField> drift;
    for (const auto& [name, field] : ingester.drift()) drift.push_back({name, field.count, field.first_seen.ToString()});
    DAYBOOK_RETURN_IF_ERROR(RecordSchemaDrift(*wh_, drift, rec.run_id, now_));
    DAYBOOK_RETURN_IF_ERROR(wh_->Exec("DROP TABLE IF EXISTS affected_orders; DROP TABLE IF EXISTS affected_dates"));
    // The model catalog (descriptions, owners, SLAs) travels with the data.
    DAYBOOK_RETURN_IF_ERROR(PublishCatalog(*wh_, *catalog_));
    timer_.Mark("quarantine_and_manifest");

    rec.status = "succeeded";
    FinishRecord();
    DAYBOOK_RETURN_IF_ERROR(RecordRun(*wh_, rec));
    DAYBOOK_RETURN_IF_ERROR(wh_->Exec("COMMIT"));
    timer_.Mark("commit");
    return Status::Ok();
  }

  // One batch: deduplicate (within the batch, against earlier batches and
  // the warehouse), account for every line, derive the new events' orders,
  // and store them with the rejected lines. In a first load the rows are
  // converted here and handed to the writer thread, which stores them
  // (after the previous batch's write is over) while the caller goes on to
  // the next batch; the write needs nothing of `batch`. A run into history
  // writes here, before returning.
  // `hits`: the batch looked up in what earlier runs stored (by the reader
  // thread); nullptr only for a batch of `verified_new` ids (ResolvePending,
  // after the last read), whose orders are then looked up here.
  Status LoadBatch(IngestBatch& batch, const FxTable& fx, const HistoryHits* hits = nullptr,
                   bool verified_new = false) {
    RunRecord& rec = summary_.record;
    std::vector<Event>& events = batch.events;

    // The events' keys in run_events_ (RunKey).
    std::vector<uint64_t> keys(events.size());
    for (uint32_t i = 0; i < events.size(); ++i) keys[i] = RunKey(EventKey(events[i]));
    // Within the batch, the first occurrence in input order wins. Ids are
    // matched by key, which the event carries, and compared as text only
    // when keys are equal: an id whose key an earlier, different id of the
    // batch has is matched by its text instead.
    std::vector<uint8_t> state(events.size(), kNew);
    {
      absl::flat_hash_map<uint64_t, uint32_t> first;
      absl::flat_hash_map<std::string_view, uint32_t> first_by_id;  // ids sharing a key with another
      first.reserve(events.size());
      for (uint32_t i = 0; i < events.size(); ++i) {
        auto [it, inserted] = first.try_emplace(keys[i], i);
        if (inserted) continue;
        uint32_t j = it->second;
        if (events[j].event_id != events[i].event_id) {
          auto [by_id, new_id] = first_by_id.try_emplace(events[i].event_id, i);
          if (new_id) continue;
          j = by_id->second;
        }
        state[i] = events[j].content_hash == events[i].content_hash ? kDuplicate : kConflict;
      }
    }
    // Against what is stored: the stored version always wins. This run's
    // earlier batches are in memory as (id hash, content hash): equal pairs
    // are duplicates; an id hash seen with other content (a conflict, or two
    // ids whose hashes collide) is set aside and looked up once, after the
    // last batch (ResolvePending), because looking up the rows this
    // transaction wrote scans all of them. Other ids are looked up among
    // what earlier runs committed (through history_).
    // Ids still new after that are matched against what the reader thread
    // found for the batch in history (it looked every event up).
    // The keys are probed kPrefetchAhead events ahead of their use (see
    // pipeline/key_table.h): the tables are far larger than the caches.
    std::vector<uint8_t> look_up(events.size(), 0);
    bool any_to_look_up = false;
    for (uint32_t i = 0; i < events.size(); ++i) {
      if (i + kPrefetchAhead < events.size()) run_events_.Prefetch(keys[i + kPrefetchAhead]);
      if (state[i] != kNew || verified_new) continue;
      if (const uint64_t* content = run_events_.Find(keys[i])) {
        state[i] = *content == events[i].content_hash ? kDuplicate : kPending;
        continue;
      }
      if (!had_history_) continue;
      look_up[i] = 1;
      any_to_look_up = true;
    }
    if (any_to_look_up) {
      if (hits == nullptr) return Internal("a batch to look up in history came without the reader's look-up");
      for (const StoredMatch& m : hits->events) {
        const uint32_t i = m.batch_index;
        if (look_up[i]) state[i] = events[i].content_hash == m.stored_content_hash ? kDuplicate : kConflict;
      }
    }
    timer_.Mark("dedupe");

    // Accounting, per file and in total.
    std::vector<const Event*> fresh;
    fresh.reserve(events.size());
    std::map<int32_t, int64_t>::iterator day = late_by_date_.end();
    for (uint32_t i = 0; i < events.size(); ++i) {
      if (i + kPrefetchAhead < events.size()) run_events_.Prefetch(keys[i + kPrefetchAhead]);
      LoadedFile* f = per_file_[batch.event_file[i]];
      if (state[i] == kDuplicate) {
        ++f->duplicates;
        ++rec.duplicates;
      } else if (state[i] == kConflict) {
        conflicts_.push_back({batch.event_file[i], events[i].locator, events[i].event_id});
      } else if (state[i] == kPending) {
        pending_.events.push_back(std::move(events[i]));
        pending_.event_file.push_back(batch.event_file[i]);
      } else {
        ++f->accepted;
        ++rec.accepted;
        fresh.push_back(&events[i]);
        if (day == late_by_date_.end() || day->first != events[i].business_date) {
          day = late_by_date_.try_emplace(events[i].business_date, 0).first;
        }
        ++day->second;
        run_events_.Insert(keys[i], events[i].content_hash);
      }
    }
    std::vector<QuarantineRow> quarantine = CountRejected(batch.rejected, batch.rejected_file);
    std::vector<Event> released;  // held events derived with this batch (must outlive the derivation)
    if (!held_.empty() || spans_.size() > 0) HoldAndRelease(events, batch.index, &fresh, &released);

    // Models: order state for the touched orders. Nothing this transaction
    // wrote is read back per batch (scanning those rows is slow, and grows
    // with every batch): an order an earlier batch touched too, or (after
    // the first batch) one that earlier runs stored events for, is derived
    // from this batch's events for now and derived again from all its events
    // once every batch is loaded (FinishCrossBatchOrders). The first batch
    // of a run with history, before anything of the run is stored, reads
    // its orders' stored events and derives them for good: a late batch
    // fits in one batch and is done then.
    std::vector<std::string_view> new_to_run;
    {
      std::vector<uint64_t> order_keys(fresh.size());
      for (size_t j = 0; j < fresh.size(); ++j) order_keys[j] = OrderKey(*fresh[j]);
      // The batch's orders by key, with an event of each. An order whose key
      // another order of the batch has (ids whose hashes collide) finds its
      // key in run_order_keys_ below and is derived again at the end, as an
      // order of several batches is.
      absl::flat_hash_map<uint64_t, const Event*> seen;
      seen.reserve(fresh.size());
      for (size_t j = 0; j < fresh.size(); ++j) {
        if (j + kPrefetchAhead < fresh.size()) run_order_keys_.Prefetch(order_keys[j + kPrefetchAhead]);
        const Event* e = fresh[j];
        auto [first, new_key] = seen.try_emplace(order_keys[j], e);
        if (!new_key && first->second->order_id == e->order_id) continue;
        if (!run_order_keys_.Insert(order_keys[j])) {
          cross_batch_orders_.emplace(e->order_id);
        } else if (had_history_) {
          new_to_run.push_back(e->order_id);
        }
      }
    }
    auto write = std::make_unique<BatchWrite>();
    bool stage_nothing = false;  // empty affected_orders first: no stored fct_orders row to replace
    if (had_history_ && !history_read_) {
      history_read_ = true;
      DAYBOOK_RETURN_IF_ERROR(FinishWrite());  // the connection is the writer's until then
      DAYBOOK_RETURN_IF_ERROR(StageAffectedOrders(*wh_, new_to_run));
      DAYBOOK_ASSIGN_OR_RETURN(write->stored, LoadEventsOfAffectedOrders(*wh_));
    } else if (had_history_) {
      stage_nothing = true;
      std::vector<uint64_t> known;
      if (hits != nullptr && hits->orders_looked_up) {
        known = hits->order_keys;  // of any order of the batch: those new to the run are picked below
      } else {
        DAYBOOK_ASSIGN_OR_RETURN(known, FindOrderKeysWithStoredEvents(*history_, new_to_run));
      }
      if (!known.empty()) {
        absl::flat_hash_set<uint64_t> known_keys(known.begin(), known.end());
        for (std::string_view id : new_to_run) {
          if (known_keys.count(KeyHash(id))) cross_batch_orders_.emplace(id);
        }
      }
    }
    timer_.Mark("load_order_history");
    if (had_history_) {
      // A run into history writes on this thread, rows converted as DuckDB
      // takes them: its reader thread already scans the stored keys with
      // DuckDB's threads for every batch, and a writer thread on top made a
      // 10M-event load into 50M slower (decision 59).
      DAYBOOK_RETURN_IF_ERROR(AppendQuarantine(*wh_, quarantine, rec.run_id, now_));
      if (stage_nothing) DAYBOOK_RETURN_IF_ERROR(StageAffectedOrders(*wh_, {}));
      DAYBOOK_ASSIGN_OR_RETURN(ModelChanges changes,
                               UpdateOrderModels(*wh_, fresh, write->stored, fx, *reporting_, rec.run_id, channels_));
      affected_dates_.insert(changes.affected_dates.begin(), changes.affected_dates.end());
      timer_.Mark("events_and_orders");
      return Status::Ok();
    }
    {
      // A first load tallies its daily metrics as it derives (decision 61).
      DerivedOrders derived = DeriveOrderModels(fresh, write->stored, fx, *reporting_, rec.run_id, &tally_);
      tally_.EndBatch();
      const std::vector<int32_t>& dates = derived.changes.affected_dates;
      affected_dates_.insert(dates.begin(), dates.end());
      DAYBOOK_ASSIGN_OR_RETURN(write->models, PrepareOrderModels(derived, layouts_, rec.run_id, channels_));
    }
    write->quarantine = std::move(quarantine);
    // One write at a time, in batch order, on the main connection.
    DAYBOOK_RETURN_IF_ERROR(FinishWrite());
    timer_.Mark("events_and_orders");
    write_data_ = std::move(write);
    write_ = std::async(std::launch::async, [this, w = write_data_.get(), n = summary_.batches]() -> Status {
      const int64_t run_id = summary_.record.run_id;
      if (n == FailWriteOfBatch()) return Internal("test hook: the write of batch " + std::to_string(n) + " failed");
      DAYBOOK_RETURN_IF_ERROR(AppendQuarantine(*wh_, w->quarantine, run_id, now_));
      return WriteOrderModels(*wh_, w->models, run_id);
    });
    return Status::Ok();
  }

  // A first load holds the accepted events of an order whose lines continue
  // in a later batch (spans_), and derives the order once, with the batch of
  // its last line, from all its events: no provisional fct_orders row, no
  // events read back and no rows replaced at the end (decision 60). Moves
  // the events to hold out of `events` and drops them from *fresh; appends
  // to *fresh the events released now, which *released owns. A batch not
  // read (index -1: the final flush, the pending events) releases all.
  void HoldAndRelease(std::vector<Event>& events, int64_t index, std::vector<const Event*>* fresh,
                      std::vector<Event>* released) {
    const bool release_all = index < 0;
    while (!release_at_.empty() && (release_all || release_at_.begin()->first <= index)) {
      for (uint64_t key : release_at_.begin()->second) {
        auto held = held_.find(key);
        for (Event& e : held->second) released->push_back(std::move(e));
        held_.erase(held);
      }
      release_at_.erase(release_at_.begin());
    }
    std::vector<const Event*> now;
    now.reserve(fresh->size() + released->size());
    std::vector<uint64_t> order_keys(fresh->size());
    for (size_t j = 0; j < fresh->size(); ++j) order_keys[j] = OrderKey(*(*fresh)[j]);
    for (size_t j = 0; j < fresh->size(); ++j) {
      if (j + kPrefetchAhead < fresh->size()) spans_.Prefetch(order_keys[j + kPrefetchAhead]);
      const Event* e = (*fresh)[j];
      auto held = held_.find(order_keys[j]);
      if (held == held_.end() && !release_all) {
        std::optional<int64_t> last = spans_.LastBatch(order_keys[j]);
        if (last) *last += HoldExtraBatches();
        if (last && *last > index) {
          held = held_.try_emplace(order_keys[j]).first;
          release_at_[*last].push_back(order_keys[j]);
        }
      }
      if (held == held_.end()) {
        now.push_back(e);
      } else {
        held->second.push_back(std::move(events[static_cast<size_t>(e - events.data())]));
      }
    }
    for (const Event& e : *released) now.push_back(&e);
    *fresh = std::move(now);
  }

  // Waits for the batch write in flight, if any, and returns its outcome.
  // Until it is over, the writer thread owns the main connection (wh_).
  Status FinishWrite() {
    if (!write_.valid()) return Status::Ok();
    Status st = write_.get();
    write_data_.reset();
    return st;
  }

  // The events set aside by LoadBatch (an id hash accepted earlier in this
  // run, other content), looked up together: a stored id with other content
  // is a DUPLICATE_CONFLICT, the same content a duplicate, and an id not
  // stored (its hash collided with another id's) is new, loaded as a batch.
  Status ResolvePending(const FxTable& fx) {
    if (pending_.events.empty()) return Status::Ok();
    IngestBatch pending = std::move(pending_);
    pending_.clear();
    std::vector<const Event*> lookup;
    for (const Event& e : pending.events) lookup.push_back(&e);
    DAYBOOK_ASSIGN_OR_RETURN(std::vector<StoredMatch> matches, FindStoredEvents(*wh_, lookup));
    RunRecord& rec = summary_.record;
    IngestBatch fresh;
    size_t m = 0;
    for (uint32_t i = 0; i < pending.events.size(); ++i) {
      Event& e = pending.events[i];
      const uint32_t fi = pending.event_file[i];
      if (m < matches.size() && matches[m].batch_index == i) {
        if (e.content_hash == matches[m].stored_content_hash) {
          ++per_file_[fi]->duplicates;
          ++rec.duplicates;
        } else {
          conflicts_.push_back({fi, e.locator, e.event_id});
        }
        ++m;
        continue;
      }
      fresh.events.push_back(std::move(e));
      fresh.event_file.push_back(fi);
    }
    if (fresh.events.empty()) return Status::Ok();
    ++summary_.batches;
    Status st = LoadBatch(fresh, fx, /*hits=*/nullptr, /*verified_new=*/true);
    Status written = FinishWrite();  // before anything else uses the connection
    return st.ok() ? written : st;
  }

  // The key of an event_id in run_events_: its KeyHash, narrowed when the
  // DAYBOOK_TEST_RUN_KEY_BITS test hook asks for it (so ids collide and the
  // path that resolves collisions runs in tests).
  static uint64_t RunKey(uint64_t event_key) {
    static const int bits = [] {
      const std::optional<int64_t> v = TestHook("DAYBOOK_TEST_RUN_KEY_BITS");
      return v ? static_cast<int>(std::clamp<int64_t>(*v, 1, 64)) : 64;
    }();
    return bits == 64 ? event_key : event_key >> (64 - bits);
  }

  // Orders derived from one batch's events only (their events came in more
  // than one batch, or earlier runs stored some): now all their events are
  // stored, they are derived again from all of them (one lookup for the
  // whole run), their events' derivations corrected and their fct_orders
  // rows — the stored one and the provisional ones of each batch — replaced.
  Status FinishCrossBatchOrders(const FxTable& fx) {
    summary_.orders_rederived = static_cast<int64_t>(cross_batch_orders_.size());
    if (cross_batch_orders_.empty()) return Status::Ok();
    std::vector<std::string_view> ids(cross_batch_orders_.begin(), cross_batch_orders_.end());
    DAYBOOK_RETURN_IF_ERROR(StageAffectedOrders(*wh_, ids));
    DAYBOOK_ASSIGN_OR_RETURN(StoredEvents stored, LoadEventsOfAffectedOrders(*wh_));
    DAYBOOK_ASSIGN_OR_RETURN(ModelChanges changes,
                             UpdateOrderModels(*wh_, {}, stored, fx, *reporting_, summary_.record.run_id, channels_));
    affected_dates_.insert(changes.affected_dates.begin(), changes.affected_dates.end());
    timer_.Mark("cross_batch_orders");
    return Status::Ok();
  }

  // Counts rejected lines and returns those to quarantine. A line already
  // quarantined from the same file and line with the same text (a file that
  // grew after it was loaded is read again whole) is a re-delivery: counted
  // as a duplicate, not quarantined twice.
  std::vector<QuarantineRow> CountRejected(std::vector<QuarantineRow>& rows, const std::vector<uint32_t>& files) {
    RunRecord& rec = summary_.record;
    std::vector<QuarantineRow> keep;
    for (size_t k = 0; k < rows.size(); ++k) {
      QuarantineRow& q = rows[k];
      LoadedFile* f = per_file_[files[k]];
      bool changed = false;
      if (!known_rejections_.empty() &&
          known_rejections_.count(LineKey(q.locator.file, q.locator.line, SanitizeUtf8(q.raw, &changed)))) {
        ++f->duplicates;
        ++rec.duplicates;
        continue;
      }
      ++f->quarantined;
      ++rec.quarantined;
      ++rec.quarantined_by_reason[std::string(ReasonName(q.reason))];
      if (summary_.samples.size() < kMaxSamples) {
        summary_.samples.push_back({q.locator.ToString(), std::string(ReasonName(q.reason)), q.detail,
                                    SanitizeUtf8(q.raw.substr(0, 500), &changed)});
      }
      keep.push_back(std::move(q));
    }
    return keep;
  }

  // DUPLICATE_CONFLICT rows, with their raw text re-read from the files
  // (one pass per file, only the conflicting line numbers).
  Status QuarantineConflicts() {
    std::map<uint32_t, std::vector<const Conflict*>> by_file;
    for (const Conflict& c : conflicts_) by_file[c.file].push_back(&c);
    std::vector<QuarantineRow> rows;
    std::vector<uint32_t> files;
    for (auto& [fi, list] : by_file) {
      std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->locator.line < b->locator.line; });
      std::vector<int64_t> lines;
      for (const Conflict* c : list) lines.push_back(c->locator.line);
      DAYBOOK_ASSIGN_OR_RETURN(std::vector<RereadLine> raw,
                               ReadLines(work_[fi].path, work_[fi].max_record_bytes, lines));
      for (size_t k = 0; k < list.size(); ++k) {
        QuarantineRow q;
        q.locator = list[k]->locator;
        q.reason = Reason::kDuplicateConflict;
        q.detail = "event_id '" + list[k]->event_id +
                   "' was already accepted with different content; the first version stays";
        q.raw = std::move(raw[k].text);
        q.raw_size = raw[k].size;
        q.event_id = list[k]->event_id;
        rows.push_back(std::move(q));
        files.push_back(fi);
      }
    }
    conflicts_.clear();
    return AppendQuarantine(*wh_, CountRejected(rows, files), summary_.record.run_id, now_);
  }

  static std::string LineKey(std::string_view file, int64_t line, std::string_view raw) {
    return std::string(file) + '\n' + std::to_string(line) + '\n' + std::string(raw);
  }

  // Quarantined lines of the files this run reads (file, line, raw text as
  // stored: invalid UTF-8 replaced, see SanitizeUtf8).
  Result<std::set<std::string>> QuarantinedLines() {
    std::set<std::string> out;
    if (work_.empty()) return out;
    std::string in;
    for (const auto& f : work_) in += (in.empty() ? "" : ",") + SqlQuote(f.path);
    DAYBOOK_ASSIGN_OR_RETURN(auto rows, wh_->Query(
        "SELECT source_file, source_line, raw FROM quarantine WHERE source_file IN (" + in + ")"));
    while (rows->NextChunk()) {
      for (size_t r = 0; r < rows->size(); ++r) {
        out.insert(LineKey(rows->String(0, r), rows->Int64(1, r), rows->String(2, r)));
      }
    }
    DAYBOOK_RETURN_IF_ERROR(rows->status());
    return out;
  }

  void FinishRecord() {
    RunRecord& rec = summary_.record;
    rec.duration_ms = MonotonicMillis() - start_ms_;
    rec.finished_at = now_;
  }

  const Config& config_;
  Timestamp now_;
  const RunOptions& opts_;
  RunSummary summary_;
  StageTimer timer_;
  int64_t start_ms_ = 0;
  bool gate_failed_ = false;
  std::optional<Catalog> catalog_;
  const Currency* reporting_ = nullptr;
  std::unique_ptr<WriterLock> lock_;
  std::unique_ptr<Warehouse> wh_;
  std::vector<InputFile> work_;
  // State carried across the batches of one run.
  std::vector<LoadedFile*> per_file_;       // counts of work_[i]
  std::set<std::string> known_rejections_;  // LineKey of stored quarantine rows
  bool had_history_ = false;                // order_events had rows before this run
  bool history_read_ = false;               // a batch derived its orders with their stored events
  // With history: a second connection, which reads what earlier runs
  // committed (destroyed before wh_, declared after it).
  std::unique_ptr<Warehouse> history_;
  // (KeyHash(event_id) → content_hash) of the events accepted so far, the
  // KeyHash of every order touched so far, and the orders to derive again
  // after the last batch: touched by more than one batch, or (history) with
  // events stored by earlier runs and touched after the first batch.
  KeyTable<uint64_t> run_events_;
  KeyTable<KeyTableNoValue> run_order_keys_;
  absl::flat_hash_set<std::string> cross_batch_orders_;
  // A first load's daily metrics, tallied as each order is derived; they
  // hold when no order was derived twice (cross_batch_orders_ empty).
  DailyTally tally_;
  // A first load's orders with lines in more than one batch, and those of
  // them held (their events so far, by KeyHash of the order id) with the
  // batch each is released at (HoldAndRelease).
  OrderSpans spans_;
  absl::flat_hash_map<uint64_t, std::vector<Event>> held_;
  std::map<int64_t, std::vector<uint64_t>> release_at_;
  IngestBatch pending_;  // events set aside for ResolvePending
  std::vector<Conflict> conflicts_;
  std::set<int32_t> affected_dates_;
  std::map<int32_t, int64_t> late_by_date_;
  OrderModelLayouts layouts_;  // of order_events and fct_orders, to convert rows
  ChannelNumbers channels_;    // the warehouse's, with those this run numbered
  // What a batch's write needs (LoadBatch): its rows converted, and the
  // stored events the rewritten derivations point into.
  struct BatchWrite {
    StoredEvents stored;    // what models.updates point into
    PreparedOrderModels models;
    std::vector<QuarantineRow> quarantine;
  };
  // The write in flight and its data (declared last: the write is waited
  // for, by InTransaction, before anything it reads is destroyed).
  std::unique_ptr<BatchWrite> write_data_;
  std::future<Status> write_;
};

}  // namespace

Result<RunSummary> RunPipeline(const Config& config, Timestamp now, const RunOptions& opts) {
  Run run(config, now, opts);
  return run.Execute();
}

Result<RunSummary> CheckOnly(const Config& config, Timestamp now) {
  RunSummary summary;
  RunRecord& rec = summary.record;
  rec.command = "check";
  rec.started_at = now;
  int64_t start_ms = MonotonicMillis();
  DAYBOOK_ASSIGN_OR_RETURN(TimeZone tz, TimeZone::Load(config.timezone));
  DAYBOOK_RETURN_IF_ERROR(RequireWarehouse(config));  // before the lock file is created
  DAYBOOK_ASSIGN_OR_RETURN(auto lock, WriterLock::Acquire(config.warehouse_path, "check"));
  DAYBOOK_ASSIGN_OR_RETURN(auto wh, Warehouse::OpenForWriting(config.warehouse_path, config.memory_limit));
  DAYBOOK_RETURN_IF_ERROR(CheckReadable(*wh));
  DAYBOOK_RETURN_IF_ERROR(Migrate(*wh, config.reporting_currency));
  DAYBOOK_ASSIGN_OR_RETURN(rec.run_id, NextRunId(*wh));
  rec.status = "succeeded";
  DAYBOOK_ASSIGN_OR_RETURN(summary.monitor, Monitor(*wh, config, tz, now, rec.run_id, nullptr, {}));
  rec.duration_ms = MonotonicMillis() - start_ms;
  rec.finished_at = now;
  DAYBOOK_RETURN_IF_ERROR(wh->Exec("BEGIN TRANSACTION"));
  Status st = RecordRun(*wh, rec);
  if (!st.ok()) {
    (void)wh->Exec("ROLLBACK");
    return st;
  }
  DAYBOOK_RETURN_IF_ERROR(wh->Exec("COMMIT"));
  return summary;
}

int RebuildPartitionBits(int64_t stored_events, int64_t partition_events) {
  int bits = 0;
  const int64_t per = std::max<int64_t>(partition_events, 1);
  // ceil(stored_events / 2^bits) > per
  while (bits < kMaxRebuildPartitionBits && ((stored_events + (int64_t{1} << bits) - 1) >> bits) > per) ++bits;
  return bits;
}

Result<RunSummary> Rebuild(const Config& config, Timestamp now, const RebuildOptions& opts) {
  RunSummary summary;
  RunRecord& rec = summary.record;
  rec.command = "rebuild";
  rec.started_at = now;
  int64_t start_ms = MonotonicMillis();
  StageTimer timer(&rec);
  DAYBOOK_ASSIGN_OR_RETURN(TimeZone tz, TimeZone::Load(config.timezone));
  DAYBOOK_ASSIGN_OR_RETURN(FxTable fx, LoadFx(config));
  const Currency* reporting = FindCurrency(config.reporting_currency);
  DAYBOOK_ASSIGN_OR_RETURN(Catalog catalog, LoadCatalog(config));
  DAYBOOK_RETURN_IF_ERROR(RequireWarehouse(config));  // before the lock file is created
  DAYBOOK_ASSIGN_OR_RETURN(auto lock, WriterLock::Acquire(config.warehouse_path, "rebuild"));
  DAYBOOK_ASSIGN_OR_RETURN(auto wh, Warehouse::OpenForWriting(config.warehouse_path, config.memory_limit));
  DAYBOOK_RETURN_IF_ERROR(CheckReadable(*wh));
  DAYBOOK_RETURN_IF_ERROR(Migrate(*wh, config.reporting_currency));
  DAYBOOK_ASSIGN_OR_RETURN(rec.run_id, NextRunId(*wh));
  DAYBOOK_RETURN_IF_ERROR(wh->Exec("BEGIN TRANSACTION"));
  Status st = [&]() -> Status {
    // Every model row is rebuilt from the events alone: no fct_orders row
    // is left to replace, so nothing is staged.
    DAYBOOK_RETURN_IF_ERROR(wh->Exec("DELETE FROM fct_orders; DELETE FROM daily_revenue_by_channel"));
    DAYBOOK_RETURN_IF_ERROR(StageAffectedOrders(*wh, {}));
    // Orders are derived a partition at a time (by the top bits of their
    // key), so memory follows opts.partition_events, not the warehouse.
    DAYBOOK_ASSIGN_OR_RETURN(int64_t stored_events, wh->QueryInt("SELECT count(*) FROM order_events"));
    const int bits = RebuildPartitionBits(stored_events, opts.partition_events);
    // A rebuild inserts no event: nothing is numbered, the numbers only pass through.
    DAYBOOK_ASSIGN_OR_RETURN(ChannelNumbers channels, ChannelNumbers::Read(*wh));
    for (uint64_t part = 0; part < (uint64_t{1} << bits); ++part) {
      DAYBOOK_ASSIGN_OR_RETURN(StoredEvents stored, LoadEventsOfPartition(*wh, bits, part));
      // Amounts convert with the FX file as it is now: a corrected file takes
      // effect for stored events here (runs fix an event's rate on acceptance).
      for (Event& e : stored.events) {
        if (!e.has_amount) continue;
        auto rate = fx.Lookup(e.currency->Code(), e.business_date);
        if (!rate) continue;  // no rate any more: keep the one it was accepted with
        e.fx_rate = *rate;
        e.reporting_minor = ConvertHalfEven(e.amount_minor, *e.currency, *rate, *reporting);
      }
      timer.Mark("load_events");
      DAYBOOK_ASSIGN_OR_RETURN(ModelChanges changes,
                               UpdateOrderModels(*wh, {}, stored, fx, *reporting, rec.run_id, channels));
      rec.affected_orders += changes.affected_orders;
      timer.Mark("events_and_orders");
    }
    summary.batches = int64_t{1} << bits;
    DAYBOOK_ASSIGN_OR_RETURN(std::vector<int32_t> dates, AllEventDates(*wh));
    rec.affected_dates = static_cast<int64_t>(dates.size());
    RevenueContext ctx{tz, config.daily_close_minutes, config.restatement_window_days,
                       config.reporting_currency, now, rec.run_id};
    DAYBOOK_ASSIGN_OR_RETURN(RevenueUpdate ru, RefreshDailyRevenue(*wh, dates, {}, ctx));
    rec.published_days = ru.published_days;
    rec.restated_days = static_cast<int64_t>(ru.restatements.size());
    summary.restatements = ru.restatements;
    timer.Mark("daily_revenue");
    DAYBOOK_RETURN_IF_ERROR(wh->Exec("DROP TABLE IF EXISTS affected_orders; DROP TABLE IF EXISTS affected_dates"));
    DAYBOOK_RETURN_IF_ERROR(PublishCatalog(*wh, catalog));
    rec.status = "succeeded";
    rec.duration_ms = MonotonicMillis() - start_ms;
    rec.finished_at = now;
    DAYBOOK_RETURN_IF_ERROR(RecordRun(*wh, rec));
    return wh->Exec("COMMIT");
  }();
  if (!st.ok()) {
    (void)wh->Exec("ROLLBACK");
    return st;
  }
  return summary;
}

}  // namespace daybook
