"""The attack of issue 11 on the outputs themselves: a period with many small cells, everything an
anonymous reader and an observer can fetch (values API, value pages, CSV/XLSX export, the open
data's tables, dashboards, the PDF report's annex) turned into equations and solved
(tests/disclosure_attack.py, HiGHS): no hidden cell may be pinned down; with the complementary
suppression off, the same attack pins some.
"""

import csv
import functools
import io
import math
import random
import re
import time
from datetime import date

import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from monitoring.models import Period, Value
from monitoring.reports.content import annex
from monitoring.values.models import Status
from strategy.dimensions import DIMENSIONS, NOT_SPECIFIED
from strategy.models import Country, Indicator
from tests.conftest import signed_in
from tests.disclosure_attack import Published, exposed, random_reported, ranges

pytestmark = pytest.mark.django_db

THRESHOLD = 5
PERIOD = "2031"
COUNTRIES = ("CR", "GT", "HN", "NI", "PA", "SV")
VICTIMS = "identified-victims"  # the one indicator whose regional breakdown a dashboard shows
CATEGORIES = {
    key: list(dict.fromkeys([*d.categories, NOT_SPECIFIED])) for key, d in DIMENSIONS.items()
}


@functools.cache
def _labels() -> dict:
    """The English labels the pages print, back to keys: {dimension label: (key, {label: key})}."""
    with translation.override("en"):
        return {
            str(d.label): (
                key,
                {str(label): c for c, label in d.categories.items()}
                | {"Not specified": NOT_SPECIFIED},
            )
            for key, d in DIMENSIONS.items()
        }


@pytest.fixture
def seeded(settings):
    """Several countries and indicators, every dimension, cells of 0 to 12 (a fixed seed)."""
    settings.SMALL_CELL_THRESHOLD = THRESHOLD
    period = Period.objects.create(
        code=PERIOD,
        starts_on=date(2031, 1, 1),
        ends_on=date(2031, 12, 31),
        opens_on=date(2032, 1, 1),
        closes_on=date(2032, 3, 31),
    )
    others = (
        Indicator.objects.filter(kind=Indicator.Kind.COUNT)
        .exclude(code=VICTIMS)
        .order_by("code")[:2]
    )
    indicators = [Indicator.objects.get(code=VICTIMS), *others]
    rng = random.Random(11)
    truth = {}
    for indicator in indicators:
        indicator.disaggregations = list(DIMENSIONS)
        indicator.save(update_fields=["disaggregations"])
        reported = random_reported(rng, countries=COUNTRIES, categories=CATEGORIES)
        for code, value in reported.items():
            Value.objects.create(
                indicator=indicator,
                country=Country.objects.get(code=code),
                period=period,
                number=value.total,
                disaggregation={d: dict(cells) for d, cells in value.breakdown.items()},
                status=Status.VALIDATED,
            )
        truth[indicator.code] = reported
    return truth


def number(text) -> int | str:
    text = str(text).strip()
    return int(text.replace(",", "")) if re.fullmatch(r"[\d,]+", text) else text


class Gathered:
    """Every figure published about the seeded period: per cell, what each output showed."""

    def __init__(self):
        self.totals: dict = {}  # (indicator, country) -> total
        # ("x", indicator, country, dim, cat) or ("c", indicator, dim, cat) -> {what was shown}
        self.cells: dict = {}
        self.given: dict = {}  # (indicator, country) -> {dimension: set of categories shown}

    def row(self, indicator, country, dimension, category, shown):
        self.cells.setdefault(("x", indicator, country, dimension, category), set()).add(shown)
        self.given.setdefault((indicator, country), {}).setdefault(dimension, set()).add(category)

    def regional(self, indicator, dimension, category, shown):
        self.cells.setdefault(("c", indicator, dimension, category), set()).add(shown)

    def breakdown(self, indicator, country, breakdown):
        for dimension, cells in breakdown.items():
            for category, shown in cells.items():
                self.row(indicator, country, dimension, category, number(shown))

    def labelled(self, indicator, country, rows):
        """Breakdown rows as pages print them: (dimension label, [(category label, text)])."""
        for dimension_label, cells in rows:
            dimension, categories = _labels()[str(dimension_label)]
            for label, text in cells:
                shown = number(text)
                if country is None:
                    self.regional(indicator, dimension, categories[str(label)], shown)
                else:
                    self.row(indicator, country, dimension, categories[str(label)], shown)


def gather(client, user) -> tuple[Gathered, int]:
    """Everything this reader can fetch about the period; and how many outputs were read."""
    seen = Gathered()
    reader = signed_in(client, user) if user else client
    outputs = 0
    # the values API, page by page
    url = f"/api/v1/values/?period={PERIOD}"
    while url:
        page = reader.get(url, HTTP_ACCEPT="application/json").json()
        for item in page["results"]:
            seen.totals[(item["indicator"], item["country"])] = int(float(item["value"]))
            seen.breakdown(item["indicator"], item["country"], item["disaggregation"])
        url = page["next"]
    outputs += 1
    # the value pages
    for value in Value.objects.filter(period__code=PERIOD).select_related("indicator", "country"):
        html = reader.get(f"/en/monitoring/values/{value.pk}/").content.decode()
        rows = _page_rows(html)
        assert rows or not value.disaggregation, f"no breakdown read on value {value.pk}'s page"
        seen.labelled(value.indicator.code, value.country.code, rows)
    outputs += 1
    # the exports
    for fmt in ("csv", "xlsx"):
        response = reader.get(f"/en/monitoring/spreadsheets/values.{fmt}?period={PERIOD}")
        if response.status_code != 200:
            continue
        outputs += 1
        for row in _spreadsheet_rows(response.content, fmt):
            key = (row["indicator"], row["country"])
            seen.totals[key] = int(float(row["value"]))
            for column, shown in row.items():
                if "." in column and shown not in (None, ""):
                    dimension, category = column.split(".")
                    seen.row(*key, dimension, category, number(shown))
    # the open data: each indicator's tidy table (the same file for every reader)
    codes = Value.objects.filter(period__code=PERIOD).values_list("indicator__code", flat=True)
    for code in sorted(set(codes)):
        content = reader.get(f"/en/data/{code}/data.csv").content.decode()
        for row in csv.DictReader(io.StringIO(content)):
            key = (code, row["country"])
            if row["period"] == PERIOD and not row["dimension"]:
                seen.totals[key] = int(row["value"])
            elif row["period"] == PERIOD:
                seen.row(*key, row["dimension"], row["category"], number(row["value"]))
    outputs += 1
    # the dashboards: the region's and each country's
    html = reader.get(f"/en/monitoring/dashboard/?period={PERIOD}").content.decode()
    assert _page_rows(html), "the regional breakdown was not read"
    seen.labelled(VICTIMS, None, _page_rows(html))
    outputs += 1
    # the PDF report's annex, as the public's and the observer's report reads it
    period = Period.objects.get(code=PERIOD)
    with translation.override("en"):
        sections = annex(reader=AnonymousUser(), country=None, period=period, draft=False)
    for country, rows in sections:
        for row in rows:
            if country is not None:
                breakdown = [(r.label, r.cells) for r in row.breakdown]
                seen.labelled(row.value.indicator.code, country.code, breakdown)
    outputs += 1
    return seen, outputs


def _page_rows(html) -> list:
    """The breakdowns a page prints: the dashboards' lists (monitoring/dashboard/_breakdown.html)
    and the value page's tables."""
    rows = []
    for dimension, cells in re.findall(r"<dt>([^<]*)</dt>\s*<dd>(.*?)</dd>", html, re.S):
        pairs = re.findall(r"([^<>]+): <strong>([^<]*)</strong>", cells)
        if dimension.strip() in _labels() and pairs:
            rows.append((dimension.strip(), [(label.strip(), text) for label, text in pairs]))
    for dimension, cells in re.findall(
        r"<caption>([^<]*)</caption>\s*<tbody>(.*?)</tbody>", html, re.S
    ):
        pairs = re.findall(r'<th scope="row">([^<]*)</th><td class="num">([^<]*)</td>', cells)
        if dimension.strip() in _labels() and pairs:
            rows.append((dimension.strip(), [(label.strip(), text) for label, text in pairs]))
    return [(d, [(label, text.replace("&lt;", "<")) for label, text in cells]) for d, cells in rows]


def _spreadsheet_rows(content, fmt) -> list[dict]:
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        table = [list(r) for r in sheet.iter_rows(values_only=True)]
    keys = [(re.search(r"\[([^\]]+)\]", str(h or "")) or [None, None])[1] for h in table[0]]
    return [{k: v for k, v in zip(keys, r, strict=False) if k} for r in table[1:] if any(r)]


def equations(seen: Gathered, truth) -> tuple[Published, dict]:
    """The attacker's system: every published total and sum, every published cell, the markers'
    bounds ("<5": 1..4; "n.p.": 5 or more, or 0 or more when a whole row is withheld), what an
    unshown cell must be (a category a breakdown leaves out: 0; a dimension not broken down: its
    whole total "not specified"). Also the true value of every cell."""
    published, values = Published(), {}
    for indicator, reported in truth.items():
        countries = sorted(reported)
        for dimension, categories in CATEGORIES.items():
            for country in countries:
                total = seen.totals[(indicator, country)]
                cells = [("x", indicator, country, dimension, c) for c in categories]
                published.equation(dict.fromkeys(cells, 1), total)
                true = reported[country].breakdown.get(dimension)
                broken_down = (indicator, country) in seen.given and dimension in seen.given[
                    (indicator, country)
                ]
                for cell, c in zip(cells, categories, strict=True):
                    if true:
                        values[cell] = true.get(c, 0)
                    else:
                        values[cell] = reported[country].total if c == NOT_SPECIFIED else 0
                    unshown = 0 if broken_down or c != NOT_SPECIFIED else total
                    _learn(published, cell, seen.cells.get(cell, set()), cells, seen, unshown)
            cells = [("c", indicator, dimension, c) for c in categories]
            shown_regionally = any(seen.cells.get(cell) for cell in cells)
            for cell, c in zip(cells, categories, strict=True):
                terms = {("x", indicator, k, dimension, c): 1 for k in countries}
                published.equation(terms | {cell: -1}, 0)
                values[cell] = sum(values[t] for t in terms)
                unshown = 0 if shown_regionally else None  # None: not published anywhere
                _learn(published, cell, seen.cells.get(cell, set()), cells, seen, unshown)
            published.equation(
                dict.fromkeys(cells, 1), sum(seen.totals[(indicator, k)] for k in countries)
            )
    return published, values


def _learn(published, cell, shown, row, seen, unshown):
    figures = {s for s in shown if isinstance(s, int)}
    assert len(figures) <= 1, f"{cell}: the outputs disagree: {shown}"
    if figures:
        published.known[cell] = figures.pop()
    elif not shown:
        if unshown is None:
            published.bounds[cell] = (0, math.inf)
        else:
            published.known[cell] = unshown
    elif shown == {f"<{THRESHOLD}"}:
        published.bounds[cell] = (1, THRESHOLD - 1)
    else:  # "n.p.": a complementary cell, or a whole row withheld
        withheld = all(seen.cells.get(other, set()) <= {"n.p."} for other in row)
        published.bounds[cell] = (0, math.inf) if withheld else (THRESHOLD, math.inf)


def attack(client, users, truth):
    found, sizes = {}, {}
    for user in users:
        seen, outputs = gather(client, user)
        published, values = equations(seen, truth)
        started = time.perf_counter()
        # a regional cell no output shows (only the victims' is on a dashboard) is no hidden cell:
        # it is the sum of published country cells, or one of the hidden ones' sums
        leaked = {
            cell: value
            for cell, value in exposed(published, values).items()
            if cell[0] == "x" or seen.cells.get(cell)
        }
        solved = time.perf_counter() - started
        found.update(leaked)
        unknowns = {c for terms, _ in published.equations for c in terms} - set(published.known)
        sizes = {
            "outputs": outputs,
            "cells": len(values),
            "equations": len(published.equations),
            "unknowns": len(unknowns),
            "hidden": sum(1 for c in unknowns if values[c]),
            # the countries' cells: how many, hidden as small, hidden by the secondary suppression
            "country cells": sum(1 for c in values if c[0] == "x"),
            "hidden small": sum(1 for c in unknowns if c[0] == "x" and 0 < values[c] < THRESHOLD),
            "hidden secondary": sum(
                1 for c in unknowns if c[0] == "x" and not 0 < values[c] < THRESHOLD
            ),
            "solver seconds": round(solved, 2),
        }
        print(f"attack as {user or 'anonymous'}: {sizes}, pinned {len(leaked)}")  # for the note
    return found, sizes


def test_no_hidden_cell_can_be_worked_out_from_everything_published(client, seeded, observer):
    leaked, sizes = attack(client, [None, observer], seeded)
    assert sizes["hidden"] > 0 and sizes["outputs"] >= 6
    assert leaked == {}, f"pinned down: {leaked}"


def test_without_the_complementary_suppression_the_same_attack_pins_cells(
    client, seeded, observer, settings
):
    settings.SMALL_CELL_COMPLEMENTARY = False
    leaked, _sizes = attack(client, [None, observer], seeded)
    assert leaked, "the attack found nothing: it would not notice a leak"


def test_the_issues_honduras_example_gives_a_range_through_the_api(client, settings):
    settings.SMALL_CELL_THRESHOLD = THRESHOLD
    value = Value.objects.create(
        indicator=Indicator.objects.get(code="TRA-2.1.1-a"),
        country=Country.objects.get(code="HN"),
        period=Period.objects.get(code="2026"),
        number=20,
        status=Status.VALIDATED,
        disaggregation={"level": {"national": 17, "regional": 3, "extra_regional": 0}},
    )
    item = client.get(f"/api/v1/values/{value.pk}/", HTTP_ACCEPT="application/json").json()
    level = item["disaggregation"]["level"]
    assert level["regional"] == "<5" and level["national"] == "n.p."
    published = Published(
        bounds={("x", "regional"): (1, 4), ("x", "national"): (THRESHOLD, math.inf)}
    )
    published.known[("x", "extra_regional")] = level["extra_regional"]
    published.equation(
        {("x", c): 1 for c in ("national", "regional", "extra_regional")}, int(float(item["value"]))
    )
    low, high = ranges(published)[("x", "regional")]
    assert low < high
    page = client.get(f"/en/monitoring/values/{value.pk}/").content.decode()
    assert '<th scope="row">Regional</th><td class="num">&lt;5</td>' in page
    assert '<th scope="row">National</th><td class="num">n.p.</td>' in page
