"""Runs every benchmark of the project and writes docs/benchmarks.md (`make bench`, issue 7).

1. the monitoring matrix at scale (`manage.py bench_monitoring`, issue 4) on the database
   BENCH_DATABASE_URL (created if missing, migrated, strategy loaded; the command rolls back);
2. the PDF reports (`manage.py bench_reports`, issue 6), when the command exists (else a
   notice), on a database of its own, REPORT_BENCH_DATABASE_URL (it seeds a period for good),
   with a Celery worker of its own on LOAD_BROKER_URL;
3. the load test on loopback (benchmarks/load/run.sh: gunicorn, a Celery worker, locust), which
   starts and stops its own servers and database;
4. the weight of public pages (issue 15): the browser test tests/browser/test_page_weight.py,
   which measures each page's first and repeat visit over Chromium's network log;
5. the server time of each request of the load test's mix against a floor, the same stack
   answering a page that does nothing (benchmarks/floor.py, issue 13), on a PostgreSQL database
   of its own made afresh (FLOOR_BENCH_DATABASE_URL) and a Redis cache database of its own
   (FLOOR_CACHE_URL, default db 11, emptied).

Each benchmark's output is printed as it comes and kept for the document, which also gives the
date and the machine (cores, memory, CPU model, PostgreSQL and Python versions). Exits non-zero
if a benchmark failed; the document is written anyway, saying which.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/corett_bench),
REPORT_BENCH_DATABASE_URL (default …/corett_reportsbench), BENCH_ARGS (for bench_monitoring,
e.g. "--scale 52 --runs 10"), REPORT_BENCH_ARGS, LOAD_BROKER_URL (default Redis db 9), the
LOAD_* variables of benchmarks/load/run.sh (LOAD_STEPS, LOAD_WORKERS, LOAD_WAIT…), and
BENCH_NICE: on a machine shared with other work, e.g. -10 (root only) runs every benchmark at
that scheduling priority, so that the other work does not take the cores they measure.
"""

import datetime
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DOC = ROOT / "docs" / "benchmarks.md"
BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/corett_bench"
)
REPORT_BENCH_DATABASE_URL = os.environ.get(
    "REPORT_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/corett_reportsbench"
)
BROKER_URL = os.environ.get("LOAD_BROKER_URL", "redis://127.0.0.1:6379/9")
FLOOR_BENCH_DATABASE_URL = os.environ.get(
    "FLOOR_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/corett_floorbench"
)
FLOOR_CACHE_URL = os.environ.get("FLOOR_CACHE_URL", "redis://127.0.0.1:6379/11")
HEADLINE_USERS = 50
WEIGHT_INTRO = (
    "`tests/browser/test_page_weight.py`: each public page opened in Chromium with an empty "
    "cache (first visit), then again (repeat visit); bytes as transferred, headers and "
    "compressed bodies, summed from Chromium's network log (DevTools' `encodedDataLength`). "
    "Budgets: 170 KB for a first visit, 30 KB for a repeat visit. Static files have hashed "
    "names, compressed copies and a cache header of ten years (WhiteNoise's "
    "`CompressedManifestStaticFilesStorage`); pages are gzipped (`GZipMiddleware`). The pages "
    "hold the test's data: the strategy as loaded, Chart 3's victims."
)
P95_LIMIT_MS = 500


def run(command: list[str], env: dict | None = None) -> tuple[int, str]:
    """Runs a command from the project's root, printing its output as it comes; (code, output)."""
    print(f"$ {shlex.join(command)}", flush=True)
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={"LOG_LEVEL": "WARNING", **os.environ, **(env or {})},  # figures, not request logs
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    for line in process.stdout:
        print(line, end="", flush=True)
        lines.append(line)
    return process.wait(), "".join(lines)


def database_args(url: str) -> list[str]:
    parts = urlsplit(url)
    return [
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
    ]


def ensure_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    exists = subprocess.run(
        [
            "psql",
            *database_args(url),
            "-d",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", *database_args(url), name], check=True)
        print(f"created database {name}")


def check_services() -> None:
    problems = []
    if subprocess.run(["pg_isready", *database_args(BENCH_DATABASE_URL)[:4]]).returncode:
        problems.append("PostgreSQL is not answering (start it: pg_ctlcluster 15 main start)")
    redis = os.environ.get("LOAD_BROKER_URL", "redis://127.0.0.1:6379/9")
    code = subprocess.run(
        [PYTHON, "-c", "import redis, sys; redis.Redis.from_url(sys.argv[1]).ping()", redis],
        capture_output=True,
    ).returncode
    if code:
        problems.append(
            f"Redis is not answering at {redis} (start it: redis-server --daemonize yes)"
        )
    if problems:
        sys.exit("make bench needs PostgreSQL and Redis:\n- " + "\n- ".join(problems))


# --- the machine --------------------------------------------------------------------------------


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    first = dict(
        (key.strip(), value.strip())
        for key, _sep, value in (
            line.partition(":") for line in cpuinfo.split("\n\n")[0].splitlines()
        )
    )
    model = first.get("model name") or platform.processor() or "unknown"
    if first.get("cpu MHz"):
        model += f", {float(first['cpu MHz']):.0f} MHz"
    if "hypervisor" in first.get("flags", "").split():
        model += ", virtual machine"
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    kib = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    postgres = subprocess.run(
        [
            "psql",
            *database_args(BENCH_DATABASE_URL),
            "-d",
            "postgres",
            "-tAc",
            "SHOW server_version",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    changed = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    if commit and changed:
        commit += " with uncommitted changes"
    return {
        "cores": os.cpu_count(),
        "memory": f"{kib / 1024 / 1024:.1f} GiB",
        "cpu": model,
        "postgresql": postgres or "unknown",
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "commit": commit or "unknown",
    }


# --- the benchmarks -----------------------------------------------------------------------------


def manage(*args: str, database: str = BENCH_DATABASE_URL, **env: str) -> tuple[int, str]:
    return run([PYTHON, "manage.py", *args], env={"DATABASE_URL": database, **env})


def has_command(name: str) -> bool:
    found = subprocess.run(
        [PYTHON, "manage.py", "help", name],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": BENCH_DATABASE_URL},
        capture_output=True,
    )
    return found.returncode == 0


def prepared(database: str) -> tuple[int, str]:
    """The database created if missing, migrated, the strategy loaded."""
    ensure_database(database)
    for step in (["migrate", "--noinput", "-v", "0"], ["load_strategy", "-v", "0"]):
        code, output = manage(*step, database=database)
        if code:
            return code, output
    return 0, ""


def monitoring_and_reports() -> dict:
    results = {}
    code, output = prepared(BENCH_DATABASE_URL)
    args = shlex.split(os.environ.get("BENCH_ARGS", ""))
    results["monitoring"] = (code, output) if code else manage("bench_monitoring", *args)
    if not has_command("bench_reports"):
        notice = "manage.py bench_reports does not exist yet: the report benchmark was skipped."
        print(notice)
        results["reports"] = (None, notice)
        return results
    code, output = prepared(REPORT_BENCH_DATABASE_URL)
    args = shlex.split(os.environ.get("REPORT_BENCH_ARGS", ""))
    results["reports"] = (
        (code, output)
        if code
        else manage(
            "bench_reports",
            *args,
            database=REPORT_BENCH_DATABASE_URL,
            CELERY_BROKER_URL=BROKER_URL,
        )
    )
    return results


def load_test() -> tuple[int, str, dict]:
    out = Path(os.environ.get("LOAD_OUT") or tempfile.mkdtemp(prefix="corett-load-"))
    code, output = run(["bash", "benchmarks/load/run.sh"], env={"LOAD_OUT": str(out)})
    results = {"out": str(out)}
    if (out / "results.json").exists():
        results |= json.loads((out / "results.json").read_text())
    for name in ("manifest.json",):
        if (out / name).exists():
            manifest = json.loads((out / name).read_text())
            results["data"] = {
                "values": manifest["values"],
                "period": manifest["period"],
                "open_quarter": manifest["open_quarter"],
                "accounts": {
                    role: len(manifest[role])
                    for role in ("focal_points", "secretariat", "observers")
                },
            }
    for name in ("workers", "server_tracebacks", "nice"):
        if (out / name).exists():
            results[name] = (out / name).read_text().strip()
    return code, output, results


# --- the document -------------------------------------------------------------------------------


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def knee(steps: list[dict], p95=lambda step: step["p95"]) -> str:
    """Where p95 (of every request, or as `p95` picks it) first passes the limit."""
    previous = None
    for step in steps:
        if p95(step) > P95_LIMIT_MS:
            if previous is None:
                return f"p95 is already above {P95_LIMIT_MS} ms at {step['users']} users"
            return (
                f"p95 passes {P95_LIMIT_MS} ms between {previous['users']} users "
                f"(p95 {p95(previous)} ms, {previous['rps']} req/s) and {step['users']} users "
                f"(p95 {p95(step)} ms, {step['rps']} req/s)"
            )
        previous = step
    if previous is None:
        return "no step was measured"
    return f"p95 stays under {P95_LIMIT_MS} ms up to {previous['users']} users"


def cpu_cell(cpu: dict, key: str) -> str:
    return f"{cpu.get(key, 0):.0f}%"


def load_section(code: int, results: dict) -> str:
    steps = results.get("steps", [])
    if not steps:
        return f"The load test failed (exit {code}) before measuring: see its output above.\n"
    headline = next((s for s in steps if s["users"] == HEADLINE_USERS), steps[len(steps) // 2])
    data = results.get("data", {})
    accounts = data.get("accounts", {})
    wait = results.get("wait", [1, 5])
    busiest = max(s["cpu"].get("other processes", 0) for s in steps)
    quarter = ", ".join(f"{n} {state}" for state, n in data.get("open_quarter", {}).items())
    slowest = sorted(
        ((r["p95"], name) for name, r in headline["per_request"].items() if r["requests"]),
        reverse=True,
    )[:3]
    parts = [
        f"**At {headline['users']} concurrent users** ({headline['seconds']:.0f} s measured): "
        f"**{headline['rps']} requests/s**, latency **p50 {headline['p50']} ms, "
        f"p95 {headline['p95']} ms, p99 {headline['p99']} ms** (max {headline['max']} ms), "
        f"**{headline['failures']} errors** in {headline['requests']:,} requests.",
        "",
        f"**Ramp**: {knee(steps)}. Without the data-entry page (the heaviest by far, see "
        f"below): {knee(steps, lambda step: step['without_entry_page']['p95'])}.",
        "",
        table(
            [
                "users",
                "req/s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "p95 without entry page",
                "errors / requests",
                "gunicorn CPU",
                "PostgreSQL",
                "Celery",
                "locust",
                "other processes",
                "machine busy",
            ],
            [
                [
                    s["users"],
                    s["rps"],
                    s["p50"],
                    s["p95"],
                    s["p99"],
                    s["without_entry_page"]["p95"],
                    f"{s['failures']} / {s['requests']:,}",
                    cpu_cell(s["cpu"], "gunicorn"),
                    cpu_cell(s["cpu"], "postgresql"),
                    cpu_cell(s["cpu"], "celery"),
                    cpu_cell(s["cpu"], "load generator"),
                    cpu_cell(s["cpu"], "other processes"),
                    cpu_cell(s["cpu"], "machine busy"),
                ]
                for s in steps
            ],
        ),
        "",
        "CPU columns are shares of one core over the measured window (the machine has "
        f"{os.cpu_count()} cores, so {100 * (os.cpu_count() or 1)}% is everything); *machine "
        "busy* is the share of all cores; *other processes* is what the machine spent on "
        "anything else running at the time (the load test cannot stop it)."
        + (
            f" **Other work took up to {busiest:.0f}% of a core during this run: the figures "
            "understate what the portal does on a machine of its own.**"
            if busiest >= 20
            else ""
        ),
        "",
        f"**Mix at {headline['users']} users**, by what the users did (task runs): "
        + ", ".join(f"{k} {v}%" for k, v in headline["actions"].items())
        + "; by requests: "
        + ", ".join(f"{k} {v}%" for k, v in headline["mix"].items() if v)
        + " (a report being written is followed by its page refreshing every 3 s).",
    ]
    if headline.get("report_turnaround_s"):
        t = headline["report_turnaround_s"]
        parts += [
            "",
            f"**Reports** at {headline['users']} users: {headline['reports_ready']} PDFs ready "
            f"during the window; from request to PDF ready p50 {t['p50']} s, p95 {t['p95']} s, "
            f"max {t['max']} s (the same report on unchanged data is reused at once).",
        ]
    elif not results.get("reports", {}).get("enabled"):
        why = results.get("reports", {}).get("why", "")
        parts += ["", f"**Reports**: not in the mix ({why})."]
    parts += [
        "",
        f"Per request at {headline['users']} users (slowest at p95: "
        + ", ".join(f"{name} {p95} ms" for p95, name in slowest)
        + "):",
        "",
        table(
            ["request", "count", "errors", "p50 ms", "p95 ms", "p99 ms", "size KB"],
            [
                [name, r["requests"], r["failures"], r["p50"], r["p95"], r["p99"], r["kb"]]
                for name, r in headline["per_request"].items()
                if r["requests"]
            ],
        ),
    ]
    errors = [e for s in steps for e in s["errors"]]
    if errors:
        parts += ["", "Errors:", ""] + [
            f"- {e['occurrences']} × {e['name']}: {e['error']}" for e in errors
        ]
    sign_in = results.get("sign_in", [])
    if sign_in:
        parts += [
            "",
            "**Signing in** (before each step is measured: a step starts once all its users are "
            "signed in): ",
            "",
            table(
                ["users", "signed in", "seconds", "password p50 / p95 ms", "errors"],
                [
                    [
                        s["users"],
                        s["signed_in"],
                        s["seconds_to_sign_in"],
                        f"{s.get('sign-in: password', {}).get('p50', '–')} / "
                        f"{s.get('sign-in: password', {}).get('p95', '–')}",
                        sum(v["failures"] for k, v in s.items() if k.startswith("sign-in:")),
                    ]
                    for s in sign_in
                ],
            ),
        ]
    parts += [
        "",
        "**Set-up**: gunicorn (sync workers: "
        f"{results.get('workers', '?')}) with production settings (`DEBUG=false`, a secret key, "
        "`ALLOWED_HOSTS=127.0.0.1`, HTTPS settings on, Django's cache on Redis) on PostgreSQL, "
        "a Celery worker on Redis "
        "(e-mail notices and reports), locust in one process on the same machine"
        + (
            f" (all of them, and the other benchmarks, at scheduling priority nice "
            f"{results['nice']}, because other work shared the machine)"
            if results.get("nice", "0") != "0"
            else ""
        )
        + ". "
        f"Data: bench_monitoring's data set ({data.get('values', 0):,} values, every one broken "
        f"down by every dimension), the open quarter {data.get('period', '?')} shaped as a "
        f"deadline day ({quarter}). "
        f"One account per simulated user ({accounts.get('focal_points', '?')} focal points, "
        f"{accounts.get('secretariat', '?')} secretariat with TOTP, "
        f"{accounts.get('observers', '?')} observers seeded); users in the ratio 7 focal points "
        f": 2 observers : 1 secretariat, each waiting {wait[0]:g}–{wait[1]:g} s between actions "
        "(a brisk user: a real official pauses longer, so each simulated user stands for "
        "several people). Server tracebacks logged during the run: "
        f"{results.get('server_tracebacks', '?')}.",
    ]
    return "\n".join(parts) + "\n"


def entry_and_sign_in() -> dict:
    """The data-entry page at the load test's shape, on a scratch SQLite database (the page's
    work is Python's, not the database's), and the CPU of a sign-in's password check."""
    database = Path("/tmp/corett-entry-bench.sqlite3")
    database.unlink(missing_ok=True)
    url = f"sqlite:///{database}"
    code, output = prepared(url)
    if not code:  # the page links its stylesheets by their hashed names, as in production
        code, output = manage("collectstatic", "--noinput", "-v", "0", database=url)
    entry = (
        (code, output)
        if code
        else run([PYTHON, "benchmarks/entry_page.py"], env={"DATABASE_URL": url})
    )
    database.unlink(missing_ok=True)
    return {"entry": entry, "sign-in": run([PYTHON, "benchmarks/password_hashing.py"])}


def server_time() -> dict:
    """Each request of the load test's mix against the floor (benchmarks/floor.py), in-process on
    a PostgreSQL database of its own made afresh (migrated, strategy loaded, seeded by the script)
    and a Redis cache database of its own (FLOOR_CACHE_URL, emptied by the script)."""
    database = FLOOR_BENCH_DATABASE_URL
    name = urlsplit(database).path.lstrip("/")
    subprocess.run(["dropdb", *database_args(database), "--if-exists", name], check=True)
    code, output = prepared(database)
    if code:
        return {"floor": (code, output)}
    # Pages with DEBUG off name static files through collectstatic's manifest.
    code, output = manage("collectstatic", "--noinput", "-v", "0", database=database)
    if code:
        return {"floor": (code, output)}
    env = {"DATABASE_URL": database, "CACHE_URL": FLOOR_CACHE_URL}
    return {"floor": run([PYTHON, "benchmarks/floor.py", "--runs", "15"], env=env)}


def floor_section(code, output: str) -> str:
    """floor.py prints a Markdown table: kept as it is, between the lines it prints around it."""
    status = "" if code in (0, None) else f"\n**Failed (exit {code}).**\n"
    kept = [  # log lines of the libraries aside
        line for line in output.strip().splitlines() if not line.startswith(("AXES:", "{"))
    ]
    return f"{status}\n" + "\n".join(kept) + "\n"


def output_block(code, output: str) -> str:
    status = "" if code in (0, None) else f"\n**Failed (exit {code}).**\n"
    kept = "\n".join(line for line in output.strip().splitlines() if not line.startswith("AXES:"))
    return f"{status}\n```\n{kept}\n```\n"


def page_weight() -> tuple[int, dict]:
    """The page-weight browser test, its figures kept: (exit code, {page: figures})."""
    with tempfile.TemporaryDirectory(prefix="page-weight-") as folder:
        report = Path(folder) / "weight.json"
        test = "tests/browser/test_page_weight.py"
        code, _output = run(
            [PYTHON, "-m", "pytest", test, "-q", "-p", "no:cacheprovider"],
            env={"PAGE_WEIGHT_REPORT": str(report)},
        )
        return code, json.loads(report.read_text()) if report.exists() else {}


def weight_section(code, figures: dict) -> str:
    status = "" if code in (0, None) else f"\n**Failed (exit {code}).**\n"

    def kb(size: int) -> str:
        return f"{size / 1024:.1f}"

    rows = [
        [
            name,
            kb(f["first"]),
            f["first_requests"],
            " · ".join(f"{kind} {kb(size)}" for kind, size in f["by_type"].items()),
            kb(f["repeat"]),
            f["repeat_requests"],
        ]
        for name, f in figures.items()
    ]
    return (
        status
        + "\n"
        + table(
            ["page", "first visit KB", "requests", "by kind (KB)", "repeat visit KB", "requests"],
            rows,
        )
        + "\n"
    )


def write_doc(
    facts: dict, started: datetime.datetime, benches: dict, load: tuple, weight: tuple
) -> None:
    load_code, _load_output, load_results = load
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`benchmarks/run_all.py`): do not edit by hand, run it again.",
        "",
        f"Run on {started:%Y-%m-%d %H:%M} UTC, commit {facts['commit']}.",
        "",
        table(
            ["machine", ""],
            [
                ["CPU", facts["cpu"]],
                ["cores", facts["cores"]],
                ["memory", facts["memory"]],
                ["PostgreSQL", facts["postgresql"]],
                ["Python", facts["python"]],
                ["system", facts["os"]],
            ],
        ),
        "",
        "## Load on loopback (issue 7)",
        "",
        "`benchmarks/load/`: `seed.py` (data set and accounts), `locustfile.py` (the users), "
        "`drive.py` (the stepped ramp), `run.sh` (servers up and down). The load generator runs "
        "on the same cores as the portal and takes its share of them (the locust column): the "
        "figures are a floor for a server of its own.",
        "",
        load_section(load_code, load_results),
        "## Monitoring at scale (issue 4)",
        "",
        f"`manage.py bench_monitoring {os.environ.get('BENCH_ARGS', '')}`".replace(" `", "`"),
        output_block(*benches["monitoring"]),
        "## PDF reports (issue 6)",
        "",
        f"`manage.py bench_reports {os.environ.get('REPORT_BENCH_ARGS', '')}`".replace(" `", "`"),
        output_block(*benches["reports"]),
        "## Data-entry page (issue 13)",
        "",
        "`benchmarks/entry_page.py`: a focal point's page for the open quarter at the load "
        "test's shape; server time through the whole middleware stack, and size as sent.",
        output_block(*benches["entry"]),
        "## Server time per request (issue 13)",
        "",
        "`benchmarks/floor.py`: each request of the load test's deadline-day mix, made "
        "in-process through the whole middleware stack with production settings by the role "
        "that makes it, on the load test's data shape (PostgreSQL, the cache on Redis), against "
        "the floor: the same stack answering a page that does nothing (sessions, CSRF, CSP, "
        "language, the signed-in user). Median of 15 runs; CPU is this process's (PostgreSQL's "
        "own work is in the wall time only); writes are rolled back after each run.",
        floor_section(*benches["floor"]),
        "## Sign-in (issue 13)",
        "",
        "`benchmarks/password_hashing.py`: one password check per hasher that the settings "
        "list (Argon2id first; PBKDF2 for older hashes, rehashed at their next sign-in).",
        output_block(*benches["sign-in"]),
        "## Page weight (issue 15)",
        "",
        WEIGHT_INTRO,
        weight_section(*weight),
    ]
    DOC.write_text("\n".join(lines))
    print(f"wrote {DOC.relative_to(ROOT)}")


def prioritise(nice: int) -> None:
    """This session (this process and its children) at `nice`: the kernel shares CPU between
    sessions first (autogroups), as set here; run.sh does the same for its servers' sessions."""
    if not nice:
        return
    try:
        Path("/proc/self/autogroup").write_text(str(nice))
    except OSError as error:
        print(f"could not set the session's priority: {error}")


def main():
    check_services()
    nice = int(os.environ.get("BENCH_NICE") or 0)
    prioritise(nice)
    os.environ.setdefault("LOAD_NICE", str(nice))
    started = datetime.datetime.now(datetime.UTC)
    facts = machine()
    benches = monitoring_and_reports() | entry_and_sign_in() | server_time()
    load = load_test()
    weight = page_weight()
    write_doc(facts, started, benches, load, weight)
    failed = [name for name, (code, _o) in benches.items() if code not in (0, None)]
    if load[0]:
        failed.append("load")
    if weight[0]:
        failed.append("page weight")
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
