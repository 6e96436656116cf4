#include "alerts/dispatcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "load/schema.h"

namespace daybook {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr int64_t kHour = 3600LL * 1000000;
const Timestamp kT0{1706770800000000};  // 2024-02-01T07:00:00Z
Timestamp At(int64_t hours) { return Timestamp{kT0.micros + hours * kHour}; }
const int32_t kJan30 = DaysFromCivil(2024, 1, 30), kJan31 = DaysFromCivil(2024, 1, 31);

AlertCondition Volume(bool violated, std::optional<int32_t> date = std::nullopt, std::string severity = "error") {
  AlertCondition c;
  c.check = "volume";
  c.model = "order_events";
  c.severity = std::move(severity);
  c.business_date = date;
  c.violated = violated;
  c.message = violated ? "loaded 0 rows from source 'landing'; expected at least 1000"
                       : "loaded 1500 rows from source 'landing'";
  return c;
}

AlertCondition Freshness(bool violated) {
  AlertCondition c;
  c.check = "freshness";
  c.model = "daily_revenue";
  c.severity = "warn";
  c.violated = violated;
  c.message = violated ? "last event 30h ago; SLA 24h" : "last event 1h ago";
  return c;
}

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() {
    std::string tmpl = (fs::temp_directory_path() / "daybook-dispatch-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    auto wh = Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite);
    if (!wh.ok() || !Migrate(**wh, "USD").ok()) throw std::runtime_error("cannot open the warehouse");
    wh_ = std::move(*wh);
    settings_.sinks.push_back(FileSink("file:alerts.jsonl", dir_ + "/alerts.jsonl"));
  }
  ~DispatcherTest() override { fs::remove_all(dir_); }

  static SinkConfig FileSink(const std::string& name, const std::string& path) {
    SinkConfig c;
    c.type = SinkType::kFile;
    c.name = name;
    c.path = path;
    return c;
  }

  DispatchReport Process(const std::vector<AlertCondition>& conds, Timestamp now, int64_t run_id = 1) {
    auto r = ProcessConditions(*wh_, conds, settings_, run_id, now);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : DispatchReport{};
  }

  // "kind check date alert_id" per line of a JSON-lines file.
  std::vector<std::string> Notices(const std::string& file = "alerts.jsonl") {
    std::vector<std::string> out;
    std::ifstream in(dir_ + "/" + file);
    for (std::string line; std::getline(in, line);) {
      auto field = [&](const std::string& key) {
        size_t p = line.find("\"" + key + "\":");
        size_t b = p + key.size() + 3;  // after "key":
        if (p == std::string::npos || line[b] != '"') return std::string("null");
        return line.substr(b + 1, line.find('"', b + 1) - b - 1);
      };
      out.push_back(field("kind") + " " + field("check") + " " + field("business_date") + " " + field("alert_id"));
    }
    return out;
  }

  // The alerts table, one line per row.
  std::vector<std::string> Rows(const std::string& columns =
                                    "status, severity, check_name, model, business_date, run_id, raised_at, "
                                    "resolved_at") {
    std::vector<std::string> out;
    auto rows = wh_->Query("SELECT " + columns + " FROM alerts ORDER BY raised_at, check_name, business_date");
    EXPECT_TRUE(rows.ok());
    while ((*rows)->NextChunk()) {
      for (size_t r = 0; r < (*rows)->size(); ++r) {
        std::string line;
        for (size_t c = 0; c < (*rows)->column_count(); ++c) {
          line += (c ? "|" : "") + ((*rows)->IsNull(c, r) ? std::string("NULL") : (*rows)->Text(c, r));
        }
        out.push_back(line);
      }
    }
    return out;
  }

  std::string Id(int row = 0) { return Rows("alert_id").at(row); }

  std::string dir_;
  std::unique_ptr<Warehouse> wh_;
  AlertSettings settings_;
};

TEST_F(DispatcherTest, RaisesOnceThenHoldsBackWithinTheCooldownThenReminds) {
  DispatchReport r = Process({Volume(true)}, At(0), 7);
  EXPECT_EQ(r.raised, 1);
  EXPECT_THAT(Rows(), ElementsAre("open|error|volume|order_events|NULL|7|2024-02-01T07:00:00Z|NULL"));
  std::string id = Id();
  EXPECT_THAT(Rows("deliveries"),
              ElementsAre("[{\"at\":\"2024-02-01T07:00:00Z\",\"kind\":\"raised\",\"sink\":\"file:alerts.jsonl\","
                        "\"ok\":true,\"attempts\":1,\"error\":null}]"));
  EXPECT_THAT(Rows("message"), ElementsAre("loaded 0 rows from source 'landing'; expected at least 1000"));

  r = Process({Volume(true)}, At(1), 8);
  EXPECT_EQ(r.raised, 0);
  EXPECT_EQ(r.suppressed, 1);
  r = Process({Volume(true)}, At(5), 9);
  EXPECT_EQ(r.suppressed, 1);
  EXPECT_THAT(Notices(), ElementsAre("raised volume null " + id));

  r = Process({Volume(true)}, At(6), 10);  // the 6h default cooldown has passed
  EXPECT_EQ(r.reminded, 1);
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].run_id, 10);
  EXPECT_EQ(r.notices[0].raised_at.micros, kT0.micros);
  r = Process({Volume(true)}, At(11), 11);  // cooldown counts from the reminder
  EXPECT_EQ(r.suppressed, 1);
  EXPECT_THAT(Notices(), ElementsAre("raised volume null " + id, "reminder volume null " + id));
  EXPECT_THAT(Rows(), ElementsAre("open|error|volume|order_events|NULL|7|2024-02-01T07:00:00Z|NULL"));
}

TEST_F(DispatcherTest, ConfiguredCooldownApplies) {
  settings_.cooldown_micros = kHour;
  Process({Volume(true)}, At(0));
  EXPECT_EQ(Process({Volume(true)}, Timestamp{At(1).micros - 1}).suppressed, 1);
  EXPECT_EQ(Process({Volume(true)}, At(1)).reminded, 1);
  settings_.cooldown_micros = 0;  // every evaluation
  EXPECT_EQ(Process({Volume(true)}, At(1)).reminded, 1);
}

TEST_F(DispatcherTest, PassingCheckResolvesTheOpenAlertAndSendsANotice) {
  Process({Volume(true, kJan31)}, At(0), 7);
  std::string id = Id();
  DispatchReport r = Process({Volume(false, kJan31)}, At(2), 8);
  EXPECT_EQ(r.resolved, 1);
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].kind, "resolved");
  EXPECT_EQ(r.notices[0].message, "loaded 1500 rows from source 'landing'");
  EXPECT_THAT(Rows(), ElementsAre("resolved|error|volume|order_events|2024-01-31|7|2024-02-01T07:00:00Z|"
                                  "2024-02-01T09:00:00Z"));
  EXPECT_THAT(Notices(), ElementsAre("raised volume 2024-01-31 " + id, "resolved volume 2024-01-31 " + id));
  EXPECT_THAT(Rows("deliveries"),
              ElementsAre(HasSubstr("\"error\":null},{\"at\":\"2024-02-01T09:00:00Z\",\"kind\":\"resolved\"")));

  // Passing again: nothing to do. Failing again: a new alert with a new id.
  r = Process({Volume(false, kJan31)}, At(3));
  EXPECT_THAT(r.notices, IsEmpty());
  r = Process({Volume(true, kJan31)}, At(4));
  EXPECT_EQ(r.raised, 1);
  EXPECT_NE(r.notices.at(0).alert_id, id);
  EXPECT_THAT(Rows("status"), ElementsAre("resolved", "open"));
}

TEST_F(DispatcherTest, ChecksNotEvaluatedLeaveTheirAlertsAlone) {
  Process({Volume(true), Freshness(true)}, At(0));
  DispatchReport r = Process({Volume(false)}, At(1));
  EXPECT_EQ(r.resolved, 1);
  EXPECT_EQ(r.suppressed, 0);
  EXPECT_THAT(Rows("check_name, status"), ElementsAre("freshness|open", "volume|resolved"));
}

TEST_F(DispatcherTest, BusinessDateIsPartOfTheIdentity) {
  DispatchReport r = Process({Volume(true, kJan30), Volume(true, kJan31), Volume(true)}, At(0));
  EXPECT_EQ(r.raised, 3);
  r = Process({Volume(false, kJan30), Volume(true, kJan31)}, At(1));
  EXPECT_EQ(r.resolved, 1);
  EXPECT_EQ(r.suppressed, 1);
  EXPECT_THAT(Rows("business_date, status"), ElementsAre("2024-01-30|resolved", "2024-01-31|open", "NULL|open"));
}

TEST_F(DispatcherTest, SeveralVerdictsForOneIdentityCountAsOne) {
  AlertCondition warn = Volume(true, kJan31, "warn");
  warn.message = "first";
  DispatchReport r = Process({Volume(false, kJan31), warn, Volume(true, kJan31, "error")}, At(0));
  EXPECT_EQ(r.raised, 1);
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].severity, "error");
  EXPECT_EQ(r.notices[0].message, "first");
}

TEST_F(DispatcherTest, DeliveryFailureIsRecordedAndIsNotAnError) {
  settings_.sinks.push_back(FileSink("file:missing/alerts.jsonl", dir_ + "/missing/alerts.jsonl"));
  DispatchReport r = Process({Volume(true)}, At(0));
  EXPECT_EQ(r.raised, 1);
  EXPECT_EQ(r.delivery_failures, 1);
  std::string id = Id();
  EXPECT_THAT(r.errors, ElementsAre("file:missing/alerts.jsonl: cannot open '" + dir_ +
                                    "/missing/alerts.jsonl': No such file or directory (alert " + id +
                                    ", 1 attempt)"));
  EXPECT_THAT(Rows("deliveries"),
              ElementsAre("[{\"at\":\"2024-02-01T07:00:00Z\",\"kind\":\"raised\",\"sink\":\"file:alerts.jsonl\","
                          "\"ok\":true,\"attempts\":1,\"error\":null},{\"at\":\"2024-02-01T07:00:00Z\",\"kind\":"
                          "\"raised\",\"sink\":\"file:missing/alerts.jsonl\",\"ok\":false,\"attempts\":1,"
                          "\"error\":\"cannot open '" + dir_ + "/missing/alerts.jsonl': No such file or directory\"}]"));
  // One sink heard of it: the cooldown holds.
  EXPECT_EQ(Process({Volume(true)}, At(1)).suppressed, 1);
}

TEST_F(DispatcherTest, AlertNoSinkAcceptedIsSentAgainAtTheNextEvaluation) {
  settings_.sinks = {FileSink("file:missing/alerts.jsonl", dir_ + "/missing/alerts.jsonl")};
  DispatchReport r = Process({Volume(true)}, At(0));
  EXPECT_EQ(r.delivery_failures, 1);
  fs::create_directories(dir_ + "/missing");  // the operator fixes the sink
  r = Process({Volume(true)}, At(1));
  EXPECT_EQ(r.raised, 1);
  EXPECT_EQ(r.suppressed, 0);
  EXPECT_EQ(r.delivery_failures, 0);
  EXPECT_THAT(Notices("missing/alerts.jsonl"), ElementsAre("raised volume null " + Id()));
  EXPECT_EQ(Process({Volume(true)}, At(2)).suppressed, 1);  // now delivered: cooldown
  EXPECT_THAT(Rows("status"), ElementsAre("open"));
}

TEST_F(DispatcherTest, MinSeverityFiltersAndARiseToErrorIsSentAtOnce) {
  settings_.sinks.push_back(FileSink("file:pager.jsonl", dir_ + "/pager.jsonl"));
  settings_.sinks.back().min_severity = "error";
  Process({Volume(true, kJan31, "warn")}, At(0));
  std::string id = Id();
  EXPECT_THAT(Notices(), ElementsAre("raised volume 2024-01-31 " + id));
  EXPECT_THAT(Notices("pager.jsonl"), IsEmpty());

  DispatchReport r = Process({Volume(true, kJan31, "error")}, At(1));
  EXPECT_EQ(r.raised, 1);
  EXPECT_THAT(Notices("pager.jsonl"), ElementsAre("raised volume 2024-01-31 " + id));
  EXPECT_THAT(Rows("severity, status"), ElementsAre("error|open"));

  r = Process({Volume(false, kJan31, "error")}, At(2));
  EXPECT_EQ(r.resolved, 1);
  EXPECT_THAT(Notices("pager.jsonl"),
              ElementsAre("raised volume 2024-01-31 " + id, "resolved volume 2024-01-31 " + id));
}

TEST_F(DispatcherTest, WithoutSinksAlertsAreStillTracked) {
  settings_.sinks.clear();
  settings_.cooldown_micros = 0;
  DispatchReport r = Process({Volume(true)}, At(0));
  EXPECT_EQ(r.raised, 1);
  EXPECT_THAT(Rows("status, deliveries"), ElementsAre("open|NULL"));
  r = Process({Volume(true)}, At(1));
  EXPECT_EQ(r.suppressed, 1);  // nothing to send to
  r = Process({Volume(false)}, At(2));
  EXPECT_EQ(r.resolved, 1);
}

TEST_F(DispatcherTest, MessageAndSeverityFollowTheLatestVerdict) {
  Process({Volume(true, kJan31)}, At(0));
  AlertCondition later = Volume(true, kJan31);
  later.message = "loaded 12 rows from source 'landing'; expected at least 1000";
  EXPECT_EQ(Process({later}, At(1)).suppressed, 1);
  EXPECT_THAT(Rows("message"), ElementsAre(later.message));
}

TEST_F(DispatcherTest, OpenAlertsListsWhatIsOpen) {
  Process({Volume(true, kJan31), Freshness(true)}, At(0), 3);
  Process({Freshness(false)}, At(1), 4);
  auto open = OpenAlerts(*wh_);
  ASSERT_TRUE(open.ok()) << open.status().message();
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].check, "volume");
  EXPECT_EQ((*open)[0].business_date, kJan31);
  EXPECT_EQ((*open)[0].run_id, 3);
  EXPECT_EQ(AlertText((*open)[0]),
            "[ERROR] volume on order_events for 2024-01-31: loaded 0 rows from source 'landing'; expected at least "
            "1000");
}

TEST_F(DispatcherTest, InvalidConditionIsRejectedBeforeAnythingHappens) {
  AlertCondition bad = Volume(true);
  bad.severity = "fatal";
  auto r = ProcessConditions(*wh_, {Volume(true, kJan31), bad}, settings_, 1, At(0));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "alert condition 'volume' on 'order_events': severity must be warn or error, got 'fatal'");
  AlertCondition nameless = Volume(true);
  nameless.check = "";
  EXPECT_EQ(ProcessConditions(*wh_, {nameless}, settings_, 1, At(0)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(Rows(), IsEmpty());
  EXPECT_THAT(Notices(), IsEmpty());
}

TEST_F(DispatcherTest, WarehouseErrorIsReturned) {
  ASSERT_TRUE(wh_->Exec("DROP TABLE alerts").ok());
  auto r = ProcessConditions(*wh_, {Volume(true)}, settings_, 1, At(0));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("alerts"));
}

}  // namespace
}  // namespace daybook
