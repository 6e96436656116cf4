#include "pipeline/key_table.h"

#include <gtest/gtest.h>

#include <random>
#include <unordered_map>
#include <unordered_set>

namespace daybook {
namespace {

TEST(KeyTable, FindsWhatWasInsertedAndNothingElse) {
  KeyTable<uint64_t> t;
  EXPECT_TRUE(t.Insert(42, 7));
  EXPECT_TRUE(t.Insert(43, 8));
  ASSERT_NE(t.Find(42), nullptr);
  EXPECT_EQ(*t.Find(42), 7u);
  EXPECT_EQ(*t.Find(43), 8u);
  EXPECT_EQ(t.Find(44), nullptr);
  EXPECT_EQ(t.size(), 2u);
}

TEST(KeyTable, InsertingAPresentKeyKeepsTheFirstValue) {
  KeyTable<uint64_t> t;
  EXPECT_TRUE(t.Insert(5, 1));
  EXPECT_FALSE(t.Insert(5, 2));
  EXPECT_EQ(*t.Find(5), 1u);
  EXPECT_EQ(t.size(), 1u);
}

TEST(KeyTable, KeyZeroIsAKeyLikeAnyOther) {
  KeyTable<uint64_t> t;
  EXPECT_EQ(t.Find(0), nullptr);
  EXPECT_TRUE(t.Insert(0, 9));
  EXPECT_FALSE(t.Insert(0, 10));
  ASSERT_NE(t.Find(0), nullptr);
  EXPECT_EQ(*t.Find(0), 9u);
  EXPECT_EQ(t.size(), 1u);
  KeyTable<KeyTableNoValue> s;
  EXPECT_FALSE(s.Contains(0));
  EXPECT_TRUE(s.Insert(0));
  EXPECT_TRUE(s.Contains(0));
}

// Against std::unordered_map, through many growths: random 64-bit keys (as
// KeyHash gives them) and small ones (as the narrowed test keys of run.cc).
// From 2 MiB of slots (131,072 of 16 bytes) a table takes the huge-page
// allocation: the growths here cross it.
TEST(KeyTable, AgreesWithAStandardMapThroughGrowth) {
  for (uint64_t range : {uint64_t{0}, uint64_t{300}}) {
    std::mt19937_64 rng(range + 1);
    KeyTable<uint64_t> t;
    std::unordered_map<uint64_t, uint64_t> ref;
    for (int i = 0; i < 200000; ++i) {
      const uint64_t key = range ? rng() % range : rng();
      const uint64_t value = rng();
      t.Prefetch(key);
      EXPECT_EQ(t.Insert(key, value), ref.emplace(key, value).second);
    }
    ASSERT_EQ(t.size(), ref.size());
    for (const auto& [key, value] : ref) {
      const uint64_t* got = t.Find(key);
      ASSERT_NE(got, nullptr) << key;
      EXPECT_EQ(*got, value);
    }
    for (int i = 0; i < 10000; ++i) {
      const uint64_t key = rng();
      EXPECT_EQ(t.Contains(key), ref.count(key) == 1) << key;
    }
  }
}

TEST(KeyTable, ASetAgreesWithAStandardSet) {
  KeyTable<KeyTableNoValue> s;
  std::unordered_set<uint64_t> ref;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 50000; ++i) {
    const uint64_t key = rng() % 20000;
    EXPECT_EQ(s.Insert(key), ref.insert(key).second);
  }
  EXPECT_EQ(s.size(), ref.size());
}

TEST(KeyTable, EmplaceFindsOrInsertsAndItsValueCanBeUpdated) {
  KeyTable<uint64_t> t;
  int inserts = 0;
  for (uint64_t key : {0ull, 3ull, 3ull, 0ull, 3ull}) {
    auto [value, inserted] = t.Emplace(key, 1);
    inserts += inserted;
    if (!inserted) *value += 1;
  }
  EXPECT_EQ(inserts, 2);
  EXPECT_EQ(*t.Find(0), 2u);
  EXPECT_EQ(*t.Find(3), 3u);
  EXPECT_EQ(t.size(), 2u);
  *t.Find(3) = 10;
  EXPECT_EQ(*t.Find(3), 10u);
}

TEST(KeyTable, ReserveKeepsEveryKeyAndForEachVisitsEachOnce) {
  KeyTable<uint64_t> t;
  std::unordered_map<uint64_t, uint64_t> ref;
  std::mt19937_64 rng(11);
  for (int i = 0; i < 3000; ++i) {
    const uint64_t key = i == 0 ? 0 : rng();
    t.Insert(key, i);
    ref.emplace(key, i);
  }
  t.Reserve(100000);
  t.Reserve(10);  // never shrinks
  std::unordered_map<uint64_t, uint64_t> seen;
  t.ForEach([&](uint64_t key, uint64_t value) { EXPECT_TRUE(seen.emplace(key, value).second) << key; });
  EXPECT_EQ(seen, ref);
  for (const auto& [key, value] : ref) EXPECT_EQ(*t.Find(key), value);
}

}  // namespace
}  // namespace daybook
