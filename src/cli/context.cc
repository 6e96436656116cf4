#include "cli/context.h"

#include <cstdio>
#include <filesystem>

#include "catalog/catalog.h"
#include "core/clock.h"
#include "pipeline/monitor.h"

namespace daybook {

Result<CommandContext> ResolveContext(const GlobalFlags& flags) {
  CommandContext ctx;
  if (!flags.config_path.empty()) {
    DAYBOOK_ASSIGN_OR_RETURN(ctx.config, LoadConfig(flags.config_path));
  } else if (std::filesystem::exists("daybook.yml")) {
    DAYBOOK_ASSIGN_OR_RETURN(ctx.config, LoadConfig("daybook.yml"));
  } else {
    ctx.config = DefaultConfig(std::filesystem::current_path().string());
  }
  if (!flags.db_path.empty()) {
    ctx.config.warehouse_path = flags.db_path == ":memory:"
                                    ? flags.db_path
                                    : std::filesystem::absolute(flags.db_path).lexically_normal().string();
  }
  DAYBOOK_RETURN_IF_ERROR(ValidateMonitoringConfig(ctx.config));
  DAYBOOK_RETURN_IF_ERROR(LoadCatalog(ctx.config).status());  // models: documentation overrides
  DAYBOOK_ASSIGN_OR_RETURN(ctx.now, ResolveNow(flags.now));
  return ctx;
}

int ReportError(const Status& st) {
  std::fprintf(stderr, "daybook: error: %s\n", st.message().c_str());
  return ExitCodeFor(st);
}

Result<OutputFormat> ParseFormat(const std::string& s) {
  if (s == "table") return OutputFormat::kTable;
  if (s == "csv") return OutputFormat::kCsv;
  if (s == "json") return OutputFormat::kJson;
  return InvalidArgument("--format: expected table, csv or json, got '" + s + "'");
}

}  // namespace daybook
