"""Server time of every request of the load test's deadline-day mix against a floor (issue 13).

The floor is the same stack answering a trivial page (benchmarks/floor_urls.py): the whole
middleware stack with production settings (DEBUG off, HTTPS as behind the proxy, the session read
from the cache and renewed at most once a minute, CSRF, CSP, the language from the path, the
signed-in user and the secretariat's second factor), and a view that does nothing. Each request of
the mix (named as in benchmarks/load/locustfile.py) is made in-process through Django's test
client, signed in as the role that makes it in the load test, on the load test's data shape
(benchmarks/load/seed.py: the open quarter of bench_monitoring's data set on deadline day), and
measured: median wall time, median CPU time of this process (the database's own work on PostgreSQL
is in the wall time only), the SQL queries, the size as sent (gzip asked for, as browsers do) and
the ratio of the median to its role's floor.

Writes (saves, submissions, decisions, uploads, report requests) run each time inside a
transaction rolled back afterwards, so that every run does the same work on the same data; what
they would queue after commit (e-mails, the report task) is not run.

Seeds the database DATABASE_URL names the first time (committed: use a scratch database, migrated
and with the strategy loaded). CACHE_URL, if set, must be a cache of the benchmark's own: it is
emptied at the start.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/corett_floor_bench \
        CACHE_URL=redis://127.0.0.1:6379/11 .venv/bin/python benchmarks/floor.py --runs 15
    ... --only "entry page" --profile      # cProfile of the requests named so
"""

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import standalone  # noqa: E402 - a sibling module: benchmarks/ is on the path

os.environ.pop("CELERY_BROKER_URL", None)  # tasks in-process: the one report is made at set-up
standalone.setup(
    SECURE_SSL_REDIRECT="true",  # as served behind the proxy: requests say https
    MEDIA_ROOT=tempfile.mkdtemp(prefix="corett-floor-media-"),
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)

from django.conf import settings  # noqa: E402
from django.core.cache import cache, caches  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from benchmarks.data import rolled_back  # noqa: E402
from benchmarks.entry_page import focal_point, seeded_period  # noqa: E402
from benchmarks.load.browser import (  # noqa: E402
    bump_row,
    entry_form_fields,
    form_to,
    multipart,
    post_form,
    small_sheet,
    urlencoded,
)
from corett.models import User  # noqa: E402
from monitoring.models import Status, Value  # noqa: E402
from monitoring.reports import storage as report_files  # noqa: E402
from monitoring.reports.models import ReportRequest  # noqa: E402
from strategy.models import Indicator  # noqa: E402

HOST = "https://testserver"
COUNTRY = "HN"


@dataclass
class Req:
    name: str
    role: str
    method: str
    url: str
    expect: int = 200
    body: bytes | None = None  # a POST's body as a browser sends it
    content_type: str = ""
    referer: str = ""
    headers: dict = field(default_factory=dict)

    @property
    def writes(self) -> bool:
        return self.method == "POST"


def account(username: str, role: str, **extra) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username, password=None, role=role, email=f"{username}@corett.invalid", **extra
        )
    return user


def signed_in(user: User) -> Client:
    """A browser signed in as user, its second factor given when the role asks for one."""
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_ENCODING="gzip, deflate")
    client.force_login(user)
    if user.role == User.Role.SECRETARIAT:
        device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
            user=user, name="floor", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    client.get("/es/floor/", secure=True)  # the CSRF cookie
    return client


def send(client: Client, req: Req):
    headers = {**req.headers}
    if req.writes:
        headers |= {"Origin": HOST, "Referer": HOST + (req.referer or req.url)}
        headers.setdefault("X-CSRFToken", client.cookies["csrftoken"].value)
        return client.generic(
            "POST", req.url, req.body, req.content_type, secure=True, headers=headers
        )
    return client.get(req.url, secure=True, headers=headers)


def form_body(fields, files=()) -> tuple[bytes, str]:
    return multipart(fields, files)


def api_post(name: str, url: str, payload: dict, expect: int, referer: str, role="focal point"):
    body = json.dumps(payload).encode()
    return Req(name, role, "POST", url, expect, body, "application/json", referer)


def page(client: Client, url: str) -> str:
    response = client.get(url, secure=True, headers={"Accept-Encoding": ""})
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def the_mix(clients: dict, period) -> list[Req]:
    """Every request of the load test's mix, made as its users make them (locustfile.py)."""
    rng = random.Random(13)
    focal, secretariat = clients["focal point"], clients["secretariat"]
    code = period.code
    values = Value.objects.filter(
        period=period, country__code=COUNTRY, indicator__code__startswith="bench-"
    )
    draft = values.filter(status=Status.DRAFT).select_related("indicator").order_by("pk").first()
    submitted = Value.objects.filter(period=period, status=Status.SUBMITTED).order_by("pk").first()
    entry = f"/es/monitoring/entry/{COUNTRY}/{code}/"
    reqs = [
        Req("entry: entry page", "focal point", "GET", entry),
    ]
    form = post_form(page(focal, entry), lambda names: any(n.endswith("-seen") for n in names))
    bench = Indicator.objects.filter(code__startswith="bench-").order_by("pk")
    mine = [pk for pk in bench.values_list("pk", flat=True) if f"v{pk}-number" in form.names()]
    for pk in rng.sample(mine, 2):  # the load test's users change one or two of their rows
        bump_row(form, f"v{pk}-")
    body, kind = urlencoded(entry_form_fields(form))
    reqs.append(Req("entry: entry page saved", "focal point", "POST", entry, 302, body, kind))
    read = f"/api/v1/values/?period={code}&country={COUNTRY}&indicator={draft.indicator.code}"
    reqs.append(Req("entry: value read (API)", "focal point", "GET", read))
    found = json.loads(page(focal, read))["results"][0]
    breakdown = {  # one more, not specified, as the load test's users change a value
        dimension: {**counts, "not_specified": int(counts.get("not_specified", 0)) + 1}
        for dimension, counts in (found.get("disaggregation") or {}).items()
    }
    payload = {"country": COUNTRY, "indicator": draft.indicator.code, "period": code}
    payload |= {"value": int(float(found["value"])) + 1, "disaggregation": breakdown}
    reqs.append(
        api_post(
            "entry: value saved (API)",
            "/api/v1/values/",
            payload | {"version": found["version"]},
            200,
            entry,
        )
    )
    reqs.append(
        api_post(
            "entry: value submitted (API)",
            f"/api/v1/values/{draft.pk}/submit/",
            {"version": draft.version},
            200,
            entry,
        )
    )
    value_page = f"/es/monitoring/values/{submitted.pk}/"
    html = page(secretariat, value_page)
    for name, validate in (("entry: value validated", True), ("entry: value returned", False)):
        decision = post_form(html, lambda n, v=validate: "version" in n and ("comment" in n) != v)
        fields = [
            (k, "Please check the breakdown by age." if k == "comment" else v)
            for k, v in decision.fields
        ]
        body, kind = form_body(fields)
        reqs.append(Req(name, "secretariat", "POST", decision.action, 302, body, kind, value_page))
    sheets = "/en/monitoring/spreadsheets"
    template = f"{sheets}/{code}/{COUNTRY}/template.csv"
    reqs.append(Req("import: template downloaded", "focal point", "GET", template))
    reqs.append(Req("import: upload page", "focal point", "GET", f"{sheets}/import/"))
    mine = {
        v.indicator.code
        for v in values.filter(status__in=[Status.DRAFT, Status.RETURNED]).select_related(
            "indicator"
        )
    }
    random.seed(13)
    sheet = small_sheet(
        focal.get(template, secure=True, headers={"Accept-Encoding": ""}).content, mine
    )
    body, kind = form_body(
        [("csrfmiddlewaretoken", focal.cookies["csrftoken"].value)],
        [("file", f"{COUNTRY}-{code}.csv", "text/csv", sheet)],
    )
    upload = Req(
        "import: file uploaded", "focal point", "POST", f"{sheets}/import/", 302, body, kind
    )
    reqs.append(upload)
    preview = send(focal, upload)["Location"]  # kept: the preview and its confirmation read it
    reqs.append(Req("import: preview", "focal point", "GET", preview))
    confirm = form_to(page(focal, preview), "/confirm/")
    body, kind = form_body(confirm.fields)
    reqs.append(
        Req("import: confirmed", "focal point", "POST", confirm.action, 302, body, kind, preview)
    )
    reqs += reading(code)
    reqs += [
        Req("read: review queue", "secretariat", "GET", f"/es/monitoring/review/?period={code}"),
        Req("read: value page", "secretariat", "GET", value_page),
    ]
    reqs += reports(clients["observer"], code)
    return reqs


def reading(code: str) -> list[Req]:
    return [
        Req("read: home", "observer", "GET", "/es/"),
        Req("read: country page", "observer", "GET", f"/es/countries/{COUNTRY}/"),
        Req("read: matrix", "observer", "GET", f"/es/monitoring/?period={code}"),
        Req("read: dashboard", "observer", "GET", f"/es/monitoring/dashboard/?period={code}"),
        Req("read: country dashboard", "observer", "GET", f"/es/monitoring/dashboard/{COUNTRY}/"),
        Req("read: tracking table", "observer", "GET", f"/es/monitoring/tracking/{COUNTRY}/"),
        Req(
            "read: values API list",
            "focal point",
            "GET",
            f"/api/v1/values/?period={code}&country={COUNTRY}",
        ),
        Req("read: report archive", "observer", "GET", "/es/monitoring/reports/"),
    ]


def reports(observer: Client, code: str) -> list[Req]:
    """Report requests; one report of the open quarter made (and committed) first, so that its
    pages and its PDF can be read."""
    new = "/es/monitoring/reports/new/"
    form = post_form(page(observer, new), lambda names: {"scope", "period"} <= names)
    fields = [(k, v) for k, v in form.fields if k not in ("scope", "period", "language")]
    fields += [("scope", COUNTRY), ("period", code), ("language", "es")]
    body, kind = form_body(fields)
    asked = Req("report: requested", "observer", "POST", new, 302, body, kind)
    report = ReportRequest.objects.filter(status=ReportRequest.State.DONE).order_by("-pk").first()
    if report is not None and not report_files.exists(report.file):  # MEDIA_ROOT of an earlier run
        ReportRequest.objects.all().delete()
        report = None
    if report is None:
        with transaction.atomic():
            send(observer, asked)  # the task runs in-process after the commit
        report = ReportRequest.objects.order_by("-pk").first()
    reqs = [
        Req("report: request page", "observer", "GET", new),
        asked,
        Req("report: progress page", "observer", "GET", f"/es/monitoring/reports/{report.pk}/"),
        api_post(
            "report: requested (API)",
            "/api/v1/reports/",
            {"scope": COUNTRY, "period": code, "language": "es"},
            202,
            new,
            role="observer",
        ),
        Req("report: progress (API)", "observer", "GET", f"/api/v1/reports/{report.pk}/"),
    ]
    if report.status == ReportRequest.State.DONE:
        reqs += [
            Req(
                "read: report downloaded",
                "observer",
                "GET",
                f"/es/monitoring/reports/{report.pk}/download/",
            ),
            Req(
                "report: PDF downloaded",
                "observer",
                "GET",
                f"/api/v1/reports/{report.pk}/download/",
            ),
        ]
    else:
        print(
            f"the report could not be made ({report.status}: {report.error}): no download measured"
        )
    return reqs


def timed(client: Client, req: Req) -> tuple[float, float, object, bytes]:
    """(wall ms, CPU ms, response, body as sent) of one request; a write rolled back."""

    def once():
        start, start_cpu = time.perf_counter(), time.process_time()
        response = send(client, req)
        content = b"".join(response) if response.streaming else response.content
        wall, cpu = (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000
        if response.status_code != req.expect:
            raise SystemExit(
                f"{req.name}: {req.url} answered {response.status_code}, not {req.expect}"
            )
        return wall, cpu, response, content

    if req.writes:
        with rolled_back(), session_restored(client):
            return once()
    return once()


@contextmanager
def session_restored(client: Client):
    """The client's session as it was, in the cache too (the rollback restores the database's
    copy): an upload's preview token, kept in the session, would otherwise push the set-up's out."""
    store = client.session
    key = getattr(store, "cache_key", None)  # sessions read from the cache (CACHE_URL set)
    kept = caches[settings.SESSION_CACHE_ALIAS].get(key) if key else None
    try:
        yield
    finally:
        if kept is not None:
            caches[settings.SESSION_CACHE_ALIAS].set(key, kept, store.get_expiry_age())


def measured(clients: dict, reqs: list[Req], runs: int) -> list[dict]:
    """Each request's figures. Runs go in rounds, each request once per round, so that other
    work on the machine weighs on every request alike, the floor's included."""
    figures = []
    for req in reqs:
        timed(clients[req.role], req)  # warm the caches and code paths
        with CaptureQueriesContext(connection) as queries:
            _wall, _cpu, _response, content = timed(clients[req.role], req)
        figures.append({"queries": len(queries), "kb": len(content) / 1000, "runs": []})
    for _round in range(runs):
        for req, figure in zip(reqs, figures, strict=True):
            figure["runs"].append(timed(clients[req.role], req)[:2])
    for figure in figures:
        figure["ms"] = statistics.median(wall for wall, _cpu in figure["runs"])
        figure["cpu"] = statistics.median(cpu for _wall, cpu in figure["runs"])
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--only", default="", help="only the request so named, or those whose name has this"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the measured requests")
    args = parser.parse_args()
    override_settings(ROOT_URLCONF="benchmarks.floor_urls").enable()
    cache.clear()
    period = seeded_period()
    users = {
        "focal point": focal_point(),
        "observer": account("floor-observer", User.Role.OBSERVER),
        "secretariat": account("floor-secretariat", User.Role.SECRETARIAT),
    }
    clients = {role: signed_in(user) for role, user in users.items()}
    floors = [Req("floor", role, "GET", "/es/floor/") for role in clients]
    mix = the_mix(clients, period)
    exact = [r for r in mix if r.name == args.only]
    mix = exact or [r for r in mix if args.only in r.name]
    profile = None
    if args.profile:
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    figures = measured(clients, floors + mix, args.runs)
    if profile:
        import pstats

        profile.disable()
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(70)
        stats.sort_stats("tottime").print_stats(40)
    floor = {req.role: figure for req, figure in zip(floors, figures, strict=False)}
    results = list(zip(mix, figures[len(floors) :], strict=True))
    load = os.getloadavg()
    print(
        f"{len(results)} requests and the floor, median of {args.runs} rounds, on "
        f"{connection.vendor}; cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[1]}; "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores\n"
    )
    print("| request | role | median ms | CPU ms | queries | KB sent | × floor | CPU × floor |")
    print("|---|---|---|---|---|---|---|---|")
    for role, f in floor.items():
        print(
            f"| **floor** | {role} | {f['ms']:.1f} | {f['cpu']:.1f} | {f['queries']} | "
            f"{f['kb']:.1f} | 1 | 1 |"
        )

    def ratio(req, r, key="ms"):
        return r[key] / floor[req.role][key]

    for req, r in sorted(results, key=lambda item: -ratio(*item)):
        print(
            f"| {req.name} | {req.role} | {r['ms']:.1f} | {r['cpu']:.1f} | {r['queries']} | "
            f"{r['kb']:.1f} | {ratio(req, r):.1f} | {ratio(req, r, 'cpu'):.1f} |"
        )
    over = [req.name for req, r in results if ratio(req, r) > 10]
    print(f"\nOver 10 × the floor: {', '.join(over) if over else 'none'}.")


if __name__ == "__main__":
    main()
