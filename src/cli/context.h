// File: cli/context.h
//
// What every command gets from the global flags: the resolved configuration
// (--config, else ./daybook.yml, else built-in defaults; --db overrides the
// warehouse path), the clock (--now / DAYBOOK_NOW) and output helpers.
#pragma once

#include <string>

#include "core/config.h"
#include "core/status.h"
#include "core/time.h"

namespace daybook {

struct GlobalFlags {
  std::string config_path;
  std::string db_path;
  std::string now;
};

struct CommandContext {
  Config config;
  Timestamp now;
};

Result<CommandContext> ResolveContext(const GlobalFlags& flags);

// Prints "daybook: error: …" to stderr and returns the exit code.
int ReportError(const Status& st);

// Output formats shared by report and sql.
enum class OutputFormat { kTable, kCsv, kJson };
Result<OutputFormat> ParseFormat(const std::string& s);

}  // namespace daybook
