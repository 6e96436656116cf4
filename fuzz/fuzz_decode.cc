// libFuzzer target over the decode and validate stages: every input is one
// NDJSON line (the reader never hands on a '\n'; a fuzzed '\n' is just a
// byte here, which the decoder must survive all the same). The properties
// are in decode_target.h; a broken one aborts with the line and what broke,
// and libFuzzer keeps the input (fuzz/build.sh, `make fuzz`).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "decode_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static daybook::fuzz::Target* target = new daybook::fuzz::Target();
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const std::string problem = target->Check(line);
  if (!problem.empty()) {
    std::fprintf(stderr, "PROPERTY BROKEN: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
