#include "pipeline/order_spans.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/event.h"
#include "sources/test_files.h"

namespace daybook {
namespace {

using testing::Gzip;
using testing::TempDir;

std::string Line(const std::string& order) {
  return "{\"event_id\":\"e\",\"order_id\":\"" + order + "\",\"event_type\":\"order_placed\"}\n";
}
InputFile File(const std::string& path) {
  InputFile f;
  f.path = path;
  f.size = static_cast<int64_t>(std::filesystem::file_size(path));
  return f;
}

TEST(OrderSpans, FindIdMemberReadsTheRawIdOfTheMember) {
  EXPECT_EQ(FindIdMember(R"({"order_id":"o-1","x":1})", "\"order_id\""), "o-1");
  EXPECT_EQ(FindIdMember("{\"order_id\" :\t \"o-2\"}", "\"order_id\""), "o-2");
  // The name inside a value first, then the member.
  EXPECT_EQ(FindIdMember(R"({"note":"order_id","order_id":"o-3"})", "\"order_id\""), "o-3");
  EXPECT_EQ(FindIdMember(R"({"oid":"o-4"})", "\"oid\""), "o-4");
  EXPECT_EQ(FindIdMember(R"({"order_id":"o-5"})", "\"oid\""), std::nullopt);
}

TEST(OrderSpans, FindIdMemberGivesNothingItCouldMisread) {
  EXPECT_EQ(FindIdMember(R"({"order_id":"o\"1"})", "\"order_id\""), std::nullopt);    // escaped
  EXPECT_EQ(FindIdMember(R"({"order_id":"o\u0031"})", "\"order_id\""), std::nullopt);  // escaped
  EXPECT_EQ(FindIdMember(R"({"order_id":12})", "\"order_id\""), std::nullopt);        // not a string
  EXPECT_EQ(FindIdMember(R"({"order_id":"o-1)", "\"order_id\""), std::nullopt);       // cut off
  EXPECT_EQ(FindIdMember(R"({"order_id")", "\"order_id\""), std::nullopt);
  EXPECT_EQ(FindIdMember("", "\"order_id\""), std::nullopt);
}

TEST(OrderSpans, OnlyOrdersWithLinesInSeveralBatchesSpanAndTheirLastBatchCounts) {
  TempDir dir;
  // Batches of 2 lines over two files: [a b] [c a] [blank-skipped d, b] [a].
  std::string one = dir.Write("1.jsonl", Line("a") + Line("b") + Line("c") + Line("a"));
  std::string two = dir.Write("2.jsonl", "\n" + Line("d") + Line("b") + "not json\n" + Line("a") + Line("c"));
  auto spans = ScanOrderSpans({File(one), File(two)}, {"order_id"}, 2);
  ASSERT_TRUE(spans.ok()) << spans.status().ToString();
  EXPECT_TRUE(spans->scanned());
  // Lines: 0 a, 1 b | 2 c, 3 a | 4 d, 5 b | 6 (not json), 7 a | 8 c.
  EXPECT_EQ(spans->LastBatch(KeyHash("a")), 3);
  EXPECT_EQ(spans->LastBatch(KeyHash("b")), 2);
  EXPECT_EQ(spans->LastBatch(KeyHash("c")), 4);
  EXPECT_EQ(spans->LastBatch(KeyHash("d")), std::nullopt);  // one batch only
  EXPECT_EQ(spans->size(), 3u);
  // What the load sizes its key tables by: 9 lines (blank ones skipped),
  // 4 orders.
  EXPECT_EQ(spans->lines(), 9);
  EXPECT_EQ(spans->orders(), 4);
}

TEST(OrderSpans, EveryNameAContractGivesTheIdCounts) {
  TempDir dir;
  std::string f = dir.Write("1.jsonl", Line("a") + "{\"oid\":\"a\",\"schema_version\":2}\n");
  ContractVersion v2;
  v2.version = 2;
  v2.fields = {{"order_id", "oid"}};
  std::vector<std::string> names = OrderIdNames({v2, v2});
  EXPECT_EQ(names, (std::vector<std::string>{"order_id", "oid"}));
  auto spans = ScanOrderSpans({File(f)}, names, 1);
  ASSERT_TRUE(spans.ok());
  EXPECT_EQ(spans->LastBatch(KeyHash("a")), 1);
  auto v1_only = ScanOrderSpans({File(f)}, {"order_id"}, 1);
  ASSERT_TRUE(v1_only.ok());
  EXPECT_EQ(v1_only->LastBatch(KeyHash("a")), std::nullopt);
}

TEST(OrderSpans, ACompressedInputIsNotScanned) {
  TempDir dir;
  std::string plain = dir.Write("1.jsonl", Line("a") + Line("a"));
  std::string gz = dir.Write("2.jsonl.gz", Gzip(Line("a")));
  auto spans = ScanOrderSpans({File(plain), File(gz)}, {"order_id"}, 1);
  ASSERT_TRUE(spans.ok());
  EXPECT_FALSE(spans->scanned());
  EXPECT_EQ(spans->size(), 0u);
  EXPECT_EQ(spans->lines(), 0);  // nothing to size tables by: they grow
  EXPECT_EQ(spans->orders(), 0);
}

TEST(OrderSpans, AMissingFileIsAnErrorNamingIt) {
  TempDir dir;
  InputFile f;
  f.path = dir.Path("gone.jsonl");
  auto spans = ScanOrderSpans({f}, {"order_id"}, 10);
  ASSERT_FALSE(spans.ok());
  EXPECT_NE(spans.status().ToString().find("gone.jsonl"), std::string::npos) << spans.status().ToString();
}

}  // namespace
}  // namespace daybook
