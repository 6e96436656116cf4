// File: core/json.h
//
// A tiny streaming JSON writer for machine output (`--json`, alert bodies,
// run records). Handles commas and string escaping; the caller nests
// correctly.
//
//   JsonWriter w; w.BeginObject().Key("rows_read").Int(10).EndObject();
//   std::string s = w.str();   // {"rows_read":10}
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace daybook {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view k);
  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Double(double v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // A pre-rendered JSON value (e.g. an exact decimal as a number).
  JsonWriter& Raw(std::string_view json);
  const std::string& str() const { return out_; }

 private:
  void Comma();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element yet
  bool after_key_ = false;
};

// Appends `s` as a quoted, escaped JSON string.
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace daybook
