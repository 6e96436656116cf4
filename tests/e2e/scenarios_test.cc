// E2E scenarios (spec §3, §5, §6, §7): the real binary, driven day by day
// with --now, with alert sinks configured (file + command), through
//   - a normal week;
//   - a day with no data;
//   - a day that misses its SLA;
//   - a late batch that restates a published day;
//   - an FX file missing a currency;
//   - `daybook check` alone after the warehouse was tampered with;
// asserting exit codes, the alerts sent, check_results, pipeline_runs,
// `daybook runs` and `daybook status --json`.
//
// The daily close is 07:00 UTC on D+1. A "normal" day's data is loaded by the
// run at 06:30Z on D+1 (scen::MorningAfter), i.e. before its close, so the
// SLA is met; a run after 07:00 with that day's data is late.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "e2e/harness.h"
#include "e2e/scenario_util.h"

namespace e2e {
namespace {

using scen::ChecksOf;
using scen::Contains;
using scen::GenDay;
using scen::Key;
using scen::Keys;
using scen::MarchDay;
using scen::MorningAfter;
using scen::ReadJsonLines;
using scen::Select;

// Every built-in check (checks/check_config.h), as (check, model).
const std::set<std::pair<std::string, std::string>>& AllChecks() {
  static const std::set<std::pair<std::string, std::string>> k = {
      {"volume", "order_events"},           {"freshness", "order_events"},      {"keys", "order_events"},
      {"drop_rate", "order_events"},        {"schema_drift", "order_events"},   {"duplicate_conflicts", "order_events"},
      {"excluded_events", "order_events"},  {"keys", "fct_orders"},             {"reconciliation", "fct_orders"},
      {"volume", "daily_revenue"},          {"freshness", "daily_revenue"},     {"keys", "daily_revenue"},
      {"reconciliation", "daily_revenue"},  {"restatement_size", "daily_revenue"},
      {"anomaly", "daily_revenue"},
  };
  return k;
}

// A project with the scenario config, the FX file, and days [first, last]
// of March 2025 each loaded by its own run at 06:30Z the next morning.
struct Week {
  Project p{""};
  std::vector<GenResult> gens;
  explicit Week(const scen::ProjectOptions& o = {}) {
    scen::WriteScenarioConfig(p, o);
    scen::WriteFx(p);
  }
  // Generates day `day` and runs the morning after; returns the run's JSON.
  Json LoadDay(int day, int orders = 120) {
    gens.push_back(GenDay(p, MarchDay(day), 1000 + day, orders));
    CmdResult r = p.Daybook({"--now", MorningAfter(day), "run", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r;
    return Json::Parse(r.out);
  }
  std::string alerts() const { return p.Path("alerts.jsonl"); }
};

const Json* FindByDate(const std::vector<Json>& checks, const std::string& date) {
  for (const Json& c : checks) {
    if ((c["business_date"].type() == Json::Type::kNull ? "null" : c["business_date"].Str()) == date) return &c;
  }
  return nullptr;
}

const Json* ModelStatus(const Json& status, const std::string& model) {
  for (size_t i = 0; i < status["models"].size(); ++i) {
    if (status["models"][i]["model"].Str() == model) return &status["models"][i];
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// 1. A normal week.

TEST(Scenario, NormalWeekRunsCleanlyMeetsItsSlaAndIsObservable) {
  Week w;
  const std::vector<std::string> stage_names = {"resolve", "read_decode_validate", "dedupe", "load_order_history",
                                                "events_and_orders", "pending", "conflicts", "daily_revenue",
                                                "quarantine_and_manifest"};
  for (int i = 0; i < 7; ++i) {
    const int day = 3 + i;  // Monday 2025-03-03 .. Sunday 2025-03-09
    Json j = w.LoadDay(day);
    SCOPED_TRACE("day " + MarchDay(day));
    EXPECT_EQ(j["status"].Str(), "succeeded");
    EXPECT_EQ(j["run_id"].Int(), i + 1);
    EXPECT_EQ(j["now"].Str(), MorningAfter(day));
    EXPECT_EQ(j["accepted"].Int(), w.gens.back().events);
    EXPECT_EQ(j["quarantined"].Int(), 0);
    EXPECT_EQ(j["files_loaded"].Int(), 1);
    EXPECT_EQ(j["files_skipped"].Int(), i);
    for (size_t c = 0; c < j["checks"].size(); ++c) {
      EXPECT_NE(j["checks"][c]["status"].Str(), "fail") << j["checks"][c]["check"].Str() << " on "
                                                       << j["checks"][c]["model"].Str() << ": "
                                                       << j["checks"][c]["message"].Str();
    }
    // The SLA: the day just loaded closes in 30 minutes and its data is in
    // (met); the day before closed yesterday with its data loaded before
    // its close (met) — except before the first day of data.
    std::vector<Json> fr = ChecksOf(j, "freshness", "daily_revenue");
    const Json* today = FindByDate(fr, MarchDay(day));
    ASSERT_NE(today, nullptr) << "no freshness row for the day about to close";
    EXPECT_EQ((*today)["observed"].Str(), "met") << (*today)["message"].Str();
    EXPECT_EQ((*today)["status"].Str(), "pass");
    const Json* yesterday = FindByDate(fr, MarchDay(day - 1));
    ASSERT_NE(yesterday, nullptr) << "no freshness row for the last closed day";
    if (i > 0) {
      EXPECT_EQ((*yesterday)["observed"].Str(), "met") << (*yesterday)["message"].Str();
      EXPECT_TRUE(Contains((*yesterday)["message"].Str(), "was final by its close " + MarchDay(day) + "T07:00:00Z"))
          << (*yesterday)["message"].Str();
    }
    // The volume gate passed with the run's count.
    std::vector<Json> vol = ChecksOf(j, "volume", "order_events");
    ASSERT_EQ(vol.size(), 1u);
    EXPECT_EQ(vol[0]["status"].Str(), "pass");
    EXPECT_EQ(vol[0]["observed"].Str(), std::to_string(w.gens.back().events));
  }

  // No error alert was ever sent; the command sink got exactly what the file
  // sink got.
  std::vector<Json> alerts = ReadJsonLines(w.alerts());
  for (const Json& a : alerts) {
    scen::ExpectAlertShape(a);
    EXPECT_EQ(a["severity"].Str(), "warn") << Key(a) << ": " << a["message"].Str();
  }
  // The only warnings: the generator's extra fields (coupon_code, reason) as
  // schema drift, raised once and reminded once a day (cooldown 6h); and, at
  // the first run only, the day before the first data (2025-03-02) reported
  // as closed without events.
  std::vector<std::string> keys;
  for (const Json& a : alerts) {
    if (Key(a) == "raised warn freshness/daily_revenue 2025-03-02" && a["run_id"].Int() == 1) continue;
    keys.push_back(Key(a) + " run " + std::to_string(a["run_id"].Int()));
  }
  std::vector<std::string> expected_keys = {"raised warn schema_drift/order_events null run 1"};
  for (int run = 2; run <= 7; ++run) {
    expected_keys.push_back("reminder warn schema_drift/order_events null run " + std::to_string(run));
  }
  EXPECT_EQ(keys, expected_keys);
  std::vector<Json> drift = Select(alerts, "schema_drift", "order_events");
  ASSERT_FALSE(drift.empty());
  EXPECT_TRUE(Contains(drift[0]["message"].Str(), "'coupon_code' (new, first seen at " +
                                                      w.p.Path("landing/day-2025-03-03.jsonl:")))
      << drift[0]["message"].Str();
  for (const Json& a : drift) EXPECT_EQ(a["alert_id"].Str(), drift[0]["alert_id"].Str()) << "one open condition";
  EXPECT_EQ(ReadFile(w.p.Path("cmd-alerts.jsonl")), Exists(w.alerts()) ? ReadFile(w.alerts()) : "")
      << "the command sink must receive the same notices as the file sink";

  // check_results: every check, every run, none failed.
  Rows cr = Query(w.p.db(), "SELECT run_id, check_name, model, status FROM check_results ORDER BY run_id");
  std::map<int64_t, std::set<std::pair<std::string, std::string>>> by_run;
  for (size_t r = 0; r < cr.size(); ++r) {
    by_run[std::stoll(cr.at(r, "run_id"))].insert({cr.at(r, "check_name"), cr.at(r, "model")});
    EXPECT_NE(cr.at(r, "status"), "fail") << cr.at(r, "check_name") << "/" << cr.at(r, "model");
  }
  ASSERT_EQ(by_run.size(), 7u);
  for (const auto& [run, checks] : by_run) EXPECT_EQ(checks, AllChecks()) << "run " << run;

  // `daybook runs --format json`: the 7 runs, newest first, with timings.
  CmdResult runs = w.p.Daybook({"runs", "--format", "json"});
  ASSERT_EQ(runs.exit_code, 0) << runs;
  Json rj = Json::Parse(runs.out);
  ASSERT_EQ(rj.size(), 7u) << runs.out;
  for (size_t i = 0; i < 7; ++i) {
    const Json& r = rj[i];
    const int day = 3 + static_cast<int>(6 - i);
    EXPECT_EQ(r["run_id"].Int(), static_cast<int64_t>(7 - i));
    EXPECT_EQ(r["command"].Str(), "run");
    EXPECT_EQ(r["status"].Str(), "succeeded");
    EXPECT_EQ(r["now"].Str(), MorningAfter(day));
    EXPECT_EQ(r["accepted"].Int(), w.gens[static_cast<size_t>(day - 3)].events);
    EXPECT_EQ(r["files_loaded"].Int(), 1);
    EXPECT_GE(r["duration_ms"].Int(), 0);
    EXPECT_EQ(r["error"].type(), Json::Type::kNull);
    Json stages = Json::Parse(r["stage_ms"].Str());
    for (const auto& s : stage_names) {
      ASSERT_TRUE(stages.Has(s)) << "stage_ms lacks " << s << ": " << r["stage_ms"].Str();
      EXPECT_GE(stages[s].Int(), 0);
    }
  }
  CmdResult limited = w.p.Daybook({"runs", "--format", "json", "--limit", "2"});
  ASSERT_EQ(limited.exit_code, 0) << limited;
  EXPECT_EQ(Json::Parse(limited.out).size(), 2u);

  // Publication: the six closed days are published (version 1), Sunday is not yet.
  EXPECT_EQ(Scalar(w.p.db(), "SELECT string_agg(strftime(business_date, '%Y-%m-%d') || ':' || version, ',' "
                             "ORDER BY business_date) FROM daily_revenue WHERE orders > 0"),
            "2025-03-03:1,2025-03-04:1,2025-03-05:1,2025-03-06:1,2025-03-07:1,2025-03-08:1,2025-03-09:0");

  // `daybook status --json` right after the last run: SLA met, no error alert open.
  CmdResult st = w.p.Daybook({"--now", "2025-03-10T06:31:00Z", "status", "--json"});
  ASSERT_EQ(st.exit_code, 0) << st;
  Json sj = Json::Parse(st.out);
  EXPECT_EQ(sj["last_successful_run"].Str(), "7");
  const Json* dr = ModelStatus(sj, "daily_revenue");
  ASSERT_NE(dr, nullptr) << st.out;
  EXPECT_EQ((*dr)["sla"].Str(), "met") << (*dr)["sla_detail"].Str();
  EXPECT_EQ((*dr)["newest"].Str(), "2025-03-08") << "the newest published day";
  const Json* oe = ModelStatus(sj, "order_events");
  ASSERT_NE(oe, nullptr);
  EXPECT_EQ((*oe)["sla"].Str(), "met") << (*oe)["sla_detail"].Str();
  int64_t total = 0;
  for (const auto& g : w.gens) total += g.events;
  EXPECT_EQ((*oe)["rows"].Int(), total);
  for (size_t i = 0; i < sj["open_alerts"].size(); ++i) {
    EXPECT_NE(sj["open_alerts"][i]["severity"].Str(), "error") << Key(sj["open_alerts"][i]);
  }
  EXPECT_EQ(sj["restatements_last_7_days"].size(), 0u);
  ASSERT_EQ(sj["recent_runs"].size(), 5u);
  EXPECT_EQ(sj["recent_runs"][0]["run_id"].Int(), 7);
  EXPECT_EQ(sj["recent_runs"][0]["status"].Str(), "succeeded");
}

// ---------------------------------------------------------------------------
// 2. A day with no data.

TEST(Scenario, DayWithNoDataFailsTheRunAlertsOnceAndResolvesWhenDataComes) {
  Week w;
  for (int day = 3; day <= 5; ++day) w.LoadDay(day);
  const size_t before = ReadJsonLines(w.alerts()).size();

  // 2025-03-07 06:30: nothing new in landing/ for 2025-03-06.
  CmdResult empty = w.p.Daybook({"--now", "2025-03-07T06:30:00Z", "run", "--json"});
  ASSERT_EQ(empty.exit_code, 1) << "a run that loads nothing fails the error volume check\n" << empty;
  Json ej = Json::Parse(empty.out);
  EXPECT_EQ(ej["run_id"].Int(), 4);
  EXPECT_EQ(ej["status"].Str(), "succeeded") << "the run itself committed (nothing)";
  std::vector<Json> vol = ChecksOf(ej, "volume", "order_events");
  ASSERT_EQ(vol.size(), 1u);
  EXPECT_EQ(vol[0]["status"].Str(), "fail");
  EXPECT_EQ(vol[0]["severity"].Str(), "error");
  EXPECT_EQ(vol[0]["observed"].Str(), "0");
  EXPECT_EQ(vol[0]["expected"].Str(), ">= 1");

  std::vector<Json> all = ReadJsonLines(w.alerts());
  std::vector<Json> raised = Select(all, "volume", "order_events", before);
  ASSERT_EQ(raised.size(), 1u) << ::testing::PrintToString(Keys(all, before));
  const Json& a = raised[0];
  scen::ExpectAlertShape(a);
  EXPECT_EQ(a["kind"].Str(), "raised");
  EXPECT_EQ(a["severity"].Str(), "error");
  EXPECT_EQ(a["business_date"].type(), Json::Type::kNull);
  EXPECT_EQ(a["run_id"].Int(), 4);
  EXPECT_EQ(a["raised_at"].Str(), "2025-03-07T06:30:00Z");
  EXPECT_EQ(a["time"].Str(), "2025-03-07T06:30:00Z");
  const std::string msg = a["message"].Str();
  EXPECT_TRUE(Contains(msg, "run 4 loaded 0 new events from source 'landing'")) << msg;
  EXPECT_TRUE(Contains(msg, "0 new files, 3 already loaded; 0 rows read")) << msg;
  EXPECT_TRUE(Contains(msg, "expected at least 1 (quality.min_rows_per_run)")) << msg;
  EXPECT_TRUE(Contains(msg, "no new input")) << msg;
  EXPECT_EQ(a["text"].Str(), "[ERROR] volume on order_events: " + msg);
  // The only error notice of that run is the volume one.
  for (size_t i = before; i < all.size(); ++i) {
    if (all[i]["severity"].Str() == "error") {
      EXPECT_EQ(all[i]["check"].Str(), "volume") << Key(all[i]);
    }
  }
  // The command sink got the same notice.
  std::vector<Json> cmd = Select(ReadJsonLines(w.p.Path("cmd-alerts.jsonl")), "volume", "order_events");
  ASSERT_EQ(cmd.size(), 1u);
  EXPECT_EQ(cmd[0]["alert_id"].Str(), a["alert_id"].Str());
  EXPECT_EQ(cmd[0]["message"].Str(), msg);
  const std::string id = a["alert_id"].Str();

  // The same empty run 45 minutes later, within the 6h cooldown: still exit 1,
  // but the open volume alert is not sent again.
  const size_t before_repeat = ReadJsonLines(w.alerts()).size();
  CmdResult repeat = w.p.Daybook({"--now", "2025-03-07T07:15:00Z", "run", "--json"});
  ASSERT_EQ(repeat.exit_code, 1) << repeat;
  Json rj = Json::Parse(repeat.out);
  EXPECT_GE(rj["alerts"]["suppressed"].Int(), 1);
  std::vector<Json> after_repeat = ReadJsonLines(w.alerts());
  EXPECT_TRUE(Select(after_repeat, "volume", "order_events", before_repeat).empty())
      << "re-sent within the cooldown: " << ::testing::PrintToString(Keys(after_repeat, before_repeat));
  Rows open = Query(w.p.db(), "SELECT alert_id, status, run_id, deliveries FROM alerts "
                              "WHERE check_name = 'volume' AND model = 'order_events'");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open.at(0, "alert_id"), id);
  EXPECT_EQ(open.at(0, "status"), "open");
  EXPECT_EQ(open.at(0, "run_id"), "4");
  Json deliveries = Json::Parse(open.at(0, "deliveries"));
  ASSERT_EQ(deliveries.size(), 2u) << "one raised notice per sink: " << open.at(0, "deliveries");
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(deliveries[i]["kind"].Str(), "raised");
    EXPECT_TRUE(deliveries[i]["ok"].Bool());
  }

  // The late day's data arrives: the run passes and the volume alert is
  // resolved (same alert_id).
  GenResult g = GenDay(w.p, MarchDay(6), 1006);
  const size_t before_fix = ReadJsonLines(w.alerts()).size();
  CmdResult fixed = w.p.Daybook({"--now", "2025-03-07T08:00:00Z", "run", "--json"});
  ASSERT_EQ(fixed.exit_code, 0) << fixed;
  Json fj = Json::Parse(fixed.out);
  EXPECT_EQ(fj["accepted"].Int(), g.events);
  EXPECT_GE(fj["alerts"]["resolved"].Int(), 1);
  std::vector<Json> resolved = Select(ReadJsonLines(w.alerts()), "volume", "order_events", before_fix);
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0]["kind"].Str(), "resolved");
  EXPECT_EQ(resolved[0]["alert_id"].Str(), id);
  EXPECT_EQ(resolved[0]["severity"].Str(), "error");
  EXPECT_EQ(resolved[0]["raised_at"].Str(), "2025-03-07T06:30:00Z");
  EXPECT_EQ(resolved[0]["time"].Str(), "2025-03-07T08:00:00Z");
  EXPECT_EQ(resolved[0]["run_id"].Int(), 6);
  EXPECT_TRUE(Contains(resolved[0]["message"].Str(), "run 6 loaded " + std::to_string(g.events) + " new events"))
      << resolved[0]["message"].Str();
  EXPECT_TRUE(Contains(resolved[0]["text"].Str(), "[RESOLVED] volume on order_events")) << resolved[0]["text"].Str();
  Rows closed = Query(w.p.db(), "SELECT status, strftime(resolved_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S') AS r "
                                "FROM alerts WHERE alert_id = '" + id + "'");
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed.at(0, "status"), "resolved");
  EXPECT_EQ(closed.at(0, "r"), "2025-03-07T08:00:00");

  // pipeline_runs recorded all six runs, the empty ones with 0 rows.
  EXPECT_EQ(DumpQuery(w.p.db(), "SELECT run_id, status, rows_read, files_loaded, files_skipped FROM pipeline_runs "
                                "WHERE run_id >= 4"),
            "run_id|status|rows_read|files_loaded|files_skipped\n"
            "4|succeeded|0|0|3\n5|succeeded|0|0|3\n6|succeeded|" + std::to_string(g.events) + "|1|3\n");
}

// ---------------------------------------------------------------------------
// 3. A day that misses its SLA.

TEST(Scenario, DayLoadedAfterItsCloseMissesTheSlaWithAWarnAlert) {
  Week w;
  for (int day = 3; day <= 4; ++day) w.LoadDay(day);
  const size_t before = ReadJsonLines(w.alerts()).size();

  // 2025-03-05's events arrive at 09:00 on 03-06, two hours after its close.
  GenResult g = GenDay(w.p, MarchDay(5), 1005);
  CmdResult late = w.p.Daybook({"--now", "2025-03-06T09:00:00Z", "run", "--json"});
  ASSERT_EQ(late.exit_code, 0) << "a missed SLA is a warning, not a failure\n" << late;
  Json j = Json::Parse(late.out);
  EXPECT_EQ(j["accepted"].Int(), g.events);
  std::vector<Json> fr = ChecksOf(j, "freshness", "daily_revenue");
  ASSERT_EQ(fr.size(), 1u) << "only the last closed day: the next close is not within the at-risk window";
  EXPECT_EQ(fr[0]["business_date"].Str(), "2025-03-05");
  EXPECT_EQ(fr[0]["observed"].Str(), "missed");
  EXPECT_EQ(fr[0]["status"].Str(), "warn");
  EXPECT_EQ(fr[0]["severity"].Str(), "warn");
  EXPECT_EQ(fr[0]["expected"].Str(), "final by 2025-03-06T07:00:00Z");
  EXPECT_TRUE(Contains(fr[0]["message"].Str(), "day 2025-03-05 was not final by its close 2025-03-06T07:00:00Z: "
                                               "events for it were loaded until 2025-03-06T09:00:00Z (2h late)"))
      << fr[0]["message"].Str();

  std::vector<Json> all = ReadJsonLines(w.alerts());
  std::vector<Json> sla = Select(all, "freshness", "daily_revenue", before);
  ASSERT_EQ(sla.size(), 1u) << ::testing::PrintToString(Keys(all, before));
  EXPECT_EQ(Key(sla[0]), "raised warn freshness/daily_revenue 2025-03-05");
  EXPECT_EQ(sla[0]["run_id"].Int(), 3);
  EXPECT_TRUE(Contains(sla[0]["text"].Str(), "[WARN] freshness on daily_revenue for 2025-03-05: ")) << sla[0]["text"].Str();
  for (size_t i = before; i < all.size(); ++i) EXPECT_EQ(all[i]["severity"].Str(), "warn") << Key(all[i]);

  // The day before was on time.
  EXPECT_EQ(Scalar(w.p.db(), "SELECT observed FROM check_results WHERE run_id = 2 AND check_name = 'freshness' "
                             "AND model = 'daily_revenue' AND business_date = DATE '2025-03-03'"),
            "met");

  // status: daily_revenue's SLA is missed, the warn alert is open.
  CmdResult st = w.p.Daybook({"--now", "2025-03-06T09:05:00Z", "status", "--json"});
  ASSERT_EQ(st.exit_code, 0) << st;
  Json sj = Json::Parse(st.out);
  const Json* dr = ModelStatus(sj, "daily_revenue");
  ASSERT_NE(dr, nullptr);
  EXPECT_EQ((*dr)["sla"].Str(), "missed");
  EXPECT_TRUE(Contains((*dr)["sla_detail"].Str(), "2h late")) << (*dr)["sla_detail"].Str();
  bool open = false;
  for (size_t i = 0; i < sj["open_alerts"].size(); ++i) {
    open |= Key(sj["open_alerts"][i]) == "raised warn freshness/daily_revenue 2025-03-05";
  }
  EXPECT_TRUE(open) << st.out;
  CmdResult text = w.p.Daybook({"--now", "2025-03-06T09:05:00Z", "status"});
  ASSERT_EQ(text.exit_code, 0) << text;
  EXPECT_TRUE(Contains(text.out, "daily_revenue: day 2025-03-05 was not final by its close")) << text.out;
}

// ---------------------------------------------------------------------------
// 4. A late batch that restates a published day.

TEST(Scenario, LateBatchRestatesAPublishedDayAlertsAndShowsInStatus) {
  scen::ProjectOptions o;
  o.quality_extra = "  restatement_alert_ratio: 0.05\n";
  Week w(o);
  for (int day = 3; day <= 5; ++day) w.LoadDay(day);
  // 2025-03-03 was published by run 2 (the first after its close), 03-04 by run 3.
  EXPECT_EQ(DumpQuery(w.p.db(), "SELECT strftime(business_date, '%Y-%m-%d') AS d, version FROM daily_revenue "
                                "WHERE orders > 0"),
            "d|version\n2025-03-03|1\n2025-03-04|1\n2025-03-05|0\n");
  const std::string old_net = Scalar(w.p.db(), "SELECT net FROM daily_revenue WHERE business_date = '2025-03-03'");
  const std::string old_net_04 = Scalar(w.p.db(), "SELECT net FROM daily_revenue WHERE business_date = '2025-03-04'");
  const size_t before = ReadJsonLines(w.alerts()).size();

  // A late batch for 2025-03-03 (~25 % more orders) and one tiny late event
  // for 2025-03-04 (1.00 USD, far below the 5 % ratio).
  GenResult late = GenDay(w.p, MarchDay(3), 4242, 30, "landing/late-2025-03-03.jsonl");
  w.p.WriteLines("landing/late-2025-03-04.jsonl",
                 {R"({"event_id":"late-tiny-1","event_type":"order_placed","order_id":"late-tiny-order",)"
                  R"("occurred_at":"2025-03-04T12:00:00Z","customer_id":"cus-late","amount":"1.00","currency":"USD"})"});
  CmdResult r = w.p.Daybook({"--now", "2025-03-06T12:00:00Z", "run", "--json"});
  ASSERT_EQ(r.exit_code, 0) << "a restatement is a warning\n" << r;
  Json j = Json::Parse(r.out);
  EXPECT_EQ(j["run_id"].Int(), 4);
  EXPECT_EQ(j["accepted"].Int(), late.events + 1);
  EXPECT_EQ(j["restated_days"].Int(), 2);
  const std::string new_net = Scalar(w.p.db(), "SELECT net FROM daily_revenue WHERE business_date = '2025-03-03'");
  const std::string new_net_04 = Scalar(w.p.db(), "SELECT net FROM daily_revenue WHERE business_date = '2025-03-04'");
  ASSERT_NE(old_net, new_net);
  EXPECT_EQ(Minor(new_net_04) - Minor(old_net_04), 100);

  // revenue_restatements: the net rows of both days, with the run and the late events.
  EXPECT_EQ(DumpQuery(w.p.db(), "SELECT strftime(business_date, '%Y-%m-%d') AS d, version, old_value, new_value, "
                                "delta, run_id, late_events FROM revenue_restatements WHERE metric = 'net'"),
            "d|version|old_value|new_value|delta|run_id|late_events\n"
            "2025-03-03|2|" + old_net + "|" + new_net + "|" +
                Scalar(w.p.db(), "SELECT (DECIMAL '" + new_net + "' - DECIMAL '" + old_net + "')::DECIMAL(18,2)") +
                "|4|" + std::to_string(late.events) + "\n"
            "2025-03-04|2|" + old_net_04 + "|" + new_net_04 + "|1.00|4|1\n");
  // The old version stays queryable.
  EXPECT_EQ(Scalar(w.p.db(), "SELECT net FROM daily_revenue_versions WHERE business_date = '2025-03-03' AND version = 1"),
            old_net);
  CmdResult asof = w.p.Daybook({"report", "--from", "2025-03-03", "--to", "2025-03-03", "--as-of",
                                "2025-03-06T11:00:00Z", "--format", "csv"});
  ASSERT_EQ(asof.exit_code, 0) << asof;
  std::vector<std::string> lines = SplitLines(asof.out);
  ASSERT_EQ(lines.size(), 2u) << asof.out;
  EXPECT_EQ(CsvFields(lines[1])[8], old_net);

  // Exactly one restatement alert: 2025-03-03 (over 5 %), not 2025-03-04.
  std::vector<Json> all = ReadJsonLines(w.alerts());
  std::vector<Json> rs = Select(all, "restatement_size", "daily_revenue", before);
  ASSERT_EQ(rs.size(), 1u) << ::testing::PrintToString(Keys(all, before));
  EXPECT_EQ(Key(rs[0]), "raised warn restatement_size/daily_revenue 2025-03-03");
  EXPECT_EQ(rs[0]["run_id"].Int(), 4);
  EXPECT_TRUE(Contains(rs[0]["message"].Str(), "run 4 restated 2025-03-03 (version 2) net from " + old_net + " to " +
                                                   new_net))
      << rs[0]["message"].Str();
  EXPECT_TRUE(Contains(rs[0]["message"].Str(), "with " + std::to_string(late.events) + " late events"))
      << rs[0]["message"].Str();
  std::vector<Json> rc = ChecksOf(j, "restatement_size", "daily_revenue");
  ASSERT_EQ(rc.size(), 1u) << "only the day over the ratio is listed";
  EXPECT_EQ(rc[0]["business_date"].Str(), "2025-03-03");
  EXPECT_EQ(rc[0]["status"].Str(), "warn");
  EXPECT_EQ(rc[0]["expected"].Str(), "<= 5.00%");

  // status lists both restated days of the last 7 days.
  CmdResult st = w.p.Daybook({"--now", "2025-03-06T12:05:00Z", "status", "--json"});
  ASSERT_EQ(st.exit_code, 0) << st;
  Json sj = Json::Parse(st.out);
  const Json& rl = sj["restatements_last_7_days"];
  ASSERT_EQ(rl.size(), 2u) << st.out;
  EXPECT_EQ(rl[0]["business_date"].Str(), "2025-03-03");
  EXPECT_EQ(rl[0]["version"].Int(), 2);
  EXPECT_EQ(Minor(rl[0]["net_delta"].NumberText()), Minor(new_net) - Minor(old_net));
  EXPECT_EQ(rl[0]["late_events"].Int(), late.events);
  EXPECT_EQ(rl[1]["business_date"].Str(), "2025-03-04");
  EXPECT_EQ(rl[1]["net_delta"].NumberText(), "1.00");
  // ... and forgets them after 7 days.
  CmdResult later = w.p.Daybook({"--now", "2025-03-14T12:00:00Z", "status", "--json"});
  ASSERT_EQ(later.exit_code, 0) << later;
  EXPECT_EQ(Json::Parse(later.out)["restatements_last_7_days"].size(), 0u);
}

// ---------------------------------------------------------------------------
// 5. An FX file missing a currency.

TEST(Scenario, FxFileMissingACurrencyQuarantinesItsEventsAndFailsTheGate) {
  Week w;
  // Drop every EUR rate.
  std::vector<std::string> fx;
  for (const auto& l : SplitLines(ReadFile(w.p.Path("fx_rates.csv")))) {
    if (!Contains(l, ",EUR,")) fx.push_back(l);
  }
  w.p.WriteLines("fx_rates.csv", fx);
  GenResult g = GenDay(w.p, MarchDay(3), 1003, 150);
  int64_t eur = 0;
  for (const auto& l : SplitLines(ReadFile(w.p.Path("landing/day-2025-03-03.jsonl")))) {
    eur += Contains(l, "\"currency\":\"EUR\"");
  }
  ASSERT_GT(eur, 2) << "the generated day must hold EUR events";

  CmdResult failed = w.p.Daybook({"--now", "2025-03-04T06:30:00Z", "run", "--json"});
  ASSERT_EQ(failed.exit_code, 1) << failed;
  Json fj = Json::Parse(failed.out);
  EXPECT_EQ(fj["status"].Str(), "failed");
  EXPECT_EQ(fj["quarantined"].Int(), eur);
  EXPECT_EQ(fj["quarantined_by_reason"]["FX_RATE_MISSING"].Int(), eur);
  EXPECT_EQ(fj["quarantined_by_reason"].size(), 1u);
  EXPECT_EQ(QueryInt(w.p.db(), "SELECT count(*) FROM order_events"), 0) << "nothing of the batch is committed";
  EXPECT_EQ(QueryInt(w.p.db(), "SELECT count(*) FROM quarantine"), 0);
  EXPECT_EQ(QueryInt(w.p.db(), "SELECT count(*) FROM loaded_files"), 0) << "the input is not marked loaded";
  Rows pr = Query(w.p.db(), "SELECT status, error FROM pipeline_runs WHERE run_id = 1");
  ASSERT_EQ(pr.size(), 1u);
  EXPECT_EQ(pr.at(0, "status"), "failed");
  EXPECT_TRUE(Contains(pr.at(0, "error"), "exceeds max_drop_rate 0.0100")) << pr.at(0, "error");

  std::vector<Json> all = ReadJsonLines(w.alerts());
  std::vector<Json> dr = Select(all, "drop_rate", "order_events");
  ASSERT_EQ(dr.size(), 1u) << ::testing::PrintToString(Keys(all));
  EXPECT_EQ(Key(dr[0]), "raised error drop_rate/order_events null");
  EXPECT_TRUE(Contains(dr[0]["message"].Str(), "by reason: FX_RATE_MISSING " + std::to_string(eur)))
      << dr[0]["message"].Str();
  EXPECT_TRUE(Contains(dr[0]["message"].Str(), "exceeds max_drop_rate 0.0100")) << dr[0]["message"].Str();
  EXPECT_TRUE(Contains(dr[0]["message"].Str(), "nothing of the batch was committed")) << dr[0]["message"].Str();
  std::vector<Json> vol = Select(all, "volume", "order_events");
  ASSERT_EQ(vol.size(), 1u);
  EXPECT_EQ(Key(vol[0]), "raised error volume/order_events null");
  EXPECT_TRUE(Contains(vol[0]["message"].Str(), "run 1 committed 0 new events")) << vol[0]["message"].Str();

  // Accepting the loss: --max-drop-rate 1 passes, the EUR events are quarantined.
  const size_t before = all.size();
  CmdResult passed = w.p.Daybook({"--now", "2025-03-04T06:40:00Z", "run", "--json", "--max-drop-rate", "1"});
  ASSERT_EQ(passed.exit_code, 0) << passed;
  Json pj = Json::Parse(passed.out);
  EXPECT_EQ(pj["status"].Str(), "succeeded");
  EXPECT_EQ(pj["accepted"].Int() + pj["quarantined"].Int(), pj["rows_read"].Int());
  EXPECT_EQ(QueryInt(w.p.db(), "SELECT count(*) FROM quarantine WHERE reason_code = 'FX_RATE_MISSING'"), eur);
  EXPECT_EQ(QueryInt(w.p.db(), "SELECT count(*) FROM quarantine WHERE reason_code <> 'FX_RATE_MISSING'"), 0);
  EXPECT_EQ(QueryInt(w.p.db(), "SELECT count(*) FROM quarantine WHERE detail NOT LIKE '%EUR%'"), 0)
      << DumpQuery(w.p.db(), "SELECT detail FROM quarantine LIMIT 3");
  EXPECT_EQ(QueryInt(w.p.db(), "SELECT count(*) FROM order_events WHERE currency = 'EUR'"), 0);
  EXPECT_EQ(QueryInt(w.p.db(), "SELECT count(*) FROM order_events"), g.events - eur);
  // Both error alerts are resolved.
  std::vector<Json> after = ReadJsonLines(w.alerts());
  std::vector<std::string> resolved;
  for (size_t i = before; i < after.size(); ++i) {
    if (after[i]["kind"].Str() == "resolved") resolved.push_back(Key(after[i]));
    EXPECT_NE(after[i]["severity"].Str() + after[i]["kind"].Str(), "errorraised") << Key(after[i]);
  }
  EXPECT_NE(std::find(resolved.begin(), resolved.end(), "resolved error drop_rate/order_events null"), resolved.end())
      << ::testing::PrintToString(resolved);
  EXPECT_NE(std::find(resolved.begin(), resolved.end(), "resolved error volume/order_events null"), resolved.end())
      << ::testing::PrintToString(resolved);
}

// ---------------------------------------------------------------------------
// 7. `daybook check` alone: exit 0 with warnings only, exit 1 on a failed
// error check, naming the day and the difference.

TEST(Scenario, CheckAloneExitsOneOnATamperedDayAndZeroOnWarningsOnly) {
  Week w;
  for (int day = 3; day <= 5; ++day) w.LoadDay(day);

  // Two days later nothing new came: freshness warnings only (check does not
  // judge volume on its own: the last run loaded data).
  CmdResult warn = w.p.Daybook({"--now", "2025-03-08T06:30:00Z", "check", "--json"});
  ASSERT_EQ(warn.exit_code, 0) << warn;
  Json wj = Json::Parse(warn.out);
  EXPECT_FALSE(wj["failed"].Bool());
  int warns = 0;
  for (size_t i = 0; i < wj["checks"].size(); ++i) {
    EXPECT_NE(wj["checks"][i]["status"].Str(), "fail") << wj["checks"][i]["message"].Str();
    warns += wj["checks"][i]["status"].Str() == "warn";
  }
  EXPECT_GE(warns, 1);
  std::vector<Json> oe = ChecksOf(wj, "freshness", "order_events");
  ASSERT_EQ(oe.size(), 1u);
  EXPECT_EQ(oe[0]["observed"].Str(), "missed");
  EXPECT_EQ(oe[0]["status"].Str(), "warn");
  // The check is recorded as a run of its own.
  const int64_t check_run = wj["run_id"].Int();
  EXPECT_EQ(check_run, 4);
  EXPECT_EQ(Scalar(w.p.db(), "SELECT command FROM pipeline_runs WHERE run_id = 4"), "check");
  EXPECT_EQ(QueryInt(w.p.db(), "SELECT count(DISTINCT check_name || '/' || model) FROM check_results WHERE run_id = 4"),
            static_cast<int64_t>(AllChecks().size()));

  // Tamper: 2025-03-04's net + 1.00 behind daybook's back.
  const std::string net = Scalar(w.p.db(), "SELECT net FROM daily_revenue WHERE business_date = '2025-03-04'");
  scen::ExecReadWrite(w.p.db(), {"UPDATE daily_revenue SET net = net + 1 WHERE business_date = DATE '2025-03-04'"});
  const size_t before = ReadJsonLines(w.alerts()).size();
  CmdResult bad = w.p.Daybook({"--now", "2025-03-06T07:30:00Z", "check", "--json"});
  ASSERT_EQ(bad.exit_code, 1) << bad;
  Json bj = Json::Parse(bad.out);
  EXPECT_TRUE(bj["failed"].Bool());
  std::vector<Json> rec = ChecksOf(bj, "reconciliation", "daily_revenue");
  ASSERT_EQ(rec.size(), 1u) << bad.out;
  EXPECT_EQ(rec[0]["status"].Str(), "fail");
  EXPECT_EQ(rec[0]["severity"].Str(), "error");
  EXPECT_EQ(rec[0]["business_date"].Str(), "2025-03-04");
  const std::string tampered = Scalar(w.p.db(), "SELECT net FROM daily_revenue WHERE business_date = '2025-03-04'");
  EXPECT_EQ(rec[0]["observed"].Str(), "net=" + tampered);
  EXPECT_EQ(rec[0]["expected"].Str(), "net=" + net);
  EXPECT_TRUE(Contains(rec[0]["message"].Str(), "daily_revenue 2025-03-04 disagrees with the sum of its included "
                                                "events: net " + tampered + " vs " + net + " (difference +1.00)"))
      << rec[0]["message"].Str();
  // Only that check failed.
  for (size_t i = 0; i < bj["checks"].size(); ++i) {
    const Json& c = bj["checks"][i];
    if (c["status"].Str() == "fail") {
      EXPECT_EQ(c["check"].Str() + "/" + c["model"].Str(), "reconciliation/daily_revenue");
    }
  }
  std::vector<Json> all = ReadJsonLines(w.alerts());
  std::vector<Json> ra = Select(all, "reconciliation", "daily_revenue", before);
  ASSERT_EQ(ra.size(), 1u) << ::testing::PrintToString(Keys(all, before));
  EXPECT_EQ(Key(ra[0]), "raised error reconciliation/daily_revenue 2025-03-04");
  EXPECT_EQ(ra[0]["message"].Str(), rec[0]["message"].Str());
  // The text form of `check` says the same.
  CmdResult text = w.p.Daybook({"--now", "2025-03-06T07:31:00Z", "check"});
  EXPECT_EQ(text.exit_code, 1) << text;
  EXPECT_TRUE(Contains(text.out, "FAIL daily_revenue.reconciliation 2025-03-04")) << text.out;
}

}  // namespace
}  // namespace e2e
