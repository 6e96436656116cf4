#include "core/clock.h"

#include <chrono>
#include <cstdlib>

namespace daybook {

Result<Timestamp> ResolveNow(const std::string& flag_value) {
  std::string text = flag_value;
  std::string origin = "--now";
  if (text.empty()) {
    if (const char* env = std::getenv("DAYBOOK_NOW"); env && *env) {
      text = env;
      origin = "DAYBOOK_NOW";
    }
  }
  if (text.empty()) {
    auto now = std::chrono::system_clock::now().time_since_epoch();
    return Timestamp{std::chrono::duration_cast<std::chrono::microseconds>(now).count()};
  }
  std::string why;
  auto t = ParseRfc3339(text, &why);
  if (!t) return InvalidArgument(origin + ": '" + text + "' is not an RFC 3339 time: " + why);
  return *t;
}

int64_t MonotonicMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace daybook
