// File: core/status.h
//
// Errors are values at module boundaries. A Status carries a small code and
// a message that names the file, line and field at fault; each code maps once
// to a CLI exit code (ExitCodeFor). Result<T> is a value or a Status.
//
//   Result<Config> cfg = LoadConfig(path);
//   if (!cfg.ok()) return cfg.status();
//   Use(*cfg);
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace daybook {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad usage, bad configuration: exit 2
  kNotFound,         // a named file or object does not exist: exit 2
  kIoError,          // an input or file cannot be read or written: exit 2
  kCorrupt,          // a file is not what it claims to be: exit 2
  kLocked,           // another writer holds the warehouse: exit 3
  kFailed,           // the run, a warehouse write (disk full) or an error check failed: exit 1
  kInternal,         // a bug: exit 1
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status Corrupt(std::string m) { return {StatusCode::kCorrupt, std::move(m)}; }
inline Status Locked(std::string m) { return {StatusCode::kLocked, std::move(m)}; }
inline Status Failed(std::string m) { return {StatusCode::kFailed, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// The process exit code for a status (spec §5): 0, 1, 2 or 3.
int ExitCodeFor(const Status& s);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}   // NOLINT: must not be ok
  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace daybook

#define DAYBOOK_RETURN_IF_ERROR(expr)          \
  do {                                         \
    ::daybook::Status _st = (expr);            \
    if (!_st.ok()) return _st;                 \
  } while (0)

#define DAYBOOK_CONCAT_INNER(a, b) a##b
#define DAYBOOK_CONCAT(a, b) DAYBOOK_CONCAT_INNER(a, b)
#define DAYBOOK_ASSIGN_OR_RETURN(lhs, expr) \
  DAYBOOK_ASSIGN_OR_RETURN_IMPL(DAYBOOK_CONCAT(_res_, __LINE__), lhs, expr)
#define DAYBOOK_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
