// File: pipeline/run.h
//
// One `daybook run`: the stages in order — sources (files: glob, manifest,
// read) → decode → validate → load (dedupe, store events and quarantine) →
// models (order state, fct_orders, daily revenue, publication) — as ONE
// warehouse transaction together with the run record and the file manifest
// (spec §3). The input is read and loaded in batches of
// warehouse.batch_events lines inside that transaction, so memory is bounded
// by the batch size; daily revenue and the gate use the whole run. Either all of it commits or none of it does; a crash at any
// point leaves the warehouse as before the run. One writer at a time.
//
//   RunOptions opts;                       // inputs override config sources
//   auto summary = RunPipeline(config, now, opts);
//   if (!summary.ok()) return ExitCodeFor(summary.status());   // 2, 3, 1
//   if (summary->record.status == "failed") return 1;          // drop-rate gate
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/status.h"
#include "core/time.h"
#include "load/run_log.h"
#include "models/daily_revenue.h"
#include "pipeline/monitor.h"

namespace daybook {

struct RunOptions {
  // Paths or globs that replace the configured sources for this run.
  std::vector<std::string> inputs;
  // Overrides quality.max_drop_rate.
  std::optional<double> max_drop_rate;
  // Overrides warehouse.batch_events (lines per batch).
  std::optional<int64_t> batch_events;
  // Progress lines on stderr (the CLI sets it when stderr is a terminal).
  bool progress = false;
  std::string command = "run";
};

struct FileOutcome {
  std::string path;
  std::string source;
  bool skipped = false;  // already loaded (same content hash)
  LoadedFile counts;
};

struct SampleRejection {
  std::string locator, reason, detail, raw;
};

struct RunSummary {
  RunRecord record;
  std::vector<int32_t> affected_dates;   // business dates whose numbers were recomputed
  int64_t batches = 0;                   // batches of warehouse.batch_events lines read
  // Orders derived first from part of their events (in one batch) and
  // again from all of them after the last batch: in a first load only
  // those whose lines the scan of the input missed (decision 60); in a run
  // into history also those with events stored by earlier runs.
  int64_t orders_rederived = 0;
  // The daily metrics were tallied while the orders were derived (a first
  // load whose orders were each derived once, decision 61), not aggregated
  // from order_events.
  bool daily_metrics_tallied = false;
  MonitorReport monitor;                 // checks and alerts after the load
  std::vector<FileOutcome> files;
  std::vector<Restatement> restatements;
  std::vector<SampleRejection> samples;  // first rejections, for the failure report
  // The run failed (drop-rate gate) or an error-severity check failed: exit 1.
  bool failed() const { return record.status != "succeeded" || monitor.failed(); }
};

Result<RunSummary> RunPipeline(const Config& config, Timestamp now, const RunOptions& opts);

// `daybook check`: the checks alone (recorded under a run of their own,
// command "check"), then alerts, on the warehouse as it is.
Result<RunSummary> CheckOnly(const Config& config, Timestamp now);

struct RebuildOptions {
  // Stored events derived at a time, about: the orders are split into
  // 2^k partitions by the top k bits of their key, k the smallest with at
  // most this many events per partition on average (at most 2^16
  // partitions). Each partition costs one scan of order_events' key column.
  int64_t partition_events = 1000000;
};

// `daybook rebuild`: recomputes every model from `order_events` alone (order
// state, fct_orders, daily revenue); the result must equal the incremental
// tables for the same FX file, whatever the partitioning. Publication state
// and versions are kept; a day whose numbers change is restated, and days
// that closed since the last run are published, as in any run.
// summary.batches is the number of partitions.
Result<RunSummary> Rebuild(const Config& config, Timestamp now, const RebuildOptions& opts = {});

// The k of RebuildOptions::partition_events for `stored_events` events.
constexpr int kMaxRebuildPartitionBits = 16;
int RebuildPartitionBits(int64_t stored_events, int64_t partition_events);

}  // namespace daybook
