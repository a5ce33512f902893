"""A reporting deadline day on the portal (issue 7): focal points of the nine countries entering
values, the secretariat reviewing them, observers reading — one account per simulated user, signed
in the way people sign in (the login form with its CSRF token; the secretariat's second factor as a
TOTP code computed here).

Every request is named "<share>: <what>", the share being one of
  read    pages and reports read (home, country, matrix, dashboards, tracking, values API, queue…)
  entry   data entry: the entry page saved, values saved or submitted through the values API, the
          secretariat validating or returning a value
  import  a small value spreadsheet: template downloaded, uploaded, previewed, confirmed
  report  report requests (issue 6): asked for on the browser page or through the API, progress
          followed as the page refreshes itself (every 3 s), the PDF downloaded
  sign-in the sign-in itself, once per simulated user (left out of the mix)
so that the mix can be read back from locust's statistics. ACTIONS counts what the users did
(one per task run, by share) and TURNAROUNDS the seconds from a report request to its PDF.

The portal runs with production settings behind what would be a TLS proxy: every request carries
`X-Forwarded-Proto: https` as that proxy sets it (settings.SECURE_PROXY_SSL_HEADER), so Django
treats it as HTTPS (no redirect, HSTS, strict Origin checks of CSRF); form posts carry the
Origin and Referer a browser sends. The session and CSRF cookies are `Secure`: browsers send
them to http://127.0.0.1 (a loopback origin counts as secure to them) but Python's cookie jars,
locust's included, send them only over https; the users' cookie jar gets a policy that does
what browsers do (browser.LoopbackIsSecure), so no setting of the portal is relaxed.

Needs LOAD_MANIFEST (written by seed.py). Usually driven by drive.py; also usable alone:
    LOAD_MANIFEST=/tmp/load/manifest.json locust -f benchmarks/load/locustfile.py \
        --host http://127.0.0.1:8097 --headless -u 10 -r 2 -t 60s
"""

import json
import os
import random
import re
import time
import zlib
from collections import Counter, deque
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import gevent
from browser import (
    LoopbackIsSecure,
    bump_row,
    entry_form_fields,
    form_to,
    multipart,
    post_form,
    small_sheet,
    totp,
    urlencoded,
)
from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

MANIFEST = json.loads(Path(os.environ["LOAD_MANIFEST"]).read_text())
PERIOD = MANIFEST["period"]
INDICATORS = list(MANIFEST["indicators"].items())  # [(code, pk)]
# Random figures often differ from last year's by more than the quality check's tolerance: a
# focal point explains them, as the check asks, so that submitting them is not refused.
EXPLAINED = "Cifra revisada con el registro nacional de víctimas."
WAIT = [float(s) for s in os.environ.get("LOAD_WAIT", "1,5").split(",")]
VALUE_LINK = re.compile(r'href="/(?:es|en)/monitoring/values/(\d+)/"')
DOWNLOAD_LINK = re.compile(r'href="(/(?:es|en)/monitoring/reports/\d+/download/)"')
REPORT_PAGE = re.compile(r"^/(?:es|en)/monitoring/reports/\d+/$")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Accounts are handed out in order, one per simulated user, and taken back when it stops.
POOLS = {
    "focal_point": deque(MANIFEST["focal_points"]),
    "secretariat": deque(MANIFEST["secretariat"]),
    "observer": deque(MANIFEST["observers"]),
}
# Users that finished signing in: drive.py measures a step only once all of them have.
SIGNED_IN = set()

# What the users did (task runs by share) and how long reports took to be ready: drive.py reads
# and resets them per step.
ACTIONS = Counter()
TURNAROUNDS = []  # seconds from a report request to its PDF being ready
REPORT_WAIT = 180  # seconds a person watches a report's progress before giving up

# Report requests (issue 6) join the mix when the portal has them (checked at test start).
REPORTS_API = "/api/v1/reports/"
REPORTS = {"enabled": False, "why": "not checked"}
# Periods people ask reports for on deadline day: the open quarter (its data changes all day, so
# its reports are rendered again) and the quarters before it (reused once rendered).
REPORT_PERIODS = [PERIOD, PERIOD, *MANIFEST.get("earlier_periods", [])]


@events.test_start.add_listener
def check_reports(environment, **_kwargs):
    """The reports' API answers anything but 404 (without credentials: 401 or 405)."""
    request = Request(environment.host + REPORTS_API, headers={"X-Forwarded-Proto": "https"})
    try:
        with urlopen(request, timeout=10) as answer:  # noqa: S310 - the portal under test
            status = answer.status
    except HTTPError as error:
        status = error.code
    except OSError as error:
        REPORTS.update(enabled=False, why=f"GET {REPORTS_API}: {error}")
        return
    REPORTS.update(enabled=status != 404, why=f"GET {REPORTS_API} answers {status}")


class PortalUser(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(*WAIT)
    default_headers = {"X-Forwarded-Proto": "https"}
    network_timeout = connection_timeout = 120.0

    # --- the account -----------------------------------------------------------------------

    def on_start(self):
        self.client.cookiejar.set_policy(LoopbackIsSecure())
        pool = POOLS[self.role]
        if not pool:
            raise StopUser(f"no {self.role} account left: seed more (seed.py --help)")
        self.account = pool.popleft()
        self.username = self.account["username"]
        # One in five reads in English, the same accounts on every run.
        self.lang = "en" if zlib.crc32(self.username.encode()) % 5 == 0 else "es"
        self.sign_in()
        SIGNED_IN.add(id(self))

    def on_stop(self):
        SIGNED_IN.discard(id(self))
        POOLS[self.role].append(self.account)  # reused last: a TOTP code is never replayed

    def sign_in(self):
        login = f"/{self.lang}/accounts/login/"
        page = self.client.get(login, name="sign-in: login page")
        body = self.form_post(
            login,
            {"username": self.username, "password": MANIFEST["password"], "next": f"/{self.lang}/"},
            csrf=self.csrf(page.text),
            name="sign-in: password",
        )
        location = body.headers.get("location", "") if body.status_code == 302 else ""
        if "/accounts/verify/" in location:
            location = self.second_factor(location)
        landing = (f"/{self.lang}/", f"/{self.lang}/monitoring/inbox/")  # focal points: what is due
        if location not in landing:
            raise StopUser(f"{self.username}: sign-in failed ({body.status_code} → {location!r})")

    def second_factor(self, verify_url):
        page = self.client.get(verify_url, name="sign-in: code page")
        answer = self.form_post(
            verify_url,
            {"code": totp(self.account["totp_key"])},
            csrf=self.csrf(page.text),
            name="sign-in: TOTP code",
        )
        return answer.headers.get("location", "") if answer.status_code == 302 else ""

    # --- requests as a browser makes them ---------------------------------------------------

    @property
    def origin(self):
        return "https://" + self.host.split("://", 1)[1].rstrip("/")

    def unsafe_headers(self, referer="/"):
        return {"Origin": self.origin, "Referer": self.origin + referer}

    def csrf(self, html=None):
        """The CSRF token of a page's form, else the cookie's (what the site's JS would send)."""
        if html and (match := CSRF_INPUT.search(html)):
            return match.group(1)
        return next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")

    def form_post(
        self, url, data, *, csrf, name, files=(), referer=None, expect=302, encode=multipart
    ):
        """A form post, not followed: a successful one answers 302 (else it is a failure)."""
        fields = [("csrfmiddlewaretoken", csrf), *data.items()] if isinstance(data, dict) else data
        body, content_type = encode(fields, files)
        headers = {**self.unsafe_headers(referer or url), "Content-Type": content_type}
        with self.client.post(
            url, data=body, headers=headers, name=name, allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != expect:
                answer.failure(f"expected {expect}, got {answer.status_code}")
            return answer

    def api_post(self, url, payload, *, name, referer):
        headers = {**self.unsafe_headers(referer), "X-CSRFToken": self.csrf()}
        return self.client.post(url, json=payload, headers=headers, name=name)

    def get_page(self, url, name):
        return self.client.get(url, name=name)

    # --- reading -----------------------------------------------------------------------------

    def read_common(self):
        ACTIONS["read"] += 1
        country = random.choice(MANIFEST["countries"])
        lang = self.lang
        pages = [
            (f"/{lang}/", "read: home"),
            (f"/{lang}/countries/{country}/", "read: country page"),
            (f"/{lang}/monitoring/?period={PERIOD}", "read: matrix"),
            (f"/{lang}/monitoring/dashboard/?period={PERIOD}", "read: dashboard"),
            (f"/{lang}/monitoring/dashboard/{country}/", "read: country dashboard"),
            (f"/{lang}/monitoring/tracking/{country}/", "read: tracking table"),
            (f"/api/v1/values/?period={PERIOD}&country={country}", "read: values API list"),
        ]
        if REPORTS["enabled"]:
            pages.append((f"/{lang}/monitoring/reports/", "read: report archive"))
        url, name = random.choice(pages)
        page = self.get_page(url, name)
        if name == "read: report archive" and (links := DOWNLOAD_LINK.findall(page.text)):
            self.download(random.choice(links), "read: report downloaded")

    def download(self, url, name):
        with self.client.get(url, name=name, catch_response=True) as answer:
            if answer.status_code == 200 and not answer.content.startswith(b"%PDF"):
                answer.failure("not a PDF")

    # --- report requests (issue 6) ------------------------------------------------------------

    def request_report(self, scope):
        """Asks for a report, follows its progress until the PDF is ready, downloads it: half
        of the time on the browser pages, half through the API."""
        ACTIONS["report"] += 1
        period = random.choice(REPORT_PERIODS)
        started = time.monotonic()
        if random.random() < 0.5:
            download = self.report_by_page(scope, period)
        else:
            download = self.report_by_api(scope, period)
        if download:
            TURNAROUNDS.append(time.monotonic() - started)
            self.download(download, "report: PDF downloaded")

    def report_by_page(self, scope, period):
        url = f"/{self.lang}/monitoring/reports/new/"
        page = self.get_page(url, "report: request page")
        form = post_form(page.text, lambda names: {"scope", "period"} <= names)
        if form is None:
            return None
        data = [(k, v) for k, v in form.fields if k not in ("scope", "period", "language")]
        data += [("scope", scope), ("period", period), ("language", self.lang)]
        answer = self.form_post(
            url, data, csrf=form.get("csrfmiddlewaretoken"), name="report: requested"
        )
        status_url = answer.headers.get("location", "")
        if not REPORT_PAGE.match(status_url):
            return None
        deadline = time.monotonic() + REPORT_WAIT
        while True:  # the page refreshes itself every 3 s until the report is done
            with self.client.get(
                status_url, name="report: progress page", catch_response=True
            ) as status:
                if links := DOWNLOAD_LINK.findall(status.text):
                    return links[0]
                if 'class="panel report-status report-failed' in status.text:
                    status.failure("the report failed")
                    return None
                if time.monotonic() > deadline:
                    status.failure(f"not ready after {REPORT_WAIT} s")
                    return None
            gevent.sleep(3)

    def report_by_api(self, scope, period):
        payload = {"scope": scope, "period": period, "language": self.lang}
        referer = f"/{self.lang}/monitoring/reports/new/"
        with self.client.post(
            REPORTS_API,
            json=payload,
            headers={**self.unsafe_headers(referer), "X-CSRFToken": self.csrf()},
            name="report: requested (API)",
            catch_response=True,
        ) as answer:
            if answer.status_code != 202:
                answer.failure(f"expected 202, got {answer.status_code}")
                return None
            report_id = answer.json()["id"]
        deadline = time.monotonic() + REPORT_WAIT
        while True:
            with self.client.get(
                f"{REPORTS_API}{report_id}/", name="report: progress (API)", catch_response=True
            ) as status:
                state = status.json().get("status") if status.status_code == 200 else None
                if state == "done":
                    return f"{REPORTS_API}{report_id}/download/"
                if state == "failed":
                    status.failure(f"the report failed: {status.json().get('error')}")
                    return None
                if time.monotonic() > deadline:
                    status.failure(f"not ready after {REPORT_WAIT} s")
                    return None
            gevent.sleep(3)


class FocalPoint(PortalUser):
    """A country's focal point: reads, saves values on the entry page and through the API,
    submits some, imports a small spreadsheet now and then. Each account works on its own share
    of the indicators (account n of its country: the n-th of every focal_per_country), as
    colleagues split the work, so that no two simulated users edit the same value."""

    role = "focal_point"
    weight = 7

    def on_start(self):
        super().on_start()
        self.country = self.account["country"]
        n = int(self.username.rsplit("-", 1)[1]) - 1
        every = MANIFEST["focal_per_country"]
        self.mine = {code: pk for i, (code, pk) in enumerate(INDICATORS) if i % every == n}

    @property
    def entry_url(self):
        return f"/{self.lang}/monitoring/entry/{self.country}/{PERIOD}/"

    @task(22)
    def read(self):
        if random.random() < 0.3:
            ACTIONS["read"] += 1
            self.get_page(
                f"/api/v1/values/?period={PERIOD}&country={self.country}", "read: values API list"
            )
        else:
            self.read_common()

    @task(9)
    def entry_page(self):
        ACTIONS["entry"] += 1
        url = self.entry_url
        page = self.get_page(url, "entry: entry page")
        form = post_form(page.text, lambda names: any(n.endswith("-seen") for n in names))
        if form is None:
            return
        editable = [pk for pk in self.mine.values() if f"v{pk}-number" in form.names()]
        if not editable:
            return
        for pk in random.sample(editable, min(len(editable), random.randint(1, 2))):
            bump_row(form, f"v{pk}-")
        self.form_post(
            url,
            entry_form_fields(form),
            csrf=form.get("csrfmiddlewaretoken"),
            name="entry: entry page saved",
            encode=urlencoded,
        )
        self.get_page(url, "entry: entry page")  # where the redirect leads

    @task(12)
    def entry_api(self):
        ACTIONS["entry"] += 1
        code = random.choice(list(self.mine))
        url = f"/api/v1/values/?period={PERIOD}&country={self.country}&indicator={code}"
        found = self.get_page(url, "entry: value read (API)").json().get("results", [])
        if not found:
            total = random.randint(10, 400)
            women = random.randint(0, total)
            self.save_value(code, total, {"sex": {"women": women, "men": total - women}})
            return
        value = found[0]
        if value["status"] not in ("draft", "returned"):
            return
        if random.random() < 0.2:
            if value.get("quality_warning"):  # a seeded draft that jumped: explain it first
                saved = self.save_value(
                    code, value["value"], value.get("disaggregation"), value["version"]
                )
                if not saved.ok:
                    return
                value = saved.json()
            self.api_post(
                f"/api/v1/values/{value['id']}/submit/",
                {"version": value["version"]},
                name="entry: value submitted (API)",
                referer=self.entry_url,
            )
            return
        total = int(float(value["value"])) + 1
        breakdown = {
            dimension: {**counts, "not_specified": int(counts.get("not_specified", 0)) + 1}
            for dimension, counts in (value.get("disaggregation") or {}).items()
        }
        self.save_value(code, total, breakdown, value["version"])

    def save_value(self, code, total, breakdown, version=None):
        """Saved with the explanation the quality check asks of a value that jumped."""
        payload = {"country": self.country, "indicator": code, "period": PERIOD}
        payload |= {"value": total, "disaggregation": breakdown, "comment": EXPLAINED}
        if version is not None:
            payload["version"] = version
        return self.api_post(
            "/api/v1/values/", payload, name="entry: value saved (API)", referer=self.entry_url
        )

    @task(6)
    def import_spreadsheet(self):
        ACTIONS["import"] += 1
        sheets = "/en/monitoring/spreadsheets"  # English: the template's status labels
        template = self.get_page(
            f"{sheets}/{PERIOD}/{self.country}/template.csv", "import: template downloaded"
        )
        content = small_sheet(template.content, set(self.mine))
        if content is None:
            return
        page = self.get_page(f"{sheets}/import/", "import: upload page")
        uploaded = self.form_post(
            f"{sheets}/import/",
            {},
            csrf=self.csrf(page.text),
            files=[("file", f"{self.country}-{PERIOD}.csv", "text/csv", content)],
            name="import: file uploaded",
        )
        preview_url = uploaded.headers.get("location", "")
        if not preview_url:
            return
        with self.client.get(preview_url, name="import: preview", catch_response=True) as preview:
            form = form_to(preview.text, "/confirm/")  # none when the preview shows errors
            if form is None:
                preview.failure("the preview refuses the file")
                return
        self.form_post(
            form.action,
            form.fields,
            csrf=form.get("csrfmiddlewaretoken"),
            name="import: confirmed",
            referer=preview_url,
        )

    @task(1)
    def report(self):
        """Their own country's report, as the secretariat and observers will read it."""
        if REPORTS["enabled"]:
            self.request_report(self.country)
        else:
            self.read_common()


class Observer(PortalUser):
    """A partner organisation's observer: reads pages and reports, requests reports."""

    role = "observer"
    weight = 2

    @task(8)
    def read(self):
        self.read_common()

    @task(1)
    def report(self):
        if REPORTS["enabled"]:
            self.request_report(random.choice([*MANIFEST["countries"], "regional"]))
        else:
            self.read_common()


class Secretariat(PortalUser):
    """The secretariat: reads the queue, the matrix and values; validates or returns values.
    Account n reviews the values whose id is n modulo the number of secretariat accounts, so
    that two reviewers never decide on the same value at once."""

    role = "secretariat"
    weight = 1

    def on_start(self):
        super().on_start()
        self.n = int(self.username.rsplit("-", 1)[1]) - 1

    @task(5)
    def read(self):
        if random.random() < 0.5:
            ACTIONS["read"] += 1
            self.get_page(f"/{self.lang}/monitoring/review/?period={PERIOD}", "read: review queue")
        else:
            self.read_common()

    @task(1)
    def report(self):
        if REPORTS["enabled"]:
            self.request_report("regional")
        else:
            self.read_common()

    @task(4)
    def review(self):
        ACTIONS["entry"] += 1
        queue = self.get_page(
            f"/{self.lang}/monitoring/review/?period={PERIOD}", "read: review queue"
        )
        every = len(MANIFEST["secretariat"])
        mine = [pk for pk in map(int, VALUE_LINK.findall(queue.text)) if pk % every == self.n]
        if not mine:
            return
        url = f"/{self.lang}/monitoring/values/{random.choice(mine)}/"
        page = self.get_page(url, "read: value page")
        validate = random.random() < 0.4
        form = post_form(
            page.text, lambda names: "version" in names and ("comment" in names) != validate
        )
        if form is None:
            return
        data = form.fields
        if not validate:
            data = [
                (k, "Please check the breakdown by age." if k == "comment" else v) for k, v in data
            ]
        self.form_post(
            form.action,
            data,
            csrf=form.get("csrfmiddlewaretoken"),
            name="entry: value validated" if validate else "entry: value returned",
            referer=url,
        )
        self.get_page(url, "read: value page")
