#include "sources/file_list.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <filesystem>

#include "sources/test_files.h"

namespace daybook {
namespace {

using ::daybook::testing::Gzip;
using ::daybook::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// True when permission bits do not stop this process (root, CAP_DAC_*).
bool PermissionsAreIgnored(const std::string& path) { return ::access(path.c_str(), R_OK) == 0; }

TEST(ExpandGlob, MatchesAreAbsoluteAndSortedBytewise) {
  TempDir dir;
  dir.Write("b.jsonl", "");
  dir.Write("a.jsonl", "");
  dir.Write("B.jsonl.gz", "");
  dir.Write("notes.txt", "");
  auto files = ExpandGlob(dir.path() + "/*.jsonl*");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_THAT(*files, ElementsAre(dir.Path("B.jsonl.gz"), dir.Path("a.jsonl"), dir.Path("b.jsonl")));
}

TEST(ExpandGlob, RelativePatternGivesAbsolutePaths) {
  TempDir dir;
  dir.Write("landing/x.jsonl", "");
  auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  auto files = ExpandGlob("./landing/../landing/*.jsonl");
  std::filesystem::current_path(cwd);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_THAT(*files, ElementsAre(dir.Path("landing/x.jsonl")));
}

TEST(ExpandGlob, QuestionMarkAndBracketsFollowGlob3) {
  TempDir dir;
  dir.Write("day1.jsonl", "");
  dir.Write("day2.jsonl", "");
  dir.Write("day10.jsonl", "");
  auto files = ExpandGlob(dir.path() + "/day[12].jsonl");
  ASSERT_TRUE(files.ok());
  EXPECT_THAT(*files, ElementsAre(dir.Path("day1.jsonl"), dir.Path("day2.jsonl")));
  files = ExpandGlob(dir.path() + "/day??.jsonl");
  ASSERT_TRUE(files.ok());
  EXPECT_THAT(*files, ElementsAre(dir.Path("day10.jsonl")));
}

TEST(ExpandGlob, PlainFileNameMatchesItself) {
  TempDir dir;
  std::string p = dir.Write("one.jsonl", "");
  auto files = ExpandGlob(p);
  ASSERT_TRUE(files.ok());
  EXPECT_THAT(*files, ElementsAre(p));
}

TEST(ExpandGlob, NoMatchIsEmptyNotAnError) {
  TempDir dir;
  auto files = ExpandGlob(dir.path() + "/*.jsonl");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_THAT(*files, IsEmpty());
  files = ExpandGlob(dir.path() + "/no/such/folder/*.jsonl");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_THAT(*files, IsEmpty());
}

TEST(ExpandGlob, PatternNamingADirectoryIsIoErrorNamingIt) {
  TempDir dir;
  dir.Write("landing/a.jsonl", "");
  auto files = ExpandGlob(dir.Path("landing"));
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), StatusCode::kIoError);
  EXPECT_THAT(files.status().message(), HasSubstr(dir.Path("landing")));
  EXPECT_THAT(files.status().message(), HasSubstr("is a directory"));
}

TEST(ExpandGlob, MatchedSubdirectoryIsIoError) {
  TempDir dir;
  dir.Write("landing/a.jsonl", "");
  dir.Write("landing/old.jsonl/x", "");
  auto files = ExpandGlob(dir.Path("landing/*.jsonl"));
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), StatusCode::kIoError);
  EXPECT_THAT(files.status().message(), HasSubstr("landing/old.jsonl' "));
}

TEST(ExpandGlob, UnreadableFolderIsIoErrorNamingIt) {
  TempDir dir;
  dir.Write("locked/a.jsonl", "");
  ASSERT_EQ(::chmod(dir.Path("locked").c_str(), 0), 0);
  if (PermissionsAreIgnored(dir.Path("locked"))) {
    GTEST_SKIP() << "running with privileges that ignore permission bits (root?)";
  }
  auto files = ExpandGlob(dir.Path("locked/*.jsonl"));
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), StatusCode::kIoError);
  EXPECT_THAT(files.status().message(), HasSubstr(dir.Path("locked")));
  EXPECT_THAT(files.status().message(), HasSubstr("Permission denied"));
}

TEST(Fingerprint, EmptyFileIsTheKnownXxh3Vector) {
  TempDir dir;
  auto fp = Fingerprint(dir.Write("empty", ""));
  ASSERT_TRUE(fp.ok()) << fp.status().ToString();
  EXPECT_EQ(fp->size, 0);
  // XXH3-128 of no bytes, as `xxh128sum` prints it.
  EXPECT_EQ(fp->content_hash, "99aa06d3014798d86001c324468d497f");
}

TEST(Fingerprint, StableForSameContentDifferentForOther) {
  TempDir dir;
  auto a = Fingerprint(dir.Write("a.jsonl", "{\"x\":1}\n"));
  auto a_again = Fingerprint(dir.Path("a.jsonl"));
  auto copy = Fingerprint(dir.Write("copy.jsonl", "{\"x\":1}\n"));
  auto b = Fingerprint(dir.Write("b.jsonl", "{\"x\":2}\n"));
  ASSERT_TRUE(a.ok() && a_again.ok() && copy.ok() && b.ok());
  EXPECT_EQ(a->size, 8);
  EXPECT_EQ(a->content_hash.size(), 32u);
  EXPECT_EQ(*a, *a_again);
  EXPECT_EQ(*a, *copy);
  EXPECT_NE(a->content_hash, b->content_hash);
}

TEST(Fingerprint, LargeFileStreamedInBlocksEqualsOneShotHash) {
  TempDir dir;
  std::string content;
  for (int i = 0; content.size() < (3u << 20) + 12345; ++i) {
    content += "{\"event_id\":\"e" + std::to_string(i) + "\"}\n";
  }
  auto fp = Fingerprint(dir.Write("big.jsonl", content));
  ASSERT_TRUE(fp.ok());
  XXH128_canonical_t c;
  XXH128_canonicalFromHash(&c, XXH3_128bits(content.data(), content.size()));
  char hex[33];
  for (int i = 0; i < 16; ++i) snprintf(hex + 2 * i, 3, "%02x", c.digest[i]);
  EXPECT_EQ(fp->size, static_cast<int64_t>(content.size()));
  EXPECT_EQ(fp->content_hash, hex);
}

TEST(Fingerprint, GzipFileIsHashedAsStored) {
  TempDir dir;
  std::string gz = Gzip("{\"x\":1}\n");
  auto stored = Fingerprint(dir.Write("a.jsonl.gz", gz));
  auto same_bytes = Fingerprint(dir.Write("raw.bin", gz));
  auto plain = Fingerprint(dir.Write("a.jsonl", "{\"x\":1}\n"));
  ASSERT_TRUE(stored.ok() && same_bytes.ok() && plain.ok());
  EXPECT_EQ(stored->size, static_cast<int64_t>(gz.size()));
  EXPECT_EQ(*stored, *same_bytes);
  EXPECT_NE(stored->content_hash, plain->content_hash);
}

TEST(Fingerprint, MissingFileIsNotFoundNamingIt) {
  TempDir dir;
  auto fp = Fingerprint(dir.Path("gone.jsonl"));
  ASSERT_FALSE(fp.ok());
  EXPECT_EQ(fp.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(fp.status().message(), HasSubstr(dir.Path("gone.jsonl")));
  EXPECT_THAT(fp.status().message(), HasSubstr("No such file or directory"));
}

TEST(Fingerprint, DirectoryIsIoError) {
  TempDir dir;
  auto fp = Fingerprint(dir.path());
  ASSERT_FALSE(fp.ok());
  EXPECT_EQ(fp.status().code(), StatusCode::kIoError);
  EXPECT_THAT(fp.status().message(), HasSubstr(dir.path()));
  EXPECT_THAT(fp.status().message(), HasSubstr("is a directory"));
}

// Regression (issue 6): a FIFO matched by a source's glob made every run
// block forever in open(2), holding the writer lock; /dev/zero never ended.
// Both are refused at once, naming the path and its kind.
TEST(Fingerprint, FifoAndDevicesAreRefusedWithoutBlocking) {
  TempDir dir;
  const std::string fifo = dir.Path("pipe.jsonl");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  auto fp = Fingerprint(fifo);
  ASSERT_FALSE(fp.ok());
  EXPECT_EQ(fp.status().code(), StatusCode::kIoError);
  EXPECT_THAT(fp.status().message(), HasSubstr("'" + fifo + "': is a FIFO (named pipe), not a regular file"));

  auto zero = Fingerprint("/dev/zero");
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.status().code(), StatusCode::kIoError);
  EXPECT_THAT(zero.status().message(), HasSubstr("'/dev/zero': is a character device"));

  // A symlink to a regular file is still read.
  const std::string target = dir.Write("real.jsonl", "{}\n");
  ASSERT_EQ(::symlink(target.c_str(), dir.Path("link.jsonl").c_str()), 0);
  auto linked = Fingerprint(dir.Path("link.jsonl"));
  ASSERT_TRUE(linked.ok()) << linked.status().ToString();
  EXPECT_EQ(linked->size, 3);
}

TEST(Fingerprint, UnreadableFileIsIoErrorWithReason) {
  TempDir dir;
  std::string p = dir.Write("secret.jsonl", "{}\n");
  ASSERT_EQ(::chmod(p.c_str(), 0), 0);
  if (PermissionsAreIgnored(p)) {
    GTEST_SKIP() << "running with privileges that ignore permission bits (root?)";
  }
  auto fp = Fingerprint(p);
  ASSERT_FALSE(fp.ok());
  EXPECT_EQ(fp.status().code(), StatusCode::kIoError);
  EXPECT_THAT(fp.status().message(), HasSubstr(p));
  EXPECT_THAT(fp.status().message(), HasSubstr("Permission denied"));
}

}  // namespace
}  // namespace daybook
