// File: pipeline/key_table.h  (internal to pipeline/)
//
// A hash table of 64-bit keys that are already hashes (KeyHash of an id),
// for the keys a run keeps in memory across its batches (pipeline/run.cc):
// tens of millions of entries, probed once or twice per event. Open
// addressing with linear probing over one array of slots, so a probe is one
// cache line, and Prefetch lets a caller ask for that line ahead of time:
// looked up a batch at a time with prefetches a few keys ahead, the misses
// overlap instead of stalling one after the other (decision 59).
//
//   KeyTable<uint64_t> seen;            // key → value
//   KeyTable<KeyTableNoValue> orders;   // a set of keys
//   seen.Prefetch(next_key);
//   if (const uint64_t* v = seen.Find(key)) ...
//   seen.Insert(key, value);            // false (and unchanged) if present
//   auto [v, inserted] = seen.Emplace(key, value);  // find or insert, then update *v
//
// A large table's slots are asked of the kernel as transparent huge pages
// (madvise, a hint that Linux honours when THP is "always" or "madvise"):
// a first load of 10M events fills some 600 MB of these tables, which as
// 4 KiB pages is 150,000 page faults, each costly on a virtual machine.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace daybook {

struct KeyTableNoValue {};

template <typename Value>
class KeyTable {
  // Slots are zeroed and copied as bytes.
  static_assert(std::is_trivially_copyable_v<Value> && std::is_trivially_default_constructible_v<Value>);

 public:
  KeyTable() { Allocate(kMinCapacity); }

  size_t size() const { return size_; }

  // Starts loading the cache line `key` would be probed at.
  void Prefetch(uint64_t key) const { __builtin_prefetch(&slots_[Home(key)]); }

  // The value stored for `key`, or nullptr.
  const Value* Find(uint64_t key) const {
    if (key == kEmpty) return has_empty_key_ ? &empty_key_value_ : nullptr;
    for (size_t i = Home(key);; i = (i + 1) & mask_) {
      if (slots_[i].key == key) return &slots_[i].value;
      if (slots_[i].key == kEmpty) return nullptr;
    }
  }
  Value* Find(uint64_t key) { return const_cast<Value*>(static_cast<const KeyTable&>(*this).Find(key)); }
  bool Contains(uint64_t key) const { return Find(key) != nullptr; }

  // Inserts `key` with `value`; false, leaving the stored value, if present.
  bool Insert(uint64_t key, Value value = Value()) { return Emplace(key, value).second; }

  // The stored value of `key`, inserting `value` first if `key` is absent
  // (then .second is true). The pointer is valid until the next insert.
  std::pair<Value*, bool> Emplace(uint64_t key, Value value) {
    if (key == kEmpty) {
      const bool inserted = !has_empty_key_;
      if (inserted) {
        has_empty_key_ = true;
        empty_key_value_ = value;
        ++size_;
      }
      return {&empty_key_value_, inserted};
    }
    if ((used_ + 1) * kMaxLoadDen > (mask_ + 1) * kMaxLoadNum) Allocate((mask_ + 1) * 2);
    for (size_t i = Home(key);; i = (i + 1) & mask_) {
      if (slots_[i].key == key) return {&slots_[i].value, false};
      if (slots_[i].key == kEmpty) {
        slots_[i].key = key;
        slots_[i].value = value;
        ++used_;
        ++size_;
        return {&slots_[i].value, true};
      }
    }
  }

  // Room for `n` keys in all without growing (a table grows by copying
  // every slot into one twice the size).
  void Reserve(size_t n) {
    size_t capacity = mask_ + 1;
    while (n * kMaxLoadDen > capacity * kMaxLoadNum) capacity *= 2;
    if (capacity > mask_ + 1) Allocate(capacity);
  }

  // Calls f(key, value) for every key, in no particular order.
  template <typename F>
  void ForEach(F&& f) const {
    if (has_empty_key_) f(kEmpty, empty_key_value_);
    for (size_t i = 0; i <= mask_; ++i) {
      if (slots_[i].key != kEmpty) f(slots_[i].key, slots_[i].value);
    }
  }

 private:
  // 0 marks a free slot; the key 0 itself is kept aside.
  static constexpr uint64_t kEmpty = 0;
  static constexpr size_t kMinCapacity = 1024;
  // At most 3/4 full: linear probing stays short (about 2.5 probes for a
  // key that is absent), mostly within one cache line.
  static constexpr size_t kMaxLoadNum = 3, kMaxLoadDen = 4;

  struct Slot {
    uint64_t key;
    [[no_unique_address]] Value value;
  };

  // The keys are hashes, but the test hook of run.cc narrows them to a few
  // bits: multiply by an odd constant so the top bits pick the home slot
  // either way.
  size_t Home(uint64_t key) const { return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_); }

  static constexpr size_t kHugePage = size_t{2} << 20;

  struct FreeSlots {
    void operator()(Slot* p) const { std::free(p); }
  };
  using Slots = std::unique_ptr<Slot[], FreeSlots>;

  // `capacity` slots, every key 0 (free); from 2 MiB up, in whole huge
  // pages the kernel is asked to back as such.
  static Slots NewSlots(size_t capacity) {
    size_t bytes = capacity * sizeof(Slot);
    void* p = nullptr;
    if (bytes >= kHugePage) {
      bytes = (bytes + kHugePage - 1) / kHugePage * kHugePage;
      p = std::aligned_alloc(kHugePage, bytes);
      if (p != nullptr) (void)madvise(p, bytes, MADV_HUGEPAGE);  // a hint; without THP, 4 KiB pages
    } else {
      p = std::malloc(bytes);
    }
    if (p == nullptr) throw std::bad_alloc();
    std::memset(p, 0, bytes);
    return Slots(static_cast<Slot*>(p));
  }

  void Allocate(size_t capacity) {
    Slots old = std::move(slots_);
    const size_t old_capacity = old ? mask_ + 1 : 0;
    slots_ = NewSlots(capacity);
    mask_ = capacity - 1;
    shift_ = 64;
    for (size_t c = capacity; c > 1; c >>= 1) --shift_;
    for (size_t k = 0; k < old_capacity; ++k) {
      if (old[k].key == kEmpty) continue;
      size_t i = Home(old[k].key);
      while (slots_[i].key != kEmpty) i = (i + 1) & mask_;
      slots_[i] = old[k];
    }
  }

  Slots slots_;
  size_t mask_ = 0;
  int shift_ = 64;
  size_t used_ = 0;  // slots in use (the key 0 is not in a slot)
  size_t size_ = 0;
  bool has_empty_key_ = false;
  Value empty_key_value_{};
};

}  // namespace daybook
