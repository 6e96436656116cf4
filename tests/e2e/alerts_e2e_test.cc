// E2E alerts (spec §7, alerts/dispatcher.h): the real binary delivering to
// a real HTTP receiver on 127.0.0.1 (retries on 5xx, a receiver that never
// answers), re-sending never-delivered alerts, reminders after the cooldown,
// min_severity, and resolution of a day-level alert.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "e2e/harness.h"
#include "e2e/scenario_util.h"

namespace e2e {
namespace {

using scen::Contains;
using scen::HookReceiver;
using scen::Key;
using scen::Keys;
using scen::MarchDay;
using scen::MorningAfter;
using scen::ReadJsonLines;
using scen::Select;

std::string WebhookSink(const HookReceiver& h, const std::string& extra) {
  return "    - type: webhook\n      url: " + h.url() + "\n" + extra;
}

// The deliveries JSON of the single alert row with this check/model.
Json Deliveries(const Project& p, const std::string& check, const std::string& model) {
  Rows r = Query(p.db(), "SELECT deliveries FROM alerts WHERE check_name = '" + check + "' AND model = '" + model + "'");
  if (r.size() != 1) throw std::runtime_error("expected one alert row for " + check + "/" + model + ", got " +
                                              std::to_string(r.size()));
  return Json::Parse(r.at(0, "deliveries"));
}

std::vector<const Json*> BySink(const Json& deliveries, const std::string& sink) {
  std::vector<const Json*> out;
  for (size_t i = 0; i < deliveries.size(); ++i) {
    if (deliveries[i]["sink"].Str() == sink) out.push_back(&deliveries[i]);
  }
  return out;
}

bool HasHeader(const std::string& headers, const std::string& name_value) {
  std::string h = headers, nv = name_value;
  for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char& c : nv) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return Contains(h, nv);
}

TEST(AlertsE2E, WebhookRetriesAfterA500AndRecordsTwoAttempts) {
  HookReceiver hook({500}, 200);
  Project p("");
  scen::ProjectOptions o;
  o.command_sink = false;
  o.sinks_extra = WebhookSink(hook, "      min_severity: error\n      timeout: 2s\n      retries: 2\n"
                                    "      backoff: 50ms\n      headers: {X-Daybook-Test: scenario}\n");
  scen::WriteScenarioConfig(p, o);
  scen::WriteFx(p);

  // Nothing in landing/: the volume check fails (error), freshness warns.
  CmdResult r = p.Daybook({"--now", "2025-03-04T06:30:00Z", "run", "--json"});
  ASSERT_EQ(r.exit_code, 1) << r;
  Json j = Json::Parse(r.out);
  EXPECT_EQ(j["alerts"]["delivery_failures"].Int(), 0) << "a retry that succeeds is not a failure";

  std::vector<HookReceiver::Request> reqs = hook.requests();
  ASSERT_EQ(reqs.size(), 2u) << "one error alert, 500 then 200";
  for (const auto& q : reqs) {
    EXPECT_EQ(q.request_line, "POST /hooks/daybook?token=secret HTTP/1.1");
    EXPECT_TRUE(HasHeader(q.headers, "Content-Type: application/json")) << q.headers;
    EXPECT_TRUE(HasHeader(q.headers, "X-Daybook-Test: scenario")) << q.headers;
  }
  EXPECT_EQ(reqs[0].body, reqs[1].body) << "a retry re-sends the same notice";
  Json body = Json::Parse(reqs[1].body);
  scen::ExpectAlertShape(body);
  EXPECT_EQ(Key(body), "raised error volume/order_events null");
  EXPECT_EQ(body["run_id"].Int(), 1);

  // The file sink got the same notice (and the warnings the webhook does not take).
  std::vector<Json> file = ReadJsonLines(p.Path("alerts.jsonl"));
  std::vector<Json> vol = Select(file, "volume", "order_events");
  ASSERT_EQ(vol.size(), 1u) << ::testing::PrintToString(Keys(file));
  EXPECT_EQ(scen::Key(vol[0]), Key(body));
  EXPECT_EQ(vol[0]["alert_id"].Str(), body["alert_id"].Str());
  EXPECT_GT(file.size(), 1u) << "warn alerts go to the file sink";

  // alerts.deliveries: the webhook (named without path and query) took 2
  // attempts; the file sink 1.
  Json d = Deliveries(p, "volume", "order_events");
  const std::string sink = "webhook:" + hook.origin();
  auto wh = BySink(d, sink);
  ASSERT_EQ(wh.size(), 1u) << "deliveries: " << Query(p.db(), "SELECT deliveries FROM alerts WHERE check_name = "
                                                              "'volume'").at(0, "deliveries");
  EXPECT_EQ((*wh[0])["kind"].Str(), "raised");
  EXPECT_TRUE((*wh[0])["ok"].Bool());
  EXPECT_EQ((*wh[0])["attempts"].Int(), 2);
  EXPECT_EQ((*wh[0])["error"].type(), Json::Type::kNull);
  EXPECT_EQ((*wh[0])["at"].Str(), "2025-03-04T06:30:00Z");
  auto fs = BySink(d, "file:alerts.jsonl");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_TRUE((*fs[0])["ok"].Bool());
  EXPECT_EQ((*fs[0])["attempts"].Int(), 1);
  // Warn alerts were never offered to the error-only webhook.
  EXPECT_EQ(QueryInt(p.db(), "SELECT count(*) FROM alerts WHERE severity = 'warn' AND deliveries LIKE '%webhook:%'"), 0);
  EXPECT_GE(QueryInt(p.db(), "SELECT count(*) FROM alerts WHERE severity = 'warn'"), 1);
}

TEST(AlertsE2E, WebhookThatNeverAnswersIsARecordedFailureAndTheRunStillCommits) {
  HookReceiver hook({}, /*fallback: never answer*/ 0);
  Project p("");
  scen::ProjectOptions o;
  o.command_sink = false;
  o.sinks_extra = WebhookSink(hook, "      timeout: 300ms\n      retries: 1\n      backoff: 10ms\n");
  scen::WriteScenarioConfig(p, o);
  scen::WriteFx(p);
  GenResult g = scen::GenDay(p, MarchDay(3), 77, 60);
  // One event with a field outside the contract: a schema_drift warning for sure.
  p.WriteLines("landing/extra.jsonl",
               {R"({"event_id":"drift-1","event_type":"order_placed","order_id":"drift-order-1",)"
                R"("occurred_at":"2025-03-03T10:00:00Z","customer_id":"c1","amount":"10.00","currency":"USD",)"
                R"("gift_wrap":true})"});

  // Text mode: delivery warnings go to stderr (with --json they are only
  // counted in the JSON).
  CmdResult r = p.Daybook({"--now", MorningAfter(3), "run"});
  ASSERT_EQ(r.exit_code, 0) << "delivery failures never change the exit code\n" << r;
  EXPECT_TRUE(Contains(r.out, "run 1 succeeded")) << r.out;
  EXPECT_EQ(QueryInt(p.db(), "SELECT count(*) FROM order_events"), g.events + 1) << "the data is committed";
  const int64_t raised = QueryInt(p.db(), "SELECT count(*) FROM alerts");
  ASSERT_GE(raised, 1);
  EXPECT_TRUE(Contains(r.out, std::to_string(raised) + " raised, 0 reminded, 0 resolved, 0 suppressed (cooldown), " +
                                  std::to_string(raised) + " delivery failures"))
      << r.out;
  EXPECT_EQ(hook.requests().size(), static_cast<size_t>(2 * raised)) << "1 attempt + 1 retry per notice";
  const std::string sink = "webhook:" + hook.origin();
  EXPECT_TRUE(Contains(r.err, "daybook: warning: " + sink + ": no response within")) << r.err;
  Json d = Deliveries(p, "schema_drift", "order_events");
  auto wh = BySink(d, sink);
  ASSERT_EQ(wh.size(), 1u) << "one webhook delivery entry";
  EXPECT_FALSE((*wh[0])["ok"].Bool());
  EXPECT_EQ((*wh[0])["attempts"].Int(), 2);
  EXPECT_TRUE(Contains((*wh[0])["error"].Str(), "no response within")) << (*wh[0])["error"].Str();
  auto fs = BySink(d, "file:alerts.jsonl");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_TRUE((*fs[0])["ok"].Bool()) << "the other sink still delivered";
  std::vector<Json> file = Select(ReadJsonLines(p.Path("alerts.jsonl")), "schema_drift", "order_events");
  ASSERT_EQ(file.size(), 1u);
  EXPECT_TRUE(Contains(file[0]["message"].Str(), "gift_wrap")) << file[0]["message"].Str();
  EXPECT_EQ(QueryInt(p.db(), "SELECT count(*) FROM alerts WHERE status = 'open'"), raised);
}

TEST(AlertsE2E, AlertNoSinkAcceptedIsSentAgainAtTheNextRunDespiteTheCooldown) {
  HookReceiver hook({503}, 200);
  Project p("");
  scen::ProjectOptions o;
  o.file_sink = false;
  o.command_sink = false;
  o.sinks_extra = WebhookSink(hook, "      min_severity: error\n      retries: 0\n      timeout: 2s\n");
  scen::WriteScenarioConfig(p, o);
  scen::WriteFx(p);

  CmdResult first = p.Daybook({"--now", "2025-03-04T06:30:00Z", "run", "--json"});
  ASSERT_EQ(first.exit_code, 1) << first;
  EXPECT_EQ(Json::Parse(first.out)["alerts"]["delivery_failures"].Int(), 1);
  ASSERT_EQ(hook.requests().size(), 1u);
  const std::string id = Json::Parse(hook.requests()[0].body)["alert_id"].Str();
  Json d1 = Deliveries(p, "volume", "order_events");
  ASSERT_EQ(d1.size(), 1u);
  EXPECT_FALSE(d1[0]["ok"].Bool());
  EXPECT_EQ(d1[0]["attempts"].Int(), 1);
  EXPECT_EQ(d1[0]["error"].Str(), "HTTP 503: busy");

  // Ten minutes later, well within the 6h cooldown: never delivered, so sent
  // again as "raised" with the same id.
  CmdResult second = p.Daybook({"--now", "2025-03-04T06:40:00Z", "run", "--json"});
  ASSERT_EQ(second.exit_code, 1) << second;
  ASSERT_EQ(hook.requests().size(), 2u);
  Json again = Json::Parse(hook.requests()[1].body);
  EXPECT_EQ(again["alert_id"].Str(), id);
  EXPECT_EQ(again["kind"].Str(), "raised");
  EXPECT_EQ(again["raised_at"].Str(), "2025-03-04T06:30:00Z");
  EXPECT_EQ(again["time"].Str(), "2025-03-04T06:40:00Z");
  EXPECT_EQ(again["run_id"].Int(), 2);
  Json d2 = Deliveries(p, "volume", "order_events");
  ASSERT_EQ(d2.size(), 2u);
  EXPECT_TRUE(d2[1]["ok"].Bool());

  // Delivered now: the next run within the cooldown is suppressed.
  CmdResult third = p.Daybook({"--now", "2025-03-04T06:50:00Z", "run", "--json"});
  ASSERT_EQ(third.exit_code, 1) << third;
  EXPECT_EQ(hook.requests().size(), 2u);
  EXPECT_GE(Json::Parse(third.out)["alerts"]["suppressed"].Int(), 1);

  // After the cooldown: a reminder with the same id.
  CmdResult fourth = p.Daybook({"--now", "2025-03-04T13:00:00Z", "run", "--json"});
  ASSERT_EQ(fourth.exit_code, 1) << fourth;
  ASSERT_EQ(hook.requests().size(), 3u);
  Json rem = Json::Parse(hook.requests()[2].body);
  EXPECT_EQ(rem["kind"].Str(), "reminder");
  EXPECT_EQ(rem["alert_id"].Str(), id);
  EXPECT_TRUE(Contains(rem["text"].Str(), "[ERROR, open since 2025-03-04T06:30:00Z] volume on order_events"))
      << rem["text"].Str();
  EXPECT_EQ(Json::Parse(fourth.out)["alerts"]["reminded"].Int(), 1);
}

// runner.h: "an open alert (check, model, day) is resolved when the latest
// results of that (check, model) no longer list that day as violating".
TEST(AlertsE2E, DayLevelAlertIsResolvedWhenItsDayPassesAgain) {
  Project p("");
  scen::WriteScenarioConfig(p);
  scen::WriteFx(p);
  for (int day = 3; day <= 5; ++day) {
    scen::GenDay(p, MarchDay(day), 1000 + day);
    CmdResult r = p.Daybook({"--now", MorningAfter(day), "run"});
    ASSERT_EQ(r.exit_code, 0) << r;
  }
  scen::ExecReadWrite(p.db(), {"UPDATE daily_revenue SET net = net + 1 WHERE business_date = DATE '2025-03-04'"});
  CmdResult bad = p.Daybook({"--now", "2025-03-06T07:30:00Z", "check"});
  ASSERT_EQ(bad.exit_code, 1) << bad;
  std::vector<Json> raised = Select(ReadJsonLines(p.Path("alerts.jsonl")), "reconciliation", "daily_revenue");
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(Key(raised[0]), "raised error reconciliation/daily_revenue 2025-03-04");
  const std::string id = raised[0]["alert_id"].Str();

  // Repaired: the check passes again and says so for the whole window.
  scen::ExecReadWrite(p.db(), {"UPDATE daily_revenue SET net = net - 1 WHERE business_date = DATE '2025-03-04'"});
  const size_t before = ReadJsonLines(p.Path("alerts.jsonl")).size();
  CmdResult good = p.Daybook({"--now", "2025-03-06T07:40:00Z", "check", "--json"});
  ASSERT_EQ(good.exit_code, 0) << good;
  std::vector<Json> rec = scen::ChecksOf(Json::Parse(good.out), "reconciliation", "daily_revenue");
  ASSERT_EQ(rec.size(), 1u);
  EXPECT_EQ(rec[0]["status"].Str(), "pass");

  std::vector<Json> after = ReadJsonLines(p.Path("alerts.jsonl"));
  std::vector<Json> resolved = Select(after, "reconciliation", "daily_revenue", before);
  ASSERT_EQ(resolved.size(), 1u) << "the 2025-03-04 reconciliation alert must be resolved once the day reconciles; "
                                    "notices sent: "
                                 << ::testing::PrintToString(Keys(after, before));
  EXPECT_EQ(Key(resolved[0]), "resolved error reconciliation/daily_revenue 2025-03-04");
  EXPECT_EQ(resolved[0]["alert_id"].Str(), id);
  EXPECT_EQ(Scalar(p.db(), "SELECT status FROM alerts WHERE alert_id = '" + id + "'"), "resolved");
}

}  // namespace
}  // namespace e2e
