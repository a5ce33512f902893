"""Drives the locustfile headless through a stepped ramp of simulated users and writes, per step,
locust's own stats CSVs plus a summary (results.json) that run_all.py turns into
docs/benchmarks.md.

Locust runs as a library (one process) rather than through its command line so that each step is
measured only once every user of the step has signed in: signing in costs ~0.6 s of CPU (PBKDF2,
1.5 million iterations) and would otherwise be counted in the step's latencies. For each step:
start the users (existing ones keep their sessions), wait until all have signed in, let the
portal settle, reset the statistics, measure for the step's seconds, write
`step-NNN_stats.csv` / `_failures.csv` (and `step-NNN-warmup_*` for what happened while users
signed in). CPU time of the load generator, gunicorn (master and workers), the Celery worker and
the PostgreSQL backends of the load test's database is read from /proc over each measured
window: they share the same cores.

    LOAD_MANIFEST=… python benchmarks/load/drive.py --host http://127.0.0.1:8097 --out DIR \
        --steps 5:30,10:30,25:30,50:60,75:30,100:30,150:30 [--gunicorn-pid N] [--celery-pid N] \
        [--database corett_load]
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import locust  # noqa: E402
import locustfile  # noqa: E402
from locust.env import Environment  # noqa: E402
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV, StatsEntry  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
# The data-entry page of the benchmark's shape (60 indicators, every one with every breakdown)
# is by far the heaviest page: the percentiles are also given without it.
HEAVIEST = ("entry: entry page",)
CORES = os.cpu_count() or 1


# --- CPU time from /proc ------------------------------------------------------------------------


def _ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _tree(pid: int | None) -> list[int]:
    if not pid:
        return []
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += _children(current)
    return found


def _postgres(database: str) -> list[int]:
    """The PostgreSQL backends serving this database ("postgres: 15/main: user db host…"): the
    server may serve other databases at the same time."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if title.startswith("postgres: ") and f" {database} " in title:
                pids.append(int(entry.name))
    return pids


def _machine() -> tuple[int, int]:
    """(busy, total) jiffies of all cores."""
    numbers = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = numbers[3] + numbers[4]
    return sum(numbers) - idle, sum(numbers)


def cpu_snapshot(gunicorn_pid, celery_pid, database) -> dict:
    """Cumulative CPU ticks per component. Process sets are re-read each time: workers of a
    sync gunicorn may be restarted, PostgreSQL starts a backend per connection."""
    busy, total = _machine()
    return {
        "at": time.monotonic(),
        "machine": (busy, total),
        "load generator": {os.getpid(): _ticks(os.getpid())},
        "gunicorn": {pid: _ticks(pid) for pid in _tree(gunicorn_pid)},
        "celery": {pid: _ticks(pid) for pid in _tree(celery_pid)},
        "postgresql": {pid: _ticks(pid) for pid in _postgres(database)},
    }


def cpu_shares(before: dict, after: dict) -> dict:
    """Per component, its CPU use over the window as % of one core; and the machine's busy %."""
    seconds = after["at"] - before["at"]
    shares = {}
    for key in ("load generator", "gunicorn", "celery", "postgresql"):
        used = sum(t - before[key].get(pid, 0) for pid, t in after[key].items())
        shares[key] = round(100 * used / TICKS / seconds, 1)
    busy = after["machine"][0] - before["machine"][0]
    total = after["machine"][1] - before["machine"][1]
    machine = 100 * CORES * busy / total if total else 0.0  # % of one core, all cores together
    shares["other processes"] = round(max(machine - sum(shares.values()), 0), 1)
    shares["machine busy"] = round(machine / CORES, 1)  # % of all cores
    return shares


# --- statistics ---------------------------------------------------------------------------------


def write_csvs(env, base: Path) -> None:
    writer = StatsCSV(env, PERCENTILES_TO_REPORT)
    with open(f"{base}_stats.csv", "w", newline="") as f:
        writer.requests_csv(csv.writer(f))
    with open(f"{base}_failures.csv", "w", newline="") as f:
        writer.failures_csv(csv.writer(f))


def summary(env, users: int, seconds: float) -> dict:
    stats = env.stats
    total = stats.total
    shares = {}
    for entry in stats.entries.values():
        share = entry.name.split(":", 1)[0]
        shares[share] = shares.get(share, 0) + entry.num_requests
    requests = sum(shares.values()) or 1
    actions = sum(locustfile.ACTIONS.values()) or 1
    turnarounds = sorted(locustfile.TURNAROUNDS)
    return {
        "users": users,
        "seconds": round(seconds, 1),
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": round(total.num_requests / seconds, 1),
        "p50": total.get_response_time_percentile(0.50),
        "p95": total.get_response_time_percentile(0.95),
        "p99": total.get_response_time_percentile(0.99),
        "max": round(total.max_response_time or 0),
        "without_entry_page": _without(stats, HEAVIEST),
        "mix": {share: round(100 * n / requests, 1) for share, n in sorted(shares.items())},
        "actions": {
            share: round(100 * n / actions, 1) for share, n in sorted(locustfile.ACTIONS.items())
        },
        "reports_ready": len(turnarounds),
        "report_turnaround_s": {
            "p50": round(turnarounds[len(turnarounds) // 2], 1),
            "p95": round(turnarounds[min(len(turnarounds) - 1, int(0.95 * len(turnarounds)))], 1),
            "max": round(turnarounds[-1], 1),
        }
        if turnarounds
        else None,
        "per_request": {
            entry.name: {
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "p50": entry.get_response_time_percentile(0.50),
                "p95": entry.get_response_time_percentile(0.95),
                "p99": entry.get_response_time_percentile(0.99),
                "kb": round(entry.avg_content_length / 1024, 1),
            }
            for entry in sorted(stats.entries.values(), key=lambda e: e.name)
        },
        "errors": [
            {"name": e.name, "error": str(e.error), "occurrences": e.occurrences}
            for e in stats.errors.values()
        ],
    }


def _without(stats, names) -> dict:
    """Percentiles of every request but those named."""
    rest = StatsEntry(stats, "rest", "")
    for entry in stats.entries.values():
        if entry.name not in names:
            rest.extend(entry)
    return {
        "requests": rest.num_requests,
        **{f"p{p}": rest.get_response_time_percentile(p / 100) for p in (50, 95, 99)},
    }


def wait_signed_in(runner, users: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if runner.user_count == users and len(locustfile.SIGNED_IN) >= users:
            break
        gevent.sleep(0.5)
    return len(locustfile.SIGNED_IN)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--steps", default="5:30,10:30,25:30,50:60,75:30,100:30,150:30")
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--settle", type=float, default=5, help="seconds after the last sign-in")
    parser.add_argument("--gunicorn-pid", type=int)
    parser.add_argument("--celery-pid", type=int)
    parser.add_argument("--database", default="corett_load", help="for PostgreSQL's CPU time")
    args = parser.parse_args()
    steps = [tuple(int(n) for n in step.split(":")) for step in args.steps.split(",")]
    args.out.mkdir(parents=True, exist_ok=True)

    env = Environment(
        user_classes=[locustfile.FocalPoint, locustfile.Observer, locustfile.Secretariat],
        events=locust.events,
        host=args.host,
    )
    runner = env.create_local_runner()
    results = {"steps": [], "sign_in": [], "wait": locustfile.WAIT}
    try:
        for users, seconds in steps:
            started = time.monotonic()
            runner.start(users, spawn_rate=args.spawn_rate)
            signed_in = wait_signed_in(runner, users, timeout=60 + 2 * users)
            gevent.sleep(args.settle)
            warmup = args.out / f"step-{users:03d}-warmup"
            write_csvs(env, warmup)
            results["sign_in"].append(
                {
                    "users": users,
                    "signed_in": signed_in,
                    "seconds_to_sign_in": round(time.monotonic() - started - args.settle, 1),
                    **{
                        k: v
                        for k, v in summary(env, users, 1)["per_request"].items()
                        if k.startswith("sign-in")
                    },
                }
            )
            before = cpu_snapshot(args.gunicorn_pid, args.celery_pid, args.database)
            env.stats.reset_all()
            locustfile.ACTIONS.clear()
            locustfile.TURNAROUNDS.clear()
            gevent.sleep(seconds)
            measured = summary(env, users, time.monotonic() - before["at"])
            measured["signed_in"] = signed_in
            measured["cpu"] = cpu_shares(
                before, cpu_snapshot(args.gunicorn_pid, args.celery_pid, args.database)
            )
            write_csvs(env, args.out / f"step-{users:03d}")
            results["steps"].append(measured)
            print(
                f"{users:4d} users: {measured['rps']:6.1f} req/s  p50 {measured['p50']} ms  "
                f"p95 {measured['p95']} ms  p99 {measured['p99']} ms  "
                f"failures {measured['failures']}/{measured['requests']}  cpu {measured['cpu']}",
                flush=True,
            )
    finally:
        results["reports"] = dict(locustfile.REPORTS)
        runner.quit()
        (args.out / "results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
