// Reasons: every record-level reason code of spec §3 produced by a real bad
// line in a real file, every order-level exclusion with hand-computed daily
// numbers, business dates across DST, and FX conversion (rate of the event's
// date, half-to-even rounding, staleness).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "e2e/harness.h"

namespace e2e {
namespace {

constexpr const char* kHeader =
    "business_date,orders,cancelled_orders,refunded_orders,customers,gross,cancellations,refunds,net,currency";

std::string Hex(const std::string& bytes) {
  static const char* d = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    out += d[c >> 4];
    out += d[c & 15];
  }
  return out;
}

std::string Placed(const std::string& id, const std::string& order, const std::string& at, const std::string& amount,
                   const std::string& currency = "USD", const std::string& customer = "c1",
                   const std::string& channel = "web") {
  return R"({"event_id":")" + id + R"(","event_type":"order_placed","order_id":")" + order +
         R"(","occurred_at":")" + at + R"(","customer_id":")" + customer + R"(","amount":")" + amount +
         R"(","currency":")" + currency + R"(","channel":")" + channel + R"("})";
}
std::string Refund(const std::string& id, const std::string& order, const std::string& at, const std::string& amount,
                   const std::string& currency = "USD") {
  return R"({"event_id":")" + id + R"(","event_type":"order_refunded","order_id":")" + order +
         R"(","occurred_at":")" + at + R"(","amount":")" + amount + R"(","currency":")" + currency + R"("})";
}
std::string Cancel(const std::string& id, const std::string& order, const std::string& at) {
  return R"({"event_id":")" + id + R"(","event_type":"order_cancelled","order_id":")" + order +
         R"(","occurred_at":")" + at + R"("})";
}

// ------------------------------------------------------------ record level

TEST(Reasons, EveryRecordLevelReasonIsQuarantinedWithItsLocatorAndRawText) {
  Project p(
      "warehouse:\n  path: wh.duckdb\n"
      "business:\n  timezone: UTC\n  restatement_window_days: 35\n  max_clock_skew: 5m\n"
      "fx:\n  rates: fx.csv\n  max_staleness_days: 3\n"
      "sources:\n  - name: landing\n    type: files\n    path: landing/*.jsonl\n    max_record_bytes: 1024\n"
      "quality:\n  max_drop_rate: 1\n");
  p.Write("fx.csv", "date,currency,rate\n2024-06-01,EUR,1.25\n");
  const std::string now = "2024-06-05T00:00:00Z";  // earliest accepted business date: 2024-05-01

  std::string oversized = R"({"event_id":"big","event_type":"order_placed","order_id":"o-big","occurred_at":"2024-06-01T10:00:00Z","customer_id":"c","amount":"1.00","currency":"USD","pad":")";
  oversized += std::string(2000 - oversized.size() - 2, 'x') + "\"}";
  std::string bad_utf8 = Placed("utf", "o-utf", "2024-06-01T10:00:00Z", "1.00", "USD", "c-XX");
  bad_utf8.replace(bad_utf8.find("XX"), 2, "\xff\xfe");

  // line -> (reason, a word the detail must contain)
  struct Bad { std::string line, reason, detail_word; };
  const std::vector<Bad> bad = {
      {R"({"event_id":"trunc","event_type":"order_placed","order_id")", "MALFORMED_JSON", ""},
      {R"({"event_id":"nocust","event_type":"order_placed","order_id":"o3","occurred_at":"2024-06-01T10:00:00Z","amount":"1.00","currency":"USD"})",
       "MISSING_FIELD", "customer_id"},
      {R"({"event_id":"numid","event_type":"order_placed","order_id":12345,"occurred_at":"2024-06-01T10:00:00Z","customer_id":"c","amount":"1.00","currency":"USD"})",
       "WRONG_TYPE", "order_id"},
      {R"({"event_id":"ship","event_type":"order_shipped","order_id":"o5","occurred_at":"2024-06-01T10:00:00Z"})",
       "UNKNOWN_EVENT_TYPE", "order_shipped"},
      {Placed("ts", "o6", "2024-06-01 10:00", "1.00"), "INVALID_TIMESTAMP", "occurred_at"},
      {Placed("comma", "o7", "2024-06-01T10:00:00Z", "12,50"), "INVALID_AMOUNT", "amount"},
      {Placed("prec", "o8", "2024-06-01T10:00:00Z", "1.005"), "AMOUNT_PRECISION", "amount"},
      {Placed("lower", "o9", "2024-06-01T10:00:00Z", "1.00", "usd"), "UNKNOWN_CURRENCY", "usd"},
      {Placed("gbp", "o10", "2024-06-01T10:00:00Z", "1.00", "GBP"), "FX_RATE_MISSING", "GBP"},
      {Placed("future", "o11", "2024-06-05T00:05:01Z", "1.00"), "FUTURE_TIMESTAMP", "occurred_at"},
      {Placed("old", "o12", "2024-04-30T23:59:59Z", "1.00"), "TOO_LATE", "2024-04-30"},
      {Placed("ok-1", "o1", "2024-06-01T10:00:00Z", "2.00"), "DUPLICATE_CONFLICT", "ok-1"},
      {oversized, "OVERSIZED_RECORD", "1024"},
      {bad_utf8, "INVALID_UTF8", "UTF-8"},
  };
  std::vector<std::string> lines = {Placed("ok-1", "o1", "2024-06-01T10:00:00Z", "1.00")};  // line 1
  for (const auto& b : bad) lines.push_back(b.line);                                           // lines 2..15
  lines.push_back("");                                                                         // 16: blank, not a row
  lines.push_back(Placed("edge-window", "o17", "2024-05-01T00:00:00Z", "1.00"));              // 17: first day in the window
  lines.push_back(Placed("edge-skew", "o18", "2024-06-05T00:05:00Z", "1.00"));                // 18: exactly now + skew
  p.WriteLines("landing/in.jsonl", lines);
  ASSERT_EQ(oversized.size(), 2000u);

  CmdResult r = p.Daybook({"--now", now, "run", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r;
  Json j = Json::Parse(r.out);
  EXPECT_EQ(j["rows_read"].Int(), 17) << "the blank line is not a row";
  EXPECT_EQ(j["accepted"].Int(), 3);
  EXPECT_EQ(j["quarantined"].Int(), 14);
  EXPECT_EQ(j["duplicates"].Int(), 0);
  for (const auto& b : bad) EXPECT_EQ(j["quarantined_by_reason"][b.reason].Int(), 1) << b.reason;
  EXPECT_EQ(j["quarantined_by_reason"].size(), bad.size());

  const std::string file = p.Path("landing/in.jsonl");
  Rows q = Query(p.db(), "SELECT source, source_file, source_line, reason_code, detail, raw, "
                         "coalesce(hex(raw_bytes), hex(raw)) AS raw_hex, raw_size, replay_status "
                         "FROM quarantine ORDER BY source_line");
  ASSERT_EQ(q.size(), bad.size());
  for (size_t i = 0; i < bad.size(); ++i) {
    SCOPED_TRACE(bad[i].reason);
    EXPECT_EQ(q.at(i, "reason_code"), bad[i].reason);
    EXPECT_EQ(q.at(i, "source"), "landing");
    EXPECT_EQ(q.at(i, "source_file"), file);
    EXPECT_EQ(q.at(i, "source_line"), std::to_string(i + 2));
    EXPECT_NE(q.at(i, "detail").find(bad[i].detail_word), std::string::npos) << q.at(i, "detail");
    EXPECT_FALSE(q.at(i, "detail").empty());
    EXPECT_EQ(q.at(i, "replay_status"), "pending");
    EXPECT_EQ(q.at(i, "raw_size"), std::to_string(bad[i].line.size()));
    if (bad[i].reason == "OVERSIZED_RECORD") {
      // The head of the record is kept (bounded memory), and its true size.
      const std::string raw = q.at(i, "raw");
      EXPECT_GE(raw.size(), 100u);
      EXPECT_EQ(bad[i].line.compare(0, raw.size(), raw), 0) << "raw must be a prefix of the line";
    } else {
      EXPECT_EQ(q.at(i, "raw_hex"), Hex(bad[i].line)) << "the exact bytes of the line are kept";
    }
  }
  // The accepted ones: the first ok-1 (not the conflicting newcomer) and the edges.
  EXPECT_EQ(DumpQuery(p.db(), "SELECT event_id, source_line, amount_minor, strftime(business_date, '%Y-%m-%d') AS d "
                              "FROM order_events"),
            "event_id|source_line|amount_minor|d\n"
            "edge-skew|18|100|2024-06-05\n"
            "edge-window|17|100|2024-05-01\n"
            "ok-1|1|100|2024-06-01\n");
}

// ------------------------------------------------------------ order level

// Orders A..G on 2024-06-01..03 (USD, EUR at 1.25). See the expected rows.
std::vector<std::string> OrderLevelLines() {
  return {
      // A: the spec example: 100.00 on day 1, refund 30.00 on day 2, cancel on day 3.
      Placed("p-A", "A", "2024-06-01T10:00:00Z", "100.00", "USD", "c1"),
      Refund("r-A", "A", "2024-06-02T10:00:00Z", "30.00"),
      Cancel("c-A", "A", "2024-06-03T10:00:00Z"),
      // B: a second order_placed for the same order.
      Placed("p-B", "B", "2024-06-01T11:00:00Z", "50.00", "USD", "c2"),
      Placed("p-B2", "B", "2024-06-02T11:00:00Z", "60.00", "USD", "c2"),
      // C: a refund in another currency than the order's.
      Placed("p-C", "C", "2024-06-01T12:00:00Z", "40.00", "USD", "c3"),
      Refund("r-C", "C", "2024-06-02T12:00:00Z", "10.00", "EUR"),
      // D: refunds passing the order amount.
      Placed("p-D", "D", "2024-06-01T13:00:00Z", "20.00", "USD", "c4"),
      Refund("r-D1", "D", "2024-06-02T13:00:00Z", "15.00"),
      Refund("r-D2", "D", "2024-06-03T13:00:00Z", "10.00"),
      // E: a refund and a second cancel after the cancel.
      Placed("p-E", "E", "2024-06-01T14:00:00Z", "10.00", "USD", "c5"),
      Cancel("c-E", "E", "2024-06-02T14:00:00Z"),
      Refund("r-E", "E", "2024-06-03T14:00:00Z", "5.00"),
      Cancel("c-E2", "E", "2024-06-03T15:00:00Z"),
      // F: a refund whose order arrives in a later run.
      Refund("r-F", "F", "2024-06-02T16:00:00Z", "8.00"),
      // G: a cancel whose order never arrives.
      Cancel("c-G", "G", "2024-06-02T17:00:00Z"),
  };
}
const std::string kOrderLateLine = Placed("p-F", "F", "2024-06-01T16:00:00Z", "25.00", "USD", "c1");
constexpr const char* kOrderNow = "2024-06-10T00:00:00Z";

std::string OrderLevelConfig() {
  return "warehouse:\n  path: wh.duckdb\nbusiness:\n  restatement_window_days: 3650\n"
         "fx:\n  rates: fx.csv\n  max_staleness_days: 3\n";
}

std::string EventStates(const std::string& db) {
  return DumpQuery(db,
                   "SELECT event_id, included, coalesce(excluded_reason, '-') AS reason, "
                   "CASE WHEN included OR event_type <> 'order_cancelled' THEN reporting_amount::VARCHAR ELSE '-' END "
                   "AS reporting FROM order_events");
}

TEST(Reasons, OrderLevelExclusionsAreStoredButNotCounted) {
  Project p(OrderLevelConfig());
  p.Write("fx.csv", "date,currency,rate\n2024-06-01,EUR,1.25\n");
  p.WriteLines("first.jsonl", OrderLevelLines());
  CmdResult r = p.Daybook({"--now", kOrderNow, "run", "--json", "--input", p.Path("first.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(Json::Parse(r.out)["accepted"].Int(), 16);
  EXPECT_EQ(EventStates(p.db()),
            "event_id|included|reason|reporting\n"
            "c-A|true|-|70.00\n"
            "c-E2|false|AFTER_CANCEL|-\n"
            "c-E|true|-|10.00\n"
            "c-G|false|ORPHAN_EVENT|-\n"
            "p-A|true|-|100.00\n"
            "p-B2|false|DUPLICATE_ORDER|60.00\n"
            "p-B|true|-|50.00\n"
            "p-C|true|-|40.00\n"
            "p-D|true|-|20.00\n"
            "p-E|true|-|10.00\n"
            "r-A|true|-|30.00\n"
            "r-C|false|CURRENCY_MISMATCH|12.50\n"
            "r-D1|true|-|15.00\n"
            "r-D2|false|REFUND_EXCEEDS_ORDER|10.00\n"
            "r-E|false|AFTER_CANCEL|5.00\n"
            "r-F|false|ORPHAN_EVENT|8.00\n");
  CmdResult rep = p.Daybook({"report", "--format", "csv"});
  ASSERT_EQ(rep.exit_code, 0) << rep;
  // Day 1: A 100 + B 50 + C 40 + D 20 + E 10 (5 customers).
  // Day 2: refunds A 30 + D 15; cancellation E 10. Day 3: cancellation A 100 - 30.
  EXPECT_EQ(rep.out, std::string(kHeader) + "\n"
                         "2024-06-01,5,0,0,5,220.00,0.00,0.00,220.00,USD\n"
                         "2024-06-02,0,1,2,0,0.00,10.00,45.00,-55.00,USD\n"
                         "2024-06-03,0,1,0,0,0.00,70.00,0.00,-70.00,USD\n");
  EXPECT_EQ(DumpQuery(p.db(), "SELECT order_id, cancelled, refunded, net_reporting, events, excluded_events "
                              "FROM fct_orders"),
            "order_id|cancelled|refunded|net_reporting|events|excluded_events\n"
            "A|true|30.0000|0.00|3|0\n"
            "B|false|0.0000|50.00|2|1\n"
            "C|false|0.0000|40.00|2|1\n"
            "D|false|15.0000|5.00|3|1\n"
            "E|true|0.0000|0.00|4|2\n"
            "F|false|0.0000|0.00|1|1\n"
            "G|false|0.0000|0.00|1|1\n");
}

TEST(Reasons, OrphanRefundBecomesIncludedWhenItsOrderArrives) {
  Project p(OrderLevelConfig());
  p.Write("fx.csv", "date,currency,rate\n2024-06-01,EUR,1.25\n");
  p.WriteLines("first.jsonl", OrderLevelLines());
  p.WriteLines("second.jsonl", {kOrderLateLine});
  ASSERT_EQ(p.Daybook({"--now", kOrderNow, "run", "--input", p.Path("first.jsonl")}).exit_code, 0);
  ASSERT_EQ(Scalar(p.db(), "SELECT excluded_reason FROM order_events WHERE event_id = 'r-F'"), "ORPHAN_EVENT");
  CmdResult r = p.Daybook({"--now", kOrderNow, "run", "--json", "--input", p.Path("second.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(Json::Parse(r.out)["accepted"].Int(), 1);
  EXPECT_EQ(DumpQuery(p.db(), "SELECT event_id, included, coalesce(excluded_reason, '-') AS reason, reporting_amount "
                              "FROM order_events WHERE order_id = 'F'"),
            "event_id|included|reason|reporting_amount\n"
            "p-F|true|-|25.00\n"
            "r-F|true|-|8.00\n");
  EXPECT_EQ(Scalar(p.db(), "SELECT excluded_reason FROM order_events WHERE event_id = 'c-G'"), "ORPHAN_EVENT");
  CmdResult rep = p.Daybook({"report", "--format", "csv"});
  ASSERT_EQ(rep.exit_code, 0) << rep;
  // F adds 25.00 (customer c1 again: still 5 customers) on day 1 and its 8.00 refund on day 2.
  EXPECT_EQ(rep.out, std::string(kHeader) + "\n"
                         "2024-06-01,6,0,0,5,245.00,0.00,0.00,245.00,USD\n"
                         "2024-06-02,0,1,3,0,0.00,10.00,53.00,-63.00,USD\n"
                         "2024-06-03,0,1,0,0,0.00,70.00,0.00,-70.00,USD\n");
  EXPECT_EQ(DumpQuery(p.db(), "SELECT order_id, refunded, net_reporting FROM fct_orders WHERE order_id = 'F'"),
            "order_id|refunded|net_reporting\nF|8.0000|17.00\n");
  // All days were published by the first run: days 1 and 2 were restated.
  EXPECT_EQ(DumpQuery(p.db(), "SELECT strftime(business_date, '%Y-%m-%d') AS d, version FROM daily_revenue "
                              "WHERE business_date <= DATE '2024-06-03'"),
            "d|version\n2024-06-01|2\n2024-06-02|2\n2024-06-03|1\n");
  EXPECT_EQ(DumpQuery(p.db(), "SELECT strftime(business_date, '%Y-%m-%d') AS d, metric, old_value, new_value, delta "
                              "FROM revenue_restatements WHERE metric IN ('net', 'refunds', 'gross')"),
            "d|metric|old_value|new_value|delta\n"
            "2024-06-01|gross|220.00|245.00|25.00\n"
            "2024-06-01|net|220.00|245.00|25.00\n"
            "2024-06-02|net|-55.00|-63.00|-8.00\n"
            "2024-06-02|refunds|45.00|53.00|8.00\n");
}

// ------------------------------------------------------------ time zones

TEST(Reasons, BusinessDatesFollowTheZoneAcrossDst) {
  Project p("warehouse:\n  path: wh.duckdb\nbusiness:\n  timezone: America/New_York\n"
            "  restatement_window_days: 3650\n  daily_close: \"07:00\"\n");
  // 2024-03-10 has 23 hours in New York (EST -5 -> EDT -4 at 02:00 local);
  // 2024-11-03 has 25 (EDT -4 -> EST -5 at 02:00 local).
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"2024-03-10T04:30:00Z", "2024-03-09"},       // 23:30 EST
      {"2024-03-10T05:30:00Z", "2024-03-10"},       // 00:30 EST
      {"2024-03-11T03:30:00Z", "2024-03-10"},       // 23:30 EDT: the 23-hour day ends at 04:00Z
      {"2024-03-11T04:30:00Z", "2024-03-11"},       // 00:30 EDT
      {"2024-03-09T23:59:59-05:00", "2024-03-09"},  // an explicit offset
      {"2024-11-03T03:30:00Z", "2024-11-02"},       // 23:30 EDT
      {"2024-11-03T04:30:00Z", "2024-11-03"},       // 00:30 EDT
      {"2024-11-04T04:30:00Z", "2024-11-03"},       // 23:30 EST: the 25-hour day ends at 05:00Z
      {"2024-11-04T05:30:00Z", "2024-11-04"},       // 00:30 EST
  };
  std::vector<std::string> lines;
  std::string expected = "event_id|d\n";
  for (size_t i = 0; i < cases.size(); ++i) {
    std::string id = "tz-" + std::to_string(i);
    lines.push_back(Placed(id, "o-" + id, cases[i].first, "10.00", "USD", "c" + std::to_string(i)));
    expected += id + "|" + cases[i].second + "\n";
  }
  p.WriteLines("tz.jsonl", lines);
  CmdResult r = p.Daybook({"--now", "2024-11-20T00:00:00Z", "run", "--input", p.Path("tz.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(DumpQuery(p.db(), "SELECT event_id, strftime(business_date, '%Y-%m-%d') AS d FROM order_events"), expected);
  CmdResult rep = p.Daybook({"report", "--format", "csv"});
  ASSERT_EQ(rep.exit_code, 0) << rep;
  EXPECT_EQ(rep.out, std::string(kHeader) + "\n"
                         "2024-03-09,2,0,0,2,20.00,0.00,0.00,20.00,USD\n"
                         "2024-03-10,2,0,0,2,20.00,0.00,0.00,20.00,USD\n"
                         "2024-03-11,1,0,0,1,10.00,0.00,0.00,10.00,USD\n"
                         "2024-11-02,1,0,0,1,10.00,0.00,0.00,10.00,USD\n"
                         "2024-11-03,2,0,0,2,20.00,0.00,0.00,20.00,USD\n"
                         "2024-11-04,1,0,0,1,10.00,0.00,0.00,10.00,USD\n");

  // Publication at 07:00 local on D+1, DST-correct: 2024-03-09 closes at
  // 07:00 EDT = 11:00Z; 2024-11-02 closes at 07:00 EST = 12:00Z.
  p.WriteLines("mar.jsonl", {lines[0]});
  p.WriteLines("nov.jsonl", {lines[5]});
  struct Pub { const char* input; const char* now; const char* version; };
  const std::vector<Pub> pubs = {{"mar.jsonl", "2024-03-10T10:59:59Z", "0"}, {"mar.jsonl", "2024-03-10T11:00:00Z", "1"},
                                 {"nov.jsonl", "2024-11-03T11:59:59Z", "0"}, {"nov.jsonl", "2024-11-03T12:00:00Z", "1"}};
  for (size_t i = 0; i < pubs.size(); ++i) {
    const std::string db = p.Path("pub" + std::to_string(i) + ".duckdb");
    CmdResult pr = p.Daybook({"--db", db, "--now", pubs[i].now, "run", "--input", p.Path(pubs[i].input)});
    ASSERT_EQ(pr.exit_code, 0) << pr;
    EXPECT_EQ(Scalar(db, "SELECT version FROM daily_revenue"), pubs[i].version)
        << pubs[i].input << " at " << pubs[i].now;
  }
}

// ------------------------------------------------------------ FX

TEST(Reasons, FxUsesTheEventDateRateHalfEvenAndStaleness) {
  Project p("warehouse:\n  path: wh.duckdb\nbusiness:\n  restatement_window_days: 3650\n"
            "fx:\n  rates: fx.csv\n  max_staleness_days: 3\nquality:\n  max_drop_rate: 1\n");
  p.Write("fx.csv", "date,currency,rate\n2024-06-01,EUR,1.25\n2024-06-10,EUR,2.00\n2024-06-01,KWD,3.0\n");
  p.WriteLines("fx.jsonl", {
      Placed("fx-1", "o1", "2024-06-01T10:00:00Z", "10.02", "EUR"),   // 12.525 -> 12.52 (half-up would give 12.53)
      Placed("fx-2", "o2", "2024-06-01T11:00:00Z", "10.06", "EUR"),   // 12.575 -> 12.58
      Placed("fx-k", "o3", "2024-06-01T12:00:00Z", "1.015", "KWD"),   // 3.045 -> 3.04 (3 -> 2 minor digits)
      Refund("fx-r", "o1", "2024-06-02T10:00:00Z", "2.02", "EUR"),    // 2.525 -> 2.52, 1-day-old rate
      Placed("fx-3", "o4", "2024-06-04T23:00:00Z", "10.00", "EUR"),   // 3-day-old rate: 12.50
      Placed("fx-4", "o5", "2024-06-05T01:00:00Z", "10.00", "EUR"),   // 4 days old: FX_RATE_MISSING
      Placed("fx-6", "o6", "2024-06-09T10:00:00Z", "10.00", "EUR"),   // 8 days old; no later rate used
      Placed("fx-5", "o7", "2024-06-10T10:00:00Z", "10.00", "EUR"),   // its own date's rate: 20.00
      Cancel("fx-c", "o2", "2024-06-10T12:00:00Z"),                   // 10.06 EUR at 2.00 = 20.12
  });
  CmdResult r = p.Daybook({"--now", "2024-06-20T00:00:00Z", "run", "--json", "--input", p.Path("fx.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r;
  Json j = Json::Parse(r.out);
  EXPECT_EQ(j["accepted"].Int(), 7);
  EXPECT_EQ(j["quarantined_by_reason"]["FX_RATE_MISSING"].Int(), 2);
  EXPECT_EQ(DumpQuery(p.db(), "SELECT source_line, reason_code FROM quarantine"),
            "source_line|reason_code\n6|FX_RATE_MISSING\n7|FX_RATE_MISSING\n");
  EXPECT_EQ(DumpQuery(p.db(), "SELECT event_id, currency, amount_minor, (fx_rate * 100)::BIGINT AS rate_x100, "
                              "reporting_amount, included FROM order_events"),
            "event_id|currency|amount_minor|rate_x100|reporting_amount|included\n"
            "fx-1|EUR|1002|125|12.52|true\n"
            "fx-2|EUR|1006|125|12.58|true\n"
            "fx-3|EUR|1000|125|12.50|true\n"
            "fx-5|EUR|1000|200|20.00|true\n"
            "fx-c|NULL|NULL|200|20.12|true\n"
            "fx-k|KWD|1015|300|3.04|true\n"
            "fx-r|EUR|202|125|2.52|true\n");
  CmdResult rep = p.Daybook({"report", "--format", "csv"});
  ASSERT_EQ(rep.exit_code, 0) << rep;
  EXPECT_EQ(rep.out, std::string(kHeader) + "\n"
                         "2024-06-01,3,0,0,1,28.14,0.00,0.00,28.14,USD\n"
                         "2024-06-02,0,0,1,0,0.00,0.00,2.52,-2.52,USD\n"
                         "2024-06-04,1,0,0,1,12.50,0.00,0.00,12.50,USD\n"
                         "2024-06-10,1,1,0,1,20.00,20.12,0.00,-0.12,USD\n");
}

}  // namespace
}  // namespace e2e
