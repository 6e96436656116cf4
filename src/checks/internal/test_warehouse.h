// File: checks/internal/test_warehouse.h — test helper for checks/*_test.cc.
//
// An in-memory warehouse filled with SQL INSERTs, a configuration and a
// controlled `now`, and renderings of check results as text lines
// ("check|model|status|date|observed|expected") to compare whole.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "checks/runner.h"
#include "load/schema.h"

namespace daybook::checks_test {

inline Timestamp T(const std::string& s) {
  std::string why;
  auto t = ParseRfc3339(s, &why);
  EXPECT_TRUE(t.has_value()) << s << ": " << why;
  return t ? *t : Timestamp{};
}
inline int32_t D(const std::string& s) { return *ParseDate(s); }

inline std::string Line(const CheckResult& r) {
  return r.check + "|" + r.model + "|" + std::string(CheckStatusName(r.status)) + "|" +
         (r.business_date ? FormatDate(*r.business_date) : "") + "|" + r.observed + "|" + r.expected;
}

class CheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    wh_ = std::move(Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite)).value();
    ASSERT_TRUE(Migrate(*wh_, "USD").ok());
    ASSERT_TRUE(wh_->Exec("INSERT INTO channels VALUES (1, 'web', 1)").ok());  // AddEvent's channel
    config_ = DefaultConfig("/tmp");
    tz_ = std::make_unique<TimeZone>(*TimeZone::Load("UTC"));
  }

  void Sql(const std::string& sql) {
    Status st = wh_->Exec(sql);
    ASSERT_TRUE(st.ok()) << sql << "\n" << st.message();
  }

  // One accepted event. `at` is the occurred_at, "YYYY-MM-DD hh:mm:ss+00";
  // its business date is its first 10 characters (UTC). cents in reporting currency; run_id is the loading run.
  void AddEvent(const std::string& id, const std::string& type, const std::string& order, const std::string& at,
                int64_t cents, bool included = true, const std::string& reason = "", int64_t run_id = 1,
                const std::string& customer = "c1") {
    Sql("INSERT INTO order_events (event_id, event_key, event_type, order_id, order_key, customer_id, occurred_at, "
        "business_date, channel_id, reporting_amount, included, excluded_reason, schema_version, extra_fields, "
        "content_hash, source_file_id, source_line, run_id, updated_run_id) VALUES (" +
        SqlQuote(id) + ", 0, " + SqlQuote(type) + ", " + SqlQuote(order) + ", 0, " + SqlQuote(customer) +
        ", TIMESTAMPTZ '" + at + "', DATE '" + at.substr(0, 10) + "', 1, " +
        std::to_string(cents) + "/100, " + (included ? "true" : "false") + ", " +
        (reason.empty() ? "NULL" : SqlQuote(reason)) + ", 1, '{}', 0, 1, 1, " +
        std::to_string(run_id) + ", " + std::to_string(run_id) + ")");
  }

  // A daily_revenue row with `orders` placed orders and net = gross.
  void AddDay(const std::string& day, int64_t orders, int64_t net_cents, int version = 1) {
    Sql("INSERT INTO daily_revenue VALUES (DATE '" + day + "', " + std::to_string(orders) + ", 0, 0, " +
        std::to_string(orders) + ", " + std::to_string(net_cents) + "/100, 0, 0, " + std::to_string(net_cents) +
        "/100, 'USD', " + std::to_string(version) + ", NULL, TIMESTAMPTZ '2020-01-01 00:00:00+00', 1)");
  }

  // A pipeline_runs row.
  void AddRun(int64_t run_id, const std::string& finished_at, int64_t accepted,
              const std::string& status = "succeeded") {
    Sql("INSERT INTO pipeline_runs VALUES (" + std::to_string(run_id) + ", 'run', " + SqlQuote(status) +
        ", TIMESTAMPTZ '" + finished_at + "', TIMESTAMPTZ '" + finished_at + "', 0, " + std::to_string(accepted) +
        ", " + std::to_string(accepted) + ", 0, 0, '{}', 1, 0, 0, 0, 0, 0, 0, 0.01, '{}', NULL, NULL, '0.1.0')");
  }

  std::vector<CheckResult> Run(const std::string& now, const RunRecord* run = nullptr,
                               std::vector<int32_t> affected = {}) {
    CheckContext ctx{config_, *tz_, T(now), run ? run->run_id : 1, run, std::move(affected)};
    auto r = RunChecks(*wh_, ctx);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : std::vector<CheckResult>{};
  }

  // The results of one (model, check).
  static std::vector<CheckResult> Of(const std::vector<CheckResult>& all, const std::string& model,
                                     const std::string& check) {
    std::vector<CheckResult> out;
    for (const auto& r : all) {
      if (r.model == model && r.check == check) out.push_back(r);
    }
    return out;
  }
  static std::string Lines(const std::vector<CheckResult>& rs) {
    std::string s;
    for (const auto& r : rs) s += Line(r) + "\n";
    return s;
  }
  std::string Rows(const std::string& sql) {
    auto rows = wh_->Query(sql);
    EXPECT_TRUE(rows.ok()) << rows.status().message();
    std::string out;
    if (!rows.ok()) return out;
    while ((*rows)->NextChunk()) {
      for (size_t r = 0; r < (*rows)->size(); ++r) {
        for (size_t c = 0; c < (*rows)->column_count(); ++c) out += (c ? "|" : "") + (*rows)->Text(c, r);
        out += "\n";
      }
    }
    return out;
  }

  std::unique_ptr<Warehouse> wh_;
  Config config_;
  std::unique_ptr<TimeZone> tz_;
};

}  // namespace daybook::checks_test
