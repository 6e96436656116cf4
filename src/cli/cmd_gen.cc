// `daybook gen`: realistic synthetic order events with faults on request.
#include <unistd.h>

#include <cstdio>

#include "cli/commands.h"

namespace daybook {

int CmdGen(const GlobalFlags& g, GenFlags f) {
  auto ctx = ResolveContext(g);
  if (!ctx.ok()) return ReportError(ctx.status());
  if (!f.start.empty()) {
    auto d = ParseDate(f.start);
    if (!d) return ReportError(InvalidArgument("--start: expected YYYY-MM-DD, got '" + f.start + "'"));
    f.options.start_date = *d;
  }
  f.options.reporting_currency = ctx->config.reporting_currency;
  f.options.timezone = ctx->config.timezone;
  if (isatty(STDERR_FILENO) && f.options.out != "-") {
    f.options.on_progress = [](double frac) {
      std::fprintf(stderr, "\rdaybook gen: %3.0f%%", frac * 100);
      std::fflush(stderr);
    };
  }
  auto stats = Generate(f.options);
  if (f.options.on_progress) std::fprintf(stderr, "\n");
  if (!stats.ok()) return ReportError(stats.status());
  std::FILE* out = f.options.out == "-" ? stderr : stdout;
  std::fprintf(out,
               "daybook gen: wrote %lld events (%lld orders, %lld refunds, %lld cancellations; %lld late) "
               "plus %lld duplicate and %lld bad lines to %s\n",
               static_cast<long long>(stats->events), static_cast<long long>(stats->orders),
               static_cast<long long>(stats->refunds), static_cast<long long>(stats->cancellations),
               static_cast<long long>(stats->late), static_cast<long long>(stats->duplicates),
               static_cast<long long>(stats->bad), f.options.out.c_str());
  for (size_t r = 0; r < stats->bad_by_reason.size(); ++r) {
    if (stats->bad_by_reason[r] == 0) continue;
    std::fprintf(out, "  bad %-20s %lld\n", std::string(ReasonName(static_cast<Reason>(r))).c_str(),
                 static_cast<long long>(stats->bad_by_reason[r]));
  }
  return 0;
}

}  // namespace daybook
