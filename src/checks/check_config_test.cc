#include "checks/check_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace daybook {
namespace {

using ::testing::HasSubstr;

Config WithModels(const std::string& yaml) {
  Config c = DefaultConfig("/tmp");
  c.models_yaml = yaml;
  return c;
}

TEST(CheckConfig, DefaultsAreShippedInTheBinaryAndFollowQuality) {
  Config c = DefaultConfig("/tmp");
  c.min_rows_per_run = 1000;
  c.restatement_alert_ratio = 0.01;
  auto cfg = ParseChecksConfig(c);
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  EXPECT_EQ(cfg->checks.size(), 15u);
  const CheckSettings* vol = cfg->Find("order_events", "volume");
  ASSERT_NE(vol, nullptr);
  EXPECT_EQ(vol->severity, Severity::kError);
  EXPECT_EQ(vol->Param("min_rows_per_run"), 1000);
  EXPECT_EQ(cfg->Find("daily_revenue", "restatement_size")->Param("max_ratio"), 0.01);
  const CheckSettings* anomaly = cfg->Find("daily_revenue", "anomaly");
  EXPECT_EQ(anomaly->severity, Severity::kWarn);
  EXPECT_EQ(anomaly->Param("history_weeks"), 6);
  EXPECT_EQ(anomaly->Param("max_z"), 4);
  EXPECT_EQ(anomaly->Param("min_points"), 4);
  EXPECT_FALSE(cfg->Find("daily_revenue", "volume")->Has("min_orders"));  // derived from history
  EXPECT_EQ(cfg->Find("daily_revenue", "volume")->Param("min_ratio"), 0.5);
  EXPECT_EQ(cfg->Find("order_events", "freshness")->Param("max_age"), 24.0 * 3600 * 1e6);
  EXPECT_EQ(cfg->Find("fct_orders", "reconciliation")->severity, Severity::kError);
  EXPECT_EQ(cfg->Find("fct_orders", "anomaly"), nullptr);
  for (const auto& s : cfg->checks) EXPECT_TRUE(s.enabled) << s.model << "." << s.check;
}

TEST(CheckConfig, OverridesApplyPerModelAndCheck) {
  auto cfg = ParseChecksConfig(WithModels(R"(
daily_revenue:
  description: one row per business date
  owner: finance
  grain: business_date
  columns: {net: revenue}
  checks:
    anomaly: {severity: error, max_z: 5.5, history_weeks: 8}
    volume: {min_orders: 200}
    keys:
order_events:
  checks:
    excluded_events: {enabled: false}
    freshness: {max_age: 2h}
)"));
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  const CheckSettings* anomaly = cfg->Find("daily_revenue", "anomaly");
  EXPECT_EQ(anomaly->severity, Severity::kError);
  EXPECT_EQ(anomaly->Param("max_z"), 5.5);
  EXPECT_EQ(anomaly->Param("history_weeks"), 8);
  EXPECT_EQ(anomaly->Param("min_points"), 4);  // untouched default
  EXPECT_EQ(cfg->Find("daily_revenue", "volume")->Param("min_orders"), 200);
  EXPECT_FALSE(cfg->Find("order_events", "excluded_events")->enabled);
  EXPECT_EQ(cfg->Find("order_events", "freshness")->Param("max_age"), 2.0 * 3600 * 1e6);
  EXPECT_TRUE(cfg->Find("daily_revenue", "keys")->enabled);
}

TEST(CheckConfig, UnknownCheckIsAnErrorWithASuggestion) {
  auto cfg = ParseChecksConfig(WithModels("daily_revenue:\n  checks:\n    anomly: {max_z: 5}\n"));
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(cfg.status().message(), HasSubstr("models.daily_revenue.checks.anomly: unknown check"));
  EXPECT_THAT(cfg.status().message(), HasSubstr("did you mean 'anomaly'?"));
}

TEST(CheckConfig, UnknownParameterIsAnErrorWithASuggestion) {
  auto cfg = ParseChecksConfig(WithModels("daily_revenue:\n  checks:\n    anomaly: {max_zz: 5}\n"));
  ASSERT_FALSE(cfg.ok());
  EXPECT_THAT(cfg.status().message(),
              HasSubstr("models.daily_revenue.checks.anomaly.max_zz: unknown parameter (did you mean 'max_z'?)"));
}

TEST(CheckConfig, BadSeverityIsAnError) {
  auto cfg = ParseChecksConfig(WithModels("order_events:\n  checks:\n    keys: {severity: critical}\n"));
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(cfg.status().message(),
              HasSubstr("models.order_events.checks.keys.severity: expected warn or error, got 'critical'"));
}

TEST(CheckConfig, CheckOnAModelItDoesNotGuardIsAnError) {
  auto cfg = ParseChecksConfig(WithModels("daily_revenue:\n  checks:\n    drop_rate: {}\n"));
  ASSERT_FALSE(cfg.ok());
  EXPECT_THAT(cfg.status().message(),
              HasSubstr("models.daily_revenue.checks.drop_rate: check 'drop_rate' does not guard daily_revenue "
                        "(it guards order_events)"));
}

TEST(CheckConfig, ChecksOnAnUnknownModelSuggestTheClosest) {
  auto cfg = ParseChecksConfig(WithModels("dialy_revenue:\n  checks:\n    anomaly: {}\n"));
  ASSERT_FALSE(cfg.ok());
  EXPECT_THAT(cfg.status().message(), HasSubstr("models.dialy_revenue.checks: no built-in check guards model"));
  EXPECT_THAT(cfg.status().message(), HasSubstr("did you mean 'daily_revenue'?"));
}

TEST(CheckConfig, ModelsWithoutChecksAreLeftToTheDocumentationStage) {
  auto cfg = ParseChecksConfig(WithModels("customers_by_week:\n  description: x\n  owner: y\n"));
  EXPECT_TRUE(cfg.ok()) << cfg.status().message();
}

TEST(CheckConfig, ValuesAreTypeAndRangeChecked) {
  auto bad_number = ParseChecksConfig(WithModels("daily_revenue:\n  checks:\n    anomaly: {max_z: high}\n"));
  EXPECT_THAT(bad_number.status().message(), HasSubstr("anomaly.max_z: expected a number, got 'high'"));
  auto bad_weeks = ParseChecksConfig(WithModels("daily_revenue:\n  checks:\n    anomaly: {history_weeks: 0}\n"));
  EXPECT_THAT(bad_weeks.status().message(), HasSubstr("between 1 and 52"));
  auto bad_duration = ParseChecksConfig(WithModels("order_events:\n  checks:\n    freshness: {max_age: soon}\n"));
  EXPECT_THAT(bad_duration.status().message(), HasSubstr("expected a duration like 30m, 2h or 1d, got 'soon'"));
  auto bad_enabled = ParseChecksConfig(WithModels("order_events:\n  checks:\n    keys: {enabled: maybe}\n"));
  EXPECT_THAT(bad_enabled.status().message(), HasSubstr("keys.enabled: expected true or false"));
  auto incoherent =
      ParseChecksConfig(WithModels("daily_revenue:\n  checks:\n    anomaly: {history_weeks: 3}\n"));
  EXPECT_THAT(incoherent.status().message(), HasSubstr("min_points (4) exceeds history_weeks (3)"));
}

TEST(CheckConfig, ErrorsNameTheLineOfTheConfigFile) {
  std::string dir = ::testing::TempDir() + "/check_config_lines";
  std::filesystem::create_directories(dir);
  std::string path = dir + "/daybook.yml";
  std::ofstream(path) << "quality:\n  max_drop_rate: 0.02\nmodels:\n  daily_revenue:\n    owner: finance\n"
                         "    checks:\n      anomaly:\n        severity: fatal\n";
  auto c = LoadConfig(path);
  ASSERT_TRUE(c.ok()) << c.status().message();
  auto cfg = ParseChecksConfig(*c);
  ASSERT_FALSE(cfg.ok());
  EXPECT_THAT(cfg.status().message(),
              HasSubstr(path + ":8: models.daily_revenue.checks.anomaly.severity: expected warn or error"));
}

TEST(CheckSeverity, ViolationMapsWarnToWarnAndErrorToFail) {
  EXPECT_EQ(StatusFor(Severity::kWarn, true), CheckStatus::kWarn);
  EXPECT_EQ(StatusFor(Severity::kError, true), CheckStatus::kFail);
  EXPECT_EQ(StatusFor(Severity::kWarn, false), CheckStatus::kPass);
  EXPECT_EQ(StatusFor(Severity::kError, false), CheckStatus::kPass);
  EXPECT_EQ(SeverityName(Severity::kError), "error");
  EXPECT_EQ(CheckStatusName(CheckStatus::kWarn), "warn");
  Severity s;
  EXPECT_TRUE(ParseSeverity("warn", &s));
  EXPECT_EQ(s, Severity::kWarn);
  EXPECT_FALSE(ParseSeverity("WARN", &s));
}

TEST(CheckSeverity, OnlyAFailMakesTheCommandFail) {
  CheckResult warn, fail;
  warn.status = CheckStatus::kWarn;
  fail.status = CheckStatus::kFail;
  EXPECT_FALSE(AnyFailed({warn, warn}));
  EXPECT_TRUE(AnyFailed({warn, fail}));
}

}  // namespace
}  // namespace daybook
