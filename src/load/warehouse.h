// File: load/warehouse.h
//
// The warehouse: the only code in Daybook that touches DuckDB. It opens the
// DuckDB file (creating and migrating the schema, see schema.h), runs SQL,
// reads results chunk by chunk with typed accessors, and appends rows
// column-wise through DuckDB data chunks (the fast path: no per-row C calls).
// Every DuckDB error becomes a Status here; nothing above this layer sees a
// DuckDB handle.
//
//   auto wh = Warehouse::Open(path, Warehouse::Mode::kReadWrite);
//   DAYBOOK_RETURN_IF_ERROR((*wh)->Exec("BEGIN"));
//   auto app = (*wh)->Appender("order_events");
//   (*app)->Int64(0, 42); ...; (*app)->EndRow();
//   DAYBOOK_RETURN_IF_ERROR((*app)->Close());
//   auto rows = (*wh)->Query("SELECT business_date, net FROM daily_revenue");
//   while (rows->NextChunk()) for (size_t r = 0; r < rows->size(); ++r) ...
//
// Thread safety: not internally synchronised. A Warehouse may be handed
// from one thread to another (the pipeline's writer thread), never used by
// two at once; PrepareRows needs none, and a second connection (Connect)
// serves another thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace daybook {

class QueryRows;
class ChunkAppender;
class RowProducer;
class TableLayout;
class PreparedRows;

class Warehouse {
 public:
  enum class Mode { kReadWrite, kReadOnly };

  // Opens (and for kReadWrite creates) the DuckDB file; ":memory:" is an
  // in-memory warehouse for tests. Errors: Locked when another process holds
  // the file (message names the PID when DuckDB reports it), Corrupt when the
  // file is not a DuckDB database, IoError otherwise. Does not migrate.
  static Result<std::unique_ptr<Warehouse>> Open(const std::string& path, Mode mode);
  // Opens for writing with DuckDB's memory limited to `memory_limit` (a
  // DuckDB size, e.g. "1GB"); beyond it DuckDB spills to disk.
  static Result<std::unique_ptr<Warehouse>> OpenForWriting(const std::string& path, const std::string& memory_limit);
  // A second connection to the same database, with transactions of its
  // own: while this connection's transaction is open, it reads the state
  // last committed (DuckDB reads committed rows several times faster than
  // rows an open transaction wrote). Must be destroyed before this one.
  Result<std::unique_ptr<Warehouse>> Connect();
  ~Warehouse();
  Warehouse(const Warehouse&) = delete;
  Warehouse& operator=(const Warehouse&) = delete;

  const std::string& path() const { return path_; }
  Mode mode() const { return mode_; }

  // Runs one or more statements, discarding results.
  Status Exec(std::string_view sql);
  // Runs a query; rows are fetched chunk by chunk.
  Result<std::unique_ptr<QueryRows>> Query(std::string_view sql);
  // A single value of the first row/column rendered as text ("" if NULL or
  // no rows).
  Result<std::string> QueryScalar(std::string_view sql);
  Result<int64_t> QueryInt(std::string_view sql);

  // A column-wise appender for `table` ("temp.x" for a temporary table).
  Result<std::unique_ptr<ChunkAppender>> Appender(const std::string& table);

  // INSERT INTO `table` the rows of `producer`, every column in table order,
  // through a table function DuckDB could scan on several threads (so Fill
  // must be thread-safe). Under DuckDB's default preserve_insertion_order
  // the INSERT in fact runs on one thread (observed with 1.4.4) and keeps
  // the producer's order; still far faster than an appender, which converts
  // value by value.
  Status InsertRows(const std::string& table, const RowProducer& producer);

  // The columns of `table`, in order, with their exact types: what
  // PrepareRows needs to convert rows without a connection.
  Result<std::shared_ptr<const TableLayout>> Layout(const std::string& table);
  // INSERT INTO the rows' table rows converted ahead of time (PrepareRows):
  // DuckDB takes the prepared columns as they are, without a conversion on
  // this connection's thread. Row order is kept. The rows are consumed:
  // each chunk is released as soon as DuckDB has taken it.
  Status InsertRows(PreparedRows rows);

 private:
  Warehouse() = default;
  Status RegisterRowScan();
  struct ScanSlot;
  std::unique_ptr<ScanSlot> scan_;  // outlives the connection that uses it
  struct Handles;
  std::unique_ptr<Handles> h_;
  std::string path_;
  Mode mode_ = Mode::kReadWrite;
};

// Physical types as the C++ side sees them.
enum class ColumnKind {
  kBool, kInt32, kInt64, kUInt64, kDouble, kDecimal, kDate, kTimestamp, kString, kBlob, kOther
};

class QueryRows {
 public:
  virtual ~QueryRows() = default;
  virtual size_t column_count() const = 0;
  virtual const std::string& column_name(size_t c) const = 0;
  virtual ColumnKind column_kind(size_t c) const = 0;
  virtual std::string column_type(size_t c) const = 0;  // SQL type name, e.g. DECIMAL(18,2)
  virtual int decimal_scale(size_t c) const = 0;        // for kDecimal

  // Advances to the next chunk; false when exhausted (or on error, see status()).
  virtual bool NextChunk() = 0;
  virtual size_t size() const = 0;  // rows in the current chunk
  virtual const Status& status() const = 0;

  virtual bool IsNull(size_t c, size_t r) const = 0;
  virtual bool Bool(size_t c, size_t r) const = 0;
  // Integers, DATE (days), TIMESTAMP[TZ] (micros) and DECIMAL (unscaled,
  // up to 18 digits) all read through Int64.
  virtual int64_t Int64(size_t c, size_t r) const = 0;
  virtual uint64_t UInt64(size_t c, size_t r) const = 0;
  virtual double Double(size_t c, size_t r) const = 0;
  virtual std::string_view String(size_t c, size_t r) const = 0;  // VARCHAR, BLOB
  // Any value rendered as text the way `daybook sql` prints it.
  virtual std::string Text(size_t c, size_t r) const = 0;
};

// Writes rows column-wise into DuckDB data chunks. Every column must be set
// (or Null) before EndRow. Int64 also writes DATE, TIMESTAMPTZ and
// DECIMAL(<=18) columns (unscaled), and an ENUM column by value index;
// String writes an ENUM column by value name (slower: a lookup per row).
class RowWriter {
 public:
  virtual ~RowWriter() = default;
  virtual size_t column_count() const = 0;
  virtual void Null(size_t c) = 0;
  virtual void Bool(size_t c, bool v) = 0;
  virtual void Int32(size_t c, int32_t v) = 0;
  virtual void Int64(size_t c, int64_t v) = 0;
  virtual void UInt64(size_t c, uint64_t v) = 0;
  virtual void Double(size_t c, double v) = 0;
  virtual void String(size_t c, std::string_view v) = 0;
  // Ends the row; an error names a value the column could not take.
  virtual Status EndRow() = 0;
};

class ChunkAppender : public RowWriter {
 public:
  // Flushes and closes; the appender cannot be used afterwards.
  virtual Status Close() = 0;
};

// Rows that DuckDB pulls for Warehouse::InsertRows: Fill may be called from
// several threads at once, for disjoint ranges, and must only read shared
// state.
class RowProducer {
 public:
  virtual ~RowProducer() = default;
  virtual size_t rows() const = 0;
  // Writes rows [begin, end) in order, one EndRow each.
  virtual Status Fill(size_t begin, size_t end, RowWriter& out) const = 0;
};

// Rows converted to DuckDB's columnar form, ahead of the INSERT that takes
// them (Warehouse::InsertRows). Move-only; owns its data.
class PreparedRows {
 public:
  PreparedRows();
  PreparedRows(PreparedRows&&) noexcept;
  PreparedRows& operator=(PreparedRows&&) noexcept;
  ~PreparedRows();
  size_t rows() const;
  struct Chunks;  // DuckDB's data chunks (opaque: defined in warehouse.cc)

 private:
  friend Result<PreparedRows> PrepareRows(std::shared_ptr<const TableLayout>, const RowProducer&);
  friend class Warehouse;
  std::unique_ptr<Chunks> chunks_;
};

// Converts every row of `producer` for `layout`'s table. Uses no connection:
// a thread may prepare rows while another one uses the warehouse (the
// pipeline prepares a batch's rows while the previous batch is written).
Result<PreparedRows> PrepareRows(std::shared_ptr<const TableLayout> layout, const RowProducer& producer);

// Quotes a string as a SQL literal ('it''s').
std::string SqlQuote(std::string_view s);

}  // namespace daybook
