#!/usr/bin/python3
"""Daybook benchmark (issue 5): Daybook against the way users do the job today.

    bench/run_bench.py --mode quick     # make bench-quick: 1M events, late batch into 100k and 1M
    bench/run_bench.py --mode full      # make bench: 10M events, late batch into 1M, 10M and 50M

Python 3 standard library only (pandas is used by bench/pandas_pipeline.py,
run as a separate process). Steps:

 1. Generate data with `daybook gen` under bench/data/: the benchmark file
    (1 % duplicates, 1 % late, 0.5 % bad lines, refunds, cancellations), the
    same orders without faults (the clean file), the FX rates, and a late
    batch of 10K events for the last days of the range.
 2. Run each tool on the benchmark file as a child process, measured with
    wait4(2): wall time, user+system CPU, peak RSS. Tools: Daybook
    (`daybook run` into an empty warehouse), DuckDB SQL (bench/duckdb_sql:
    pipeline.sql through libduckdb) and pandas (bench/pandas_pipeline.py).
 3. Run the three on the clean file and compare their daily totals per
    business date (orders, cancelled/refunded orders, customers, gross,
    cancellations, refunds, net, to the minor unit). A mismatch fails the
    bench (exit 1): the comparison is only fair if they compute the same.
 4. Late batch: copy a warehouse holding H events (cached under bench/data/,
    keyed by the Daybook version) and time `daybook run` of the 10K late
    events into it.
 5. Write bench/results/<date>.json (one key per mode) and print the tables.
"""
import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

MODES = {
    # events in the benchmark file, warehouse sizes for the late batch,
    # events per generated segment when building a warehouse
    "quick": {"events": 1_000_000, "warehouses": [100_000, 1_000_000]},
    "full": {"events": 10_000_000, "warehouses": [1_000_000, 10_000_000, 50_000_000]},
}
SEGMENT_EVENTS = 10_000_000   # a 50M warehouse is loaded as 5 runs of 10M
DAYS = 90                     # business days per generated file / segment
END = dt.date(2025, 6, 30)    # last business day of every data set
LATE_EVENTS = 10_000
TZ = "UTC"
REPORTING = "USD"
STALENESS = 3
FAULTS = {"dup": 0.01, "late": 0.01, "bad": 0.005}


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run_measured(argv, stdout_path=None, cwd=None, env=None):
    """Runs argv; returns wall_s, cpu_s (user+sys), peak_rss_mb, rc, stdout."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.PIPE
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE, cwd=cwd, env=env)
    # Read pipes while the child runs (it may print a lot), then reap it with
    # wait4 for its own rusage.
    stdout, stderr = b"", b""
    if p.stdout:
        stdout = p.stdout.read()
    stderr = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if stdout_path:
        out.close()
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(ru.ru_utime + ru.ru_stime, 3),
        "user_s": round(ru.ru_utime, 3),
        "sys_s": round(ru.ru_stime, 3),
        "peak_rss_mb": round(ru.ru_maxrss / 1024, 1),
        "rc": p.returncode,
        "stdout": stdout.decode("utf-8", "replace"),
        "stderr": stderr.decode("utf-8", "replace"),
    }


def check(res, what):
    if res["rc"] != 0:
        sys.stderr.write(res["stderr"][-4000:])
        raise SystemExit(f"bench: {what} failed with exit code {res['rc']}")
    return res


class Bench:
    def __init__(self, args):
        self.a = args
        self.mode = MODES[args.mode]
        self.data = os.path.abspath(args.data_dir)
        self.daybook = os.path.abspath(args.daybook)
        self.runner = os.path.join(self.data, "bin", "duckdb_sql_runner")
        self.pipeline_sql = os.path.join(HERE, "duckdb_sql", "pipeline.sql")
        self.pandas_py = os.path.join(HERE, "pandas_pipeline.py")
        self.work = os.path.join(self.data, "work")
        os.makedirs(self.work, exist_ok=True)
        self.version = subprocess.run([self.daybook, "--version"], capture_output=True, text=True,
                                      check=True).stdout.split()[-1]
        # One FX file for every data set of every mode: the 50M warehouse's
        # five quarters plus margin.
        self.fx_days = DAYS * (max(MODES["full"]["warehouses"]) // SEGMENT_EVENTS) + 10
        self.fx = os.path.join(self.data, f"fx-{END}-{self.fx_days}d.csv")
        self.config = os.path.join(self.data, "daybook.yml")
        self.now = f"{END + dt.timedelta(days=1)}T08:00:00Z"  # every day closed
        self.write_config()
        # Cached warehouses are keyed by version and by the warehouse schema
        # this binary creates, so a schema change between releases rebuilds them.
        self.schema = self.schema_fingerprint()
        self.orders_per_event = None

    def schema_fingerprint(self):
        """Tables, column types and the storage methods of order_events (forced
        per column, docs/decisions.md 52): a cached warehouse built with
        another schema is rebuilt."""
        tmp = os.path.join(self.work, "schema-probe")
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        cfg = os.path.join(tmp, "daybook.yml")
        with open(cfg, "w") as f:
            f.write("quality:\n  min_rows_per_run: 0\n  max_drop_rate: 1\n")
        ev = os.path.join(tmp, "e.jsonl")
        db = os.path.join(tmp, "w.duckdb")
        check(run_measured([self.daybook, "--config", cfg, "gen", "--orders", "5", "--days", "1",
                            "--start", str(END), "--out", ev]), "schema probe gen")
        check(run_measured([self.daybook, "--config", cfg, "--db", db, "--now", self.now, "run", "--input", ev]),
              "schema probe run")
        r = check(run_measured([self.daybook, "--config", cfg, "--db", db, "sql", "--format", "csv",
                                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                                "UNION ALL SELECT DISTINCT 'order_events', column_name, compression "
                                "FROM pragma_storage_info('order_events') WHERE segment_type <> 'VALIDITY' "
                                "ORDER BY ALL"]), "schema probe sql")
        shutil.rmtree(tmp, ignore_errors=True)
        return hashlib.sha1(r["stdout"].encode()).hexdigest()[:8]

    # -- data ---------------------------------------------------------------
    def write_config(self):
        with open(self.config, "w") as f:
            f.write(
                "# Written by bench/run_bench.py.\n"
                f"business:\n  timezone: {TZ}\n  reporting_currency: {REPORTING}\n"
                "  restatement_window_days: 3650   # a backfill of months of history\n"
                f"fx:\n  rates: {os.path.basename(self.fx)}\n  max_staleness_days: {STALENESS}\n"
                "quality:\n  max_drop_rate: 0.05\n  min_rows_per_run: 0\n")

    def gen(self, out, orders, start, days, seed, faults=None, fx_out=None):
        argv = [self.daybook, "--config", self.config, "gen", "--orders", str(orders), "--days", str(days),
                "--start", str(start), "--seed", str(seed), "--out", out]
        if faults:
            argv += ["--dup-rate", str(faults["dup"]), "--late-rate", str(faults["late"]),
                     "--bad-rate", str(faults["bad"])]
        if fx_out:
            argv += ["--fx-out", fx_out]
        res = check(run_measured(argv), f"daybook gen {out}")
        res["lines"] = count_lines(out)
        res["bytes"] = os.path.getsize(out)
        return res

    def orders_for(self, events, days, faults):
        """Orders that make about `events` lines over `days` days (calibrated
        once on a small file with the same rates)."""
        key = (days, bool(faults))
        if self.orders_per_event is None:
            self.orders_per_event = {}
        if key not in self.orders_per_event:
            probe = os.path.join(self.work, "probe.jsonl")
            r = self.gen(probe, 200_000, END - dt.timedelta(days=days - 1), days, 12345, faults)
            self.orders_per_event[key] = 200_000 / r["lines"]
            os.remove(probe)
        return max(1, round(events * self.orders_per_event[key]))

    def fx_file(self):
        """One FX file covering every data set: gen writes rates for its own
        range (plus a few days before), so generate it over the whole span."""
        if not os.path.exists(self.fx):
            days = self.fx_days
            tmp = os.path.join(self.work, "fxgen.jsonl")
            self.gen(tmp, 10, END - dt.timedelta(days=days - 1), days, 1, fx_out=self.fx)
            os.remove(tmp)

    def data_file(self, name, events, seed, start, days, faults, orders=None):
        """A generated file, cached under bench/data/ by name, Daybook
        version, order count and start date."""
        path = os.path.join(self.data, name)
        meta = path + ".json"
        if orders is None:
            orders = self.orders_for(events, days, faults)
        if os.path.exists(path) and os.path.exists(meta):
            with open(meta) as f:
                m = json.load(f)
            if (m.get("version"), m.get("orders"), m.get("start"), m.get("seed")) == (
                    self.version, orders, str(start), seed):
                return path, m
        log(f"generating {name}: {orders} orders over {days} days")
        r = self.gen(path, orders, start, days, seed, faults)
        m = {"version": self.version, "orders": orders, "start": str(start), "seed": seed,
             "lines": r["lines"], "bytes": r["bytes"],
             "gen_wall_s": r["wall_s"], "gen_cpu_s": r["cpu_s"], "gen_peak_rss_mb": r["peak_rss_mb"],
             "gen_stderr": r["stderr"].strip().splitlines()[:1]}
        with open(meta, "w") as f:
            json.dump(m, f, indent=1)
        return path, m

    # -- tools ----------------------------------------------------------------
    def run_daybook(self, input_path, db, label):
        for suffix in ("", ".wal"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        res = check(run_measured([self.daybook, "--config", self.config, "--db", db, "--now", self.now,
                                  "run", "--input", input_path, "--json"]), f"daybook run ({label})")
        res["daybook"] = json.loads(res["stdout"])
        return res

    def daybook_daily(self, db, out_csv):
        res = check(run_measured([self.daybook, "--config", self.config, "--db", db, "report",
                                  "--format", "csv"]), "daybook report")
        rows = list(csv.DictReader(res["stdout"].splitlines()))
        with open(out_csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(METRICS_HEADER)
            for r in rows:
                w.writerow([r["business_date"], r["orders"], r["cancelled_orders"], r["refunded_orders"],
                            r["customers"]] + [to_minor(r[k]) for k in ("gross", "cancellations", "refunds", "net")])

    def run_duckdb_sql(self, input_path, db, daily_csv, label):
        for suffix in ("", ".wal"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        res = run_measured([self.runner, db, self.pipeline_sql, f"input={input_path}", f"fx={self.fx}",
                            f"tz={TZ}", f"reporting={REPORTING}", f"staleness={STALENESS}",
                            f"daily_csv={daily_csv}"])
        return soft_check(res, f"DuckDB SQL ({label})")

    def run_pandas(self, input_path, events_out, daily_csv, label):
        res = soft_check(run_measured(["/usr/bin/python3", self.pandas_py, "--input", input_path, "--fx", self.fx,
                                       "--daily-csv", daily_csv, "--events-out", events_out, "--tz", TZ,
                                       "--reporting", REPORTING, "--staleness-days", str(STALENESS)]),
                         f"pandas ({label})")
        if os.path.exists(events_out):
            os.remove(events_out)
        return res

    # -- warehouses for the late batch ---------------------------------------
    def warehouse(self, events, bench_file_db=None):
        """Path of a warehouse holding `events` generated events, built once
        and cached (keyed by Daybook version and size)."""
        path = os.path.join(self.data, f"wh-{self.version}-{self.schema}-{events}.duckdb")
        meta = path + ".json"
        if os.path.exists(path) and os.path.exists(meta) and not self.a.fresh_warehouses:
            with open(meta) as f:
                m = json.load(f)
            probe = subprocess.run([self.daybook, "--config", self.config, "--db", path, "sql",
                                    "SELECT count(*) FROM order_events", "--format", "csv"],
                                   capture_output=True, text=True)
            if probe.returncode == 0:
                return path, m
            log(f"cached warehouse {path} unusable ({probe.stderr.strip()}); rebuilding")
        segments = max(1, events // SEGMENT_EVENTS)
        per = events // segments
        loads = []
        for i in range(segments):
            first = END - dt.timedelta(days=DAYS * (segments - i) - 1)
            name = f"wh-seg-{per}-{i}.jsonl"
            src, _ = self.data_file(name, per, 100 + i, first, DAYS, FAULTS)
            log(f"building {os.path.basename(path)}: run {i + 1}/{segments} ({per} events)")
            if i == 0:
                for suffix in ("", ".wal"):
                    if os.path.exists(path + suffix):
                        os.remove(path + suffix)
            r = check(run_measured([self.daybook, "--config", self.config, "--db", path, "--now", self.now,
                                    "run", "--input", src, "--json"]), f"building {path}")
            d = json.loads(r["stdout"])
            loads.append({"wall_s": r["wall_s"], "rows_read": d["rows_read"], "accepted": d["accepted"]})
            if segments > 1:
                os.remove(src)  # 2 GB each; the warehouse is what is cached
                os.remove(os.path.join(self.data, name + ".json"))
        m = {"version": self.version, "events": events, "loads": loads,
             "accepted": sum(x["accepted"] for x in loads), "bytes": os.path.getsize(path)}
        with open(meta, "w") as f:
            json.dump(m, f, indent=1)
        return path, m

    def late_batch(self, late_path, wh_events):
        src, m = self.warehouse(wh_events)
        runs = []
        for k in range(self.a.late_repeat):
            db = os.path.join(self.work, "late.duckdb")
            for suffix in ("", ".wal"):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
            shutil.copyfile(src, db)
            subprocess.run(["sync"], check=False)
            r = self.run_daybook_into(late_path, db)
            runs.append(r)
            os.remove(db)
        walls = sorted(r["wall_s"] for r in runs)
        best = min(runs, key=lambda r: r["wall_s"])
        median = walls[len(walls) // 2]
        med = sorted(runs, key=lambda r: r["wall_s"])[len(runs) // 2]
        return {"warehouse_events": wh_events, "warehouse_accepted": m.get("accepted"),
                "warehouse_mb": round(os.path.getsize(src) / 2**20, 1),
                "runs": [strip(r) for r in runs], "wall_s_median": median, "wall_s_min": walls[0],
                "duration_ms_median": sorted(r["daybook"]["duration_ms"] for r in runs)[len(runs) // 2],
                "after_commit_s_of_median": after_commit_s(med["wall_s"], med["daybook"]),
                "cpu_s_of_median": med["cpu_s"],
                "stage_ms_best": best["daybook"].get("stage_ms"),
                "peak_rss_mb_max": max(r["peak_rss_mb"] for r in runs)}

    def run_daybook_into(self, input_path, db):
        res = check(run_measured([self.daybook, "--config", self.config, "--db", db, "--now", self.now,
                                  "run", "--input", input_path, "--json"]), "daybook run (late batch)")
        res["daybook"] = json.loads(res["stdout"])
        return res

    # -- the whole bench --------------------------------------------------------
    def main(self):
        a = self.a
        self.fx_file()
        n = self.mode["events"]
        first = END - dt.timedelta(days=DAYS - 1)
        tag = f"{n}"
        # The benchmark file is regenerated every time: gen speed is a target too.
        bench_path = os.path.join(self.data, f"events-{tag}.jsonl")
        orders = self.orders_for(n, DAYS, FAULTS)
        log(f"generating the benchmark file: {orders} orders, {DAYS} days, faults {FAULTS}")
        # A leftover of an interrupted bench is removed before gen is timed:
        # truncating a file whose pages are cached is not generating (at 1M
        # events, 0.43 s of system time over an old file, 0.26 s into a new
        # one; 2026-12-02).
        if os.path.exists(bench_path):
            os.remove(bench_path)
        gen = self.gen(bench_path, orders, first, DAYS, 1, FAULTS)
        # The same seed without faults: the same orders, ids and amounts.
        compare = not a.daybook_only and not a.skip_compare
        clean_path, clean_meta = (self.data_file(f"events-{tag}-clean.jsonl", n, 1, first, DAYS, None,
                                                 orders=orders) if compare else (None, None))
        late_path, late_meta = self.data_file(f"late-{LATE_EVENTS}.jsonl", LATE_EVENTS, 777,
                                              END - dt.timedelta(days=4), 3, FAULTS)
        lines = gen["lines"]
        result = {
            "mode": a.mode, "date": dt.date.today().isoformat(), "machine": machine(),
            "versions": self.versions(),
            "command": f"make {'bench' if a.mode == 'full' else 'bench-quick'}",
            "argv": " ".join([os.path.relpath(sys.argv[0], ROOT)] + sys.argv[1:]),
            "data": {"events_file": os.path.relpath(bench_path, ROOT), "lines": lines,
                     "bytes": gen["bytes"], "orders": orders, "days": DAYS,
                     "first_day": str(first), "last_day": str(END), "faults": FAULTS,
                     "timezone": TZ, "reporting_currency": REPORTING, "now": self.now,
                     "gen": strip(gen) | {"events_per_s": round(lines / gen["wall_s"])},
                     "clean_file": clean_meta and {"lines": clean_meta["lines"], "bytes": clean_meta["bytes"]},
                     "late_file": {"lines": late_meta["lines"], "bytes": late_meta["bytes"]}},
            "tools": {}, "late_batch": [], "equal_daily_totals": None,
        }

        # Full runs on the benchmark file.
        tools = {}
        for rep in range(a.repeat):
            log(f"Daybook on {lines} lines (repeat {rep + 1}/{a.repeat})")
            db = os.path.join(self.work, "daybook.duckdb")
            tools.setdefault("daybook", []).append(self.run_daybook(bench_path, db, "benchmark file"))
            if not a.daybook_only:
                log("DuckDB SQL")
                tools.setdefault("duckdb_sql", []).append(self.run_duckdb_sql(
                    bench_path, os.path.join(self.work, "duckdb_sql.duckdb"),
                    os.path.join(self.work, "duckdb_sql-daily.csv"), "benchmark file"))
                log("pandas")
                tools.setdefault("pandas", []).append(self.run_pandas(
                    bench_path, os.path.join(self.work, "pandas-events.pkl"),
                    os.path.join(self.work, "pandas-daily.csv"), "benchmark file"))
        # Keep the Daybook warehouse of the benchmark file: it is the late-batch
        # warehouse of that size.
        bench_db = os.path.join(self.work, "daybook.duckdb")
        wh_path = os.path.join(self.data, f"wh-{self.version}-{self.schema}-{n}.duckdb")
        if n in self.mode["warehouses"] and (a.fresh_warehouses or not os.path.exists(wh_path)):
            shutil.move(bench_db, wh_path)
            d = tools["daybook"][-1]["daybook"]
            with open(wh_path + ".json", "w") as f:
                json.dump({"version": self.version, "events": n, "accepted": d["accepted"],
                           "loads": [{"wall_s": tools["daybook"][-1]["wall_s"], "rows_read": d["rows_read"],
                                      "accepted": d["accepted"]}]}, f, indent=1)

        base = median_run(tools["daybook"])
        for name, runs in tools.items():
            r = median_run(runs)
            result["tools"][name] = strip(r) | {
                "events_per_s": round(lines / r["wall_s"]),
                "ratio_to_daybook": round(r["wall_s"] / base["wall_s"], 2),
                "cpu_ratio_to_daybook": round(r["cpu_s"] / base["cpu_s"], 2),
                "all_wall_s": [x["wall_s"] for x in runs]}
            if name == "daybook":
                d = r["daybook"]
                result["tools"][name]["daybook_json"] = {k: d[k] for k in (
                    "rows_read", "accepted", "duplicates", "quarantined", "quarantined_by_reason",
                    "stage_ms", "duration_ms", "affected_orders", "affected_dates") if k in d}
                # duration_ms ends just before the COMMIT (it is recorded in
                # the run's own transaction); stage_ms.commit is the commit.
                # The checks and alerts that follow, and process start and
                # exit, are the rest.
                result["tools"][name]["after_commit_s"] = after_commit_s(r["wall_s"], d)

        # Equality on the clean file.
        if compare:
            log("equality check on the clean file")
            outs = {}
            for name in ("daybook", "duckdb_sql", "pandas"):
                stale = os.path.join(self.work, f"clean-{name}-daily.csv")
                if os.path.exists(stale):
                    os.remove(stale)
            db = os.path.join(self.work, "clean-daybook.duckdb")
            self.run_daybook(clean_path, db, "clean file")
            outs["daybook"] = os.path.join(self.work, "clean-daybook-daily.csv")
            self.daybook_daily(db, outs["daybook"])
            os.remove(db)
            outs["duckdb_sql"] = os.path.join(self.work, "clean-duckdb_sql-daily.csv")
            self.run_duckdb_sql(clean_path, os.path.join(self.work, "clean-duckdb_sql.duckdb"),
                                outs["duckdb_sql"], "clean file")
            outs["pandas"] = os.path.join(self.work, "clean-pandas-daily.csv")
            self.run_pandas(clean_path, os.path.join(self.work, "clean-pandas-events.pkl"),
                            outs["pandas"], "clean file")
            result["equal_daily_totals"] = compare_daily(outs)

        # Late batch.
        if not a.skip_late:
            for h in self.mode["warehouses"]:
                log(f"late batch of {late_meta['lines']} lines into a warehouse of {h} events")
                result["late_batch"].append(self.late_batch(late_path, h))

        result["machine"]["load_avg_at_end"] = os.getloadavg()
        result["targets"] = targets(result)
        for p in (os.path.join(self.work, "duckdb_sql.duckdb"), os.path.join(self.work, "clean-duckdb_sql.duckdb"),
                  bench_db):
            if os.path.exists(p):
                os.remove(p)
        if not a.keep_data:
            os.remove(bench_path)
        self.save(result)
        print_tables(result)
        eq = result["equal_daily_totals"]
        if eq is not None and not eq["equal"]:
            log("daily totals differ between the tools on the clean file: see the results file")
            return 1
        return 0

    def versions(self):
        v = {"daybook": self.version, "daybook_binary": self.daybook, "warehouse_schema": self.schema,
             "python": platform.python_version()}
        r = subprocess.run(["/usr/bin/python3", "-c", "import pandas, numpy; print(pandas.__version__, numpy.__version__)"],
                           capture_output=True, text=True)
        if r.returncode == 0:
            v["pandas"], v["numpy"] = r.stdout.split()
        pkg = os.path.join(ROOT, "third_party", "duckdb", "node_modules", "@duckdb", "node-bindings-linux-x64",
                           "package.json")
        if os.path.exists(pkg):
            with open(pkg) as f:
                v["duckdb"] = json.load(f).get("version")
        g = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        if g.returncode == 0:
            v["git_commit"] = g.stdout.strip()  # of the bench's tree; the binary may differ (--daybook)
        g = subprocess.run(["git", "--no-optional-locks", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True)
        if g.returncode == 0:
            v["git_tree_modified"] = bool(g.stdout.strip())
        return v

    def save(self, result):
        os.makedirs(self.a.results_dir, exist_ok=True)
        path = os.path.join(self.a.results_dir, f"{result['date']}.json")
        doc = {}
        if os.path.exists(path):
            with open(path) as f:
                doc = json.load(f)
        key = result["mode"]
        if self.a.daybook_only or self.a.events or self.a.warehouses:
            key += "-partial"  # a development or Daybook-only run: kept apart
        if self.a.label:
            key += "-" + self.a.label  # a second run of the day, kept beside the first
        doc[key] = result
        with open(path, "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
        log(f"wrote {os.path.relpath(path, ROOT)}")


METRICS_HEADER = ["business_date", "orders", "cancelled_orders", "refunded_orders", "customers",
                  "gross", "cancellations", "refunds", "net"]


def to_minor(text):
    d = Decimal(text)
    exp = {"USD": 2}.get(REPORTING, 2)
    return int(d.scaleb(exp))


def count_lines(path):
    n = 0
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 24)
            if not b:
                break
            n += b.count(b"\n")
    return n


def soft_check(res, what):
    """A comparison tool that fails (e.g. killed for memory at 10M) is
    recorded as failed, not fatal to the bench."""
    if res["rc"] != 0:
        log(f"{what} failed with exit code {res['rc']}: {res['stderr'].strip()[-500:]}")
        res["failed"] = True
    return res


def strip(r):
    return {k: v for k, v in r.items() if k not in ("stdout", "stderr", "daybook")}


def after_commit_s(wall_s, d):
    """Wall time after Daybook's commit: duration_ms stops before the COMMIT,
    whose time is stage_ms.commit."""
    return round(wall_s - (d["duration_ms"] + d.get("stage_ms", {}).get("commit", 0)) / 1000, 3)


def median_run(runs):
    return sorted(runs, key=lambda r: r["wall_s"])[len(runs) // 2]


def compare_daily(outs):
    tables, missing = {}, []
    for name, path in outs.items():
        if not os.path.exists(path):
            missing.append(name)
            continue
        with open(path) as f:
            rows = list(csv.DictReader(f))
        tables[name] = {r["business_date"]: {k: int(r[k]) for k in METRICS_HEADER[1:]} for r in rows}
    ref = tables["daybook"]
    diffs = []
    for name, t in tables.items():
        for day in sorted(set(ref) | set(t)):
            a, b = ref.get(day), t.get(day)
            if a != b:
                diffs.append({"tool": name, "business_date": day, "daybook": a, name: b})
    totals = {name: {k: sum(r[k] for r in t.values()) for k in ("orders", "gross", "cancellations", "refunds", "net")}
              for name, t in tables.items()}
    return {"equal": not diffs and not missing, "missing": missing, "days": len(ref), "totals": totals, "differences": diffs[:20],
            "compared": METRICS_HEADER[1:]}


def targets(r):
    t = r["tools"]
    d = t["daybook"]
    out = {
        "end_to_end_events_per_s_ge_1M": {"value": d["events_per_s"], "met": d["events_per_s"] >= 1_000_000},
        "peak_rss_le_2GB": {"value_mb": d["peak_rss_mb"], "met": d["peak_rss_mb"] <= 2048},
        "gen_events_per_s_ge_2M": {"value": r["data"]["gen"]["events_per_s"],
                                   "met": r["data"]["gen"]["events_per_s"] >= 2_000_000},
    }
    if "duckdb_sql" in t:
        out["ge_2x_faster_than_duckdb_sql"] = {"ratio": t["duckdb_sql"]["ratio_to_daybook"],
                                               "met": t["duckdb_sql"]["ratio_to_daybook"] >= 2}
    if "pandas" in t:
        out["ge_10x_faster_than_pandas"] = {"ratio": t["pandas"]["ratio_to_daybook"],
                                            "met": t["pandas"]["ratio_to_daybook"] >= 10}
    lb = r["late_batch"]
    if lb:
        small, large = lb[0], lb[-1]
        out["late_batch_lt_1s_into_largest"] = {"warehouse_events": large["warehouse_events"],
                                                "wall_s": large["wall_s_median"],
                                                "met": large["wall_s_median"] < 1}
        ratio = large["wall_s_median"] / small["wall_s_median"]
        out["late_batch_largest_within_2x_of_smallest"] = {"ratio": round(ratio, 2), "met": ratio <= 2}
    return out


def machine():
    m = {"nproc": os.cpu_count(), "kernel": platform.release()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    m["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    m["ram_gb"] = round(int(line.split()[1]) / 2**20, 1)
        m["load_avg_at_start"] = os.getloadavg()
    except OSError:
        pass
    return m


def print_tables(r):
    lines = r["data"]["lines"]
    print(f"\nDaybook bench ({r['mode']}): {lines:,} lines, {r['data']['bytes'] / 2**20:.0f} MiB, "
          f"{r['machine'].get('nproc')} cores {r['machine'].get('cpu', '')}, {r['machine'].get('ram_gb')} GB RAM")
    print(f"gen: {r['data']['gen']['wall_s']:.2f} s, {r['data']['gen']['events_per_s']:,} events/s")
    print(f"{'tool':<12} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12} {'events/s':>11} {'x Daybook':>10} "
          f"{'CPU x Daybook':>14}")
    for name, t in r["tools"].items():
        print(f"{name:<12} {t['wall_s']:>8.2f} {t['cpu_s']:>8.2f} {t['peak_rss_mb']:>12.0f} "
              f"{t['events_per_s']:>11,} {t['ratio_to_daybook']:>10.2f} {t['cpu_ratio_to_daybook']:>14.2f}"
              + ("  FAILED" if t.get("failed") else ""))
    d = r["tools"]["daybook"].get("daybook_json", {})
    if d.get("stage_ms"):
        print(f"daybook stage_ms (run {d['duration_ms']} ms, then {r['tools']['daybook']['after_commit_s']:.2f} s "
              "checks/alerts/exit): " + ", ".join(f"{k} {v}" for k, v in d["stage_ms"].items()))
    eq = r["equal_daily_totals"]
    if eq is not None:
        print(f"clean file: daily totals {'EQUAL' if eq['equal'] else 'DIFFER'} across tools ({eq['days']} days)")
    if r["late_batch"]:
        print(f"{'late batch into':<16} {'wh MB':>8} {'wall s (median)':>16} {'run ms':>7} {'after s':>8} "
              f"{'peak RSS MB':>12}")
        for lb in r["late_batch"]:
            print(f"{lb['warehouse_events']:>16,} {lb['warehouse_mb']:>8.0f} {lb['wall_s_median']:>16.3f} "
                  f"{lb['duration_ms_median']:>7} {lb['after_commit_s_of_median']:>8.2f} {lb['peak_rss_mb_max']:>12.0f}")
    print("targets: " + ", ".join(f"{k} {'met' if v['met'] else 'NOT met'}" for k, v in r["targets"].items()))


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", choices=sorted(MODES), default="quick")
    ap.add_argument("--daybook", default=os.path.join(ROOT, "build", "daybook"))
    ap.add_argument("--data-dir", default=os.path.join(HERE, "data"))
    ap.add_argument("--results-dir", default=os.path.join(HERE, "results"))
    ap.add_argument("--repeat", type=int, default=1, help="runs per tool on the benchmark file (median kept)")
    ap.add_argument("--late-repeat", type=int, default=3, help="late-batch runs per warehouse (median kept)")
    ap.add_argument("--daybook-only", action="store_true", help="skip DuckDB SQL and pandas")
    ap.add_argument("--skip-compare", action="store_true", help="skip the equality check on the clean file")
    ap.add_argument("--skip-late", action="store_true", help="skip the late batch")
    ap.add_argument("--fresh-warehouses", action="store_true", help="rebuild cached late-batch warehouses")
    ap.add_argument("--keep-data", action="store_true", help="keep the benchmark file after the run")
    ap.add_argument("--label", help="suffix of the result's key in results/<date>.json (default: the mode alone)")
    ap.add_argument("--events", type=int, help="override the benchmark file's size (development)")
    ap.add_argument("--warehouses", help="override the late-batch warehouse sizes, comma-separated")
    return ap.parse_args()


if __name__ == "__main__":
    args = parse_args()
    if args.events:
        MODES[args.mode]["events"] = args.events
    if args.warehouses:
        MODES[args.mode]["warehouses"] = [int(x) for x in args.warehouses.split(",")]
    sys.exit(Bench(args).main())
