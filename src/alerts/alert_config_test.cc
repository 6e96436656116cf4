#include "alerts/alert_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace daybook {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

Result<AlertSettings> Parse(const std::string& yaml) { return ParseAlertSettingsYaml(yaml, "/proj", "daybook.yml"); }

std::string Error(const std::string& yaml) {
  auto s = Parse(yaml);
  if (s.ok()) return "ok";
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  return s.status().message();
}

TEST(AlertConfig, EmptyOrEmptyListMeansNoSinksAndDefaultCooldown) {
  for (const char* y : {"", "[]", "~"}) {
    auto s = Parse(y);
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_TRUE(s->sinks.empty());
    EXPECT_EQ(s->cooldown_micros, 6LL * 3600 * 1000000);
  }
}

TEST(AlertConfig, ListOfEverySinkType) {
  auto s = Parse(R"(
- type: log
- type: file
  path: out/alerts.jsonl
  min_severity: error
- type: webhook
  url: https://hooks.example.com/services/T0/SECRET?x=1
  timeout: 300ms
  retries: 5
  backoff: 2s
  headers: {Authorization: "Bearer x", X-Team: data}
- type: command
  command: ["/usr/bin/logger", "-t", "daybook"]
)");
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->sinks.size(), 4u);
  EXPECT_EQ(s->sinks[0].type, SinkType::kLog);
  EXPECT_EQ(s->sinks[0].name, "log");
  EXPECT_EQ(s->sinks[0].min_severity, "warn");

  EXPECT_EQ(s->sinks[1].type, SinkType::kFile);
  EXPECT_EQ(s->sinks[1].path, "/proj/out/alerts.jsonl");
  EXPECT_EQ(s->sinks[1].name, "file:out/alerts.jsonl");
  EXPECT_EQ(s->sinks[1].min_severity, "error");

  const SinkConfig& w = s->sinks[2];
  EXPECT_EQ(w.type, SinkType::kWebhook);
  EXPECT_EQ(w.url, "https://hooks.example.com/services/T0/SECRET?x=1");
  EXPECT_EQ(w.name, "webhook:https://hooks.example.com");  // no secret path in the warehouse
  EXPECT_EQ(w.timeout_micros, 300000);
  EXPECT_EQ(w.retries, 5);
  EXPECT_EQ(w.backoff_micros, 2000000);
  EXPECT_THAT(w.headers, ElementsAre(Pair("Authorization", "Bearer x"), Pair("X-Team", "data")));

  const SinkConfig& c = s->sinks[3];
  EXPECT_EQ(c.type, SinkType::kCommand);
  EXPECT_THAT(c.argv, ElementsAre("/usr/bin/logger", "-t", "daybook"));
  EXPECT_EQ(c.name, "command:/usr/bin/logger");
  EXPECT_EQ(c.timeout_micros, 10000000);
}

TEST(AlertConfig, WebhookDefaults) {
  auto s = Parse("- type: webhook\n  url: http://127.0.0.1:9000/hook\n");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->sinks[0].timeout_micros, 5000000);
  EXPECT_EQ(s->sinks[0].retries, 3);
  EXPECT_EQ(s->sinks[0].backoff_micros, 1000000);
  EXPECT_EQ(s->sinks[0].name, "webhook:http://127.0.0.1:9000");
}

TEST(AlertConfig, MappingFormCarriesCooldownAndSinks) {
  auto s = Parse("cooldown: 30m\nsinks:\n  - type: log\n    name: console\n");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->cooldown_micros, 30LL * 60 * 1000000);
  ASSERT_EQ(s->sinks.size(), 1u);
  EXPECT_EQ(s->sinks[0].name, "console");
  auto z = Parse("cooldown: 0s\n");
  ASSERT_TRUE(z.ok()) << z.status().message();
  EXPECT_EQ(z->cooldown_micros, 0);
  EXPECT_TRUE(z->sinks.empty());
}

TEST(AlertConfig, UnknownKeysAndTypesNameTheKeyWithASuggestion) {
  EXPECT_EQ(Error("- type: webhok\n  url: http://x/\n"),
            "daybook.yml: alerts[0].type: unknown sink type 'webhok' (did you mean 'webhook'?)");
  EXPECT_EQ(Error("- type: webhook\n  url: http://x/\n  retires: 2\n"),
            "daybook.yml: alerts[0].retires: unknown key (did you mean 'retries'?)");
  EXPECT_EQ(Error("- type: log\n- type: file\n  paht: a.jsonl\n"),
            "daybook.yml: alerts[1].paht: unknown key (did you mean 'path'?)");
  EXPECT_EQ(Error("cooldwon: 1h\nsinks: []\n"), "daybook.yml: alerts.cooldwon: unknown key (did you mean 'cooldown'?)");
  EXPECT_EQ(Error("sinks:\n  - type: pager\n"),
            "daybook.yml: alerts.sinks[0].type: unknown sink type 'pager' (expected log, file, webhook or command)");
  // A key valid for another sink type is still unknown here.
  EXPECT_THAT(Error("- type: log\n  url: http://x/\n"), HasSubstr("alerts[0].url: unknown key"));
}

TEST(AlertConfig, BadValuesAreNamed) {
  EXPECT_EQ(Error("- path: a\n"), "daybook.yml: alerts[0].type: missing (one of log, file, webhook, command)");
  EXPECT_EQ(Error("- type: file\n"), "daybook.yml: alerts[0].path: missing: the file to append alerts to");
  EXPECT_THAT(Error("- type: webhook\n  url: ftp://x/\n"), HasSubstr("alerts[0].url: expected an http:// or https:// URL"));
  EXPECT_THAT(Error("- type: webhook\n  url: http://x/\n  timeout: soon\n"),
              HasSubstr("alerts[0].timeout: expected a duration like 5s or 6h, got 'soon'"));
  EXPECT_THAT(Error("- type: webhook\n  url: http://x/\n  timeout: 0s\n"), HasSubstr("alerts[0].timeout: '0s' is out of range"));
  EXPECT_THAT(Error("- type: webhook\n  url: http://x/\n  retries: 11\n"), HasSubstr("alerts[0].retries: must be between 0 and 10"));
  EXPECT_THAT(Error("- type: webhook\n  url: http://x/\n  headers: [a]\n"), HasSubstr("alerts[0].headers: expected a mapping"));
  EXPECT_THAT(Error("- type: command\n  command: /usr/bin/logger -t daybook\n"),
              HasSubstr("alerts[0].command: expected a non-empty list"));
  EXPECT_THAT(Error("- type: command\n  command: []\n"), HasSubstr("alerts[0].command: expected a non-empty list"));
  EXPECT_THAT(Error("- type: log\n  min_severity: info\n"),
              HasSubstr("alerts[0].min_severity: expected warn or error, got 'info'"));
  EXPECT_THAT(Error("- type: log\n- type: log\n"), HasSubstr("alerts[1].name: two sinks are named 'log'"));
  EXPECT_THAT(Error("type: log\n"), HasSubstr("alerts.type: unknown key"));
  EXPECT_THAT(Error("log\n"), HasSubstr("alerts: expected a list of sinks"));
}

TEST(AlertConfig, ErrorsFromAConfigFileCarryItsLineNumber) {
  namespace fs = std::filesystem;
  std::string tmpl = (fs::temp_directory_path() / "daybook-alerts-cfg-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  std::string path = tmpl + "/daybook.yml";
  std::ofstream(path) << "warehouse:\n  path: x.duckdb\nalerts:\n  - type: log\n  - type: file\n    path: a.jsonl\n"
                         "    min_severty: error\n";
  auto cfg = LoadConfig(path);
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  auto s = ParseAlertSettings(*cfg);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.status().message(),
            path + ":7: alerts[1].min_severty: unknown key (did you mean 'min_severity'?)");

  std::ofstream(path) << "alerts:\n  - type: file\n    path: logs/a.jsonl\n";
  cfg = LoadConfig(path);
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  s = ParseAlertSettings(*cfg);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->sinks[0].path, fs::path(tmpl).lexically_normal().string() + "/logs/a.jsonl");
  fs::remove_all(tmpl);
}

TEST(AlertConfig, ConfigWithoutFileUsesTheKeptText) {
  Config c = DefaultConfig("/proj");
  c.alerts_yaml = "- type: file\n  path: a.jsonl\n- type: lgo\n";
  auto s = ParseAlertSettings(c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "configuration: alerts[1].type: unknown sink type 'lgo' (did you mean 'log'?)");
}

}  // namespace
}  // namespace daybook
