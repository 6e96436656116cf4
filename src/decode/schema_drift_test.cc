#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "decode/decoder.h"

namespace daybook {
namespace {

std::string Render(const SchemaDrift& d) {
  std::string s;
  for (const auto& [name, f] : d) {
    s += name + "=" + std::to_string(f.count) + "@" + f.first_seen.ToString() + " ";
  }
  return s;
}

Locator At(int64_t line) { return Locator{"landing", "a.jsonl", line}; }

TEST(SchemaDrift, CountsNamesAndKeepsTheFirstLocator) {
  SchemaDrift d;
  d.Record("coupon");
  d.SetFirstSeen(At(3));
  d.Record("coupon");
  d.Record("gift");
  d.SetFirstSeen(At(9));
  d.SetFirstSeen(At(10));  // nothing new: nothing changes
  EXPECT_EQ(Render(d), "coupon=2@a.jsonl:3 gift=1@a.jsonl:9 ");
}

TEST(SchemaDrift, MergeAddsCountsAndKeepsTheEarlierLocator) {
  SchemaDrift a, b;
  a.Record("coupon");
  a.SetFirstSeen(At(1));
  b.Record("coupon");
  b.Record("gift");
  b.SetFirstSeen(At(7));
  a.Merge(b);
  EXPECT_EQ(Render(a), "coupon=2@a.jsonl:1 gift=1@a.jsonl:7 ");
  a.Clear();
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(Render(a), "");
}

TEST(SchemaDrift, MergeFillsANameStillWithoutLocator) {
  SchemaDrift a, b;
  b.Record("gift");
  b.SetFirstSeen(At(2));
  a.Record("gift");  // not placed yet
  a.Merge(b);
  a.SetFirstSeen(At(50));
  EXPECT_EQ(Render(a), "gift=2@a.jsonl:2 ");
}

TEST(SchemaDrift, AMovedDriftStillPlacesItsPendingNames) {
  SchemaDrift a;
  a.Record("gift");
  SchemaDrift b = std::move(a);
  b.SetFirstSeen(At(8));
  EXPECT_EQ(Render(b), "gift=1@a.jsonl:8 ");
}

TEST(SchemaDrift, DecoderRecordsUnknownFieldsOfAcceptedLines) {
  Decoder dec({});
  SchemaDrift d;
  Event e;
  Rejection r;
  std::string line = R"({"event_id":"e","event_type":"order_cancelled","order_id":"o",)"
                     R"("occurred_at":"2024-01-01T00:00:00Z","zeta":1,"alpha":{}})";
  ASSERT_TRUE(dec.Decode(line, false, &e, &r, &d)) << r.detail;
  d.SetFirstSeen(At(4));
  ASSERT_TRUE(dec.Decode(line, false, &e, &r, &d));
  d.SetFirstSeen(At(5));
  EXPECT_EQ(Render(d), "alpha=2@a.jsonl:4 zeta=2@a.jsonl:4 ");
  EXPECT_EQ(e.extra_json, R"({"alpha":{},"zeta":1})");
}

}  // namespace
}  // namespace daybook
