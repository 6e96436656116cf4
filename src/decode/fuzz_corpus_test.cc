// Replays fuzz/corpus/ (the libFuzzer target's seeds and every input it
// found, see fuzz/build.sh and `make fuzz`) through Decoder::Decode and
// Validator::Validate with the target's own properties (fuzz/decode_target.h):
// no crash, deterministic outcomes, valid rejections, contract-abiding
// events, lossless re-encoding. Under -DDAYBOOK_SANITIZE=ON (`make
// test-asan`) ASan and UBSan watch the same inputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../../fuzz/decode_target.h"
#include "validate/validator.h"

namespace daybook {
namespace {

std::string CorpusDir() {
  if (const char* d = std::getenv("DAYBOOK_SOURCE_DIR"); d != nullptr && *d != '\0') {
    return std::string(d) + "/fuzz/corpus";
  }
  std::string here = __FILE__;  // <src>/src/decode/fuzz_corpus_test.cc
  return here.substr(0, here.rfind("/src/decode/")) + "/fuzz/corpus";
}

TEST(FuzzCorpus, EveryInputKeepsEveryProperty) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(CorpusDir())) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 100u) << "the corpus is missing: " << CorpusDir();
  fuzz::Target target;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string line = ss.str();
    EXPECT_EQ(target.Check(line), "") << f.filename().string();
  }
}

}  // namespace
}  // namespace daybook
