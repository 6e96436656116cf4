#include "catalog/catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>

#include "load/schema.h"

namespace daybook {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Config WithModels(const std::string& yaml) {
  Config c = DefaultConfig("/tmp");
  c.models_yaml = yaml;
  return c;
}

// A daybook.yml on disk, so errors can name its lines.
class ConfigFile {
 public:
  explicit ConfigFile(const std::string& text) {
    path_ = (std::filesystem::temp_directory_path() /
             ("catalog_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++) + ".yml"))
                .string();
    std::ofstream(path_) << text;
  }
  ~ConfigFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::string path_;
};

std::string ErrorOf(const Config& c) {
  auto cat = LoadCatalog(c);
  EXPECT_FALSE(cat.ok());
  if (cat.ok()) return "";
  EXPECT_EQ(cat.status().code(), StatusCode::kInvalidArgument);
  return cat.status().message();
}

TEST(Catalog, BuiltInDocumentsEverySpecTableWithAllFields) {
  auto cat = LoadCatalog(DefaultConfig("/tmp"));
  ASSERT_TRUE(cat.ok()) << cat.status().message();
  for (const char* t : {"order_events", "quarantine", "fct_orders", "daily_revenue", "daily_revenue_by_channel",
                        "daily_revenue_versions", "revenue_restatements", "pipeline_runs", "loaded_files",
                        "check_results", "alerts", "schema_drift", "model_catalog", "column_catalog", "source_files",
                        "channels", "event_sources"}) {
    const ModelDoc* m = cat->Find(t);
    ASSERT_NE(m, nullptr) << t;
    EXPECT_FALSE(m->description.empty()) << t;
    EXPECT_FALSE(m->grain.empty()) << t;
    EXPECT_EQ(m->owner, kDefaultOwner) << t;
    EXPECT_FALSE(m->freshness_sla.empty()) << t;
    EXPECT_FALSE(m->upstream.empty()) << t;
    EXPECT_FALSE(m->columns.empty()) << t;
    EXPECT_EQ(m->description.find('{'), std::string::npos) << t << ": unfilled placeholder";
  }
}

// Every column of the real schema has a description, and the catalog names
// no column the schema lacks: a new column must be documented.
TEST(Catalog, EveryWarehouseColumnIsDocumented) {
  auto wh = std::move(Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite)).value();
  ASSERT_TRUE(Migrate(*wh, "USD").ok());
  auto cat = LoadCatalog(DefaultConfig("/tmp"));
  ASSERT_TRUE(cat.ok());
  ASSERT_TRUE(PublishCatalog(*wh, *cat).ok());
  auto rows = wh->Query(
      "SELECT table_name, column_name FROM information_schema.columns "
      "WHERE table_schema = 'main' AND table_name <> 'daybook_meta' ORDER BY ALL");
  ASSERT_TRUE(rows.ok());
  std::set<std::string> live;
  while ((*rows)->NextChunk()) {
    for (size_t r = 0; r < (*rows)->size(); ++r) {
      std::string table((*rows)->String(0, r)), column((*rows)->String(1, r));
      live.insert(table + "." + column);
      const ModelDoc* m = cat->Find(table);
      ASSERT_NE(m, nullptr) << "table " << table << " is not in the catalog (builtin_catalog.cc)";
      EXPECT_NE(m->FindColumn(column), nullptr) << table << "." << column << " has no description";
    }
  }
  for (const auto& m : cat->models) {
    for (const auto& c : m.columns) EXPECT_TRUE(live.count(m.name + "." + c.name)) << m.name << "." << c.name;
  }
}

TEST(Catalog, LineageRunsFromSourcesToAlerts) {
  auto cat = LoadCatalog(DefaultConfig("/tmp"));
  ASSERT_TRUE(cat.ok());
  EXPECT_THAT(cat->Find("order_events")->upstream, ElementsAre("sources"));
  EXPECT_THAT(cat->Find("fct_orders")->upstream, ElementsAre("order_events"));
  EXPECT_THAT(cat->Find("daily_revenue_by_channel")->upstream, ElementsAre("order_events", "fct_orders", "channels"));
  EXPECT_THAT(cat->Find("alerts")->upstream, ElementsAre("check_results"));
  EXPECT_THAT(cat->Downstream("daily_revenue"),
              ElementsAre("daily_revenue_versions", "revenue_restatements", "check_results"));
  EXPECT_TRUE(IsExternalNode(*cat, "sources"));
  EXPECT_FALSE(IsExternalNode(*cat, "fct_orders"));
  // Every upstream is a model or a named external node.
  for (const auto& m : cat->models) {
    for (const auto& u : m.upstream) {
      EXPECT_TRUE(cat->Find(u) || u == "sources" || u == "daybook.yml") << m.name << " <- " << u;
    }
  }
}

TEST(Catalog, PlaceholdersFollowTheConfiguration) {
  Config c = DefaultConfig("/tmp");
  c.timezone = "Europe/Paris";
  c.daily_close_minutes = 6 * 60 + 30;
  auto cat = LoadCatalog(c);
  ASSERT_TRUE(cat.ok());
  EXPECT_EQ(cat->Find("daily_revenue")->freshness_sla,
            "business day D is final by 06:30 Europe/Paris on D+1 (business.daily_close)");
  EXPECT_THAT(cat->Find("order_events")->FindColumn("business_date")->description, HasSubstr("Europe/Paris"));
}

TEST(Catalog, OverridesApplyAndChecksAreLeftToTheChecksStage) {
  auto cat = LoadCatalog(WithModels(R"(
daily_revenue:
  description: The revenue report finance signs every morning.
  owner: finance-data@example.com
  grain: one row per business date
  freshness_sla: final by {daily_close} on D+1
  columns:
    net: revenue after refunds and cancellations
  checks:
    anomaly: {severity: error, max_z: 5}
fct_orders:
)"));
  ASSERT_TRUE(cat.ok()) << cat.status().message();
  const ModelDoc* d = cat->Find("daily_revenue");
  EXPECT_EQ(d->description, "The revenue report finance signs every morning.");
  EXPECT_EQ(d->owner, "finance-data@example.com");
  EXPECT_EQ(d->grain, "one row per business date");
  EXPECT_EQ(d->freshness_sla, "final by 07:00 on D+1");
  EXPECT_EQ(d->FindColumn("net")->description, "revenue after refunds and cancellations");
  EXPECT_THAT(d->FindColumn("gross")->description, HasSubstr("included order amounts"));  // untouched
  EXPECT_EQ(cat->Find("fct_orders")->owner, kDefaultOwner);
}

TEST(Catalog, UnknownColumnNamesTheKeyAndLineWithASuggestion) {
  ConfigFile f(
      "warehouse:\n"
      "  path: wh.duckdb\n"
      "models:\n"
      "  daily_revenue:\n"
      "    owner: finance\n"
      "    columns:\n"
      "      nett: revenue\n");
  auto config = LoadConfig(f.path());
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(ErrorOf(*config), f.path() + ":7: models.daily_revenue.columns.nett: unknown column (did you mean 'net'?)");
}

TEST(Catalog, UnknownModelAndKeySuggest) {
  EXPECT_EQ(ErrorOf(WithModels("daily_revenu:\n  owner: x\n")),
            "daybook.yml: models.daily_revenu: unknown model (did you mean 'daily_revenue'?)");
  EXPECT_THAT(ErrorOf(WithModels("nothing_like_it:\n  owner: x\n")),
              HasSubstr("models.nothing_like_it: unknown model; models: order_events, quarantine,"));
  EXPECT_THAT(ErrorOf(WithModels("fct_orders:\n  ownr: x\n")),
              HasSubstr("models.fct_orders.ownr: unknown key (did you mean 'owner'?); a model takes: description, "
                        "grain, owner, freshness_sla, columns, checks"));
  EXPECT_THAT(ErrorOf(WithModels("fct_orders:\n  columns:\n    zzzzzzzzzz: x\n")),
              HasSubstr("models.fct_orders.columns.zzzzzzzzzz: unknown column; columns of fct_orders: order_id, "));
}

TEST(Catalog, AModelLeftWithoutOwnerDescriptionGrainOrSlaFails) {
  EXPECT_THAT(ErrorOf(WithModels("daily_revenue:\n  owner: \"\"\n")),
              HasSubstr("models.daily_revenue.owner: empty: every model needs an owner (remove the key to keep "
                        "the default owner)"));
  EXPECT_THAT(ErrorOf(WithModels("daily_revenue:\n  owner:\n")), HasSubstr("models.daily_revenue.owner: empty"));
  EXPECT_THAT(ErrorOf(WithModels("fct_orders:\n  description: \"  \"\n")),
              HasSubstr("models.fct_orders.description: empty: every model needs a description"));
  EXPECT_THAT(ErrorOf(WithModels("fct_orders:\n  grain: ''\n")), HasSubstr("models.fct_orders.grain: empty"));
  EXPECT_THAT(ErrorOf(WithModels("fct_orders:\n  freshness_sla: ''\n")),
              HasSubstr("models.fct_orders.freshness_sla: empty: every model needs a freshness SLA"));
  EXPECT_THAT(ErrorOf(WithModels("fct_orders:\n  columns:\n    status: ''\n")),
              HasSubstr("models.fct_orders.columns.status: empty: every column needs a description"));
  EXPECT_THAT(ErrorOf(WithModels("fct_orders:\n  owner: [a, b]\n")),
              HasSubstr("models.fct_orders.owner: expected text"));
  EXPECT_THAT(ErrorOf(WithModels("fct_orders: just text\n")),
              HasSubstr("models.fct_orders: expected a mapping (description, grain, owner, freshness_sla, columns, "
                        "checks)"));
  EXPECT_THAT(ErrorOf(WithModels("[a, b]\n")), HasSubstr("models: expected a mapping of model name -> settings"));
}

// ---------------------------------------------------------------- publish

class PublishTest : public ::testing::Test {
 protected:
  void SetUp() override {
    wh_ = std::move(Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite)).value();
    ASSERT_TRUE(Migrate(*wh_, "USD").ok());
  }
  std::string Scalar(const std::string& sql) {
    auto v = wh_->QueryScalar(sql);
    EXPECT_TRUE(v.ok()) << v.status().message();
    return v.ok() ? *v : "";
  }
  std::unique_ptr<Warehouse> wh_;
};

TEST_F(PublishTest, WritesTablesAndCommentsInsideTheCallersTransaction) {
  auto cat = LoadCatalog(WithModels("daily_revenue:\n  owner: finance\n  columns:\n    net: the bottom line\n"));
  ASSERT_TRUE(cat.ok());
  // As inside a run: rows written to a model in the same transaction.
  ASSERT_TRUE(wh_->Exec("BEGIN").ok());
  ASSERT_TRUE(wh_->Exec("INSERT INTO daily_revenue VALUES ('2025-01-01', 1, 0, 0, 1, 10, 0, 0, 10, 'USD', 1, "
                        "NULL, '2025-01-02 08:00:00+00', 1)")
                  .ok());
  Status st = PublishCatalog(*wh_, *cat);
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_TRUE(wh_->Exec("COMMIT").ok());

  EXPECT_EQ(Scalar("SELECT owner FROM model_catalog WHERE model = 'daily_revenue'"), "finance");
  EXPECT_EQ(Scalar("SELECT upstream FROM model_catalog WHERE model = 'daily_revenue_by_channel'"),
            "order_events, fct_orders, channels");
  EXPECT_EQ(Scalar("SELECT downstream FROM model_catalog WHERE model = 'daily_revenue'"),
            "daily_revenue_versions, revenue_restatements, check_results");
  EXPECT_EQ(Scalar("SELECT description || '|' || data_type || '|' || ordinal FROM column_catalog "
                   "WHERE model = 'daily_revenue' AND column_name = 'net'"),
            "the bottom line|DECIMAL(18,2)|9");
  EXPECT_EQ(Scalar("SELECT comment FROM duckdb_columns() WHERE table_name = 'daily_revenue' AND column_name = 'net'"),
            "the bottom line");
  EXPECT_THAT(Scalar("SELECT comment FROM duckdb_tables() WHERE table_name = 'daily_revenue'"),
              HasSubstr("Grain: one row per business date (business_date). Owner: finance. Freshness SLA: "));
  EXPECT_EQ(Scalar("SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'main' AND NOT internal AND "
                   "table_name <> 'daybook_meta' AND comment IS NULL"),
            "0");
  EXPECT_EQ(Scalar("SELECT count(*) FROM daily_revenue"), "1");
}

TEST_F(PublishTest, RepublishingTheSameCatalogWritesNothingAndAChangeReplacesIt) {
  auto cat = LoadCatalog(DefaultConfig("/tmp"));
  ASSERT_TRUE(cat.ok());
  ASSERT_TRUE(PublishCatalog(*wh_, *cat).ok());
  std::string rows = Scalar("SELECT count(*) FROM column_catalog");
  std::string version = Scalar("SELECT max(rowid) FROM model_catalog");
  ASSERT_TRUE(PublishCatalog(*wh_, *cat).ok());
  EXPECT_EQ(Scalar("SELECT max(rowid) FROM model_catalog"), version);  // not rewritten
  EXPECT_EQ(Scalar("SELECT count(*) FROM column_catalog"), rows);

  auto changed = LoadCatalog(WithModels("fct_orders:\n  owner: orders-team\n"));
  ASSERT_TRUE(changed.ok());
  ASSERT_TRUE(PublishCatalog(*wh_, *changed).ok());
  EXPECT_EQ(Scalar("SELECT owner FROM model_catalog WHERE model = 'fct_orders'"), "orders-team");
  EXPECT_EQ(Scalar("SELECT count(*) FROM model_catalog"), std::to_string(cat->models.size()));
  EXPECT_EQ(Scalar("SELECT count(*) FROM column_catalog"), rows);
  EXPECT_THAT(Scalar("SELECT comment FROM duckdb_tables() WHERE table_name = 'fct_orders'"),
              HasSubstr("Owner: orders-team."));
}

TEST_F(PublishTest, IsCheapWhenNothingChanged) {
  auto cat = LoadCatalog(DefaultConfig("/tmp"));
  ASSERT_TRUE(cat.ok());
  ASSERT_TRUE(PublishCatalog(*wh_, *cat).ok());
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(PublishCatalog(*wh_, *cat).ok());
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / 10;
  EXPECT_LT(ms, 200) << "PublishCatalog with nothing to change took " << ms << " ms";
}

// On a file, inside a transaction that also appended many rows (a run's
// optimistic writes), the comments commit with the data and survive a reopen.
TEST(PublishFile, CommentsCommitWithARunsRowsAndSurviveReopen) {
  std::string path =
      (std::filesystem::temp_directory_path() / ("catalog_publish_" + std::to_string(::getpid()) + ".duckdb")).string();
  std::filesystem::remove(path);
  {
    auto wh = std::move(Warehouse::Open(path, Warehouse::Mode::kReadWrite)).value();
    ASSERT_TRUE(Migrate(*wh, "USD").ok());
    auto cat = LoadCatalog(DefaultConfig("/tmp"));
    ASSERT_TRUE(cat.ok());
    ASSERT_TRUE(wh->Exec("BEGIN").ok());
    ASSERT_TRUE(wh->Exec("INSERT INTO fct_orders SELECT 'o' || i, i, NULL, NULL, NULL, NULL, NULL, NULL, 0, false, "
                         "NULL, 'orphaned', 0, 0, 0, 0, 1, 1, TIMESTAMPTZ '2025-01-01 00:00:00+00', 1 "
                         "FROM range(300000) t(i)")
                    .ok());
    Status st = PublishCatalog(*wh, *cat);
    ASSERT_TRUE(st.ok()) << st.message();
    ASSERT_TRUE(wh->Exec("COMMIT").ok());
  }
  {
    auto wh = std::move(Warehouse::Open(path, Warehouse::Mode::kReadOnly)).value();
    EXPECT_EQ(*wh->QueryScalar("SELECT count(*) FROM fct_orders"), "300000");
    EXPECT_THAT(*wh->QueryScalar("SELECT comment FROM duckdb_columns() WHERE table_name = 'fct_orders' AND "
                                 "column_name = 'status'"),
                HasSubstr("partially_refunded"));
    EXPECT_EQ(*wh->QueryScalar("SELECT count(*) FROM model_catalog"), "17");
  }
  std::filesystem::remove(path);
  std::filesystem::remove(path + ".wal");
}

}  // namespace
}  // namespace daybook

namespace daybook {
namespace {

TEST(Catalog, TopLevelOwnerIsEveryModelsDefaultOwner) {
  Config c = DefaultConfig("/tmp");
  c.default_owner = "finance-data@shop.example";
  c.models_yaml = "fct_orders:\n  owner: orders-team\n";
  auto cat = LoadCatalog(c);
  ASSERT_TRUE(cat.ok()) << cat.status().message();
  EXPECT_EQ(cat->Find("daily_revenue")->owner, "finance-data@shop.example");
  EXPECT_EQ(cat->Find("fct_orders")->owner, "orders-team");
}

}  // namespace
}  // namespace daybook
