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

struct Ingester::State {
  State(const Config& config, const TimeZone& tz, const FxTable& fx, Timestamp now)
      : decoder(DecodeOptions{config.contracts}), validator(config, tz, fx, now) {}
  Decoder decoder;
  Validator validator;
  uint32_t file = 0;                    // the file being read
  std::unique_ptr<LineReader> reader;   // open on `file`, or null
  int64_t total_lines = 0, done_bytes = 0;
  int64_t batches = 0;                  // batches returned
};

Ingester::Ingester(const std::vector<InputFile>& files, const Config& config, const TimeZone& tz,
                   const FxTable& fx, Timestamp now, std::function<void(int64_t, int64_t)> progress)
    : files_(files), state_(std::make_unique<State>(config, tz, fx, now)), progress_(std::move(progress)) {}

Ingester::~Ingester() = default;

Result<bool> Ingester::Next(size_t max_lines, IngestBatch* out) {
  out->clear();
  State& s = *state_;
  Event ev;
  Rejection rej;
  RawLine line;
  size_t lines = 0;
  while (s.file < files_.size() && lines < max_lines) {
    const uint32_t fi = s.file;
    const InputFile& f = files_[fi];
    if (!s.reader) {
      DAYBOOK_ASSIGN_OR_RETURN(s.reader, LineReader::Open(f.path, f.max_record_bytes));
      rows_read_per_file_.push_back(0);
    }
    DAYBOOK_ASSIGN_OR_RETURN(bool more, s.reader->Next(&line));
    if (!more) {
      s.done_bytes += f.size;
      s.reader.reset();
      ++s.file;
      continue;
    }
    ++lines;
    ++rows_read_per_file_[fi];
    Locator loc{f.source, f.path, line.line_no, f.source_file_id};
    bool ok = false, decoded = false;
    if (line.oversized) {
      rej.reason = Reason::kOversizedRecord;
      rej.detail = "record is " + std::to_string(line.full_size) + " bytes; the limit is " +
                   std::to_string(f.max_record_bytes) + " (sources[].max_record_bytes)";
    } else if (s.decoder.Decode(line.bytes, /*padded=*/true, &ev, &rej, &drift_)) {
      drift_.SetFirstSeen(loc);
      decoded = true;
      ok = s.validator.Validate(&ev, &rej);
    }
    if (ok) {
      ev.locator = std::move(loc);
      out->events.push_back(std::move(ev));
      out->event_file.push_back(fi);
      ev = Event();
    } else {
      QuarantineRow q;
      q.locator = std::move(loc);
      q.reason = rej.reason;
      q.detail = rej.detail;
      q.raw.assign(line.bytes.data(), std::min(line.bytes.size(), kMaxRawBytes));
      q.raw_size = line.full_size;
      if (decoded) q.event_id = ev.event_id;  // rejected by validate: fully typed
      out->rejected.push_back(std::move(q));
      out->rejected_file.push_back(fi);
    }
    if (progress_ && (++s.total_lines & 0xFFFFF) == 0) {
      progress_(s.total_lines, s.done_bytes + s.reader->StoredBytesRead());
    }
  }
  const bool any = lines > 0;
  if (any) out->index = s.batches++;
  if (!any && progress_) progress_(s.total_lines, s.done_bytes);
  return any;
}

Result<std::vector<RereadLine>> ReadLines(const std::string& path, int64_t max_record_bytes,
                                          const std::vector<int64_t>& wanted) {
  std::vector<RereadLine> out;
  DAYBOOK_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path, max_record_bytes));
  RawLine line;
  size_t i = 0;
  while (i < wanted.size()) {
    DAYBOOK_ASSIGN_OR_RETURN(bool more, reader->Next(&line));
    if (!more) break;
    while (i < wanted.size() && wanted[i] == line.line_no) {
      out.push_back({std::string(line.bytes.substr(0, kMaxRawBytes)), line.full_size});
      ++i;
    }
  }
  while (out.size() < wanted.size()) out.emplace_back();
  return out;
}

}  // namespace daybook
