#include "pipeline/order_spans.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "core/event.h"
#include "sources/line_reader.h"

namespace daybook {
namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// During the scan: an order's first and last batch, packed.
uint64_t Pack(uint32_t first, uint32_t last) { return (uint64_t{first} << 32) | last; }
uint32_t First(uint64_t v) { return static_cast<uint32_t>(v >> 32); }
uint32_t Last(uint64_t v) { return static_cast<uint32_t>(v); }

// Keys are inserted a block at a time, each prefetched this many ahead: the
// table is far larger than the caches (see key_table.h).
constexpr size_t kBlock = 4096, kPrefetchAhead = 16;

}  // namespace

std::optional<std::string_view> FindIdMember(std::string_view line, std::string_view quoted_name) {
  const char* const data = line.data();
  const size_t n = line.size();
  size_t from = 0;
  while (from < n) {
    const void* hit = memmem(data + from, n - from, quoted_name.data(), quoted_name.size());
    if (hit == nullptr) return std::nullopt;
    size_t i = static_cast<size_t>(static_cast<const char*>(hit) - data) + quoted_name.size();
    from = i;
    while (i < n && IsJsonSpace(data[i])) ++i;
    if (i >= n || data[i] != ':') continue;  // the name inside a value, not a member
    ++i;
    while (i < n && IsJsonSpace(data[i])) ++i;
    if (i >= n || data[i] != '"') continue;  // not a string: the decoder will reject it
    ++i;
    const void* close = std::memchr(data + i, '"', n - i);
    if (close == nullptr) return std::nullopt;
    std::string_view value(data + i, static_cast<size_t>(static_cast<const char*>(close) - (data + i)));
    if (value.find('\\') != std::string_view::npos) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

std::vector<std::string> OrderIdNames(const std::vector<ContractVersion>& contracts) {
  std::vector<std::string> names{"order_id"};
  for (const ContractVersion& c : contracts) {
    auto it = c.fields.find("order_id");
    if (it != c.fields.end() && std::find(names.begin(), names.end(), it->second) == names.end()) {
      names.push_back(it->second);
    }
  }
  return names;
}

Result<OrderSpans> ScanOrderSpans(const std::vector<InputFile>& files, const std::vector<std::string>& order_id_names,
                                  int64_t batch_lines) {
  OrderSpans out;
  if (batch_lines <= 0) return out;
  int64_t bytes = 0;
  for (const InputFile& f : files) {
    DAYBOOK_ASSIGN_OR_RETURN(std::unique_ptr<LineReader> reader, LineReader::Open(f.path, f.max_record_bytes));
    if (reader->compressed()) return out;
    bytes += f.size;
  }
  std::vector<std::string> needles;
  for (const std::string& name : order_id_names) needles.push_back("\"" + name + "\"");

  KeyTable<uint64_t> seen;             // every order: its first and last batch
  seen.Reserve(static_cast<size_t>(bytes / 256));  // event lines are some 200 bytes
  struct Sighting {
    uint64_t key;
    uint32_t batch;
  };
  std::vector<Sighting> block;
  block.reserve(kBlock);
  auto flush = [&] {
    for (size_t j = 0; j < block.size(); ++j) {
      if (j + kPrefetchAhead < block.size()) seen.Prefetch(block[j + kPrefetchAhead].key);
      const uint32_t b = block[j].batch;
      auto [v, inserted] = seen.Emplace(block[j].key, Pack(b, b));
      if (!inserted) *v = Pack(First(*v), b);  // batches only grow along the input
    }
    block.clear();
  };
  int64_t line_index = 0;
  RawLine line;
  for (const InputFile& f : files) {
    DAYBOOK_ASSIGN_OR_RETURN(std::unique_ptr<LineReader> reader, LineReader::Open(f.path, f.max_record_bytes));
    for (;;) {
      DAYBOOK_ASSIGN_OR_RETURN(bool more, reader->Next(&line));
      if (!more) break;
      const auto batch = static_cast<uint32_t>(std::min<int64_t>(line_index++ / batch_lines, UINT32_MAX));
      if (line.oversized) continue;  // quarantined whole
      for (const std::string& needle : needles) {
        if (std::optional<std::string_view> id = FindIdMember(line.bytes, needle)) {
          block.push_back({KeyHash(*id), batch});
          if (block.size() == kBlock) flush();
        }
      }
    }
  }
  flush();
  // Sized first: ForEach goes in the order of the keys' home slots, which
  // a growing table (the same hash, fewer slots) would pile up at its start.
  size_t spanning = 0;
  seen.ForEach([&](uint64_t, uint64_t v) { spanning += First(v) != Last(v); });
  out.last_batch_.Reserve(spanning);
  seen.ForEach([&](uint64_t key, uint64_t v) {
    if (First(v) != Last(v)) out.last_batch_.Insert(key, Last(v));
  });
  out.scanned_ = true;
  out.lines_ = line_index;
  out.orders_ = static_cast<int64_t>(seen.size());
  return out;
}

}  // namespace daybook
