"""Demonstration figures (`manage.py demo`): only in demo mode, deterministic, every state of the
open period, never the document's figures, removable without a trace, and labelled as invented on
every page, in the API and on every page of a report."""

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from monitoring.demo.services import demo_indicators, demo_periods
from monitoring.models import Narrative, Period, Qualification, ReportRequest, Status, Target, Value
from monitoring.reports import content, rendering
from monitoring.values import services
from strategy.models import Country, Indicator
from tests.conftest import api_token

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
BANNER = {
    "en": "Demonstration figures, invented to try the portal",
    "es": "Cifras de demostración, inventadas para probar el portal",
}


def run_demo(*args):
    """The command as `make run` runs it, its transaction committed (the banner's cached answer
    is forgotten on commit)."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("demo", *args, stdout=io.StringIO())


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    run_demo()


def open_period():
    return Period.objects.get(kind="annual", starts_on__year=timezone.localdate().year)


def demo_rows():
    """Every demonstration row by what it says, not by its id."""
    return {
        "values": sorted(
            Value.objects.filter(is_demo=True).values_list(
                "indicator__code",
                "country__code",
                "period__code",
                "number",
                "text",
                "disaggregation",
                "status",
                "late",
                "review_comment",
            ),
            key=str,
        ),
        "targets": sorted(
            Target.objects.filter(is_demo=True).values_list(
                "indicator__code", "country__code", "period__code", "value"
            ),
            key=str,
        ),
        "qualifications": sorted(
            Qualification.objects.filter(is_demo=True).values_list(
                "axis__number", "country__code", "period__code", "rating"
            ),
            key=str,
        ),
        "narratives": sorted(
            Narrative.objects.filter(is_demo=True).values_list(
                "country__code", "period__code", "status"
            ),
            key=str,
        ),
    }


def test_the_demo_is_refused_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("demo", stdout=io.StringIO())
    assert not Value.objects.filter(is_demo=True).exists()


def test_the_demo_is_idempotent_and_deterministic(demo):
    first = demo_rows()
    assert first["values"] and first["targets"] and first["qualifications"]
    call_command("demo", stdout=io.StringIO())
    assert demo_rows() == first  # a second run writes nothing
    call_command("demo", "--remove", stdout=io.StringIO())
    assert not any(demo_rows().values())
    call_command("demo", stdout=io.StringIO())
    assert demo_rows() == first  # the same figures again


def test_the_open_period_shows_every_state(demo):
    period = open_period()
    values = Value.objects.filter(period=period, is_demo=True)
    assert {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.RETURNED,
        Status.VALIDATED,
    } <= set(values.values_list("status", flat=True))
    assert values.filter(late=True, status=Status.SUBMITTED).exists()
    assert all(v.review_comment for v in values.filter(status=Status.RETURNED))
    cells = len(demo_indicators()) * Country.objects.count()
    assert 0 < values.count() < cells  # some cells missing
    assert period.locked_at is None
    narratives = set(Narrative.objects.filter(period=period).values_list("status", flat=True))
    assert {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.VALIDATED} <= narratives
    small = [
        count
        for value in Value.objects.filter(is_demo=True).exclude(disaggregation={})
        for categories in value.disaggregation.values()
        for count in categories.values()
        if 0 < count < 5
    ]
    assert small  # the small-cell protection has something to hide


def test_nothing_was_sent_or_changed_in_the_future(demo):
    now = timezone.now()
    values = Value.objects.filter(is_demo=True)
    assert not values.filter(submitted_at__gt=now).exists()
    assert not values.filter(updated_at__gt=now).exists()


def test_the_past_periods_are_complete_validated_and_locked(demo):
    year = timezone.localdate().year
    indicators = len(demo_indicators())
    countries = Country.objects.count()
    for past in (year - 2, year - 1):
        period = Period.objects.get(kind="annual", starts_on__year=past)
        assert period.locked_at is not None
        values = Value.objects.filter(period=period, is_demo=True)
        assert values.count() == indicators * countries
        assert set(values.values_list("status", flat=True)) == {Status.VALIDATED}
        assert Narrative.objects.filter(period=period, status=Status.VALIDATED).count() == countries
        assert Target.objects.filter(period=period, country=None, is_demo=True).exists()


def test_counts_grow_toward_targets_with_some_countries_behind(demo):
    year = timezone.localdate().year
    behind = ahead = 0
    for value in Value.objects.filter(
        is_demo=True, period__starts_on__year=year - 1, indicator__kind=Indicator.Kind.COUNT
    ):
        target = Target.objects.get(
            indicator=value.indicator, country=value.country, period=value.period
        )
        if value.number < target.value * 9 / 10:
            behind += 1
        else:
            ahead += 1
    assert behind and ahead


def test_the_demo_never_writes_the_documents_figures(demo):
    assert not Value.objects.filter(is_demo=True, indicator__goal__isnull=True).exists()
    assert not Target.objects.filter(is_demo=True, indicator__goal__isnull=True).exists()
    assert not Value.objects.filter(
        is_demo=True, period__code__in=["2017", "2018", "2019"]
    ).exists()


def dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", "--all", "--format", "json", "--indent", "0", stdout=out)
    return out.getvalue()


def test_removing_the_demo_leaves_the_documents_data_and_a_persons_entries_unchanged(
    settings, focal_hn
):
    settings.DEMO_MODE = True
    period = open_period()
    indicator = demo_indicators().filter(kind=Indicator.Kind.COUNT).first()
    mine = services.value_save(
        user=focal_hn,
        indicator=indicator,
        country=focal_hn.country,
        period=period,
        number=7,
        path="form",
    )
    before = dump()
    call_command("demo", stdout=io.StringIO())
    mine.refresh_from_db()
    assert not mine.is_demo and mine.number == 7  # the demo kept out of the person's cell
    assert Value.objects.filter(is_demo=True).exists()
    call_command("demo", "--remove", stdout=io.StringIO())
    assert dump() == before


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_page_says_the_figures_are_invented(client, language, settings):
    banner = BANNER[language]
    assert banner not in client.get(f"/{language}/").content.decode()
    settings.DEMO_MODE = True
    run_demo()
    for path in (f"/{language}/", f"/{language}/sources/"):
        assert banner in client.get(path).content.decode()
    run_demo("--remove")
    assert banner not in client.get(f"/{language}/").content.decode()


def test_the_api_marks_demonstration_values(client, demo, observer):
    headers = {"Authorization": f"Token {api_token(observer)}"}
    year = timezone.localdate().year
    demo_page = client.get(f"/api/v1/values/?period={year - 1}", headers=headers).json()
    document = client.get("/api/v1/values/?period=2018", headers=headers).json()
    rows = demo_page["results"] if isinstance(demo_page, dict) else demo_page
    assert rows and all(row["demo"] is True for row in rows)
    rows = document["results"] if isinstance(document, dict) else document
    assert rows and all(row["demo"] is False for row in rows)


def pages_text(report: ReportRequest) -> list[str]:
    with translation.override(report.language):
        context = content.report_context(report, as_of=None)
        pdf = rendering.render_pdf(content.template_for(report), context)
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_every_page_of_a_report_from_demonstration_figures_says_demo(demo):
    year = timezone.localdate().year
    report = ReportRequest(
        country=Country.objects.get(code="HN"),
        period=Period.objects.get(kind="annual", starts_on__year=year - 1),
        language="es",
    )
    pages = pages_text(report)
    assert len(pages) > 1 and all("DEMO" in page for page in pages)
    document = ReportRequest(
        country=Country.objects.get(code="HN"),
        period=Period.objects.get(code="2018"),
        language="es",
    )
    assert not any("DEMO" in page for page in pages_text(document))


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-4f9c2e7a1b3d5f6a8c0e2b4d6f8a0c2e",
    "ALLOWED_HOSTS": "portal.corett.example",
    "CACHE_URL": "",
}


def test_production_settings_load_no_demo_figures_and_no_demo_accounts(tmp_path):
    """The Makefile's load steps, as production would run them: the demo steps refuse."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "CORETT_DEMO"}},
        **PRODUCTION,
        "DJANGO_SETTINGS_MODULE": "corett.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    for step in (["migrate", "--noinput", "-v0"], ["load_strategy", "-v0"]):
        result = manage(*step)
        assert result.returncode == 0, result.stderr
    for step in ("load_demo", "demo"):
        result = manage(step)
        assert result.returncode != 0 and "demo mode" in result.stderr
    counts = manage(
        "shell",
        "-c",
        "from corett.models import User; from monitoring.models import Value, Period;"
        "print(User.objects.count(), Value.objects.filter(is_demo=True).count(),"
        " Period.objects.filter(is_demo=True).count(), Value.objects.count() > 0)",
    )
    assert counts.stdout.split()[-4:] == ["0", "0", "0", "True"], counts.stderr


def test_the_demo_dates_follow_today():
    """The open period is this year's, the past ones the two before (created when missing)."""
    periods = demo_periods(datetime.date(2031, 6, 1))
    assert [p.code for p in periods] == ["2029", "2030", "2031"]
    assert all(p.is_demo for p in periods if p.code in {"2029", "2030", "2031"})
