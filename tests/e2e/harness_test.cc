// The e2e harness is compiled here, once: the build picks up
// tests/e2e/*_test.cc only. Also a few checks of the harness itself, so a
// broken helper cannot make the real tests pass vacuously.
#include "e2e/harness.cc"  // NOLINT(build/include): single translation unit for the helpers

#include <gtest/gtest.h>

namespace e2e {
namespace {

TEST(E2E, HarnessJsonReaderReadsRunOutput) {
  Json j = Json::Parse(R"({"a":1,"b":[true,null,"x\"y\u00e9"],"c":{"d":-2.50},"e":{}})");
  EXPECT_EQ(j["a"].Int(), 1);
  EXPECT_TRUE(j["b"][0].Bool());
  EXPECT_EQ(j["b"][1].type(), Json::Type::kNull);
  EXPECT_EQ(j["b"][2].Str(), "x\"y\xc3\xa9");
  EXPECT_EQ(j["c"]["d"].NumberText(), "-2.50");
  EXPECT_EQ(j["e"].size(), 0u);
  EXPECT_THROW(j["zz"], std::runtime_error);
  EXPECT_THROW(Json::Parse("{\"a\":1} x"), std::runtime_error);
}

TEST(E2E, HarnessDumpsAreOrderInsensitiveAndDiffable) {
  EXPECT_EQ(Minor("-12.34"), -1234);
  EXPECT_EQ(Minor("0.05"), 5);
  EXPECT_THROW(Minor("1.2"), std::runtime_error);
  std::string d = DiffText("h\na\nb\n", "h\nb\nc\n");
  EXPECT_NE(d.find("- a"), std::string::npos) << d;
  EXPECT_NE(d.find("+ c"), std::string::npos) << d;
  EXPECT_EQ(CsvFields("a,,b"), (std::vector<std::string>{"a", "", "b"}));
}

TEST(E2E, HarnessCapturesExitCodeAndStreams) {
  CmdResult r = RunDaybook({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_NE(r.out.find("daybook"), std::string::npos) << r;
  CmdResult bad = RunDaybook({"no-such-command"});
  EXPECT_EQ(bad.exit_code, 2) << bad;
  EXPECT_FALSE(bad.err.empty()) << bad;
}

TEST(E2E, HarnessRendersEveryColumnTypeOfTheWarehouse) {
  Project p("warehouse:\n  path: wh.duckdb\n");
  p.WriteLines("a.jsonl", {R"({"event_id":"e1","event_type":"order_placed","order_id":"o1","occurred_at":"2025-01-02T10:00:00.5Z","customer_id":"c","amount":"10.00","currency":"USD"})"});
  CmdResult r = p.Daybook({"--now", "2025-01-20T00:00:00Z", "run", "--input", p.Path("a.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(DumpQuery(p.db(), "SELECT occurred_at, business_date, amount, amount_minor, included, excluded_reason, "
                              "event_key > 0 AS k FROM order_events"),
            "occurred_at|business_date|amount|amount_minor|included|excluded_reason|k\n"
            "2025-01-02 10:00:00.5+00|2025-01-02|10.0000|1000|true|NULL|true\n");
  EXPECT_EQ(TableDigest(p.db(), "order_events"), TableDigest(p.db(), "order_events"));
  EXPECT_NE(TableDigest(p.db(), "order_events"), TableDigest(p.db(), "order_events", {"run_id"}));
}

}  // namespace
}  // namespace e2e
