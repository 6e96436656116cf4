#include "core/reason.h"

namespace daybook {
namespace {
constexpr std::string_view kNames[] = {
    "MALFORMED_JSON",   "MISSING_FIELD",      "WRONG_TYPE",        "UNKNOWN_EVENT_TYPE",
    "INVALID_TIMESTAMP", "INVALID_AMOUNT",    "AMOUNT_PRECISION",  "UNKNOWN_CURRENCY",
    "FX_RATE_MISSING",  "FUTURE_TIMESTAMP",   "TOO_LATE",          "DUPLICATE_CONFLICT",
    "OVERSIZED_RECORD", "INVALID_UTF8",       "UNKNOWN_SCHEMA_VERSION",
    "ORPHAN_EVENT",     "DUPLICATE_ORDER",    "CURRENCY_MISMATCH", "REFUND_EXCEEDS_ORDER",
    "AFTER_CANCEL",
};
static_assert(sizeof(kNames) / sizeof(kNames[0]) == static_cast<size_t>(Reason::kCount));
}  // namespace

std::string_view ReasonName(Reason r) { return kNames[static_cast<size_t>(r)]; }

bool ParseReason(std::string_view name, Reason* out) {
  for (size_t i = 0; i < static_cast<size_t>(Reason::kCount); ++i) {
    if (kNames[i] == name) {
      *out = static_cast<Reason>(i);
      return true;
    }
  }
  return false;
}

}  // namespace daybook
