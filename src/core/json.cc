#include "core/json.h"

#include <charconv>
#include <cstdio>

namespace daybook {

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          *out += buf;
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

void JsonWriter::Comma() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_.push_back(',');
    first_.back() = false;
  }
}

JsonWriter& JsonWriter::BeginObject() { Comma(); out_.push_back('{'); first_.push_back(true); return *this; }
JsonWriter& JsonWriter::EndObject() { out_.push_back('}'); first_.pop_back(); return *this; }
JsonWriter& JsonWriter::BeginArray() { Comma(); out_.push_back('['); first_.push_back(true); return *this; }
JsonWriter& JsonWriter::EndArray() { out_.push_back(']'); first_.pop_back(); return *this; }
JsonWriter& JsonWriter::Key(std::string_view k) {
  Comma();
  AppendJsonString(&out_, k);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}
JsonWriter& JsonWriter::String(std::string_view s) { Comma(); AppendJsonString(&out_, s); return *this; }
JsonWriter& JsonWriter::Int(int64_t v) { Comma(); out_ += std::to_string(v); return *this; }
JsonWriter& JsonWriter::Double(double v) {
  Comma();
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, r.ptr);
  return *this;
}
JsonWriter& JsonWriter::Bool(bool v) { Comma(); out_ += v ? "true" : "false"; return *this; }
JsonWriter& JsonWriter::Null() { Comma(); out_ += "null"; return *this; }
JsonWriter& JsonWriter::Raw(std::string_view json) { Comma(); out_ += json; return *this; }

}  // namespace daybook
