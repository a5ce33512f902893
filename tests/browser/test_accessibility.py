"""WCAG 2.2 AA in a real browser: axe-core (from the npm registry, `package-lock.json`) checks every
page the public and each role reach by following links, in Spanish and in English.

Nothing lists the pages: the crawl starts at the home page of a language and follows the links
it finds (same origin, same language), so a new page is covered as soon as something links to it.
It skips what is not a page to read (sign out, downloads, exports, the API, the admin, deletions)
and visits at most PER_PATTERN pages of a kind (/directory/actors/<id>/, /countries/<code>/…) and
MAX_PAGES per role and language, which keeps the run to a few minutes.

Serious and critical violations fail the test, listed by rule and page. AXE_REPORT=path writes
the whole tally (pages checked, violations by rule) as JSON.
"""

import json
import os
import re
from collections import Counter, defaultdict, deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from monitoring.models import Period
from monitoring.values import services
from strategy.models import Country, Indicator
from tests.browser.conftest import DESKTOP, TIMEOUT_MS, sign_in
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING = {"serious", "critical"}
MAX_PAGES = 40  # per role and language
PER_PATTERN = 2  # pages of one kind: two actors, two countries, two routes…

# Not pages to read: leaving, downloading, exporting, the machine-facing API, the admin,
# and links whose GET opens a deletion (its confirmation is tested where it is built).
SKIPPED = re.compile(
    r"/(logout|sign-out|admin|delete|download|export)\b|/api/|^/i18n/|"
    r"\.(pdf|csv|xlsx|svg|png|json)$|/template(\.|/|$)"
)
KIND = [(re.compile(r"/\d+(?=/|$)"), "/<id>"), (re.compile(r"/[A-Z]{2}(?=/|$)"), "/<code>")]

pytestmark = [
    pytestmark,
    pytest.mark.skipif(not AXE.exists(), reason=f"no {AXE.relative_to(AXE.parents[2])}: npm ci"),
]


def kind_of(path: str) -> str:
    for pattern, name in KIND:
        path = pattern.sub(name, path)
    return re.sub(r"/\d{4}(-[A-Z0-9]+)?(?=/|$)", "/<period>", path)


def crawl(page, origin: str, language: str) -> dict[str, list[dict]]:
    """Every page reached from /<language>/ (bounded as the module says): {path: violations}."""
    start = f"/{language}/"
    queue, seen, kinds, results = deque([start]), {start}, Counter(), {}
    while queue and len(results) < MAX_PAGES:
        path = queue.popleft()
        response = page.goto(origin + path)
        assert response is not None and response.status < 400, f"{path}: {response.status}"
        results[path] = page.evaluate(
            "options => axe.run(document, options).then(r => r.violations.map(v => ({"
            "  id: v.id, impact: v.impact, help: v.help,"
            "  nodes: v.nodes.map(n => n.target.join(' '))})))",
            {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]},
        )
        hrefs = page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(a => a.href)"
        )
        for href in hrefs:
            url, _fragment = urldefrag(href)
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}" != origin:
                continue
            link = parts.path
            if link in seen or not link.startswith(start) or SKIPPED.search(link):
                continue
            seen.add(link)
            if kinds[kind_of(link)] < PER_PATTERN:
                kinds[kind_of(link)] += 1
                queue.append(link)
    return results


@pytest.fixture
def world(secretariat, observer, django_user_model):
    """The shared world with a little monitoring in it, so that the matrix, the dashboards and the
    review pages have states to show: a validated, a submitted and a returned value."""
    focal_gt = make_user("focal-gt", django_user_model.Role.FOCAL_POINT, "GT")
    guatemala, period = Country.objects.get(code="GT"), Period.objects.get(code="2026")
    values = []
    for code, number in (("SEN-1.1.1-a", "12"), ("SEN-2.1.1-a", "4"), ("SEN-1.2.1-a", "3")):
        value = services.value_save(
            user=focal_gt,
            indicator=Indicator.objects.get(code=code),
            country=guatemala,
            period=period,
            number=number,
            path="form",
        )
        values.append(services.value_submit(user=focal_gt, value=value, path="form"))
    services.value_validate(user=secretariat, value=values[0], path="form")
    services.value_return(user=secretariat, value=values[2], comment="Revise.", path="form")
    return {
        "public": None,
        "observer": ("observer", None),
        "focal point": ("focal-gt", None),
        "secretariat": (
            "secretariat",
            TOTPDevice.objects.create(user=secretariat, name="phone", confirmed=True),
        ),
    }


def test_every_page_every_role_reaches_meets_wcag_22_aa_in_both_languages(
    world, new_context, portal
):
    tally = {"pages": 0, "visits": {}, "by_rule": Counter(), "pages_by_rule": Counter()}
    tally["failures"] = failures = defaultdict(list)
    for role, account in world.items():
        for language in ("es", "en"):
            context = new_context(viewport=DESKTOP, locale=f"{language}-419", base_url=portal)
            context.set_default_timeout(TIMEOUT_MS)
            context.add_init_script(path=AXE)  # outside the page's CSP, before its own scripts
            page = context.new_page()
            page.goto("/es/")
            if account:
                username, device = account
                sign_in(page, username, PASSWORD, device=device)  # the session serves both
            results = crawl(page, portal, language)
            context.close()
            tally["visits"][f"{role} /{language}/"] = len(results)
            tally["pages"] += len(results)
            for path, violations in results.items():
                for violation in violations:
                    if violation["impact"] not in FAILING:
                        continue
                    tally["by_rule"][violation["id"]] += len(violation["nodes"])
                    tally["pages_by_rule"][violation["id"]] += 1
                    failures[violation["id"]].append(f"{role} {path}: {violation['nodes'][:3]}")
    if os.environ.get("AXE_REPORT"):
        Path(os.environ["AXE_REPORT"]).write_text(json.dumps(tally, indent=2, default=dict))
    assert tally["pages"] >= 8 * 15, tally["visits"]  # the crawl really went somewhere
    assert not failures, "\n".join(
        f"{rule} ({tally['by_rule'][rule]} elements on {tally['pages_by_rule'][rule]} pages):\n  "
        + "\n  ".join(where[:5])
        for rule, where in failures.items()
    )
