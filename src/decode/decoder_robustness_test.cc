// Hostile input never crashes the decoder, and every outcome is well formed:
// prefixes and byte-level mutations of a valid line, decoded through one
// reused Decoder and Event. Run it under -DDAYBOOK_SANITIZE=ON too.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "decode/decoder.h"

namespace daybook {
namespace {

const std::string kLine =
    R"({"event_id":"e1","event_type":"order_refunded","order_id":"o1",)"
    R"("occurred_at":"2024-03-05T12:34:56.5+02:00","customer_id":"c\u00e91","amount":12.5,)"
    R"("currency":"KWD","meta":{"a":[1,{"b":null}],"c":"\"x\""},"flag":true})";

void Check(Decoder& d, const std::string& line, Event* e) {
  Rejection rej;
  if (d.Decode(line, /*padded=*/false, e, &rej, nullptr)) {
    EXPECT_EQ(e->content_hash, ContentHash(*e));
    EXPECT_FALSE(e->extra_json.empty());
  } else {
    EXPECT_LT(static_cast<int>(rej.reason), static_cast<int>(Reason::kOrphanEvent));
    EXPECT_FALSE(rej.detail.empty()) << line;
  }
}

TEST(DecoderRobustness, TheUnmutatedLineIsAccepted) {
  Decoder d({});
  Event e;
  Rejection rej;
  ASSERT_TRUE(d.Decode(kLine, false, &e, &rej, nullptr)) << rej.detail;
  EXPECT_EQ(e.amount_minor, 12500);
  EXPECT_EQ(e.extra_json, R"({"flag":true,"meta":{"a":[1,{"b":null}],"c":"\"x\""}})");
}

TEST(DecoderRobustness, EveryPrefixIsHandled) {
  Decoder d({});
  Event e;
  for (size_t n = 0; n <= kLine.size(); ++n) Check(d, kLine.substr(0, n), &e);
}

TEST(DecoderRobustness, SingleByteMutationsAreHandled) {
  Decoder d({});
  Event e;
  static const char kBytes[] = "{}[]\":,\\ 0-.eE+tfnu\x7f\xff\xc3";
  const std::string bytes(kBytes, sizeof kBytes);  // with the terminating NUL
  for (size_t i = 0; i < kLine.size(); ++i) {
    for (char b : bytes) {
      std::string m = kLine;
      m[i] = b;
      Check(d, m, &e);
      m.insert(i, 1, b);
      Check(d, m, &e);
    }
  }
}

TEST(DecoderRobustness, RandomMutationsAreHandled) {
  Decoder d({});
  Event e;
  std::mt19937 rng(20240305);
  for (int round = 0; round < 20000; ++round) {
    std::string m = kLine;
    int edits = 1 + rng() % 6;
    for (int k = 0; k < edits && !m.empty(); ++k) {
      size_t at = rng() % m.size();
      switch (rng() % 3) {
        case 0: m[at] = static_cast<char>(rng() % 256); break;
        case 1: m.erase(at, 1 + rng() % 4); break;
        default: m.insert(at, m.substr(rng() % m.size(), rng() % 8)); break;
      }
    }
    Check(d, m, &e);
  }
}

}  // namespace
}  // namespace daybook
