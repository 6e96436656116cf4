// Cost benchmark, disabled by default:
//   checks_test --gtest_also_run_disabled_tests --gtest_filter='*ChecksBench*'
// Builds a file warehouse of DAYBOOK_BENCH_EVENTS events (default 10
// million) over three years, consistent models, then times RunChecks for a
// run that touched the last two days and for `daybook check` alone, and
// each check alone.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "checks/internal/catalog.h"
#include "checks/internal/test_warehouse.h"

namespace daybook::checks_test {
namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

TEST(ChecksBench, DISABLED_ChecksStayCheapOnTensOfMillionsOfEvents) {
  const char* env = std::getenv("DAYBOOK_BENCH_EVENTS");
  const int64_t n = env ? std::atoll(env) : 10'000'000;
  const std::string path = ::testing::TempDir() + "/checks_bench.duckdb";
  std::filesystem::remove(path);
  std::filesystem::remove(path + ".wal");
  auto wh = std::move(Warehouse::Open(path, Warehouse::Mode::kReadWrite)).value();
  ASSERT_TRUE(Migrate(*wh, "USD").ok());
  auto exec = [&](const std::string& sql) {
    Status st = wh->Exec(sql);
    ASSERT_TRUE(st.ok()) << st.message();
  };
  const int days = 3 * 365;
  const std::string first = "DATE '2022-03-01'";
  auto t0 = std::chrono::steady_clock::now();
  // Three events in five are placements, then a refund and a cancel; loaded
  // in date order by one run per day.
  exec(
      "INSERT INTO order_events SELECT 'evt-' || i, hash('evt-' || i), "
      "CASE i % 5 WHEN 3 THEN 'order_refunded' WHEN 4 THEN 'order_cancelled' ELSE 'order_placed' END, "
      "'ord-' || (i // 5 * 3 + least(i % 5, 2)), hash('ord-' || (i // 5 * 3 + least(i % 5, 2))), 'cus-' || (i % "
      "100000), "
      "TIMESTAMPTZ '2022-03-01 00:00:00+00' + to_microseconds((i * 86400000000 // " +
      std::to_string(n / days) + ")::BIGINT), " + first + " + CAST(i // " + std::to_string(n / days) +
      " AS INTEGER), 'web', 'USD', 10, 1000, 1, "
      "(1 + i % 97)::DECIMAL(18,2), true, NULL, 1, '{}', 0, 'landing', 'f.jsonl', i, "
      "1 + i // " +
      std::to_string(n / days) + ", 1 + i // " + std::to_string(n / days) + " FROM range(" + std::to_string(n) +
      ") t(i)");
  exec("INSERT INTO fct_orders SELECT order_id, order_key, NULL, NULL, NULL, NULL, "
       "min(business_date) FILTER (WHERE event_type = 'order_placed'), NULL, 0, false, NULL, 'placed', "
       "coalesce(sum(reporting_amount) FILTER (WHERE event_type = 'order_placed'), 0), "
       "coalesce(sum(reporting_amount) FILTER (WHERE event_type = 'order_refunded'), 0), "
       "coalesce(sum(reporting_amount) FILTER (WHERE event_type = 'order_cancelled'), 0), "
       "coalesce(sum(reporting_amount) FILTER (WHERE event_type = 'order_placed'), 0) - "
       "coalesce(sum(reporting_amount) FILTER (WHERE event_type = 'order_refunded'), 0) - "
       "coalesce(sum(reporting_amount) FILTER (WHERE event_type = 'order_cancelled'), 0), "
       "count(*), 0, max(occurred_at), max(run_id) FROM order_events GROUP BY order_key, order_id");
  exec("INSERT INTO daily_revenue SELECT business_date, "
       "count(*) FILTER (WHERE event_type = 'order_placed'), "
       "count(DISTINCT order_id) FILTER (WHERE event_type = 'order_cancelled'), "
       "count(DISTINCT order_id) FILTER (WHERE event_type = 'order_refunded'), "
       "count(DISTINCT customer_id) FILTER (WHERE event_type = 'order_placed'), "
       "coalesce(sum(reporting_amount) FILTER (WHERE event_type = 'order_placed'), 0), "
       "coalesce(sum(reporting_amount) FILTER (WHERE event_type = 'order_cancelled'), 0), "
       "coalesce(sum(reporting_amount) FILTER (WHERE event_type = 'order_refunded'), 0), "
       "coalesce(sum(reporting_amount) FILTER (WHERE event_type = 'order_placed'), 0) - "
       "coalesce(sum(reporting_amount) FILTER (WHERE event_type = 'order_cancelled'), 0) - "
       "coalesce(sum(reporting_amount) FILTER (WHERE event_type = 'order_refunded'), 0), "
       "'USD', 1, NULL, now(), 1 FROM order_events GROUP BY business_date");
  exec("INSERT INTO pipeline_runs SELECT r, 'run', 'succeeded', TIMESTAMPTZ '2022-03-02 01:00:00+00' + "
       "to_days(CAST(r - 1 AS INTEGER)), TIMESTAMPTZ '2022-03-02 01:00:00+00' + to_days(CAST(r - 1 AS INTEGER)), 0, "
       "1000, 1000, 0, 0, '{}', 1, 0, 0, 0, 0, 0, 0, 0.01, '{}', NULL, NULL, '0.1.0' FROM range(1, " +
       std::to_string(days + 1) + ") t(r)");
  exec("CHECKPOINT");
  std::printf("built %lld events in %.1fs\n", static_cast<long long>(n), Seconds(t0));

  Config config = DefaultConfig("/tmp");
  auto tz = *TimeZone::Load("UTC");
  const int32_t last_day = D("2022-03-01") + days - 1;
  const Timestamp now = T(FormatDate(last_day + 1) + "T08:00:00Z");
  RunRecord run;
  run.run_id = days;
  run.status = "succeeded";
  run.rows_read = run.accepted = n / days;
  run.finished_at = now;
  auto time_checks = [&](const char* label, const RunRecord* r, std::vector<int32_t> affected) {
    CheckContext ctx{config, tz, now, days, r, affected};
    auto t = std::chrono::steady_clock::now();
    auto results = RunChecks(*wh, ctx);
    ASSERT_TRUE(results.ok()) << results.status().message();
    std::printf("%-40s %6.2fs  (%zu results, failed: %s)\n", label, Seconds(t), results->size(),
                AnyFailed(*results) ? "yes" : "no");
    for (const auto& res : *results) {
      if (res.status == CheckStatus::kFail) std::printf("  %s\n", Line(res).c_str());
    }
  };
  time_checks("run touching the last 2 days", &run, {last_day - 1, last_day});
  time_checks("daybook check alone (35-day window)", nullptr, {});
  // Each check alone, for the check-alone case.
  for (const auto& def : checks_internal::Catalog()) {
    std::string yaml;
    for (const char* model : {"order_events", "fct_orders", "daily_revenue"}) {
      yaml += std::string(model) + ":\n  checks:\n";
      for (const auto& other : checks_internal::Catalog()) {
        if (std::string(other.model) != model) continue;
        yaml += "    " + std::string(other.check) + ": {enabled: " + (&other == &def ? "true" : "false") + "}\n";
      }
    }
    config.models_yaml = yaml;
    time_checks((std::string("  alone: ") + def.model + "." + def.check).c_str(), nullptr, {});
  }
  wh.reset();
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace daybook::checks_test
