// File: decode/json_scan.h  (internal to decode/; tests may use it)
//
// The syntactic pass over one line: checks that it is exactly one JSON
// object with bounded nesting, fully validated (On-Demand alone would skip
// what it is not asked for), and lists its top-level fields with their
// values, so the contract pass (decoder.cc) never touches simdjson. Key
// uniqueness is the contract pass's check. Wraps one reused simdjson
// On-Demand parser.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace daybook::decode_internal {

enum class JsonType : uint8_t { kString, kNumber, kBool, kNull, kObject, kArray };
std::string_view JsonTypeName(JsonType t);  // "string", "number", "boolean", …

struct RawField {
  std::string_view key;  // unescaped
  JsonType type;
  // kString: the unescaped value. kNumber, kBool, kNull: the exact source
  // token (a valid JSON number or literal). kObject, kArray: the value
  // minified (strings re-escaped by AppendJsonString), in a scanner buffer.
  std::string_view value;
};

class JsonScanner {
 public:
  JsonScanner();
  ~JsonScanner();

  // Returns true and fills fields() in source order, or false with a human
  // *error (a MALFORMED_JSON detail). Views stay valid until the next Scan.
  bool Scan(std::string_view line, bool padded, std::string* error);

  const std::vector<RawField>& fields() const { return fields_; }

 private:
  struct Parser;
  std::unique_ptr<Parser> parser_;
  std::vector<RawField> fields_;
};

// Appends `s` as a JSON string: quotes, and escapes only '"', '\\' and
// control characters (\b \f \n \r \t, else \u00XX); UTF-8 passes through.
void AppendJsonString(std::string_view s, std::string* out);

// The strict JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(std::string_view s);

// 'text' for a detail: at most 64 bytes (cut at a UTF-8 boundary, "..."
// added), control characters shown as '?'.
std::string Quote(std::string_view text);

// Offset of the first byte that breaks UTF-8 (RFC 3629), or s.size().
size_t FirstInvalidUtf8(std::string_view s);

}  // namespace daybook::decode_internal
