// File: cli/commands.h
//
// One function per `daybook` command. Each returns the process exit code
// and prints its own output; errors go through ReportError (cli/context.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/context.h"
#include "gen/generator.h"
#include "pipeline/run.h"

namespace daybook {

struct RunFlags {
  std::vector<std::string> inputs;
  std::optional<double> max_drop_rate;
  std::optional<int64_t> batch_events;
  bool json = false;
};
int CmdRun(const GlobalFlags& g, const RunFlags& f);
int CmdRebuild(const GlobalFlags& g, bool json, const RebuildOptions& opts);

struct ReportFlags {
  std::string from, to, by, as_of, format = "table";
};
int CmdReport(const GlobalFlags& g, const ReportFlags& f);

int CmdSql(const GlobalFlags& g, const std::string& query, const std::string& format);

int CmdInit(const std::string& dir);

int CmdCheck(const GlobalFlags& g, bool json);
int CmdStatus(const GlobalFlags& g, bool json);
int CmdRuns(const GlobalFlags& g, int limit, const std::string& format);

struct QuarantineFlags {
  std::string reason, status, format = "table";
  int64_t run = 0;
  int limit = 100;
  bool summary = false;
};
int CmdQuarantineList(const GlobalFlags& g, const QuarantineFlags& f);

struct GenFlags {
  GenOptions options;
  std::string start;
};
int CmdGen(const GlobalFlags& g, GenFlags f);

// The model catalog: check it, publish it as a static site, print one model.
int CmdValidate(const GlobalFlags& g);
int CmdDocs(const GlobalFlags& g, const std::string& out_dir);
int CmdDescribe(const GlobalFlags& g, const std::string& model);

}  // namespace daybook
