#include "core/id_string.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <utility>
#include <vector>

namespace daybook {
namespace {

std::string Bytes(size_t n, char fill = 'x') { return std::string(n, fill); }

TEST(IdString, DefaultIsEmpty) {
  IdString s;
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.size(), 0u);
  EXPECT_EQ(s.view(), "");
  EXPECT_EQ(s.str(), "");
}

// A default std::string_view has a null data(): assigning it (what the
// decoder does for an absent id) must not hand null to memmove.
TEST(IdString, AssignsANullEmptyView) {
  IdString s = "ord-1";
  s = std::string_view();
  EXPECT_TRUE(s.empty());
  IdString long_one = Bytes(IdString::kInlineBytes + 1);
  long_one.assign(std::string_view());
  EXPECT_TRUE(long_one.empty());
  EXPECT_EQ(long_one.view(), "");
}

TEST(IdString, KeepsTheBytesOfShortAndLongIdsAlike) {
  for (size_t n : {size_t{1}, size_t{15}, size_t{16}, size_t{20}, size_t{36}, IdString::kInlineBytes,
                   IdString::kInlineBytes + 1, size_t{200}}) {
    std::string text;
    for (size_t i = 0; i < n; ++i) text.push_back(static_cast<char>('a' + i % 26));
    IdString s = text;
    EXPECT_EQ(s.size(), n) << n;
    EXPECT_EQ(s.view(), text) << n;
    EXPECT_EQ(s.str(), text) << n;
    EXPECT_FALSE(s.empty()) << n;
  }
}

TEST(IdString, KeepsEmbeddedNulBytes) {
  const std::string text("ab\0cd", 5);
  IdString inline_id = text;
  EXPECT_EQ(inline_id.size(), 5u);
  EXPECT_EQ(inline_id.view(), text);
  const std::string longer = text + Bytes(60) + std::string("\0", 1);
  IdString heap_id = longer;
  EXPECT_EQ(heap_id.size(), longer.size());
  EXPECT_EQ(heap_id.view(), longer);
}

TEST(IdString, CopiesAreIndependent) {
  for (size_t n : {size_t{20}, size_t{80}}) {
    IdString a = Bytes(n, 'a');
    IdString b = a;
    b = Bytes(n, 'b');
    EXPECT_EQ(a.view(), Bytes(n, 'a')) << n;
    EXPECT_EQ(b.view(), Bytes(n, 'b')) << n;
    IdString c;
    c = a;
    a.clear();
    EXPECT_TRUE(a.empty());
    EXPECT_EQ(c.view(), Bytes(n, 'a')) << n;
  }
}

TEST(IdString, MovesLeaveTheSourceEmpty) {
  for (size_t n : {size_t{20}, size_t{80}}) {
    IdString a = Bytes(n, 'a');
    IdString b = std::move(a);
    EXPECT_EQ(b.view(), Bytes(n, 'a')) << n;
    EXPECT_TRUE(a.empty()) << n;  // NOLINT(bugprone-use-after-move): moved-from state is specified
    IdString c = Bytes(90, 'c');  // a heap id moved over: its old bytes are freed, not leaked
    c = std::move(b);
    EXPECT_EQ(c.view(), Bytes(n, 'a')) << n;
    EXPECT_TRUE(b.empty()) << n;  // NOLINT(bugprone-use-after-move)
  }
}

TEST(IdString, SelfAssignmentKeepsTheValue) {
  for (size_t n : {size_t{20}, size_t{80}}) {
    IdString a = Bytes(n, 'q');
    IdString& alias = a;
    a = alias;
    EXPECT_EQ(a.view(), Bytes(n, 'q')) << n;
    a = std::move(alias);
    EXPECT_EQ(a.view(), Bytes(n, 'q')) << n;
  }
}

TEST(IdString, AssignsFromAViewOfItsOwnBytes) {
  IdString heap_id = "0123456789" + Bytes(50, 'z');
  heap_id.assign(heap_id.view().substr(2, 8));  // long to short: reads the heap bytes before freeing them
  EXPECT_EQ(heap_id.view(), "23456789");
  IdString inline_id = "0123456789";
  inline_id.assign(inline_id.view().substr(3));  // overlapping inline bytes
  EXPECT_EQ(inline_id.view(), "3456789");
  IdString grow = Bytes(60, 'g');
  grow.assign(grow.view());  // long to long: the new block is filled before the old is freed
  EXPECT_EQ(grow.view(), Bytes(60, 'g'));
}

TEST(IdString, SwitchesBetweenInlineAndHeapBothWays) {
  IdString s = Bytes(IdString::kInlineBytes);
  s = Bytes(IdString::kInlineBytes + 1);
  EXPECT_EQ(s.size(), IdString::kInlineBytes + 1);
  s = "short";
  EXPECT_EQ(s.view(), "short");
  s = Bytes(100, 'h');
  EXPECT_EQ(s.view(), Bytes(100, 'h'));
  s.clear();
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.view(), "");
}

TEST(IdString, ComparesWithEveryStringType) {
  IdString a = "ord-1";
  EXPECT_TRUE(a == "ord-1");
  EXPECT_TRUE(a == std::string("ord-1"));
  EXPECT_TRUE(a == std::string_view("ord-1"));
  EXPECT_TRUE(a == IdString("ord-1"));
  EXPECT_FALSE(a == "ord-2");
  EXPECT_FALSE(a == "ord-1 ");
  EXPECT_TRUE(IdString("a") < IdString("b"));
  EXPECT_TRUE(IdString("ab") > IdString("a"));
  EXPECT_TRUE(IdString(Bytes(50, 'a')) < IdString(Bytes(50, 'b')));
}

TEST(IdString, OrdersAsItsBytesDoInMaps) {
  std::map<IdString, int> m;
  for (const char* k : {"c", "a", "b"}) m.emplace(k, 0);
  std::vector<std::string> keys;
  for (const auto& [k, v] : m) keys.push_back(k.str());
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(IdString, ConcatenatesAndPrintsAsText) {
  IdString id = "evt-7";
  EXPECT_EQ("event " + id, "event evt-7");
  EXPECT_EQ(std::string("event ") + id, "event evt-7");
  EXPECT_EQ(id + " late", "evt-7 late");
  EXPECT_EQ(id + std::string_view("!"), "evt-7!");
  std::ostringstream os;
  os << id;
  EXPECT_EQ(os.str(), "evt-7");
}

}  // namespace
}  // namespace daybook
