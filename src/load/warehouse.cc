#include "load/warehouse.h"

#include <duckdb.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>

#include "core/money.h"
#include "core/time.h"

namespace daybook {
namespace {

Status ClassifyOpenError(const std::string& path, const std::string& msg) {
  if (msg.find("Could not set lock") != std::string::npos ||
      msg.find("Conflicting lock") != std::string::npos) {
    std::string holder;
    auto pid = msg.find("(PID ");
    if (pid != std::string::npos) {
      holder = " by process " + msg.substr(pid + 5, msg.find(')', pid) - pid - 5);
    }
    return Locked("warehouse " + path + " is in use" + holder +
                  " (a daybook run, or another client holding the file open); "
                  "retry when it has finished");
  }
  if (msg.find("sqlite_scanner") != std::string::npos) {
    return Corrupt("warehouse " + path + " is not a valid DuckDB database (it is a SQLite file)");
  }
  if (msg.find("not a valid DuckDB database") != std::string::npos ||
      msg.find("version number") != std::string::npos ||
      msg.find("Serialization Error") != std::string::npos ||
      msg.find("IO Error: The file") != std::string::npos) {
    return Corrupt("warehouse " + path + " is not a DuckDB database this Daybook can open: " + msg);
  }
  return IoError("cannot open warehouse " + path + ": " + msg);
}

Status QueryError(const std::string& msg, std::string_view sql) {
  std::string head(sql.substr(0, 160));
  for (char& c : head) if (c == '\n') c = ' ';
  if (msg.find("No space left on device") != std::string::npos ||
      msg.find("could not write") != std::string::npos) {
    return Failed("disk full while writing the warehouse: " + msg);
  }
  return Failed("warehouse query failed: " + msg + " [in: " + head + (sql.size() > 160 ? "…" : "") + "]");
}

ColumnKind KindOf(duckdb_type t) {
  switch (t) {
    case DUCKDB_TYPE_BOOLEAN: return ColumnKind::kBool;
    case DUCKDB_TYPE_TINYINT:
    case DUCKDB_TYPE_SMALLINT:
    case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_UTINYINT:
    case DUCKDB_TYPE_USMALLINT: return ColumnKind::kInt32;
    case DUCKDB_TYPE_UINTEGER:
    case DUCKDB_TYPE_BIGINT: return ColumnKind::kInt64;
    case DUCKDB_TYPE_UBIGINT: return ColumnKind::kUInt64;
    case DUCKDB_TYPE_FLOAT:
    case DUCKDB_TYPE_DOUBLE: return ColumnKind::kDouble;
    case DUCKDB_TYPE_DECIMAL: return ColumnKind::kDecimal;
    case DUCKDB_TYPE_DATE: return ColumnKind::kDate;
    case DUCKDB_TYPE_TIMESTAMP:
    case DUCKDB_TYPE_TIMESTAMP_TZ: return ColumnKind::kTimestamp;
    case DUCKDB_TYPE_VARCHAR:
    case DUCKDB_TYPE_ENUM: return ColumnKind::kString;
    case DUCKDB_TYPE_BLOB: return ColumnKind::kBlob;
    default: return ColumnKind::kOther;
  }
}

std::string TypeName(duckdb_logical_type lt) {
  duckdb_type t = duckdb_get_type_id(lt);
  switch (t) {
    case DUCKDB_TYPE_BOOLEAN: return "BOOLEAN";
    case DUCKDB_TYPE_TINYINT: return "TINYINT";
    case DUCKDB_TYPE_SMALLINT: return "SMALLINT";
    case DUCKDB_TYPE_INTEGER: return "INTEGER";
    case DUCKDB_TYPE_BIGINT: return "BIGINT";
    case DUCKDB_TYPE_UTINYINT: return "UTINYINT";
    case DUCKDB_TYPE_USMALLINT: return "USMALLINT";
    case DUCKDB_TYPE_UINTEGER: return "UINTEGER";
    case DUCKDB_TYPE_UBIGINT: return "UBIGINT";
    case DUCKDB_TYPE_HUGEINT: return "HUGEINT";
    case DUCKDB_TYPE_FLOAT: return "FLOAT";
    case DUCKDB_TYPE_DOUBLE: return "DOUBLE";
    case DUCKDB_TYPE_DECIMAL:
      return "DECIMAL(" + std::to_string(duckdb_decimal_width(lt)) + "," +
             std::to_string(duckdb_decimal_scale(lt)) + ")";
    case DUCKDB_TYPE_DATE: return "DATE";
    case DUCKDB_TYPE_TIMESTAMP: return "TIMESTAMP";
    case DUCKDB_TYPE_TIMESTAMP_TZ: return "TIMESTAMPTZ";
    case DUCKDB_TYPE_VARCHAR: return "VARCHAR";
    case DUCKDB_TYPE_BLOB: return "BLOB";
    case DUCKDB_TYPE_INTERVAL: return "INTERVAL";
    case DUCKDB_TYPE_UUID: return "UUID";
    case DUCKDB_TYPE_LIST: return "LIST";
    case DUCKDB_TYPE_STRUCT: return "STRUCT";
    case DUCKDB_TYPE_MAP: return "MAP";
    case DUCKDB_TYPE_ENUM: return "ENUM";  // the type's own name is not exposed here
    default: return "OTHER";
  }
}

std::string Int128ToString(__int128 v) {
  bool neg = v < 0;
  unsigned __int128 u = neg ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  std::string s;
  do {
    s.push_back(static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  } while (u);
  if (neg) s.push_back('-');
  return std::string(s.rbegin(), s.rend());
}

std::string DecimalText(__int128 v, int scale) {
  std::string digits = Int128ToString(v < 0 ? -v : v);
  if (scale > 0) {
    while (static_cast<int>(digits.size()) <= scale) digits.insert(digits.begin(), '0');
    digits.insert(digits.end() - scale, '.');
  }
  return (v < 0 ? "-" : "") + digits;
}

struct Column {
  std::string name;
  duckdb_type type = DUCKDB_TYPE_INVALID;
  duckdb_type internal = DUCKDB_TYPE_INVALID;  // for DECIMAL and ENUM
  int scale = 0;
  std::string type_name;
  std::vector<std::string> dictionary;  // ENUM values by index
};

std::vector<std::string> EnumDictionary(duckdb_logical_type lt) {
  std::vector<std::string> out(duckdb_enum_dictionary_size(lt));
  for (size_t i = 0; i < out.size(); ++i) {
    char* v = duckdb_enum_dictionary_value(lt, i);
    out[i] = v;
    duckdb_free(v);
  }
  return out;
}

uint32_t EnumIndex(const void* data, duckdb_type internal, size_t r) {
  switch (internal) {
    case DUCKDB_TYPE_UTINYINT: return static_cast<const uint8_t*>(data)[r];
    case DUCKDB_TYPE_USMALLINT: return static_cast<const uint16_t*>(data)[r];
    default: return static_cast<const uint32_t*>(data)[r];
  }
}

class DuckRows : public QueryRows {
 public:
  explicit DuckRows(duckdb_result res) : res_(res) {
    size_t n = duckdb_column_count(&res_);
    cols_.resize(n);
    for (size_t c = 0; c < n; ++c) {
      cols_[c].name = duckdb_column_name(&res_, c);
      duckdb_logical_type lt = duckdb_column_logical_type(&res_, c);
      cols_[c].type = duckdb_get_type_id(lt);
      cols_[c].type_name = TypeName(lt);
      if (cols_[c].type == DUCKDB_TYPE_DECIMAL) {
        cols_[c].internal = duckdb_decimal_internal_type(lt);
        cols_[c].scale = duckdb_decimal_scale(lt);
      } else if (cols_[c].type == DUCKDB_TYPE_ENUM) {
        cols_[c].internal = duckdb_enum_internal_type(lt);
        cols_[c].dictionary = EnumDictionary(lt);
      }
      duckdb_destroy_logical_type(&lt);
    }
    data_.resize(n);
    validity_.resize(n);
  }
  ~DuckRows() override {
    if (chunk_) duckdb_destroy_data_chunk(&chunk_);
    duckdb_destroy_result(&res_);
  }

  size_t column_count() const override { return cols_.size(); }
  const std::string& column_name(size_t c) const override { return cols_[c].name; }
  ColumnKind column_kind(size_t c) const override { return KindOf(cols_[c].type); }
  std::string column_type(size_t c) const override { return cols_[c].type_name; }
  int decimal_scale(size_t c) const override { return cols_[c].scale; }
  const Status& status() const override { return status_; }

  bool NextChunk() override {
    if (chunk_) duckdb_destroy_data_chunk(&chunk_);
    chunk_ = duckdb_fetch_chunk(res_);
    if (!chunk_) {
      const char* err = duckdb_result_error(&res_);
      if (err && *err) status_ = Failed(std::string("reading query result: ") + err);
      size_ = 0;
      return false;
    }
    size_ = duckdb_data_chunk_get_size(chunk_);
    for (size_t c = 0; c < cols_.size(); ++c) {
      duckdb_vector v = duckdb_data_chunk_get_vector(chunk_, c);
      data_[c] = duckdb_vector_get_data(v);
      validity_[c] = duckdb_vector_get_validity(v);
    }
    if (size_ == 0) return NextChunk();
    return true;
  }
  size_t size() const override { return size_; }

  bool IsNull(size_t c, size_t r) const override {
    return validity_[c] && !duckdb_validity_row_is_valid(validity_[c], r);
  }
  bool Bool(size_t c, size_t r) const override { return static_cast<const bool*>(data_[c])[r]; }
  int64_t Int64(size_t c, size_t r) const override {
    duckdb_type t = cols_[c].type == DUCKDB_TYPE_DECIMAL ? cols_[c].internal : cols_[c].type;
    const void* d = data_[c];
    switch (t) {
      case DUCKDB_TYPE_BOOLEAN: return static_cast<const bool*>(d)[r];
      case DUCKDB_TYPE_TINYINT: return static_cast<const int8_t*>(d)[r];
      case DUCKDB_TYPE_SMALLINT: return static_cast<const int16_t*>(d)[r];
      case DUCKDB_TYPE_INTEGER:
      case DUCKDB_TYPE_DATE: return static_cast<const int32_t*>(d)[r];
      case DUCKDB_TYPE_UTINYINT: return static_cast<const uint8_t*>(d)[r];
      case DUCKDB_TYPE_USMALLINT: return static_cast<const uint16_t*>(d)[r];
      case DUCKDB_TYPE_UINTEGER: return static_cast<const uint32_t*>(d)[r];
      case DUCKDB_TYPE_BIGINT:
      case DUCKDB_TYPE_TIMESTAMP:
      case DUCKDB_TYPE_TIMESTAMP_TZ: return static_cast<const int64_t*>(d)[r];
      case DUCKDB_TYPE_UBIGINT: return static_cast<int64_t>(static_cast<const uint64_t*>(d)[r]);
      case DUCKDB_TYPE_HUGEINT: {
        auto h = static_cast<const duckdb_hugeint*>(d)[r];
        return static_cast<int64_t>(h.lower);
      }
      default: return 0;
    }
  }
  uint64_t UInt64(size_t c, size_t r) const override {
    if (cols_[c].type == DUCKDB_TYPE_UBIGINT) return static_cast<const uint64_t*>(data_[c])[r];
    return static_cast<uint64_t>(Int64(c, r));
  }
  double Double(size_t c, size_t r) const override {
    if (cols_[c].type == DUCKDB_TYPE_DOUBLE) return static_cast<const double*>(data_[c])[r];
    if (cols_[c].type == DUCKDB_TYPE_FLOAT) return static_cast<const float*>(data_[c])[r];
    return static_cast<double>(Int64(c, r));
  }
  std::string_view String(size_t c, size_t r) const override {
    if (cols_[c].type == DUCKDB_TYPE_ENUM) return cols_[c].dictionary[EnumIndex(data_[c], cols_[c].internal, r)];
    auto* s = const_cast<duckdb_string_t*>(static_cast<const duckdb_string_t*>(data_[c]) + r);
    return std::string_view(duckdb_string_t_data(s), duckdb_string_t_length(*s));
  }

  std::string Text(size_t c, size_t r) const override {
    if (IsNull(c, r)) return "";
    const Column& col = cols_[c];
    const void* d = data_[c];
    switch (col.type) {
      case DUCKDB_TYPE_BOOLEAN: return Bool(c, r) ? "true" : "false";
      case DUCKDB_TYPE_TINYINT:
      case DUCKDB_TYPE_SMALLINT:
      case DUCKDB_TYPE_INTEGER:
      case DUCKDB_TYPE_BIGINT:
      case DUCKDB_TYPE_UTINYINT:
      case DUCKDB_TYPE_USMALLINT:
      case DUCKDB_TYPE_UINTEGER: return std::to_string(Int64(c, r));
      case DUCKDB_TYPE_UBIGINT: return std::to_string(UInt64(c, r));
      case DUCKDB_TYPE_HUGEINT: {
        auto h = static_cast<const duckdb_hugeint*>(d)[r];
        return Int128ToString((static_cast<__int128>(h.upper) << 64) | h.lower);
      }
      case DUCKDB_TYPE_FLOAT:
      case DUCKDB_TYPE_DOUBLE: {
        char buf[64];
        auto res = std::to_chars(buf, buf + sizeof buf, Double(c, r));
        return std::string(buf, res.ptr);
      }
      case DUCKDB_TYPE_DECIMAL: {
        if (col.internal == DUCKDB_TYPE_HUGEINT) {
          auto h = static_cast<const duckdb_hugeint*>(d)[r];
          return DecimalText((static_cast<__int128>(h.upper) << 64) | h.lower, col.scale);
        }
        return DecimalText(Int64(c, r), col.scale);
      }
      case DUCKDB_TYPE_DATE: return FormatDate(static_cast<int32_t>(Int64(c, r)));
      case DUCKDB_TYPE_TIMESTAMP_TZ: return FormatTimestamp(Timestamp{Int64(c, r)});
      case DUCKDB_TYPE_TIMESTAMP: {
        std::string s = FormatTimestamp(Timestamp{Int64(c, r)});
        s.pop_back();  // no zone: drop the 'Z'
        s[10] = ' ';
        return s;
      }
      case DUCKDB_TYPE_VARCHAR:
      case DUCKDB_TYPE_ENUM: return std::string(String(c, r));
      case DUCKDB_TYPE_BLOB: {
        std::string out;
        for (unsigned char ch : String(c, r)) {
          if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
            out.push_back(static_cast<char>(ch));
          } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", ch);
            out += buf;
          }
        }
        return out;
      }
      default: return "<" + col.type_name + ">";
    }
  }

 private:
  duckdb_result res_;
  std::vector<Column> cols_;
  duckdb_data_chunk chunk_ = nullptr;
  size_t size_ = 0;
  std::vector<void*> data_;
  std::vector<uint64_t*> validity_;
  Status status_;
};

// The physical layout of a row of columns: what each setter writes where.
struct ColumnLayout {
  std::vector<duckdb_logical_type> types;  // owned
  std::vector<duckdb_type> ids;            // physical ids (DECIMAL, ENUM: internal)
  std::vector<std::map<std::string, uint32_t, std::less<>>> enum_index;

  void Add(duckdb_logical_type t) {
    types.push_back(t);
    duckdb_type id = duckdb_get_type_id(t);
    enum_index.emplace_back();
    if (id == DUCKDB_TYPE_DECIMAL) id = duckdb_decimal_internal_type(t);
    if (id == DUCKDB_TYPE_ENUM) {
      std::vector<std::string> dict = EnumDictionary(t);
      for (uint32_t i = 0; i < dict.size(); ++i) enum_index.back()[dict[i]] = i;
      id = duckdb_enum_internal_type(t);
    }
    ids.push_back(id);
  }
  ~ColumnLayout() {
    for (auto& t : types) duckdb_destroy_logical_type(&t);
  }
};

// Writes rows into one data chunk, starting at row 0.
class ChunkRowWriter : public RowWriter {
 public:
  ChunkRowWriter(const ColumnLayout& layout, std::string table) : layout_(layout), table_(std::move(table)) {}

  void Reset(duckdb_data_chunk chunk) {
    size_t n = layout_.types.size();
    vecs_.resize(n);
    data_.resize(n);
    for (size_t c = 0; c < n; ++c) {
      vecs_[c] = duckdb_data_chunk_get_vector(chunk, c);
      data_[c] = duckdb_vector_get_data(vecs_[c]);
    }
    row_ = 0;
  }
  size_t row() const { return row_; }

  size_t column_count() const override { return layout_.types.size(); }
  void Null(size_t c) override {
    duckdb_vector_ensure_validity_writable(vecs_[c]);
    duckdb_validity_set_row_invalid(duckdb_vector_get_validity(vecs_[c]), row_);
  }
  void Bool(size_t c, bool v) override { static_cast<bool*>(data_[c])[row_] = v; }
  void Int32(size_t c, int32_t v) override { Int64(c, v); }
  // Writes an integer into any integral, DATE, TIMESTAMP, DECIMAL or ENUM
  // column with the column's physical width (a mismatch would corrupt it).
  void Int64(size_t c, int64_t v) override {
    void* d = data_[c];
    switch (layout_.ids[c]) {
      case DUCKDB_TYPE_BOOLEAN: static_cast<bool*>(d)[row_] = v != 0; break;
      case DUCKDB_TYPE_TINYINT: static_cast<int8_t*>(d)[row_] = static_cast<int8_t>(v); break;
      case DUCKDB_TYPE_UTINYINT: static_cast<uint8_t*>(d)[row_] = static_cast<uint8_t>(v); break;
      case DUCKDB_TYPE_SMALLINT: static_cast<int16_t*>(d)[row_] = static_cast<int16_t>(v); break;
      case DUCKDB_TYPE_USMALLINT: static_cast<uint16_t*>(d)[row_] = static_cast<uint16_t>(v); break;
      case DUCKDB_TYPE_INTEGER:
      case DUCKDB_TYPE_DATE: static_cast<int32_t*>(d)[row_] = static_cast<int32_t>(v); break;
      case DUCKDB_TYPE_UINTEGER: static_cast<uint32_t*>(d)[row_] = static_cast<uint32_t>(v); break;
      case DUCKDB_TYPE_HUGEINT: {
        auto* h = static_cast<duckdb_hugeint*>(d) + row_;
        h->lower = static_cast<uint64_t>(v);
        h->upper = v < 0 ? -1 : 0;
        break;
      }
      case DUCKDB_TYPE_BIGINT:
      case DUCKDB_TYPE_UBIGINT:
      case DUCKDB_TYPE_TIMESTAMP:
      case DUCKDB_TYPE_TIMESTAMP_TZ: static_cast<int64_t*>(d)[row_] = v; break;
      default: bad_ = "an integer written to a non-integer column " + std::to_string(c);
    }
  }
  void UInt64(size_t c, uint64_t v) override {
    if (layout_.ids[c] == DUCKDB_TYPE_UBIGINT) static_cast<uint64_t*>(data_[c])[row_] = v;
    else Int64(c, static_cast<int64_t>(v));
  }
  void Double(size_t c, double v) override {
    if (layout_.ids[c] == DUCKDB_TYPE_DOUBLE) static_cast<double*>(data_[c])[row_] = v;
    else bad_ = "a double written to a non-DOUBLE column " + std::to_string(c);
  }
  void String(size_t c, std::string_view v) override {
    const auto& index = layout_.enum_index[c];
    if (!index.empty()) {  // ENUM: the value's index in the type
      auto it = index.find(v);
      if (it == index.end()) {
        bad_ = "'" + std::string(v) + "' is not a value of the ENUM column " + std::to_string(c);
        return;
      }
      Int64(c, it->second);
      return;
    }
    duckdb_vector_assign_string_element_len(vecs_[c], row_, v.data(), v.size());
  }
  Status EndRow() override {
    if (!bad_.empty()) return Internal("writing to " + table_ + ": " + bad_);
    ++row_;
    return Status::Ok();
  }

 private:
  const ColumnLayout& layout_;
  std::string table_;
  std::vector<duckdb_vector> vecs_;
  std::vector<void*> data_;
  size_t row_ = 0;
  std::string bad_;
};

class DuckAppender : public ChunkAppender {
 public:
  DuckAppender(duckdb_appender app, std::string table) : app_(app), table_(table), writer_(layout_, table) {
    size_t n = duckdb_appender_column_count(app_);
    for (size_t c = 0; c < n; ++c) layout_.Add(duckdb_appender_column_type(app_, c));
    capacity_ = duckdb_vector_size();
    NewChunk();
  }
  ~DuckAppender() override {
    if (chunk_) duckdb_destroy_data_chunk(&chunk_);
    if (app_) duckdb_appender_destroy(&app_);
  }

  size_t column_count() const override { return writer_.column_count(); }
  void Null(size_t c) override { writer_.Null(c); }
  void Bool(size_t c, bool v) override { writer_.Bool(c, v); }
  void Int32(size_t c, int32_t v) override { writer_.Int32(c, v); }
  void Int64(size_t c, int64_t v) override { writer_.Int64(c, v); }
  void UInt64(size_t c, uint64_t v) override { writer_.UInt64(c, v); }
  void Double(size_t c, double v) override { writer_.Double(c, v); }
  void String(size_t c, std::string_view v) override { writer_.String(c, v); }
  Status EndRow() override {
    DAYBOOK_RETURN_IF_ERROR(writer_.EndRow());
    if (writer_.row() == capacity_) return FlushChunk();
    return Status::Ok();
  }
  Status Close() override {
    DAYBOOK_RETURN_IF_ERROR(FlushChunk());
    if (duckdb_appender_close(app_) != DuckDBSuccess) return Error("closing");
    duckdb_appender_destroy(&app_);
    app_ = nullptr;
    return Status::Ok();
  }

 private:
  Status Error(const char* what) {
    std::string msg;
    duckdb_error_data ed = duckdb_appender_error_data(app_);
    if (ed) {
      msg = duckdb_error_data_message(ed);
      duckdb_destroy_error_data(&ed);
    }
    return QueryError(std::string("appending to ") + table_ + " (" + what + "): " + msg, "");
  }
  void NewChunk() {
    if (chunk_) duckdb_destroy_data_chunk(&chunk_);
    chunk_ = duckdb_create_data_chunk(layout_.types.data(), layout_.types.size());
    writer_.Reset(chunk_);
  }
  Status FlushChunk() {
    if (writer_.row() == 0) return Status::Ok();
    duckdb_data_chunk_set_size(chunk_, writer_.row());
    if (duckdb_append_data_chunk(app_, chunk_) != DuckDBSuccess) return Error("chunk");
    NewChunk();
    return Status::Ok();
  }

  duckdb_appender app_;
  std::string table_;
  ColumnLayout layout_;
  ChunkRowWriter writer_;
  duckdb_data_chunk chunk_ = nullptr;
  size_t capacity_ = 2048;
};

// DAYBOOK_TRACE_SQL=1: the wall time of each statement Daybook runs, with
// its first 200 characters, on stderr (bench/README.md, "Profiling").
class SqlTrace {
 public:
  explicit SqlTrace(const std::string& sql)
      : sql_(Enabled() ? &sql : nullptr), start_(std::chrono::steady_clock::now()) {}
  ~SqlTrace() {
    if (!sql_) return;
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
    std::string head = sql_->substr(0, 200);
    std::replace(head.begin(), head.end(), '\n', ' ');
    std::fprintf(stderr, "daybook sql: %9.1f ms  %s\n", ms, head.c_str());
  }
  SqlTrace(const SqlTrace&) = delete;
  SqlTrace& operator=(const SqlTrace&) = delete;

 private:
  static bool Enabled() {
    static const bool on = [] {
      const char* v = std::getenv("DAYBOOK_TRACE_SQL");
      return v != nullptr && *v != '\0' && std::string_view(v) != "0";
    }();
    return on;
  }
  const std::string* sql_;
  std::chrono::steady_clock::time_point start_;
};

// --- InsertRows: a table function DuckDB scans in parallel ----------------

struct ScanGlobal {
  std::atomic<size_t> next{0};
};

}  // namespace

// A table's columns, as Warehouse::Layout read them.
class TableLayout {
 public:
  std::string table;
  std::vector<std::string> names;
  ColumnLayout columns;
};

struct PreparedRows::Chunks {
  std::shared_ptr<const TableLayout> layout;
  // Owned, each full but the last; a chunk DuckDB has taken is released
  // (nullptr) by the scan that handed it over.
  std::vector<duckdb_data_chunk> chunks;
  size_t rows = 0;
  ~Chunks() {
    for (auto& c : chunks) {
      if (c) duckdb_destroy_data_chunk(&c);
    }
  }
};

PreparedRows::PreparedRows() = default;
PreparedRows::PreparedRows(PreparedRows&&) noexcept = default;
PreparedRows& PreparedRows::operator=(PreparedRows&&) noexcept = default;
PreparedRows::~PreparedRows() = default;
size_t PreparedRows::rows() const { return chunks_ ? chunks_->rows : 0; }

Result<PreparedRows> PrepareRows(std::shared_ptr<const TableLayout> layout, const RowProducer& producer) {
  PreparedRows out;
  out.chunks_ = std::make_unique<PreparedRows::Chunks>();
  PreparedRows::Chunks& c = *out.chunks_;
  const ColumnLayout& columns = layout->columns;
  const size_t cap = duckdb_vector_size(), rows = producer.rows();
  ChunkRowWriter writer(columns, layout->table);
  for (size_t begin = 0; begin < rows; begin += cap) {
    duckdb_data_chunk chunk = duckdb_create_data_chunk(
        const_cast<duckdb_logical_type*>(columns.types.data()), columns.types.size());
    c.chunks.push_back(chunk);
    writer.Reset(chunk);
    DAYBOOK_RETURN_IF_ERROR(producer.Fill(begin, std::min(begin + cap, rows), writer));
    duckdb_data_chunk_set_size(chunk, writer.row());
  }
  c.rows = rows;
  c.layout = std::move(layout);
  return out;
}

namespace {

// What the table function scans: set by InsertRows for one statement, rows
// to convert (`producer`) or converted ones (`prepared`).
struct ScanState {
  const RowProducer* producer = nullptr;
  PreparedRows::Chunks* prepared = nullptr;
  std::shared_ptr<const TableLayout> layout;
};

void ScanBind(duckdb_bind_info info) {
  auto* st = static_cast<ScanState*>(duckdb_bind_get_extra_info(info));
  const TableLayout& layout = *st->layout;
  for (size_t c = 0; c < layout.names.size(); ++c) {
    duckdb_bind_add_result_column(info, layout.names[c].c_str(), layout.columns.types[c]);
  }
  duckdb_bind_set_cardinality(info, st->prepared ? st->prepared->rows : st->producer->rows(), true);
}

void ScanInit(duckdb_init_info info) {
  duckdb_init_set_init_data(info, new ScanGlobal(), [](void* p) { delete static_cast<ScanGlobal*>(p); });
  duckdb_init_set_max_threads(info, 64);
}

// Prepared rows: each call hands DuckDB the next chunk's vectors by
// reference (their buffers are shared, not copied), then releases the
// chunk: the output vectors keep the buffers alive as long as DuckDB needs
// them, so a batch's converted rows are freed as they are inserted. Each
// chunk is taken by exactly one call (the atomic counter), so releasing it
// there is safe however many threads scan.
void ScanPrepared(PreparedRows::Chunks& prepared, ScanGlobal& g, duckdb_data_chunk output) {
  const size_t k = g.next.fetch_add(1);
  if (k >= prepared.chunks.size()) {
    duckdb_data_chunk_set_size(output, 0);
    return;
  }
  duckdb_data_chunk chunk = prepared.chunks[k];
  const size_t columns = duckdb_data_chunk_get_column_count(chunk);
  for (size_t c = 0; c < columns; ++c) {
    duckdb_vector_reference_vector(duckdb_data_chunk_get_vector(output, c), duckdb_data_chunk_get_vector(chunk, c));
  }
  duckdb_data_chunk_set_size(output, duckdb_data_chunk_get_size(chunk));
  duckdb_destroy_data_chunk(&prepared.chunks[k]);
}

void ScanFunction(duckdb_function_info info, duckdb_data_chunk output) {
  auto* st = static_cast<ScanState*>(duckdb_function_get_extra_info(info));
  auto* g = static_cast<ScanGlobal*>(duckdb_function_get_init_data(info));
  if (st->prepared) return ScanPrepared(*st->prepared, *g, output);
  const size_t cap = duckdb_vector_size(), rows = st->producer->rows();
  size_t begin = g->next.fetch_add(cap);
  if (begin >= rows) {
    duckdb_data_chunk_set_size(output, 0);
    return;
  }
  size_t end = std::min(begin + cap, rows);
  ChunkRowWriter writer(st->layout->columns, st->layout->table);
  writer.Reset(output);
  Status s = st->producer->Fill(begin, end, writer);
  if (!s.ok()) {
    duckdb_function_set_error(info, s.message().c_str());
    return;
  }
  duckdb_data_chunk_set_size(output, writer.row());
}


}  // namespace

struct Warehouse::ScanSlot : ScanState {
  bool registered = false;
};

struct Warehouse::Handles {
  duckdb_database db = nullptr;
  duckdb_connection conn = nullptr;
  bool owns_db = true;  // false for a Connect()ed second connection
  ~Handles() {
    if (conn) duckdb_disconnect(&conn);
    if (db && owns_db) duckdb_close(&db);
  }
};

Result<std::unique_ptr<Warehouse>> Warehouse::Connect() {
  std::unique_ptr<Warehouse> w(new Warehouse());
  w->path_ = path_;
  w->mode_ = mode_;
  w->h_ = std::make_unique<Handles>();
  w->h_->db = h_->db;
  w->h_->owns_db = false;
  if (duckdb_connect(w->h_->db, &w->h_->conn) != DuckDBSuccess) {
    return IoError("cannot open a second connection to warehouse " + path_);
  }
  return w;
}

Result<std::unique_ptr<Warehouse>> Warehouse::OpenForWriting(const std::string& path, const std::string& memory_limit) {
  DAYBOOK_ASSIGN_OR_RETURN(auto w, Open(path, Mode::kReadWrite));
  DAYBOOK_RETURN_IF_ERROR(w->Exec("SET memory_limit = " + SqlQuote(memory_limit)));
  return w;
}

Result<std::unique_ptr<Warehouse>> Warehouse::Open(const std::string& path, Mode mode) {
  std::unique_ptr<Warehouse> w(new Warehouse());
  w->path_ = path;
  w->mode_ = mode;
  w->h_ = std::make_unique<Handles>();
  if (mode == Mode::kReadOnly && path != ":memory:" && !std::filesystem::exists(path)) {
    return NotFound("no warehouse at " + path + " (run `daybook run` first, or pass --db)");
  }
  duckdb_config cfg;
  duckdb_create_config(&cfg);
  if (mode == Mode::kReadOnly) duckdb_set_config(cfg, "access_mode", "READ_ONLY");
  duckdb_set_config(cfg, "autoinstall_known_extensions", "false");
  duckdb_set_config(cfg, "autoload_known_extensions", "false");
  char* err = nullptr;
  duckdb_state st = duckdb_open_ext(path == ":memory:" ? nullptr : path.c_str(), &w->h_->db, cfg, &err);
  duckdb_destroy_config(&cfg);
  if (st != DuckDBSuccess) {
    std::string msg = err ? err : "unknown error";
    if (err) duckdb_free(err);
    w->h_->db = nullptr;
    return ClassifyOpenError(path, msg);
  }
  if (duckdb_connect(w->h_->db, &w->h_->conn) != DuckDBSuccess) {
    return IoError("cannot connect to warehouse " + path);
  }
  return w;
}

Warehouse::~Warehouse() = default;

Status Warehouse::Exec(std::string_view sql) {
  duckdb_result res;
  std::string q(sql);
  SqlTrace trace(q);
  if (duckdb_query(h_->conn, q.c_str(), &res) != DuckDBSuccess) {
    std::string msg = duckdb_result_error(&res) ? duckdb_result_error(&res) : "unknown error";
    duckdb_destroy_result(&res);
    return QueryError(msg, sql);
  }
  duckdb_destroy_result(&res);
  return Status::Ok();
}

Result<std::unique_ptr<QueryRows>> Warehouse::Query(std::string_view sql) {
  duckdb_result res;
  std::string q(sql);
  SqlTrace trace(q);
  if (duckdb_query(h_->conn, q.c_str(), &res) != DuckDBSuccess) {
    std::string msg = duckdb_result_error(&res) ? duckdb_result_error(&res) : "unknown error";
    duckdb_destroy_result(&res);
    return QueryError(msg, sql);
  }
  return std::unique_ptr<QueryRows>(new DuckRows(res));
}

Result<std::string> Warehouse::QueryScalar(std::string_view sql) {
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, Query(sql));
  if (!rows->NextChunk()) {
    if (!rows->status().ok()) return rows->status();
    return std::string();
  }
  return rows->Text(0, 0);
}

Result<int64_t> Warehouse::QueryInt(std::string_view sql) {
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, Query(sql));
  if (!rows->NextChunk()) {
    if (!rows->status().ok()) return rows->status();
    return int64_t{0};
  }
  if (rows->IsNull(0, 0)) return int64_t{0};
  return rows->Int64(0, 0);
}

Result<std::unique_ptr<ChunkAppender>> Warehouse::Appender(const std::string& table) {
  std::string catalog, schema = "main", name = table;
  if (table.rfind("temp.", 0) == 0) {
    catalog = "temp";
    name = table.substr(5);
  }
  duckdb_appender app = nullptr;
  if (duckdb_appender_create_ext(h_->conn, catalog.empty() ? nullptr : catalog.c_str(),
                                 schema.c_str(), name.c_str(), &app) != DuckDBSuccess) {
    std::string msg;
    if (app) {
      duckdb_error_data ed = duckdb_appender_error_data(app);
      if (ed) {
        msg = duckdb_error_data_message(ed);
        duckdb_destroy_error_data(&ed);
      }
      duckdb_appender_destroy(&app);
    }
    return Failed("cannot append to " + table + ": " + msg);
  }
  return std::unique_ptr<ChunkAppender>(new DuckAppender(app, table));
}

Status Warehouse::RegisterRowScan() {
  if (!scan_) scan_ = std::make_unique<ScanSlot>();
  if (scan_->registered) return Status::Ok();
  duckdb_table_function f = duckdb_create_table_function();
  duckdb_table_function_set_name(f, "daybook_rows");
  duckdb_table_function_set_extra_info(f, scan_.get(), nullptr);
  duckdb_table_function_set_bind(f, ScanBind);
  duckdb_table_function_set_init(f, ScanInit);
  duckdb_table_function_set_function(f, ScanFunction);
  duckdb_state st = duckdb_register_table_function(h_->conn, f);
  duckdb_destroy_table_function(&f);
  if (st != DuckDBSuccess) return Internal("cannot register the daybook_rows table function");
  scan_->registered = true;
  return Status::Ok();
}

Result<std::shared_ptr<const TableLayout>> Warehouse::Layout(const std::string& table) {
  duckdb_result res;
  std::string probe = "SELECT * FROM " + table + " LIMIT 0";
  if (duckdb_query(h_->conn, probe.c_str(), &res) != DuckDBSuccess) {
    std::string msg = duckdb_result_error(&res) ? duckdb_result_error(&res) : "unknown error";
    duckdb_destroy_result(&res);
    return QueryError(msg, probe);
  }
  auto layout = std::make_shared<TableLayout>();
  layout->table = table;
  for (size_t c = 0; c < duckdb_column_count(&res); ++c) {
    layout->names.push_back(duckdb_column_name(&res, c));
    layout->columns.Add(duckdb_column_logical_type(&res, c));
  }
  duckdb_destroy_result(&res);
  return std::shared_ptr<const TableLayout>(std::move(layout));
}

Status Warehouse::InsertRows(const std::string& table, const RowProducer& producer) {
  DAYBOOK_RETURN_IF_ERROR(RegisterRowScan());
  DAYBOOK_ASSIGN_OR_RETURN(auto layout, Layout(table));
  ScanSlot& slot = *scan_;
  slot.layout = std::move(layout);
  slot.producer = &producer;
  slot.prepared = nullptr;
  Status st = Exec("INSERT INTO " + table + " SELECT * FROM daybook_rows()");
  slot.producer = nullptr;
  return st;
}

Status Warehouse::InsertRows(PreparedRows rows) {
  if (rows.rows() == 0) return Status::Ok();
  DAYBOOK_RETURN_IF_ERROR(RegisterRowScan());
  ScanSlot& slot = *scan_;
  slot.layout = rows.chunks_->layout;
  slot.prepared = rows.chunks_.get();
  slot.producer = nullptr;
  Status st = Exec("INSERT INTO " + rows.chunks_->layout->table + " SELECT * FROM daybook_rows()");
  slot.prepared = nullptr;
  return st;
}

std::string SqlQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

}  // namespace daybook
