#include "load/warehouse.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "load/channels.h"
#include "load/run_log.h"
#include "load/schema.h"
#include "load/writer_lock.h"

namespace daybook {
namespace {

std::string TempPath(const char* name) {
  auto dir = std::filesystem::temp_directory_path() / ("daybook_wh_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

TEST(Warehouse, AppenderRoundTripsEveryColumnKind) {
  auto wh = Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite);
  ASSERT_TRUE(wh.ok()) << wh.status().message();
  ASSERT_TRUE((*wh)->Exec("CREATE TABLE t (b BOOLEAN, i INTEGER, l BIGINT, u UBIGINT, d DATE, "
                          "ts TIMESTAMPTZ, m DECIMAL(18,2), s VARCHAR, x DOUBLE)").ok());
  auto app = (*wh)->Appender("t");
  ASSERT_TRUE(app.ok());
  for (int i = 0; i < 5000; ++i) {  // more than one data chunk
    (*app)->Bool(0, i % 2);
    (*app)->Int32(1, i);
    (*app)->Int64(2, -i * 1000000000LL);
    (*app)->UInt64(3, 18000000000000000000ULL + i);
    (*app)->Int32(4, 19000 + i % 10);
    (*app)->Int64(5, 1700000000000000LL + i);
    (*app)->Int64(6, -12345 + i);
    if (i % 7 == 0) (*app)->Null(7); else (*app)->String(7, "row " + std::to_string(i) + " with a longer text");
    (*app)->Double(8, i / 4.0);
    ASSERT_TRUE((*app)->EndRow().ok());
  }
  ASSERT_TRUE((*app)->Close().ok());
  auto rows = (*wh)->Query("SELECT * FROM t WHERE i = 4999");
  ASSERT_TRUE(rows.ok());
  ASSERT_TRUE((*rows)->NextChunk());
  auto& r = **rows;
  EXPECT_EQ(r.Text(0, 0), "true");
  EXPECT_EQ(r.Text(1, 0), "4999");
  EXPECT_EQ(r.Text(2, 0), "-4999000000000");
  EXPECT_EQ(r.Text(3, 0), "18000000000000004999");
  EXPECT_EQ(r.Text(4, 0), "2022-01-17");
  EXPECT_EQ(r.Text(5, 0), "2023-11-14T22:13:20.004999Z");
  EXPECT_EQ(r.Text(6, 0), "-73.46");
  EXPECT_EQ(r.Text(7, 0), "row 4999 with a longer text");
  EXPECT_EQ(r.Text(8, 0), "1249.75");
  EXPECT_EQ(*(*wh)->QueryInt("SELECT count(*) FROM t WHERE s IS NULL"), 715);
}

// Rows of a test table t (i INTEGER, s VARCHAR, e ENUM, m DECIMAL(18,2)):
// short and long strings (inlined and not), NULLs, an ENUM by name.
class TestRows : public RowProducer {
 public:
  explicit TestRows(size_t n) : n_(n) {}
  size_t rows() const override { return n_; }
  Status Fill(size_t begin, size_t end, RowWriter& w) const override {
    for (size_t i = begin; i < end; ++i) {
      w.Int32(0, static_cast<int32_t>(i));
      if (i % 5 == 0) w.Null(1);
      else w.String(1, i % 2 ? "short" : "a string of more than twelve bytes, row " + std::to_string(i));
      w.String(2, i % 3 ? "web" : "store");
      w.Int64(3, static_cast<int64_t>(i) * 7 - 1000);
      DAYBOOK_RETURN_IF_ERROR(w.EndRow());
    }
    return Status::Ok();
  }

 private:
  size_t n_;
};

// Prepared rows (converted without a connection, inserted later by
// reference) give the same table as rows converted during the INSERT.
TEST(Warehouse, PreparedRowsInsertTheSameRowsAsAProducer) {
  auto wh = Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite);
  ASSERT_TRUE(wh.ok());
  ASSERT_TRUE((*wh)->Exec("CREATE TYPE ch AS ENUM ('store', 'web'); "
                          "CREATE TABLE a (i INTEGER, s VARCHAR, e ch, m DECIMAL(18,2)); "
                          "CREATE TABLE b (i INTEGER, s VARCHAR, e ch, m DECIMAL(18,2))").ok());
  const TestRows rows(5000);  // past two data chunks
  ASSERT_TRUE((*wh)->InsertRows("a", rows).ok());
  auto layout = (*wh)->Layout("b");
  ASSERT_TRUE(layout.ok()) << layout.status().message();
  // Converted on another thread, as the pipeline does.
  Result<PreparedRows> prepared = Internal("not run");
  std::thread([&] { prepared = PrepareRows(*layout, rows); }).join();
  ASSERT_TRUE(prepared.ok()) << prepared.status().message();
  EXPECT_EQ(prepared->rows(), 5000u);
  ASSERT_TRUE((*wh)->InsertRows(std::move(*prepared)).ok());
  EXPECT_EQ(*(*wh)->QueryInt("SELECT count(*) FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM b)"), 0);
  EXPECT_EQ(*(*wh)->QueryInt("SELECT count(*) FROM (SELECT * FROM b EXCEPT ALL SELECT * FROM a)"), 0);
  EXPECT_EQ(*(*wh)->QueryInt("SELECT count(*) FROM b WHERE s IS NULL"), 1000);
  EXPECT_EQ(*(*wh)->QueryScalar("SELECT s FROM b WHERE i = 4998"), "a string of more than twelve bytes, row 4998");
  EXPECT_EQ(*(*wh)->QueryInt("SELECT count(*) FROM b WHERE rowid <> i"), 0);  // in order
}

TEST(Warehouse, PreparingARowTheColumnCannotTakeIsAnError) {
  auto wh = Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite);
  ASSERT_TRUE((*wh)->Exec("CREATE TYPE ch AS ENUM ('store', 'web'); "
                          "CREATE TABLE b (i INTEGER, s VARCHAR, e ch, m DECIMAL(18,2))").ok());
  class BadEnum : public TestRows {
   public:
    BadEnum() : TestRows(1) {}
    Status Fill(size_t, size_t, RowWriter& w) const override {
      w.Int32(0, 1);
      w.Null(1);
      w.String(2, "phone");
      w.Int64(3, 0);
      return w.EndRow();
    }
  };
  auto layout = (*wh)->Layout("b");
  ASSERT_TRUE(layout.ok());
  Result<PreparedRows> prepared = PrepareRows(*layout, BadEnum());
  ASSERT_FALSE(prepared.ok());
  EXPECT_NE(prepared.status().message().find("'phone' is not a value of the ENUM column 2"), std::string::npos)
      << prepared.status().message();
}

TEST(Warehouse, IntegersAreWrittenWithTheColumnsOwnWidth) {
  auto wh = Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite);
  ASSERT_TRUE((*wh)->Exec("CREATE TABLE t (a TINYINT, b UTINYINT, c USMALLINT, d UINTEGER, e SMALLINT, f BIGINT)").ok());
  auto app = (*wh)->Appender("t");
  for (int i = 0; i < 3000; ++i) {  // past a chunk: a width mismatch would overrun it
    for (size_t c = 0; c < 5; ++c) (*app)->Int64(c, i % 100);
    (*app)->Int64(5, i);
    ASSERT_TRUE((*app)->EndRow().ok());
  }
  ASSERT_TRUE((*app)->Close().ok());
  EXPECT_EQ(*(*wh)->QueryInt("SELECT count(*) FROM t WHERE a = b AND b = c AND c = d AND d = e AND e = f % 100"), 3000);
}

TEST(Warehouse, IntegerIntoATextColumnIsAnError) {
  auto wh = Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite);
  ASSERT_TRUE((*wh)->Exec("CREATE TABLE t (s VARCHAR)").ok());
  auto app = (*wh)->Appender("t");
  (*app)->Int64(0, 1);
  EXPECT_EQ((*app)->EndRow().code(), StatusCode::kInternal);
}

TEST(Warehouse, OpenForWritingLimitsDuckDbMemory) {
  auto wh = Warehouse::OpenForWriting(":memory:", "256MB");
  ASSERT_TRUE(wh.ok()) << wh.status().message();
  auto limit = (*wh)->QueryScalar("SELECT current_setting('memory_limit')");
  ASSERT_TRUE(limit.ok()) << limit.status().message();
  EXPECT_EQ(*limit, "244.1 MiB");  // DuckDB shows 256 * 10^6 bytes in MiB
  EXPECT_FALSE(Warehouse::OpenForWriting(":memory:", "256").ok());
}

TEST(Warehouse, QueryErrorIsAStatusNamingTheProblem) {
  auto wh = Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite);
  auto st = (*wh)->Exec("SELECT * FROM no_such_table");
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("no_such_table"), std::string::npos);
}

TEST(Schema, MigrateCreatesTablesAndIsIdempotent) {
  auto wh = Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite);
  ASSERT_TRUE(Migrate(**wh, "JPY").ok());
  ASSERT_TRUE(Migrate(**wh, "JPY").ok());
  EXPECT_EQ(*(*wh)->QueryScalar("SELECT data_type FROM information_schema.columns WHERE "
                                "table_name='daily_revenue' AND column_name='net'"),
            "DECIMAL(18,0)");
  for (const char* t : {"order_events", "quarantine", "fct_orders", "daily_revenue", "daily_revenue_by_channel",
                        "daily_revenue_versions", "revenue_restatements", "pipeline_runs", "loaded_files",
                        "check_results", "alerts", "schema_drift", "source_files", "event_sources",
                        "channels"}) {
    EXPECT_EQ(*(*wh)->QueryInt(std::string("SELECT count(*) FROM information_schema.tables WHERE table_name='") + t + "'"), 1) << t;
  }
}

TEST(RunLog, SourceFilesAreNumberedOnceInTheOrderFirstSeen) {
  auto wh = Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite);
  ASSERT_TRUE(Migrate(**wh, "USD").ok());
  auto first = NumberSourceFiles(**wh, {{"landing", "/in/a.jsonl"}, {"landing", "/in/b.jsonl"}}, 1);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(*first, (std::vector<int32_t>{1, 2}));
  // Known pairs keep their number; the same path under another source is
  // another file; a pair named twice in one call is numbered once.
  auto second = NumberSourceFiles(
      **wh, {{"landing", "/in/b.jsonl"}, {"cli", "/in/a.jsonl"}, {"landing", "/in/c.jsonl"}, {"cli", "/in/a.jsonl"}},
      2);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(*second, (std::vector<int32_t>{2, 3, 4, 3}));
  EXPECT_EQ(*(*wh)->QueryScalar("SELECT string_agg(source_file_id || ':' || source || ':' || path || ':' || "
                                "first_run_id, ' ' ORDER BY source_file_id) FROM source_files"),
            "1:landing:/in/a.jsonl:1 2:landing:/in/b.jsonl:1 3:cli:/in/a.jsonl:2 4:landing:/in/c.jsonl:2");
  auto none = NumberSourceFiles(**wh, {}, 3);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

// A warehouse made at the current version, taken back to version 2's
// order_events (the channel's name in place of channel_id, no channels
// table) or further to version 1's (the source name and path in place of
// source_file_id). The changed columns move to the end; the migration
// copies by name.
void TakeBackTo(Warehouse& wh, int version) {
  std::string sql = "DROP TABLE channels; ALTER TABLE order_events DROP COLUMN channel_id; "
                    "ALTER TABLE order_events ADD COLUMN channel VARCHAR; ";
  if (version == 1) {
    sql += "DROP VIEW event_sources; DROP TABLE source_files; ALTER TABLE order_events DROP COLUMN source_file_id; "
           "ALTER TABLE order_events ADD COLUMN source VARCHAR; "
           "ALTER TABLE order_events ADD COLUMN source_file VARCHAR; ";
  }
  ASSERT_TRUE(wh.Exec(sql + "UPDATE daybook_meta SET value = '" + std::to_string(version) +
                      "' WHERE key = 'schema_version'").ok());
}

// Version 1 stored the source name and path on every event. Migrating
// numbers the files in source_files by their first run and rebuilds
// order_events in its stored order: 300,000 rows are several of DuckDB's
// row groups, which more than one thread would interleave.
TEST(Schema, MigratingVersionOneNumbersTheFilesAndKeepsTheStoredOrder) {
  const std::string path = TempPath("v1.duckdb");
  std::filesystem::remove(path);
  {
    auto wh = Warehouse::Open(path, Warehouse::Mode::kReadWrite);
    ASSERT_TRUE(wh.ok()) << wh.status().message();
    ASSERT_TRUE(Migrate(**wh, "USD").ok());
    TakeBackTo(**wh, 1);
    ASSERT_TRUE((*wh)->Exec(
        "INSERT INTO order_events (event_id, event_key, event_type, order_id, order_key, occurred_at, business_date, "
        "channel, included, schema_version, content_hash, source, source_file, source_line, run_id, updated_run_id) "
        "SELECT 'e' || i, hash(i), 'order_placed', 'o' || i, hash(i), TIMESTAMPTZ '2025-03-01 10:00:00+00', "
        "DATE '2025-03-01', 'web', true, 1, 0, CASE WHEN i % 7 = 0 THEN 'cli' ELSE 'landing' END, "
        "'/in/' || (i // 100000) || '.jsonl', i, 1 + i // 100000, 1 + i // 100000 FROM range(300000) r(i)").ok());
    ASSERT_TRUE((*wh)->Exec("CHECKPOINT").ok());
    ASSERT_TRUE(Migrate(**wh, "USD").ok());
    EXPECT_EQ(*(*wh)->QueryScalar("SELECT value FROM daybook_meta WHERE key = 'schema_version'"), "3");
    EXPECT_EQ(*(*wh)->QueryScalar("SELECT string_agg(source_file_id || ':' || source || ':' || path || ':' || "
                                  "first_run_id, ' ' ORDER BY source_file_id) FROM source_files"),
              "1:cli:/in/0.jsonl:1 2:landing:/in/0.jsonl:1 3:cli:/in/1.jsonl:2 4:landing:/in/1.jsonl:2 "
              "5:cli:/in/2.jsonl:3 6:landing:/in/2.jsonl:3");
    EXPECT_EQ(*(*wh)->QueryScalar("SELECT string_agg(channel_id || ':' || channel || ':' || first_run_id, ' ') "
                                  "FROM channels"),
              "1:web:1");
    EXPECT_EQ(*(*wh)->QueryInt("SELECT count(*) FROM order_events WHERE event_id <> 'e' || rowid OR channel_id <> 1"),
              0);
    EXPECT_EQ(*(*wh)->QueryInt("SELECT count(*) FROM event_sources WHERE source <> CASE WHEN source_line % 7 = 0 "
                               "THEN 'cli' ELSE 'landing' END OR source_file <> '/in/' || (source_line // 100000) || "
                               "'.jsonl' OR run_id <> 1 + source_line // 100000"),
              0);
    EXPECT_EQ(*(*wh)->QueryInt("SELECT count(*) FROM event_sources"), 300000);
    EXPECT_EQ(*(*wh)->QueryScalar("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM "
                                  "information_schema.columns WHERE table_name = 'order_events' AND "
                                  "ordinal_position > 18"),
              "content_hash,source_file_id,source_line,run_id,updated_run_id");
  }
  std::filesystem::remove(path);
  std::filesystem::remove(path + ".wal");
}

// Version 2 stored the channel's name on every event. Migrating numbers
// the channels by the run that first stored them (then by name) and
// rebuilds order_events in its stored order, the locators untouched.
TEST(Schema, MigratingVersionTwoNumbersTheChannelsAndKeepsTheStoredOrder) {
  const std::string path = TempPath("v2.duckdb");
  std::filesystem::remove(path);
  {
    auto wh = Warehouse::Open(path, Warehouse::Mode::kReadWrite);
    ASSERT_TRUE(wh.ok()) << wh.status().message();
    ASSERT_TRUE(Migrate(**wh, "USD").ok());
    auto files = NumberSourceFiles(**wh, {{"landing", "/in/a.jsonl"}}, 1);
    ASSERT_TRUE(files.ok()) << files.status().message();
    TakeBackTo(**wh, 2);
    const std::string channel_of_i =
        "CASE WHEN i >= 200000 AND i % 5 = 0 THEN 'market' WHEN i % 2 = 0 THEN 'web' ELSE 'app' END";
    ASSERT_TRUE((*wh)->Exec(
        "INSERT INTO order_events (event_id, event_key, event_type, order_id, order_key, occurred_at, business_date, "
        "channel, included, schema_version, content_hash, source_file_id, source_line, run_id, updated_run_id) "
        "SELECT 'e' || i, hash(i), 'order_placed', 'o' || i, hash(i), TIMESTAMPTZ '2025-03-01 10:00:00+00', "
        "DATE '2025-03-01', " + channel_of_i + ", true, 1, 0, 1, i, 1 + i // 100000, 1 + i // 100000 "
        "FROM range(300000) r(i)").ok());
    ASSERT_TRUE((*wh)->Exec("CHECKPOINT").ok());
    ASSERT_TRUE(Migrate(**wh, "USD").ok());
    EXPECT_EQ(*(*wh)->QueryScalar("SELECT value FROM daybook_meta WHERE key = 'schema_version'"), "3");
    EXPECT_EQ(*(*wh)->QueryScalar("SELECT string_agg(channel_id || ':' || channel || ':' || first_run_id, ' ' "
                                  "ORDER BY channel_id) FROM channels"),
              "1:app:1 2:web:1 3:market:3");
    EXPECT_EQ(*(*wh)->QueryInt("SELECT count(*) FROM order_events WHERE event_id <> 'e' || rowid"), 0);
    EXPECT_EQ(*(*wh)->QueryInt("SELECT count(*) FROM order_events e JOIN channels c USING (channel_id) "
                               "JOIN (SELECT i, " + channel_of_i + " AS want FROM range(300000) r(i)) w "
                               "ON w.i = e.source_line WHERE c.channel = w.want"),
              300000);
    EXPECT_EQ(*(*wh)->QueryInt("SELECT count(*) FROM event_sources WHERE source = 'landing' AND "
                               "source_file = '/in/a.jsonl'"),
              300000);
    EXPECT_EQ(*(*wh)->QueryScalar("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM "
                                  "information_schema.columns WHERE table_name = 'order_events' AND "
                                  "ordinal_position BETWEEN 8 AND 10"),
              "business_date,channel_id,currency");
  }
  std::filesystem::remove(path);
  std::filesystem::remove(path + ".wal");
}

TEST(Channels, AreNumberedOnceInTheOrderFirstStoredAndKeepTheirNumber) {
  auto wh = Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite);
  ASSERT_TRUE(Migrate(**wh, "USD").ok());
  auto first = ChannelNumbers::Read(**wh);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->Number("web"), 1);
  EXPECT_EQ(first->Number("app"), 2);
  EXPECT_EQ(first->Number("web"), 1);
  EXPECT_EQ(first->Number("app"), 2);
  std::vector<NewChannel> taken = first->TakeNew();
  ASSERT_EQ(taken.size(), 2u);
  EXPECT_TRUE(first->TakeNew().empty());  // handed out once
  ASSERT_TRUE(StoreChannels(**wh, taken, 1).ok());

  // Another run reads what was stored: known names keep their number, a
  // new one takes the next, and only it is new.
  auto second = ChannelNumbers::Read(**wh);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->Number("app"), 2);
  EXPECT_EQ(second->Number("Web"), 3);  // names are compared exactly
  EXPECT_EQ(second->Number("web"), 1);
  taken = second->TakeNew();
  ASSERT_EQ(taken.size(), 1u);
  ASSERT_TRUE(StoreChannels(**wh, taken, 2).ok());
  EXPECT_EQ(*(*wh)->QueryScalar("SELECT string_agg(channel_id || ':' || channel || ':' || first_run_id, ' ' "
                                "ORDER BY channel_id) FROM channels"),
            "1:web:1 2:app:1 3:Web:2");
}

// Ids and hashes are stored with a fixed method: a column of unique strings
// never profits from a dictionary, nor random 64-bit hashes from bit
// packing, and analysing them for it was a tenth of a first load
// (docs/decisions.md, 52).
TEST(Schema, IdAndHashColumnsAreStoredWithoutTryingEveryCompression) {
  const std::string path = TempPath("compression.duckdb");
  std::filesystem::remove(path);
  {
    auto wh = Warehouse::Open(path, Warehouse::Mode::kReadWrite);
    ASSERT_TRUE(wh.ok()) << wh.status().message();
    ASSERT_TRUE(Migrate(**wh, "USD").ok());
    ASSERT_TRUE((*wh)->Exec(
        "INSERT INTO order_events (event_id, event_key, event_type, order_id, order_key, customer_id, occurred_at, "
        "business_date, channel_id, included, schema_version, content_hash, source_file_id, source_line, run_id, "
        "updated_run_id) SELECT 'evt-' || i, hash(i), 'order_placed', 'ord-' || i, hash(i + 1), 'cus-' || (i % 7), "
        "TIMESTAMPTZ '2025-03-01 10:00:00+00', DATE '2025-03-01', 1 + i % 3, true, 1, hash(i + 2), 1, "
        "i, 1, 1 FROM range(3000) r(i)").ok());
    ASSERT_TRUE((*wh)->Exec("CHECKPOINT").ok());
    auto rows = (*wh)->Query(
        "SELECT column_name || '=' || string_agg(DISTINCT compression, '+' ORDER BY compression) "
        "FROM pragma_storage_info('order_events') WHERE segment_type NOT IN ('VALIDITY') AND column_name IN "
        "('event_id', 'event_key', 'order_id', 'order_key', 'customer_id', 'channel_id', 'content_hash') "
        "GROUP BY column_name ORDER BY column_name");
    ASSERT_TRUE(rows.ok()) << rows.status().message();
    std::string got;
    while ((*rows)->NextChunk()) {
      for (size_t r = 0; r < (*rows)->size(); ++r) got += std::string((*rows)->String(0, r)) + "\n";
    }
    EXPECT_EQ(got,
              "channel_id=BitPacking\ncontent_hash=Uncompressed\ncustomer_id=FSST\nevent_id=FSST\n"
              "event_key=Uncompressed\norder_id=FSST\norder_key=Uncompressed\n");
  }
  std::filesystem::remove(path);
}

TEST(Schema, ReportingCurrencyIsFixedAtCreation) {
  auto wh = Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite);
  ASSERT_TRUE(Migrate(**wh, "USD").ok());
  Status st = Migrate(**wh, "EUR");
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("reports in USD"), std::string::npos);
}

TEST(Schema, NewerSchemaVersionIsRefused) {
  auto wh = Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite);
  ASSERT_TRUE(Migrate(**wh, "USD").ok());
  ASSERT_TRUE((*wh)->Exec("UPDATE daybook_meta SET value='99' WHERE key='schema_version'").ok());
  Status st = Migrate(**wh, "USD");
  EXPECT_EQ(st.code(), StatusCode::kCorrupt);
  EXPECT_NE(st.message().find("newer Daybook"), std::string::npos);
}

TEST(Schema, ForeignDuckDbFileIsRefused) {
  auto wh = Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite);
  ASSERT_TRUE((*wh)->Exec("CREATE TABLE something_else (x INTEGER)").ok());
  EXPECT_EQ(Migrate(**wh, "USD").code(), StatusCode::kCorrupt);
}

TEST(Warehouse, NonDuckDbFileIsCorrupt) {
  std::string p = TempPath("not_duckdb.duckdb");
  std::ofstream(p) << "this is not a database, just text that is long enough to be read as a header......";
  auto wh = Warehouse::Open(p, Warehouse::Mode::kReadWrite);
  ASSERT_FALSE(wh.ok());
  EXPECT_EQ(wh.status().code(), StatusCode::kCorrupt) << wh.status().message();
  std::filesystem::remove(p);
}

TEST(Warehouse, ReadOnlyOpenOfMissingFileIsNotFound) {
  auto wh = Warehouse::Open(TempPath("missing.duckdb"), Warehouse::Mode::kReadOnly);
  EXPECT_EQ(wh.status().code(), StatusCode::kNotFound);
}

TEST(WriterLock, SecondWriterIsLockedAndNamesTheHolder) {
  std::string p = TempPath("locked.duckdb");
  auto first = WriterLock::Acquire(p, "run");
  ASSERT_TRUE(first.ok());
  // flock locks are per open file description: a second open in the same
  // process conflicts just like another process would.
  auto second = WriterLock::Acquire(p, "run");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kLocked);
  EXPECT_NE(second.status().message().find("pid " + std::to_string(::getpid())), std::string::npos);
  first->reset();
  EXPECT_TRUE(WriterLock::Acquire(p, "run").ok());
}

}  // namespace
}  // namespace daybook
