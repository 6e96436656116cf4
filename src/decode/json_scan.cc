#include "decode/json_scan.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>

#include "decode/decoder.h"

namespace daybook::decode_internal {
namespace {

namespace od = simdjson::ondemand;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// raw_json_token() includes the whitespace after the token.
std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool Fail(simdjson::error_code e, std::string* error) {
  error->assign("invalid JSON: ");
  error->append(simdjson::error_message(e));
  return false;
}

bool FailText(std::string_view what, std::string_view token, std::string* error) {
  error->assign(what);
  error->append(" ");
  error->append(Quote(token));
  return false;
}

// A scalar that is not a string: checks it and returns its source text.
bool ScalarToken(od::value& v, od::json_type t, std::string_view* out, std::string* error) {
  std::string_view tok = TrimRight(v.raw_json_token());
  if (t == od::json_type::number) {
    if (!IsJsonNumber(tok)) return FailText("invalid JSON number", tok, error);
  } else if (t == od::json_type::boolean) {
    if (tok != "true" && tok != "false") return FailText("invalid JSON literal", tok, error);
  } else if (tok != "null") {
    return FailText("invalid JSON literal", tok, error);
  }
  *out = tok;
  return true;
}

// Validates `v` (a value at nesting `depth`) completely and appends it
// minified to *out. Recursion is bounded by kMaxJsonDepth.
bool Walk(od::value v, int depth, std::string* out, std::string* error) {
  od::json_type t;
  if (auto e = v.type().get(t)) return Fail(e, error);
  switch (t) {
    case od::json_type::object: {
      if (depth > kMaxJsonDepth) {
        error->assign("nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels");
        return false;
      }
      od::object obj;
      if (auto e = v.get_object().get(obj)) return Fail(e, error);
      out->push_back('{');
      bool first = true;
      for (auto field : obj) {
        std::string_view key;
        if (auto e = field.unescaped_key().get(key)) return Fail(e, error);
        od::value child;
        if (auto e = field.value().get(child)) return Fail(e, error);
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(key, out);
        out->push_back(':');
        if (!Walk(child, depth + 1, out, error)) return false;
      }
      out->push_back('}');
      return true;
    }
    case od::json_type::array: {
      if (depth > kMaxJsonDepth) {
        error->assign("nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels");
        return false;
      }
      od::array arr;
      if (auto e = v.get_array().get(arr)) return Fail(e, error);
      out->push_back('[');
      bool first = true;
      for (auto element : arr) {
        od::value child;
        if (auto e = element.get(child)) return Fail(e, error);
        if (!first) out->push_back(',');
        first = false;
        if (!Walk(child, depth + 1, out, error)) return false;
      }
      out->push_back(']');
      return true;
    }
    case od::json_type::string: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return Fail(e, error);
      AppendJsonString(s, out);
      return true;
    }
    default: {
      std::string_view tok;
      if (!ScalarToken(v, t, &tok, error)) return false;
      out->append(tok);
      return true;
    }
  }
}

}  // namespace

struct JsonScanner::Parser {
  od::parser parser;
  std::unique_ptr<char[]> buffer;  // padded copy of the line when !padded
  size_t buffer_size = 0;
  std::string nested;  // minified objects and arrays of this line
  struct Span {
    uint32_t field, offset, size;
  };
  std::vector<Span> spans;
};

JsonScanner::JsonScanner() : parser_(std::make_unique<Parser>()) {}
JsonScanner::~JsonScanner() = default;

bool JsonScanner::Scan(std::string_view line, bool padded, std::string* error) {
  Parser& p = *parser_;
  fields_.clear();
  p.nested.clear();
  p.spans.clear();
  if (line.size() >= 3 && std::memcmp(line.data(), "\xEF\xBB\xBF", 3) == 0) {
    error->assign("line starts with a UTF-8 byte order mark");
    return false;
  }
  const char* data = line.data();
  if (!padded) {
    size_t need = line.size() + simdjson::SIMDJSON_PADDING;
    if (p.buffer_size < need) {
      p.buffer_size = std::max(need, 2 * p.buffer_size);
      p.buffer = std::make_unique<char[]>(p.buffer_size);
    }
    if (!line.empty()) std::memcpy(p.buffer.get(), line.data(), line.size());
    std::memset(p.buffer.get() + line.size(), 0, simdjson::SIMDJSON_PADDING);
    data = p.buffer.get();
  }

  od::document doc;
  if (auto e =
          p.parser.iterate(data, line.size(), line.size() + simdjson::SIMDJSON_PADDING).get(doc)) {
    return Fail(e, error);
  }
  od::object obj;
  if (auto e = doc.get_object().get(obj)) {
    if (e == simdjson::INCORRECT_TYPE) {
      error->assign("the line is not a JSON object");
      return false;
    }
    return Fail(e, error);
  }
  for (auto field : obj) {
    RawField& f = fields_.emplace_back();  // built in place; the line is dropped on error
    if (auto e = field.unescaped_key().get(f.key)) return Fail(e, error);
    od::value v;
    if (auto e = field.value().get(v)) return Fail(e, error);
    od::json_type t;
    if (auto e = v.type().get(t)) return Fail(e, error);
    bool ok = true;
    switch (t) {
      case od::json_type::string:
        f.type = JsonType::kString;
        if (auto e = v.get_string().get(f.value)) ok = Fail(e, error);
        break;
      case od::json_type::number:
        f.type = JsonType::kNumber;
        ok = ScalarToken(v, t, &f.value, error);
        break;
      case od::json_type::boolean:
        f.type = JsonType::kBool;
        ok = ScalarToken(v, t, &f.value, error);
        break;
      case od::json_type::null:
        f.type = JsonType::kNull;
        ok = ScalarToken(v, t, &f.value, error);
        break;
      case od::json_type::object:
      case od::json_type::array: {
        f.type = t == od::json_type::object ? JsonType::kObject : JsonType::kArray;
        size_t offset = p.nested.size();
        ok = Walk(v, 2, &p.nested, error);
        p.spans.push_back({static_cast<uint32_t>(fields_.size() - 1), static_cast<uint32_t>(offset),
                           static_cast<uint32_t>(p.nested.size() - offset)});
        break;
      }
    }
    if (!ok) {
      error->insert(0, Quote(f.key) + ": ");
      return false;
    }
  }
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    error->assign("trailing content after the JSON object");
    return false;
  }
  for (const auto& s : p.spans) {
    fields_[s.field].value = std::string_view(p.nested).substr(s.offset, s.size);
  }
  return true;
}

std::string_view JsonTypeName(JsonType t) {
  switch (t) {
    case JsonType::kString: return "string";
    case JsonType::kNumber: return "number";
    case JsonType::kBool: return "boolean";
    case JsonType::kNull: return "null";
    case JsonType::kObject: return "object";
    case JsonType::kArray: return "array";
  }
  return "?";
}

void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;  // start of the pending run of bytes copied verbatim
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    out->push_back('\\');
    switch (c) {
      case '"': out->push_back('"'); break;
      case '\\': out->push_back('\\'); break;
      case '\b': out->push_back('b'); break;
      case '\f': out->push_back('f'); break;
      case '\n': out->push_back('n'); break;
      case '\r': out->push_back('r'); break;
      case '\t': out->push_back('t'); break;
      default:
        out->append("u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

bool IsJsonNumber(std::string_view s) {
  size_t i = 0, n = s.size();
  auto digits = [&] {
    size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < n && s[i] == '-') ++i;
  if (i < n && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n;
}

std::string Quote(std::string_view text) {
  constexpr size_t kMax = 64;
  bool cut = text.size() > kMax;
  if (cut) {
    size_t n = kMax;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    text = text.substr(0, n);
  }
  std::string out = "'";
  for (char c : text) out.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
  out += cut ? "...'" : "'";
  return out;
}

size_t FirstInvalidUtf8(std::string_view s) {
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0, n = s.size();
  while (i < n) {
    unsigned c = b[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // no overlongs
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // no overlongs
      if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n || b[i + 1] < lo || b[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if (b[i + k] < 0x80 || b[i + k] > 0xBF) return i;
    }
    i += len;
  }
  return n;
}

}  // namespace daybook::decode_internal
