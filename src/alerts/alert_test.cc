#include "alerts/alert.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace daybook {
namespace {

Alert VolumeAlert() {
  Alert a;
  a.alert_id = AlertId("volume", "order_events", std::nullopt, Timestamp{1706770800000000});
  a.kind = "raised";
  a.severity = "error";
  a.check = "volume";
  a.model = "order_events";
  a.message = "loaded 0 rows from source 'landing'; expected at least 1000";
  a.run_id = 42;
  a.raised_at = Timestamp{1706770800000000};  // 2024-02-01T07:00:00Z
  a.time = a.raised_at;
  return a;
}

TEST(Alert, JsonHasEveryDocumentedKeyInOrder) {
  Alert a = VolumeAlert();
  EXPECT_EQ(AlertJson(a),
            "{\"alert_id\":\"" + a.alert_id +
                "\",\"kind\":\"raised\",\"severity\":\"error\",\"check\":\"volume\",\"model\":\"order_events\","
                "\"business_date\":null,\"message\":\"loaded 0 rows from source 'landing'; expected at least 1000\","
                "\"text\":\"[ERROR] volume on order_events: loaded 0 rows from source 'landing'; expected at least "
                "1000\",\"run_id\":42,\"raised_at\":\"2024-02-01T07:00:00Z\",\"time\":\"2024-02-01T07:00:00Z\","
                "\"source\":\"daybook\"}");
}

TEST(Alert, DateAndNoRunAndEscapes) {
  Alert a = VolumeAlert();
  a.business_date = DaysFromCivil(2024, 1, 31);
  a.run_id = 0;
  a.message = "say \"hi\"\nnow";
  std::string j = AlertJson(a);
  EXPECT_THAT(j, ::testing::HasSubstr("\"business_date\":\"2024-01-31\""));
  EXPECT_THAT(j, ::testing::HasSubstr("\"run_id\":null"));
  EXPECT_THAT(j, ::testing::HasSubstr("\"message\":\"say \\\"hi\\\"\\nnow\""));
  EXPECT_EQ(j.find('\n'), std::string::npos);
}

TEST(Alert, TextNamesKindSeverityAndDate) {
  Alert a = VolumeAlert();
  a.business_date = DaysFromCivil(2024, 1, 31);
  a.severity = "warn";
  a.kind = "reminder";
  a.message = "stale";
  EXPECT_EQ(AlertText(a), "[WARN, open since 2024-02-01T07:00:00Z] volume on order_events for 2024-01-31: stale");
  a.kind = "resolved";
  EXPECT_EQ(AlertText(a), "[RESOLVED] volume on order_events for 2024-01-31: stale");
}

TEST(Alert, IdIsStableAndDependsOnEveryPart) {
  Timestamp t{1706770800000000};
  std::string id = AlertId("volume", "order_events", 19753, t);
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(id, AlertId("volume", "order_events", 19753, t));
  EXPECT_NE(id, AlertId("volume", "order_events", 19754, t));
  EXPECT_NE(id, AlertId("volume", "order_events", std::nullopt, t));
  EXPECT_NE(id, AlertId("volume", "fct_orders", 19753, t));
  EXPECT_NE(id, AlertId("freshness", "order_events", 19753, t));
  EXPECT_NE(id, AlertId("volume", "order_events", 19753, Timestamp{t.micros + 1}));
}

}  // namespace
}  // namespace daybook
