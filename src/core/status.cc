#include "core/status.h"

namespace daybook {

std::string Status::ToString() const {
  switch (code_) {
    case StatusCode::kOk: return "ok";
    default: return message_;
  }
}

int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk: return 0;
    case StatusCode::kFailed:
    case StatusCode::kInternal: return 1;
    case StatusCode::kIoError:
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kCorrupt: return 2;
    case StatusCode::kLocked: return 3;
  }
  return 1;
}

}  // namespace daybook
