#include "cli/app.h"

#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/commands.h"
#include "core/version.h"

namespace daybook {

int RunCli(int argc, char** argv) {
  CLI::App app{"Daybook: order events in, a daily revenue report finance can sign out.\n"
               "Exit codes: 0 ok, 1 run or check failed, 2 usage or configuration error, "
               "3 another writer holds the warehouse."};
  app.set_version_flag("--version", std::string("daybook ") + kDaybookVersion);
  app.require_subcommand(1);
  app.fallthrough();
  GlobalFlags g;
  app.add_option("--config", g.config_path, "Configuration file (default ./daybook.yml when present)");
  app.add_option("--db", g.db_path, "Warehouse file; overrides warehouse.path");
  app.add_option("--now", g.now, "The current time, RFC 3339 (default $DAYBOOK_NOW, else the clock)");

  int code = 0;

  auto* init = app.add_subcommand("init", "Scaffold a project: daybook.yml, sample FX file, landing/");
  std::string init_dir;
  init->add_option("DIR", init_dir, "Folder (default: current)");
  init->callback([&] { code = CmdInit(init_dir); });

  auto* gen = app.add_subcommand("gen", "Generate realistic synthetic order events");
  GenFlags gf;
  gen->add_option("--orders", gf.options.orders, "Orders to generate")->required()->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  gen->add_option("--days", gf.options.days, "Business days covered")->required()->check(CLI::Range(1, 36500));
  gen->add_option("--out", gf.options.out, "Output NDJSON file ('-' for stdout)")->required();
  gen->add_option("--start", gf.start, "First business date, YYYY-MM-DD (default 2025-01-01)");
  gen->add_option("--seed", gf.options.seed, "Random seed; same seed, same bytes");
  gen->add_option("--dup-rate", gf.options.dup_rate, "Extra re-delivered lines per event")->check(CLI::Range(0.0, 1.0));
  gen->add_option("--late-rate", gf.options.late_rate, "Events written 1-3 days late")->check(CLI::Range(0.0, 1.0));
  gen->add_option("--bad-rate", gf.options.bad_rate, "Extra lines that must be quarantined")->check(CLI::Range(0.0, 1.0));
  gen->add_option("--refund-rate", gf.options.refund_rate, "Orders with a refund")->check(CLI::Range(0.0, 1.0));
  gen->add_option("--cancel-rate", gf.options.cancel_rate, "Orders cancelled")->check(CLI::Range(0.0, 1.0));
  gen->add_option("--fx-out", gf.options.fx_out, "Also write a matching FX rates CSV");
  gen->callback([&] { code = CmdGen(g, gf); });

  auto* run = app.add_subcommand("run", "Ingest, validate, load and update the models");
  RunFlags rf;
  double max_drop = -1;
  run->add_option("--input", rf.inputs, "Files or globs to read instead of the configured sources");
  run->add_option("--max-drop-rate", max_drop, "Override quality.max_drop_rate")->check(CLI::Range(0.0, 1.0));
  int64_t batch_events = 0;
  run->add_option("--batch-events", batch_events, "Override warehouse.batch_events (lines per batch)")
      ->check(CLI::Range(int64_t{1}, int64_t{100000000}));
  run->add_flag("--json", rf.json, "Print the accounting as JSON");
  run->callback([&] {
    if (max_drop >= 0) rf.max_drop_rate = max_drop;
    if (batch_events > 0) rf.batch_events = batch_events;
    code = CmdRun(g, rf);
  });

  auto* rebuild = app.add_subcommand("rebuild", "Recompute every model from order_events");
  bool rebuild_json = false;
  RebuildOptions rebuild_opts;
  rebuild->add_flag("--json", rebuild_json, "Print the summary as JSON");
  rebuild->add_option("--partition-events", rebuild_opts.partition_events,
                      "Stored events derived at a time, about (bounds memory; default 1000000)")
      ->check(CLI::Range(int64_t{1}, int64_t{100000000}));
  rebuild->callback([&] { code = CmdRebuild(g, rebuild_json, rebuild_opts); });

  auto* report = app.add_subcommand("report", "The daily revenue report");
  ReportFlags rpf;
  report->add_option("--from", rpf.from, "First business date (inclusive)");
  report->add_option("--to", rpf.to, "Last business date (inclusive)");
  report->add_option("--by", rpf.by, "Split by: channel");
  report->add_option("--as-of", rpf.as_of, "The report as published at this time (RFC 3339)");
  report->add_option("--format", rpf.format, "table, csv or json");
  report->callback([&] { code = CmdReport(g, rpf); });

  auto* sql = app.add_subcommand("sql", "Read-only SQL over the warehouse");
  std::string query, sql_format = "table";
  sql->add_option("QUERY", query, "The SQL query")->required();
  sql->add_option("--format", sql_format, "table, csv or json");
  sql->callback([&] { code = CmdSql(g, query, sql_format); });

  auto* check = app.add_subcommand("check", "Run the checks alone (exit 1 if an error check fails)");
  bool check_json = false;
  check->add_flag("--json", check_json, "Print the results as JSON");
  check->callback([&] { code = CmdCheck(g, check_json); });

  auto* status = app.add_subcommand("status", "Freshness, SLA state per model, last runs, open alerts");
  bool status_json = false;
  status->add_flag("--json", status_json, "Print the status as JSON");
  status->callback([&] { code = CmdStatus(g, status_json); });

  auto* runs = app.add_subcommand("runs", "Recent runs with their accounting and stage timings");
  int runs_limit = 20;
  std::string runs_format = "table";
  runs->add_option("--limit", runs_limit, "How many runs")->check(CLI::Range(1, 100000));
  runs->add_option("--format", runs_format, "table, csv or json");
  runs->callback([&] { code = CmdRuns(g, runs_limit, runs_format); });

  auto* validate = app.add_subcommand("validate", "Check daybook.yml and the model catalog (exit 2 on a problem)");
  validate->callback([&] { code = CmdValidate(g); });

  auto* docs = app.add_subcommand("docs", "Write the documentation site: models, lineage, checks, revenue");
  std::string docs_out;
  docs->add_option("--out", docs_out, "Output folder (created if missing)")->required();
  docs->callback([&] { code = CmdDocs(g, docs_out); });

  auto* describe = app.add_subcommand("describe", "One model's documentation, lineage, freshness and checks");
  std::string describe_model;
  describe->add_option("MODEL", describe_model, "Model (table) name, e.g. daily_revenue")->required();
  describe->callback([&] { code = CmdDescribe(g, describe_model); });

  auto* quarantine = app.add_subcommand("quarantine", "Inspect rejected rows");
  quarantine->require_subcommand(1);
  auto* qlist = quarantine->add_subcommand("list", "Quarantined rows with their locator, reason and raw text");
  QuarantineFlags qf;
  qlist->add_option("--reason", qf.reason, "Only this reason code (e.g. MALFORMED_JSON)");
  qlist->add_option("--run", qf.run, "Only rows of this run");
  qlist->add_option("--status", qf.status, "Only this replay status (pending, ...)");
  qlist->add_option("--limit", qf.limit, "At most this many rows")->check(CLI::Range(1, 10000000));
  qlist->add_flag("--summary", qf.summary, "Counts by reason instead of rows");
  qlist->add_option("--format", qf.format, "table, csv or json");
  qlist->callback([&] { code = CmdQuarantineList(g, qf); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  return code;
}

}  // namespace daybook
