// Micro-benchmark, disabled by default:
//   decode_test --gtest_also_run_disabled_tests --gtest_filter='*DecoderBench*'
// Decodes typical ~250-byte lines on one core and prints lines/s.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "decode/decoder.h"
#include "decode/json_scan.h"

namespace daybook {
namespace {

std::vector<std::string> TypicalLines(int n) {
  const char* types[] = {"order_placed", "order_placed", "order_placed", "order_refunded",
                         "order_cancelled"};
  const char* currencies[] = {"USD", "EUR", "JPY", "GBP"};
  const char* amounts[] = {"\"129.99\"", "42.5", "\"1800\"", "7"};
  std::vector<std::string> lines;
  char buf[512];
  for (int i = 0; i < n; ++i) {
    const char* type = types[i % 5];
    bool cancel = i % 5 == 4;
    int c = i % 4;
    std::snprintf(
        buf, sizeof buf,
        R"({"event_id":"evt-%012d-%06x","event_type":"%s","order_id":"ord-%010d",)"
        R"("occurred_at":"2024-03-%02dT%02d:%02d:%02d.%03dZ","customer_id":"cus-%08d",)"
        R"(%s"currency":"%s","channel":"%s","schema_version":1%s})",
        i, i * 2654435761u & 0xffffff, type, i / 3, 1 + i % 28, i % 24, i % 60, (i * 7) % 60,
        i % 1000, i % 50000, cancel ? "" : (std::string("\"amount\":") + amounts[c] + ",").c_str(),
        currencies[c], i % 3 ? "web" : "mobile_app", i % 7 ? "" : R"(,"coupon":"SPRING")");
    lines.emplace_back(buf);
  }
  return lines;
}

double ThreadCpuSeconds() {  // robust when other jobs share the cores
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

void Bench(bool padded) {
  std::vector<std::string> lines = TypicalLines(4096);
  size_t bytes = 0;
  for (auto& l : lines) bytes += l.size();
  std::vector<std::string> storage;  // each line followed by padding
  for (auto& l : lines) storage.push_back(l + std::string(simdjson::SIMDJSON_PADDING, ' '));

  Decoder d({});
  Event e;
  Rejection rej;
  SchemaDrift drift;
  const int rounds = 250;
  size_t ok = 0;
  double c0 = ThreadCpuSeconds();
  auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r) {
    for (size_t i = 0; i < lines.size(); ++i) {
      std::string_view line(storage[i].data(), lines[i].size());
      ok += d.Decode(line, padded, &e, &rej, &drift);
    }
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double s = ThreadCpuSeconds() - c0;
  double n = double(rounds) * lines.size();
  double avg = bytes / double(lines.size());
  ASSERT_EQ(ok, n) << rej.detail;
  std::printf(
      "decode (%s): %.0f lines of %.0f bytes; CPU %.3f s = %.2f M lines/s (%.0f MB/s); "
      "wall %.3f s\n",
      padded ? "padded" : "copied", n, avg, s, n / s / 1e6, n * avg / s / 1e6, wall);
}

// Where the time goes: the syntactic pass alone, and the content hash alone.
TEST(DecoderBench, DISABLED_ScannerAndHashShares) {
  std::vector<std::string> lines = TypicalLines(4096);
  decode_internal::JsonScanner scanner;
  std::string error;
  const int rounds = 250;
  double c0 = ThreadCpuSeconds();
  for (int r = 0; r < rounds; ++r) {
    for (const auto& l : lines) ASSERT_TRUE(scanner.Scan(l, false, &error));
  }
  double scan = ThreadCpuSeconds() - c0;
  Decoder d({});
  Event e;
  Rejection rej;
  ASSERT_TRUE(d.Decode(lines[0], false, &e, &rej, nullptr));
  uint64_t sink = 0;
  c0 = ThreadCpuSeconds();
  for (int r = 0; r < rounds * int(lines.size()); ++r) {
    e.amount_minor = r;
    sink += ContentHash(e);
  }
  double hash = ThreadCpuSeconds() - c0;
  double n = double(rounds) * lines.size();
  std::printf("per line: scan %.0f ns, ContentHash %.0f ns (%llu)\n", scan / n * 1e9,
              hash / n * 1e9, static_cast<unsigned long long>(sink & 1));
}

TEST(DecoderBench, DISABLED_TypicalLinesPadded) { Bench(true); }
TEST(DecoderBench, DISABLED_TypicalLinesCopied) { Bench(false); }

}  // namespace
}  // namespace daybook
