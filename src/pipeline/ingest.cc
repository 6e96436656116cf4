#include "pipeline/ingest.h"

#include <algorithm>

#include "sources/line_reader.h"
#include "validate/validator.h"

namespace daybook {
namespace {
// A rejected line's raw text is kept up to this many bytes (raw_size keeps its
// full length): a flood of huge bad lines must not grow memory with the batch.
constexpr size_t kMaxRawBytes = 64 * 1024;
}  // namespace

Result<IngestResult> IngestFiles(const std::vector<InputFile>& files, const Config& config,
                                 const TimeZone& tz, const FxTable& fx, Timestamp now,
                                 const std::function<void(int64_t, int64_t)>& progress) {
  IngestResult out;
  Decoder decoder(DecodeOptions{config.contracts});
  Validator validator(config, tz, fx, now);
  Event ev;
  Rejection rej;
  int64_t total_lines = 0, done_bytes = 0;
  for (uint32_t fi = 0; fi < files.size(); ++fi) {
    const InputFile& f = files[fi];
    DAYBOOK_ASSIGN_OR_RETURN(auto reader, LineReader::Open(f.path, f.max_record_bytes));
    RawLine line;
    int64_t rows = 0;
    while (true) {
      DAYBOOK_ASSIGN_OR_RETURN(bool more, reader->Next(&line));
      if (!more) break;
      ++rows;
      Locator loc{f.source, f.path, line.line_no};
      bool ok = false, decoded = false;
      if (line.oversized) {
        rej.reason = Reason::kOversizedRecord;
        rej.detail = "record is " + std::to_string(line.full_size) + " bytes; the limit is " +
                     std::to_string(f.max_record_bytes) + " (sources[].max_record_bytes)";
      } else if (decoder.Decode(line.bytes, /*padded=*/true, &ev, &rej, &out.drift)) {
        out.drift.SetFirstSeen(loc);
        decoded = true;
        ok = validator.Validate(&ev, &rej);
      }
      if (ok) {
        ev.locator = std::move(loc);
        out.events.push_back(std::move(ev));
        out.event_file.push_back(fi);
        ev = Event();
      } else {
        QuarantineRow q;
        q.locator = std::move(loc);
        q.reason = rej.reason;
        q.detail = rej.detail;
        q.raw.assign(line.bytes.data(), std::min(line.bytes.size(), kMaxRawBytes));
        q.raw_size = line.full_size;
        if (decoded) q.event_id = ev.event_id;  // rejected by validate: fully typed
        out.rejected.push_back(std::move(q));
        out.rejected_file.push_back(fi);
      }
      if (progress && (++total_lines & 0xFFFFF) == 0) progress(total_lines, done_bytes + reader->StoredBytesRead());
    }
    done_bytes += f.size;
    out.rows_read_per_file.push_back(rows);
  }
  if (progress) progress(total_lines, done_bytes);
  return out;
}

Result<std::vector<std::string>> ReadLines(const std::string& path, int64_t max_record_bytes,
                                           const std::vector<int64_t>& wanted) {
  std::vector<std::string> out;
  DAYBOOK_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path, max_record_bytes));
  RawLine line;
  size_t i = 0;
  while (i < wanted.size()) {
    DAYBOOK_ASSIGN_OR_RETURN(bool more, reader->Next(&line));
    if (!more) break;
    while (i < wanted.size() && wanted[i] == line.line_no) {
      out.emplace_back(line.bytes.substr(0, kMaxRawBytes));
      ++i;
    }
  }
  while (out.size() < wanted.size()) out.emplace_back();
  return out;
}

}  // namespace daybook
