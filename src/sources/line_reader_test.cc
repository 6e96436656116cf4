#include "sources/line_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <random>

#include "sources/test_files.h"

namespace daybook {
namespace {

using ::daybook::testing::Gzip;
using ::daybook::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;

constexpr int64_t kLimit = 1 << 20;

// "line_no: bytes", or "line_no: OVERSIZED full_size <first bytes>" — one
// string per record, so expectations read like the file.
// With `hash_prefix`, an oversized line also shows a hash of all the bytes kept.
std::string Render(const RawLine& l, bool hash_prefix = false) {
  std::string out = std::to_string(l.line_no) + ": ";
  if (l.oversized) {
    out += "OVERSIZED " + std::to_string(l.full_size) + " " + std::string(l.bytes.substr(0, 16)) +
           "… (" + std::to_string(l.bytes.size()) + ")";
    if (hash_prefix) out += " #" + std::to_string(std::hash<std::string_view>{}(l.bytes));
  } else {
    out += std::string(l.bytes);
  }
  return out;
}

Result<std::vector<std::string>> ReadAll(const std::string& path, int64_t max = kLimit,
                                         bool hash_prefix = false) {
  DAYBOOK_ASSIGN_OR_RETURN(std::unique_ptr<LineReader> r, LineReader::Open(path, max));
  std::vector<std::string> out;
  RawLine line;
  for (;;) {
    DAYBOOK_ASSIGN_OR_RETURN(bool more, r->Next(&line));
    if (!more) return out;
    if (!line.oversized) {
      EXPECT_EQ(line.full_size, static_cast<int64_t>(line.bytes.size()));
    }
    // The padding promise: 64 bytes after the record are readable (checked
    // for real under -DDAYBOOK_SANITIZE=ON).
    volatile char sink = 0;
    for (size_t i = 0; i < kRecordPadding; ++i) sink = sink ^ line.bytes.data()[line.bytes.size() + i];
    out.push_back(Render(line, hash_prefix));
  }
}

// What a reader must return for `content`, by the contract in the header,
// computed the slow and obvious way.
std::vector<std::string> Expected(std::string_view content, size_t max) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  std::vector<std::string> out;
  int64_t no = 0;
  while (!content.empty()) {
    size_t nl = content.find('\n');
    std::string_view l = content.substr(0, nl);
    content.remove_prefix(nl == std::string_view::npos ? content.size() : nl + 1);
    ++no;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    RawLine r{l, no, l.size() > max, static_cast<int64_t>(l.size())};
    if (r.oversized) r.bytes = l.substr(0, kOversizedPrefixBytes);
    out.push_back(Render(r, /*hash_prefix=*/true));
  }
  return out;
}

// Compares without dumping megabytes on failure.
void ExpectSameLines(const std::vector<std::string>& got, const std::vector<std::string>& want) {
  EXPECT_EQ(got.size(), want.size());
  for (size_t i = 0; i < std::min(got.size(), want.size()); ++i) {
    if (got[i] != want[i]) {
      ADD_FAILURE() << "record " << i << " differs:\n got  " << got[i].substr(0, 200) << "\n want "
                    << want[i].substr(0, 200);
      return;
    }
  }
}

TEST(LineReader, PlainAndGzipGiveIdenticalLines) {
  TempDir dir;
  std::string content = "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n";
  auto plain = ReadAll(dir.Write("e.jsonl", content));
  auto gz = ReadAll(dir.Write("e.jsonl.gz", Gzip(content)));
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  ASSERT_TRUE(gz.ok()) << gz.status().ToString();
  EXPECT_THAT(*plain, ElementsAre("1: {\"a\":1}", "2: {\"b\":2}", "3: {\"c\":3}"));
  EXPECT_EQ(*plain, *gz);
}

TEST(LineReader, GzipIsDetectedByMagicBytesNotName) {
  TempDir dir;
  auto gz_named_plain = ReadAll(dir.Write("looks-plain.jsonl", Gzip("{\"a\":1}\n")));
  auto plain_named_gz = ReadAll(dir.Write("looks-gzip.jsonl.gz", "{\"a\":1}\n"));
  ASSERT_TRUE(gz_named_plain.ok() && plain_named_gz.ok());
  EXPECT_THAT(*gz_named_plain, ElementsAre("1: {\"a\":1}"));
  EXPECT_THAT(*plain_named_gz, ElementsAre("1: {\"a\":1}"));
}

TEST(LineReader, MultiMemberGzipReadsAllMembers) {
  TempDir dir;
  // The first member ends in the middle of line 2.
  std::string gz = Gzip("one\ntw") + Gzip("o\nthree\n") + Gzip("") + Gzip("four");
  auto lines = ReadAll(dir.Write("multi.jsonl.gz", gz));
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  EXPECT_THAT(*lines, ElementsAre("1: one", "2: two", "3: three", "4: four"));
}

std::string ManyLines(int n) {
  std::string s;
  for (int i = 1; i <= n; ++i) {
    s += "{\"event_id\":\"e" + std::to_string(i) + "\",\"pad\":\"" + std::string(i % 97, 'x') + "\"}\n";
  }
  return s;
}

TEST(LineReader, TruncatedGzipIsCorruptNamingFileAndLine) {
  TempDir dir;
  std::string gz = Gzip(ManyLines(200000), 1);
  std::string path = dir.Write("cut.jsonl.gz", gz.substr(0, gz.size() / 2));
  auto r = LineReader::Open(path, kLimit);
  ASSERT_TRUE(r.ok());
  RawLine line;
  int64_t last = 0;
  Result<bool> more = true;
  while ((more = (*r)->Next(&line)).ok() && *more) last = line.line_no;
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.status().code(), StatusCode::kCorrupt);
  EXPECT_GT(last, 1000);
  EXPECT_LT(last, 200000);
  EXPECT_THAT(more.status().message(),
              HasSubstr(path + ": unexpected end of compressed data after line " + std::to_string(last)));
}

TEST(LineReader, GzipHeaderAloneIsTruncated) {
  TempDir dir;
  auto lines = ReadAll(dir.Write("stub.gz", "\x1f\x8b"));
  ASSERT_FALSE(lines.ok());
  EXPECT_EQ(lines.status().code(), StatusCode::kCorrupt);
  EXPECT_THAT(lines.status().message(), HasSubstr("unexpected end of compressed data after line 0"));
}

TEST(LineReader, CorruptGzipDataIsCorrupt) {
  TempDir dir;
  std::string gz = Gzip(ManyLines(50000));
  for (size_t i = gz.size() / 2; i < gz.size() / 2 + 32; ++i) gz[i] = static_cast<char>(0xff);
  std::string path = dir.Write("bad.jsonl.gz", gz);
  auto lines = ReadAll(path);
  ASSERT_FALSE(lines.ok());
  EXPECT_EQ(lines.status().code(), StatusCode::kCorrupt);
  EXPECT_THAT(lines.status().message(), MatchesRegex(".*bad.jsonl.gz: corrupt compressed data after line [0-9]+ \\(zlib: .*\\)"));
}

TEST(LineReader, GzipChecksumMismatchIsCorrupt) {
  TempDir dir;
  std::string gz = Gzip("{\"a\":1}\n");
  gz[gz.size() - 8] ^= 0x01;  // CRC-32 in the member trailer
  auto lines = ReadAll(dir.Write("crc.jsonl.gz", gz));
  ASSERT_FALSE(lines.ok());
  EXPECT_EQ(lines.status().code(), StatusCode::kCorrupt);
  EXPECT_THAT(lines.status().message(), HasSubstr("incorrect data check"));
}

TEST(LineReader, PlainBytesAppendedToGzipAreCorruptNotIgnored) {
  TempDir dir;
  auto lines = ReadAll(dir.Write("mixed.jsonl.gz", Gzip("{\"a\":1}\n") + "{\"b\":2}\n"));
  ASSERT_FALSE(lines.ok());
  EXPECT_EQ(lines.status().code(), StatusCode::kCorrupt);
  EXPECT_THAT(lines.status().message(), HasSubstr("mixed.jsonl.gz: trailing bytes are not gzip after line 1 (they follow gzip member 1;"));
}

TEST(LineReader, CrlfLineEndingsAreStripped) {
  TempDir dir;
  auto lines = ReadAll(dir.Write("crlf.jsonl", "{\"a\":1}\r\n{\"b\":\"x\r\"}\r\n{\"c\":3}\r"));
  ASSERT_TRUE(lines.ok());
  EXPECT_THAT(*lines, ElementsAre("1: {\"a\":1}", "2: {\"b\":\"x\r\"}", "3: {\"c\":3}"));
}

TEST(LineReader, ByteOrderMarkStrippedOnlyAtFileStart) {
  TempDir dir;
  auto lines = ReadAll(dir.Write("bom.jsonl", "\xEF\xBB\xBF{\"a\":1}\n\xEF\xBB\xBF{\"b\":2}\n"));
  ASSERT_TRUE(lines.ok());
  EXPECT_THAT(*lines, ElementsAre("1: {\"a\":1}", "2: \xEF\xBB\xBF{\"b\":2}"));
  auto gz = ReadAll(dir.Write("bom.jsonl.gz", Gzip("\xEF\xBB\xBF{\"a\":1}\n")));
  ASSERT_TRUE(gz.ok());
  EXPECT_THAT(*gz, ElementsAre("1: {\"a\":1}"));
  auto only_bom = ReadAll(dir.Write("only-bom.jsonl", "\xEF\xBB\xBF"));
  ASSERT_TRUE(only_bom.ok());
  EXPECT_THAT(*only_bom, IsEmpty());
}

TEST(LineReader, BlankLinesSkippedButLineNumbersPreserved) {
  TempDir dir;
  auto lines = ReadAll(dir.Write("blank.jsonl", "\n{\"a\":1}\n   \n\t\r\n\r\n{\"b\":2}\n\n\n{\"c\":3}\n \n"));
  ASSERT_TRUE(lines.ok());
  EXPECT_THAT(*lines, ElementsAre("2: {\"a\":1}", "6: {\"b\":2}", "9: {\"c\":3}"));
}

TEST(LineReader, FinalLineWithoutNewlineIsReturned) {
  TempDir dir;
  auto lines = ReadAll(dir.Write("tail.jsonl", "{\"a\":1}\n{\"b\":2}"));
  ASSERT_TRUE(lines.ok());
  EXPECT_THAT(*lines, ElementsAre("1: {\"a\":1}", "2: {\"b\":2}"));
}

TEST(LineReader, EmptyFileYieldsNoLines) {
  TempDir dir;
  auto plain = ReadAll(dir.Write("empty.jsonl", ""));
  auto gz = ReadAll(dir.Write("empty.jsonl.gz", Gzip("")));
  auto blanks = ReadAll(dir.Write("blanks.jsonl", "\n\n  \n"));
  ASSERT_TRUE(plain.ok() && gz.ok() && blanks.ok());
  EXPECT_THAT(*plain, IsEmpty());
  EXPECT_THAT(*gz, IsEmpty());
  EXPECT_THAT(*blanks, IsEmpty());
}

TEST(LineReader, NulBytesAreKeptInsideTheLine) {
  TempDir dir;
  std::string content("{\"a\":\"x\0y\"}\n\0\n", 14);
  auto lines = ReadAll(dir.Write("nul.jsonl", content));
  ASSERT_TRUE(lines.ok());
  EXPECT_THAT(*lines, ElementsAre(std::string("1: {\"a\":\"x\0y\"}", 14), std::string("2: \0", 4)));
}

TEST(LineReader, OversizedLineReportedWithFullSizeAndNextLineReadIntact) {
  TempDir dir;
  std::string big = "{\"pad\":\"" + std::string(10000, 'x') + "\"}";
  std::string content = "{\"a\":1}\n" + big + "\r\n{\"b\":2}\n";
  auto plain = ReadAll(dir.Write("big.jsonl", content), 1000);
  auto gz = ReadAll(dir.Write("big.jsonl.gz", Gzip(content)), 1000);
  ASSERT_TRUE(plain.ok() && gz.ok());
  EXPECT_THAT(*plain, ElementsAre("1: {\"a\":1}", "2: OVERSIZED 10010 {\"pad\":\"xxxxxxxx… (4096)",
                                  "3: {\"b\":2}"));
  EXPECT_EQ(*plain, *gz);
}

TEST(LineReader, LimitIsInclusiveAndExcludesTheCarriageReturn) {
  TempDir dir;
  std::string at_limit(300, 'a'), over(301, 'b');
  auto lines = ReadAll(dir.Write("edge.jsonl", at_limit + "\r\n" + over + "\n" + at_limit), 300);
  ASSERT_TRUE(lines.ok());
  EXPECT_THAT(*lines, ElementsAre("1: " + at_limit, "2: OVERSIZED 301 bbbbbbbbbbbbbbbb… (301)",
                                  "3: " + at_limit));
}

TEST(LineReader, TenMegabyteLineWithOneMebibyteLimitIsSkippedInBoundedMemory) {
  TempDir dir;
  std::string huge = "{\"blob\":\"" + std::string(10 << 20, 'z') + "\"}";
  std::string content = "{\"a\":1}\n" + huge + "\n{\"b\":2}\n" + huge;  // last one without '\n'
  auto lines = ReadAll(dir.Write("huge.jsonl", content), kLimit);
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  std::string size = std::to_string(huge.size());
  EXPECT_THAT(*lines, ElementsAre("1: {\"a\":1}", "2: OVERSIZED " + size + " {\"blob\":\"zzzzzzz… (4096)",
                                  "3: {\"b\":2}", "4: OVERSIZED " + size + " {\"blob\":\"zzzzzzz… (4096)"));
}

TEST(LineReader, OversizedBlankLineIsStillBlank) {
  TempDir dir;
  auto lines = ReadAll(dir.Write("spaces.jsonl", std::string(5000, ' ') + "\n{\"a\":1}\n"), 300);
  ASSERT_TRUE(lines.ok());
  EXPECT_THAT(*lines, ElementsAre("2: {\"a\":1}"));
}

TEST(LineReader, LimitAboveFourMebibytesGrowsBufferForLongLines) {
  TempDir dir;
  std::string long_line = "{\"blob\":\"" + std::string(6 << 20, 'q') + "\"}";
  auto r = LineReader::Open(dir.Write("long.jsonl", "{}\n" + long_line + "\n{}\n"), 8 << 20);
  ASSERT_TRUE(r.ok());
  RawLine line;
  ASSERT_TRUE(*(*r)->Next(&line));
  ASSERT_TRUE(*(*r)->Next(&line));
  EXPECT_FALSE(line.oversized);
  EXPECT_EQ(line.bytes, long_line);
  ASSERT_TRUE(*(*r)->Next(&line));
  EXPECT_EQ(Render(line), "3: {}");
  EXPECT_FALSE(*(*r)->Next(&line));
}

// Random lines of every shape, across many buffer refills, compared with the
// obvious implementation: plain and gzip, with and without oversized lines.
TEST(LineReader, RandomContentMatchesReferenceAcrossBufferBoundaries) {
  std::mt19937_64 rng(20240601);
  std::string content = "\xEF\xBB\xBF";
  while (content.size() < (13u << 20)) {
    uint64_t kind = rng() % 100;
    size_t len = kind < 80 ? rng() % 400 : kind < 97 ? rng() % 20000 : rng() % (2u << 20);
    if (kind % 10 == 0) len = 0;
    std::string l(len, '\0');
    for (char& c : l) c = "abc{}\":, \t\r\0x"[rng() % 13];
    content += l;
    if (kind % 7 == 0) content += '\r';
    content += '\n';
  }
  content += "{\"last\":true}";
  TempDir dir;
  std::string plain = dir.Write("r.jsonl", content);
  std::string gz = dir.Write("r.jsonl.gz", Gzip(content, 1));
  for (int64_t max : {int64_t{3} << 20, int64_t{1000}}) {
    SCOPED_TRACE("max_record_bytes=" + std::to_string(max));
    std::vector<std::string> want = Expected(content, max);
    auto p = ReadAll(plain, max, /*hash_prefix=*/true);
    auto g = ReadAll(gz, max, /*hash_prefix=*/true);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    ExpectSameLines(*p, want);
    ExpectSameLines(*g, want);
  }
}

TEST(LineReader, ReportsOriginAndStoredBytes) {
  TempDir dir;
  std::string gz = Gzip("{\"a\":1}\n");
  std::string path = dir.Write("x.jsonl.gz", gz);
  auto r = LineReader::Open(path, kLimit);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->Origin(), path);
  RawLine line;
  while (*(*r)->Next(&line)) {
  }
  EXPECT_EQ((*r)->StoredBytesRead(), static_cast<int64_t>(gz.size()));
}

TEST(LineReader, SaysWhetherTheFileIsCompressed) {
  TempDir dir;
  auto gz = LineReader::Open(dir.Write("x.jsonl.gz", Gzip("{\"a\":1}\n")), kLimit);
  auto plain = LineReader::Open(dir.Write("x.gz", "{\"a\":1}\n"), kLimit);  // the bytes decide, not the name
  ASSERT_TRUE(gz.ok());
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE((*gz)->compressed());
  EXPECT_FALSE((*plain)->compressed());
}

TEST(LineReader, MissingFileIsNotFoundNamingIt) {
  TempDir dir;
  auto r = LineReader::Open(dir.Path("nope.jsonl"), kLimit);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr(dir.Path("nope.jsonl")));
}

TEST(LineReader, DirectoryIsIoError) {
  TempDir dir;
  auto r = LineReader::Open(dir.path(), kLimit);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_THAT(r.status().message(), HasSubstr(dir.path() + "': is a directory"));
}

TEST(LineReader, UnreadableFileIsIoError) {
  TempDir dir;
  std::string p = dir.Write("secret.jsonl", "{}\n");
  ASSERT_EQ(::chmod(p.c_str(), 0), 0);
  if (::access(p.c_str(), R_OK) == 0) {
    GTEST_SKIP() << "running with privileges that ignore permission bits (root?)";
  }
  auto r = LineReader::Open(p, kLimit);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_THAT(r.status().message(), HasSubstr(p));
  EXPECT_THAT(r.status().message(), HasSubstr("Permission denied"));
}

// Regression (issue 6): opening a FIFO blocked until a writer appeared, and
// /dev/zero would be read forever. Only regular files are read.
TEST(LineReader, FifoAndDevicesAreRefusedWithoutBlocking) {
  TempDir dir;
  const std::string fifo = dir.Path("pipe.jsonl");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  auto r = LineReader::Open(fifo, kLimit);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_THAT(r.status().message(), HasSubstr("'" + fifo + "': is a FIFO (named pipe), not a regular file"));
  auto z = LineReader::Open("/dev/zero", kLimit);
  ASSERT_FALSE(z.ok());
  EXPECT_THAT(z.status().message(), HasSubstr("'/dev/zero': is a character device, not a regular file"));
}

}  // namespace
}  // namespace daybook
