// Confluence (spec §3): the warehouse after loading a set of events is the
// same whatever the order of events, files, batches or re-runs. One event
// set is loaded whole into warehouse A; then, for seeded random permutations
// split into 1-6 batches (each its own `run`, sometimes re-delivered), the
// resulting tables must equal A's.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/harness.h"

namespace e2e {
namespace {

constexpr const char* kNow = "2025-01-25T00:00:00Z";  // after every day's close, all runs
constexpr int kTrials = 20;
constexpr uint64_t kBaseSeed = 0xC0FFEE;

std::string Placed(const std::string& id, const std::string& order, const std::string& at, const std::string& amount,
                   const std::string& currency = "USD", const std::string& customer = "hc1",
                   const std::string& channel = "app") {
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

// Hand-written events inside the generated days (so no day is ever left
// without included events): orphans listed before their orders, and every
// order-level rule.
std::vector<std::string> HandWritten() {
  return {
      Refund("h-r1", "h-o1", "2025-01-03T10:00:00Z", "4.00"),   // orphan refund, order below
      Cancel("h-c2", "h-o2", "2025-01-04T10:00:00Z"),           // orphan cancel, order below
      Refund("h-r7", "h-o7", "2025-01-05T10:00:00Z", "3.00"),   // orphan forever
      Cancel("h-c8", "h-o8", "2025-01-05T11:00:00Z"),           // orphan forever
      Placed("h-p1", "h-o1", "2025-01-02T10:00:00Z", "19.99"),
      Placed("h-p2", "h-o2", "2025-01-03T10:00:00Z", "25.00", "EUR", "hc2"),
      Placed("h-p3", "h-o3", "2025-01-05T09:00:00Z", "30.00", "USD", "hc3"),   // DUPLICATE_ORDER below
      Placed("h-p3b", "h-o3", "2025-01-06T09:00:00Z", "31.00", "USD", "hc3", "web"),  // another channel
      Refund("h-r3", "h-o3", "2025-01-12T09:00:00Z", "2.00"),                  // counts under h-p3's channel; a day of its own
      Placed("h-p4", "h-o4", "2025-01-02T12:00:00Z", "20.00"),
      Refund("h-r4a", "h-o4", "2025-01-03T12:00:00Z", "15.00"),
      Refund("h-r4b", "h-o4", "2025-01-04T12:00:00Z", "10.00"),                // REFUND_EXCEEDS_ORDER
      Placed("h-p5", "h-o5", "2025-01-02T13:00:00Z", "10.00"),
      Cancel("h-c5", "h-o5", "2025-01-03T13:00:00Z"),
      Refund("h-r5", "h-o5", "2025-01-04T13:00:00Z", "5.00"),                  // AFTER_CANCEL
      Cancel("h-c5b", "h-o5", "2025-01-04T14:00:00Z"),                         // AFTER_CANCEL
      Placed("h-p6", "h-o6", "2025-01-06T10:00:00Z", "40.00"),
      Refund("h-r6", "h-o6", "2025-01-07T10:00:00Z", "5.00", "EUR"),           // CURRENCY_MISMATCH
      Placed("h-p9", "h-o9", "2025-01-07T10:00:00Z", "10.00"),
      Refund("h-r9b", "h-o9", "2025-01-08T10:00:00Z", "6.00"),                 // same instant: event_id decides
      Refund("h-r9a", "h-o9", "2025-01-08T10:00:00Z", "6.00"),
      // Re-deliveries in another key order / spacing (duplicates, not conflicts).
      R"({ "order_id" : "h-o1", "event_type" : "order_refunded", "event_id" : "h-r1", "currency":"USD", "amount":"4.00", "occurred_at":"2025-01-03T10:00:00Z" })",
      R"({"occurred_at":"2025-01-02T10:00:00Z","amount":19.99,"currency":"USD","channel":"app","customer_id":"hc1","order_id":"h-o1","event_type":"order_placed","event_id":"h-p1"})",
  };
}

struct Views {
  std::string events, orders, daily, by_channel;
  bool operator==(const Views&) const = default;
};

Views Read(const std::string& db) {
  const std::string metrics = "business_date, orders, cancelled_orders, refunded_orders, customers, gross, "
                              "cancellations, refunds, net";
  Views v;
  // Numbers depend on the order things were first seen: compare names.
  v.events = DumpTable(db, "order_events", {"run_id", "updated_run_id", "source_file_id", "source_line", "channel_id"}) +
             DumpQuery(db, "SELECT event_id, channel FROM order_events JOIN channels USING (channel_id) ORDER BY ALL");
  v.orders = DumpTable(db, "fct_orders", {"updated_run_id"});
  v.daily = DumpQuery(db, "SELECT " + metrics + " FROM daily_revenue");
  v.by_channel = DumpQuery(db, "SELECT channel, " + metrics + " FROM daily_revenue_by_channel");
  return v;
}

std::string Explain(const Views& want, const Views& got) {
  std::string s;
  if (want.events != got.events) s += "order_events:\n" + DiffText(want.events, got.events, 8);
  if (want.orders != got.orders) s += "fct_orders:\n" + DiffText(want.orders, got.orders, 8);
  if (want.daily != got.daily) s += "daily_revenue:\n" + DiffText(want.daily, got.daily, 8);
  if (want.by_channel != got.by_channel) s += "daily_revenue_by_channel:\n" + DiffText(want.by_channel, got.by_channel, 8);
  return s;
}

TEST(Confluence, PermutedAndRebatchedLoadsEqualTheWholeLoad) {
  Project p;
  GenResult gen = Gen(p, {"--orders", "2000", "--days", "10", "--start", "2025-01-01", "--seed", "5", "--dup-rate",
                          "0.05", "--late-rate", "0.05", "--refund-rate", "0.2", "--cancel-rate", "0.1", "--bad-rate",
                          "0", "--out", p.Path("gen.jsonl"), "--fx-out", p.Path("fx_rates.csv")});
  std::vector<std::string> lines = SplitLines(ReadFile(p.Path("gen.jsonl")));
  for (const auto& h : HandWritten()) lines.push_back(h);
  p.WriteLines("all/all.jsonl", lines);

  CmdResult whole = p.Daybook({"--db", p.Path("whole.duckdb"), "--now", kNow, "run", "--json", "--input",
                               p.Path("all/all.jsonl")});
  ASSERT_EQ(whole.exit_code, 0) << whole;
  Json jw = Json::Parse(whole.out);
  ASSERT_EQ(jw["quarantined"].Int(), 0) << whole;
  ASSERT_EQ(jw["accepted"].Int(), gen.events + 21);  // 23 hand-written lines, 2 re-deliveries
  const Views want = Read(p.Path("whole.duckdb"));
  // The hand-written orders exercise every rule (so the comparison covers them).
  ASSERT_EQ(DumpQuery(p.Path("whole.duckdb"),
                      "SELECT excluded_reason, count(*) AS n FROM order_events WHERE NOT included GROUP BY 1"),
            "excluded_reason|n\nAFTER_CANCEL|2\nCURRENCY_MISMATCH|1\nDUPLICATE_ORDER|1\nORPHAN_EVENT|2\n"
            "REFUND_EXCEEDS_ORDER|2\n");

  for (int t = 0; t < kTrials; ++t) {
    const uint64_t seed = kBaseSeed + static_cast<uint64_t>(t);
    std::mt19937_64 rng(seed);
    std::vector<std::string> perm = lines;
    std::shuffle(perm.begin(), perm.end(), rng);
    const int batches = 1 + static_cast<int>(rng() % 6);
    std::vector<size_t> cuts = {0, perm.size()};
    while (static_cast<int>(cuts.size()) < batches + 1) {
      size_t c = 1 + rng() % (perm.size() - 1);
      if (std::find(cuts.begin(), cuts.end(), c) == cuts.end()) cuts.push_back(c);
    }
    std::sort(cuts.begin(), cuts.end());

    const std::string dir = "trial" + std::to_string(t);
    const std::string db = p.Path(dir + "/wh.duckdb");
    std::ostringstream story;
    story << "trial " << t << " seed " << seed << " (std::mt19937_64), " << batches << " batches:";
    auto run = [&](const std::string& file) {
      static const char* kBatchEvents[] = {"", "37", "250", "1000"};
      const std::string batch_events = kBatchEvents[rng() % 4];
      std::vector<std::string> args = {"--db", db, "--now", kNow, "run", "--json", "--input", file};
      if (!batch_events.empty()) args.insert(args.end(), {"--batch-events", batch_events});
      CmdResult r = p.Daybook(args);
      story << " " << file.substr(file.rfind('/') + 1) << "=" << r.exit_code
            << (batch_events.empty() ? "" : "(--batch-events " + batch_events + ")");
      return r;
    };
    bool ok = true;
    for (int b = 0; b < batches && ok; ++b) {
      const std::string file = p.Path(dir + "/batch" + std::to_string(b) + ".jsonl");
      WriteFile(file, JoinLines({perm.begin() + static_cast<long>(cuts[b]), perm.begin() + static_cast<long>(cuts[b + 1])}));
      CmdResult r = run(file);
      EXPECT_EQ(r.exit_code, 0) << story.str() << r;
      ok = r.exit_code == 0 && Json::Parse(r.out)["quarantined"].Int() == 0;
      if (ok && rng() % 4 == 0) {  // the same file again: skipped
        CmdResult again = run(file);
        EXPECT_EQ(again.exit_code, 0) << story.str() << again;
        EXPECT_EQ(Json::Parse(again.out)["rows_read"].Int(), 0) << story.str();
      }
    }
    if (ok && rng() % 3 == 0) {  // an earlier batch re-delivered with other bytes: all duplicates
      const int b = static_cast<int>(rng() % static_cast<uint64_t>(batches));
      std::vector<std::string> again(perm.begin() + static_cast<long>(cuts[b]), perm.begin() + static_cast<long>(cuts[b + 1]));
      std::reverse(again.begin(), again.end());
      const std::string file = p.Path(dir + "/redelivery.jsonl");
      WriteFile(file, JoinLines(again));
      CmdResult r = run(file);
      EXPECT_EQ(r.exit_code, 0) << story.str() << r;
      if (r.exit_code == 0) {
        Json j = Json::Parse(r.out);
        EXPECT_EQ(j["accepted"].Int(), 0) << story.str();
        EXPECT_EQ(j["duplicates"].Int(), static_cast<int64_t>(again.size())) << story.str();
      }
    }
    ASSERT_TRUE(ok) << story.str();
    const Views got = Read(db);
    ASSERT_TRUE(got == want) << story.str() << "\n" << Explain(want, got);
  }
}

// The lines of 150 generated orders over 6 days with every kind of fault
// (duplicates, late and bad lines, many refunds and cancels).
std::vector<std::string> SmallFaultyDay(Project& p, const std::string& seed) {
  Gen(p, {"--orders", "150", "--days", "6", "--start", "2025-01-01", "--seed", seed, "--dup-rate", "0.05",
          "--late-rate", "0.05", "--refund-rate", "0.3", "--cancel-rate", "0.1", "--bad-rate", "0.02", "--out",
          p.Path("gen.jsonl"), "--fx-out", p.Path("fx_rates.csv")});
  return SplitLines(ReadFile(p.Path("gen.jsonl")));
}

// One run reads its input in batches of warehouse.batch_events lines inside
// one transaction. Whatever the batch size, the tables, the quarantine and
// the accounting equal those of a run that reads everything as one batch:
// duplicates and DUPLICATE_CONFLICTs split across batches (and across the
// two files) included, and an order whose events fall into many batches.
TEST(Confluence, BatchSizeOfARunDoesNotChangeItsResult) {
  Project p;
  std::vector<std::string> lines = SmallFaultyDay(p, "11");
  std::vector<std::string> hand = HandWritten();
  // A conflicting re-delivery of the first hand-written placement, and the
  // same conflict twice (the second copy is a duplicate of the first conflict
  // only in the sense that both lose: each is quarantined).
  hand.push_back(Placed("h-p1", "h-o1", "2025-01-02T10:00:00Z", "29.99"));
  const size_t half = lines.size() / 2;
  std::vector<std::string> a(lines.begin(), lines.begin() + static_cast<long>(half));
  std::vector<std::string> b(lines.begin() + static_cast<long>(half), lines.end());
  a.insert(a.begin(), hand.begin(), hand.begin() + 12);
  b.insert(b.end(), hand.begin() + 12, hand.end());
  p.WriteLines("in/a.jsonl", a);
  p.WriteLines("in/b.jsonl", b);

  auto load = [&](const std::string& name, const std::string& batch_events, const Env& env = {}) {
    CmdResult r = p.Daybook({"--db", p.Path(name), "--now", kNow, "run", "--json", "--max-drop-rate", "0.5",
                             "--batch-events", batch_events, "--input", p.Path("in/*.jsonl")},
                            env);
    EXPECT_EQ(r.exit_code, 0) << r;
    Json j = Json::Parse(r.out);
    std::ostringstream acc;
    acc << "read=" << j["rows_read"].Int() << " accepted=" << j["accepted"].Int()
        << " duplicates=" << j["duplicates"].Int() << " quarantined=" << j["quarantined"].Int()
        << " affected_orders=" << j["affected_orders"].Int() << " affected_dates=" << j["affected_dates"].Int();
    const int64_t size = std::stoll(batch_events), read = j["rows_read"].Int();
    if (env.empty()) {
      EXPECT_EQ(j["batches"].Int(), (read + size - 1) / size) << "--batch-events " << batch_events;
    }
    return acc.str();
  };
  const std::string want_acc = load("one.duckdb", "100000000");
  const Views want = Read(p.Path("one.duckdb"));
  const std::string want_q = DumpQuery(p.Path("one.duckdb"),
      "SELECT source_file, source_line, reason_code, detail, raw, raw_size FROM quarantine ORDER BY ALL");
  ASSERT_NE(want_q.find("DUPLICATE_CONFLICT"), std::string::npos) << want_q;
  for (const char* size : {"1", "7", "64"}) {
    const std::string db = std::string("b") + size + ".duckdb";
    EXPECT_EQ(load(db, size), want_acc) << "--batch-events " << size;
    const Views got = Read(p.Path(db));
    EXPECT_TRUE(got == want) << "--batch-events " << size << "\n" << Explain(want, got);
    EXPECT_EQ(DumpQuery(p.Path(db), "SELECT source_file, source_line, reason_code, detail, raw, raw_size FROM "
                                    "quarantine ORDER BY ALL"),
              want_q)
        << "--batch-events " << size;
  }
  // Ids whose hashes collide: the run's in-memory id keys narrowed to 3 bits
  // (a test hook), so nearly every id of a later batch looks seen before and
  // is set aside, looked up after the last batch, and loaded then; and
  // within a batch, ids sharing a key are told apart by their text (one
  // batch of everything).
  for (const char* size : {"50", "100000000"}) {
    const std::string db = std::string("collide") + size + ".duckdb";
    EXPECT_EQ(load(db, size, {{"DAYBOOK_TEST_RUN_KEY_BITS", "3"}}), want_acc) << "--batch-events " << size;
    const Views got = Read(p.Path(db));
    EXPECT_TRUE(got == want) << "colliding id keys, --batch-events " << size << "\n" << Explain(want, got);
    EXPECT_EQ(DumpQuery(p.Path(db), "SELECT source_file, source_line, reason_code, detail, raw, raw_size FROM "
                                    "quarantine ORDER BY ALL"),
              want_q)
        << "--batch-events " << size;
  }
}

// The same for a run into a warehouse with history: after its first batch,
// a run does not read the orders' stored events per batch but derives every
// order that earlier runs stored events for again once at the end. Whatever
// the batch size, the second run's tables, quarantine and accounting equal
// those of reading it as one batch: refunds and cancels of stored orders,
// re-deliveries and conflicts of stored events, and an order whose new,
// earlier placement moves it (and every day of its revenue) to another
// channel.
TEST(Confluence, BatchSizeOfARunIntoHistoryDoesNotChangeItsResult) {
  Project p;
  std::vector<std::string> lines = SmallFaultyDay(p, "12");
  std::vector<std::string> hand = HandWritten();
  const size_t half = lines.size() / 2;
  std::vector<std::string> first(lines.begin(), lines.begin() + static_cast<long>(half));
  std::vector<std::string> second(lines.begin() + static_cast<long>(half), lines.end());
  first.insert(first.end(), hand.begin(), hand.begin() + 9);
  first.push_back(Placed("h-p10", "h-o10", "2025-01-04T10:00:00Z", "50.00", "USD", "hc10", "app"));
  first.push_back(Refund("h-r10", "h-o10", "2025-01-05T10:00:00Z", "5.00"));
  second.insert(second.begin(), hand.begin() + 9, hand.end());
  second.push_back(Placed("h-p10b", "h-o10", "2025-01-03T10:00:00Z", "50.00", "USD", "hc10", "web"));
  second.push_back(Placed("h-p1", "h-o1", "2025-01-02T10:00:00Z", "29.99"));  // conflicts with the stored h-p1
  second.push_back(first.front());                                                // a stored event again
  p.WriteLines("first/a.jsonl", first);
  p.WriteLines("second/b.jsonl", second);

  auto load = [&](const std::string& name, const std::string& batch_events) {
    CmdResult h = p.Daybook({"--db", p.Path(name), "--now", kNow, "run", "--json", "--max-drop-rate", "0.5",
                             "--input", p.Path("first/a.jsonl")});
    EXPECT_EQ(h.exit_code, 0) << h;
    CmdResult r = p.Daybook({"--db", p.Path(name), "--now", kNow, "run", "--json", "--max-drop-rate", "0.5",
                             "--batch-events", batch_events, "--input", p.Path("second/b.jsonl")});
    EXPECT_EQ(r.exit_code, 0) << r;
    Json j = Json::Parse(r.out);
    std::ostringstream acc;
    acc << "read=" << j["rows_read"].Int() << " accepted=" << j["accepted"].Int()
        << " duplicates=" << j["duplicates"].Int() << " quarantined=" << j["quarantined"].Int()
        << " affected_orders=" << j["affected_orders"].Int() << " affected_dates=" << j["affected_dates"].Int()
        << " restated_days=" << j["restated_days"].Int();
    return acc.str();
  };
  const std::string want_acc = load("one.duckdb", "100000000");
  const Views want = Read(p.Path("one.duckdb"));
  const std::string quarantine = "SELECT source_file, source_line, reason_code, detail, raw FROM quarantine ORDER BY ALL";
  const std::string want_q = DumpQuery(p.Path("one.duckdb"), quarantine);
  ASSERT_NE(want_q.find("DUPLICATE_CONFLICT"), std::string::npos) << want_q;
  // The moved order: its revenue now counts under web on every day.
  EXPECT_EQ(DumpQuery(p.Path("one.duckdb"), "SELECT channel, status FROM fct_orders WHERE order_id = 'h-o10'"),
            "channel|status\nweb|partially_refunded\n");
  for (const char* size : {"1", "7", "64"}) {
    const std::string db = std::string("b") + size + ".duckdb";
    EXPECT_EQ(load(db, size), want_acc) << "--batch-events " << size;
    const Views got = Read(p.Path(db));
    EXPECT_TRUE(got == want) << "--batch-events " << size << "\n" << Explain(want, got);
    EXPECT_EQ(DumpQuery(p.Path(db), quarantine), want_q) << "--batch-events " << size;
  }
}

// A published day whose only included event becomes excluded by a later
// batch (a refund that turns out to come after a cancel) must end up as if
// the events had arrived together: no row for a day without included events
// (spec §3 Confluence; §5: the report has one row per date with any
// included event).
TEST(Confluence, DayWhoseOnlyEventBecomesExcludedMatchesTheWholeLoad) {
  Project p("warehouse:\n  path: wh.duckdb\nbusiness:\n  restatement_window_days: 3650\n");
  const std::vector<std::string> first = {Placed("e-p", "e-o", "2024-06-01T10:00:00Z", "100.00"),
                                          Refund("e-r", "e-o", "2024-06-03T10:00:00Z", "30.00")};
  const std::vector<std::string> second = {Cancel("e-c", "e-o", "2024-06-02T10:00:00Z")};
  std::vector<std::string> all = first;
  all.insert(all.end(), second.begin(), second.end());
  p.WriteLines("first.jsonl", first);
  p.WriteLines("second.jsonl", second);
  p.WriteLines("all.jsonl", all);
  const std::string now = "2024-06-10T00:00:00Z";
  ASSERT_EQ(p.Daybook({"--db", p.Path("whole.duckdb"), "--now", now, "run", "--input", p.Path("all.jsonl")}).exit_code, 0);
  ASSERT_EQ(p.Daybook({"--db", p.Path("split.duckdb"), "--now", now, "run", "--input", p.Path("first.jsonl")}).exit_code, 0);
  ASSERT_EQ(p.Daybook({"--db", p.Path("split.duckdb"), "--now", now, "run", "--input", p.Path("second.jsonl")}).exit_code, 0);
  const Views want = Read(p.Path("whole.duckdb")), got = Read(p.Path("split.duckdb"));
  EXPECT_EQ(want.events, got.events) << Explain(want, got);
  EXPECT_EQ(want.daily, got.daily) << Explain(want, got);
  EXPECT_EQ(want.by_channel, got.by_channel) << Explain(want, got);

  const std::string header =
      "business_date,orders,cancelled_orders,refunded_orders,customers,gross,cancellations,refunds,net,currency\n";
  const std::string expected = header +
                               "2024-06-01,1,0,0,1,100.00,0.00,0.00,100.00,USD\n"
                               "2024-06-02,0,1,0,0,0.00,100.00,0.00,-100.00,USD\n";
  EXPECT_EQ(p.Daybook({"--db", p.Path("whole.duckdb"), "report", "--format", "csv"}).out, expected);
  EXPECT_EQ(p.Daybook({"--db", p.Path("split.duckdb"), "report", "--format", "csv"}).out, expected)
      << "2024-06-03 has no included event left";
}

// By channel, refunds and cancels count under their order's channel (the
// channel of its included order_placed). When a second order_placed with an
// earlier occurred_at and another channel arrives later, the order's other
// days must move to that channel too, as in a whole load.
TEST(Confluence, ChannelOfAnOrderFollowsItsIncludedPlacementWhateverTheArrivalOrder) {
  Project p("warehouse:\n  path: wh.duckdb\nbusiness:\n  restatement_window_days: 3650\n");
  const std::vector<std::string> first = {Placed("x-p2", "X", "2024-06-02T10:00:00Z", "100.00", "USD", "c", "app"),
                                          Refund("x-r", "X", "2024-06-03T10:00:00Z", "10.00")};
  const std::vector<std::string> second = {Placed("x-p1", "X", "2024-06-01T10:00:00Z", "100.00", "USD", "c", "web")};
  std::vector<std::string> all = first;
  all.insert(all.end(), second.begin(), second.end());
  p.WriteLines("first.jsonl", first);
  p.WriteLines("second.jsonl", second);
  p.WriteLines("all.jsonl", all);
  const std::string now = "2024-06-10T00:00:00Z";
  ASSERT_EQ(p.Daybook({"--db", p.Path("whole.duckdb"), "--now", now, "run", "--input", p.Path("all.jsonl")}).exit_code, 0);
  ASSERT_EQ(p.Daybook({"--db", p.Path("split.duckdb"), "--now", now, "run", "--input", p.Path("first.jsonl")}).exit_code, 0);
  ASSERT_EQ(p.Daybook({"--db", p.Path("split.duckdb"), "--now", now, "run", "--input", p.Path("second.jsonl")}).exit_code, 0);
  const Views want = Read(p.Path("whole.duckdb")), got = Read(p.Path("split.duckdb"));
  EXPECT_TRUE(want == got) << Explain(want, got);
  const std::string expected =
      "business_date,channel,orders,cancelled_orders,refunded_orders,customers,gross,cancellations,refunds,net,currency\n"
      "2024-06-01,web,1,0,0,1,100.00,0.00,0.00,100.00,USD\n"
      "2024-06-03,web,0,0,1,0,0.00,0.00,10.00,-10.00,USD\n";
  EXPECT_EQ(p.Daybook({"--db", p.Path("whole.duckdb"), "report", "--by", "channel", "--format", "csv"}).out, expected);
  EXPECT_EQ(p.Daybook({"--db", p.Path("split.duckdb"), "report", "--by", "channel", "--format", "csv"}).out, expected)
      << "x-r belongs to order X, whose included order_placed (x-p1) is 'web'";
}

}  // namespace
}  // namespace e2e
