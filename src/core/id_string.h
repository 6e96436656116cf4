// File: core/id_string.h
//
// IdString: the text of an id (an event's event_id, order_id and
// customer_id) stored inside the object when it has at most 39 bytes, on
// the heap only when longer. std::string keeps 15 bytes inline, so the
// usual ids ("evt-" and 16 hex digits: 20 bytes; a UUID: 36) each cost a
// heap allocation, freed on another thread than the one that made it:
// three per event, tens of millions a day (decision 62). It is the same
// size as a std::string plus 8 bytes.
//
//   IdString id = "ord-1";             // from a literal, string or view
//   std::string_view v = id;           // views convert implicitly
//   if (id == "ord-1") ...             // compares with any string type
//   std::string copy = id.str();       // a std::string only on request
//
// Bytes are bytes: no terminating NUL is kept (use view() or str()), and
// embedded NULs are kept.
#pragma once

#include <compare>
#include <cstdint>
#include <cstring>
#include <ostream>
#include <string>
#include <string_view>

namespace daybook {

class IdString {
 public:
  static constexpr size_t kInlineBytes = 39;

  IdString() noexcept : tag_(0) {}
  // Implicit, so that ids are assigned as strings are (e.id = "evt-1").
  IdString(std::string_view s) : tag_(0) { assign(s); }  // NOLINT(google-explicit-constructor)
  IdString(const char* s) : IdString(std::string_view(s)) {}  // NOLINT(google-explicit-constructor)
  IdString(const std::string& s) : IdString(std::string_view(s)) {}  // NOLINT(google-explicit-constructor)
  IdString(const IdString& o) : tag_(0) { assign(o.view()); }
  IdString(IdString&& o) noexcept : tag_(o.tag_) {
    std::memcpy(bytes_, o.bytes_, sizeof bytes_);
    o.tag_ = 0;
  }
  IdString& operator=(const IdString& o) {
    if (this != &o) assign(o.view());
    return *this;
  }
  IdString& operator=(IdString&& o) noexcept {
    if (this != &o) {
      FreeHeap();
      std::memcpy(bytes_, o.bytes_, sizeof bytes_);
      tag_ = o.tag_;
      o.tag_ = 0;
    }
    return *this;
  }
  IdString& operator=(std::string_view s) {
    assign(s);
    return *this;
  }
  IdString& operator=(const char* s) { return *this = std::string_view(s); }
  IdString& operator=(const std::string& s) { return *this = std::string_view(s); }
  ~IdString() { FreeHeap(); }

  // `s` may be a view of this id's own bytes.
  void assign(std::string_view s) {
    if (s.size() <= kInlineBytes) {
      char* old = on_heap() ? HeapPointer() : nullptr;
      if (!s.empty()) std::memmove(bytes_, s.data(), s.size());  // an empty view's data() may be null
      tag_ = static_cast<uint8_t>(s.size());
      delete[] old;
      return;
    }
    char* p = new char[s.size()];
    std::memcpy(p, s.data(), s.size());
    FreeHeap();
    const size_t n = s.size();
    std::memcpy(bytes_, &p, sizeof p);
    std::memcpy(bytes_ + sizeof p, &n, sizeof n);
    tag_ = kOnHeap;
  }
  void assign(const char* p, size_t n) { assign(std::string_view(p, n)); }
  void clear() {
    FreeHeap();
    tag_ = 0;
  }

  const char* data() const { return on_heap() ? HeapPointer() : bytes_; }
  size_t size() const {
    if (!on_heap()) return tag_;
    size_t n;
    std::memcpy(&n, bytes_ + sizeof(char*), sizeof n);
    return n;
  }
  bool empty() const { return tag_ == 0; }
  std::string_view view() const { return std::string_view(data(), size()); }
  operator std::string_view() const { return view(); }  // NOLINT(google-explicit-constructor)
  std::string str() const { return std::string(view()); }

  friend bool operator==(const IdString& a, const IdString& b) { return a.view() == b.view(); }
  friend bool operator==(const IdString& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const IdString& a, const std::string& b) { return a.view() == b; }
  friend bool operator==(const IdString& a, const char* b) { return a.view() == b; }
  friend std::strong_ordering operator<=>(const IdString& a, const IdString& b) { return a.view() <=> b.view(); }
  // Concatenation into a std::string, as with std::string ids.
  friend std::string operator+(std::string a, const IdString& b) { return a.append(b.view()); }
  friend std::string operator+(const char* a, const IdString& b) { return std::string(a).append(b.view()); }
  friend std::string operator+(const IdString& a, std::string_view b) { return a.str().append(b); }
  friend std::string operator+(const IdString& a, const char* b) { return a.str().append(b); }
  friend std::ostream& operator<<(std::ostream& os, const IdString& s) { return os << s.view(); }

 private:
  static constexpr uint8_t kOnHeap = 0xFF;
  bool on_heap() const { return tag_ == kOnHeap; }
  char* HeapPointer() const {
    char* p;
    std::memcpy(&p, bytes_, sizeof p);
    return p;
  }
  void FreeHeap() {
    if (on_heap()) delete[] HeapPointer();
  }

  // Inline: the bytes, tag_ their count. On the heap: a pointer and a size.
  char bytes_[kInlineBytes];
  uint8_t tag_;
};

static_assert(sizeof(IdString) == 40);

}  // namespace daybook
