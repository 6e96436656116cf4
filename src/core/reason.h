// File: core/reason.h
//
// Stable reason codes. Record-level codes send a line to `quarantine`
// (spec §3); order-level codes mark a stored event as excluded from revenue.
// The names are a public contract: reports, checks and users match on them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace daybook {

enum class Reason : uint8_t {
  // Record level (quarantine).
  kMalformedJson,
  kMissingField,
  kWrongType,
  kUnknownEventType,
  kInvalidTimestamp,
  kInvalidAmount,
  kAmountPrecision,
  kUnknownCurrency,
  kFxRateMissing,
  kFutureTimestamp,
  kTooLate,
  kDuplicateConflict,
  kOversizedRecord,
  kInvalidUtf8,
  kUnknownSchemaVersion,  // Daybook addition: a schema_version no contract declares
  // Order level (excluded events).
  kOrphanEvent,
  kDuplicateOrder,
  kCurrencyMismatch,
  kRefundExceedsOrder,
  kAfterCancel,
  kCount
};

std::string_view ReasonName(Reason r);  // "MALFORMED_JSON", …
bool ParseReason(std::string_view name, Reason* out);

// A record-level rejection: the code and a human detail naming the field.
struct Rejection {
  Reason reason = Reason::kMalformedJson;
  std::string detail;
};

}  // namespace daybook
