"""No usernames on public pages or exports (issue 11): who verified a directory entry is told by
role and country ("focal point, Honduras" / "punto focal, Honduras") to everyone, and by
username to the secretariat alone, on the pages, the API, the CSV and XLSX exports and the
printable list; the report archive names requesters the same way."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from monitoring.models import Period, ReportRequest
from referrals import services
from referrals.models import Actor, Hotline, Route
from strategy.models import Country
from tests.conftest import api_token, signed_in

USERNAME = "focal-hn"


@pytest.fixture
def verified(focal_hn):
    """An actor, a complaint line and the route of Honduras, verified by its focal point."""
    hn = Country.objects.get(code="HN")
    entries = {
        "actor": Actor.objects.filter(country=hn).order_by("pk").first(),
        "hotline": Hotline.objects.filter(country=hn).order_by("pk").first(),
        "route": Route.objects.get(country=hn),
    }
    return {
        kind: services.entry_mark_verified(user=focal_hn, entry=entry, version=None)
        for kind, entry in entries.items()
    }


def viewer_client(client, who, request):
    return client if who == "anonymous" else signed_in(client, request.getfixturevalue(who))


def page(client, name, lang, **kwargs):
    with translation.override(lang):
        return client.get(reverse(name, kwargs=kwargs)).content.decode()


@pytest.mark.parametrize("who", ["anonymous", "observer", "focal_sv"])
@pytest.mark.parametrize(
    ("lang", "label"), [("es", "punto focal, Honduras"), ("en", "focal point, Honduras")]
)
def test_pages_name_the_verifier_by_role_and_country(client, verified, request, who, lang, label):
    client = viewer_client(client, who, request)
    pages = [
        page(client, "referrals:actor", lang, pk=verified["actor"].pk),
        page(client, "referrals:route", lang, code="HN"),
    ]
    for html in pages:
        assert label in html
        assert USERNAME not in html
    printable = page(client, "referrals:print", lang)
    assert label in printable and USERNAME not in printable


def test_the_secretariat_sees_the_username_too(client, verified, secretariat):
    signed_in(client, secretariat)
    html = page(client, "referrals:actor", "en", pk=verified["actor"].pk)
    assert f"focal point, Honduras ({USERNAME})" in html
    assert f"({USERNAME})" in page(client, "referrals:print", "en")


def api_answers(client, headers):
    return [
        client.get(f"/api/v1/{path}", headers=headers | {"Accept-Language": "en"}).json()
        for path in ("actors/?country=HN", "hotlines/?country=HN", "routes/?country=HN")
    ]


def verifiers(answers) -> set:
    return {item["verified_by"] for answer in answers for item in answer["results"]}


def test_the_api_names_the_verifier_by_role_and_country(client, verified, observer):
    for headers in ({}, {"Authorization": f"Token {api_token(observer)}"}):
        answers = api_answers(client, headers)
        assert "focal point, Honduras" in verifiers(answers)
        assert USERNAME not in repr(answers)


def test_the_api_tells_the_secretariat_the_username(client, verified, secretariat):
    answers = api_answers(client, {"Authorization": f"Token {api_token(secretariat)}"})
    assert f"focal point, Honduras ({USERNAME})" in verifiers(answers)


def export(client, fmt) -> str:
    with translation.override("en"):
        content = client.get(reverse(f"referrals:export_{fmt}"), {"country": "HN"})
    if fmt == "csv":
        return content.content.decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(content.content)).active
    return repr([[cell.value for cell in row] for row in sheet.iter_rows()])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_name_the_verifier_by_role_and_country(client, verified, observer, fmt):
    for who in (client, signed_in(client.__class__(), observer)):
        text = export(who, fmt)
        assert "focal point, Honduras" in text
        assert USERNAME not in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_tell_the_secretariat_the_username(client, verified, secretariat, fmt):
    assert f"focal point, Honduras ({USERNAME})" in export(signed_in(client, secretariat), fmt)


@pytest.fixture
def report_by_an_observer(observer):
    return ReportRequest.objects.create(
        country=Country.objects.get(code="HN"),
        period=Period.objects.get(code="2019"),
        language="en",
        requested_by=observer,
    )


def test_the_report_archive_names_requesters_by_role_to_others(
    client, report_by_an_observer, focal_hn
):
    signed_in(client, focal_hn)
    archive = page(client, "monitoring:reports", "en")
    assert '<span class="meta">observer</span>' in archive
    status = page(client, "monitoring:report", "en", pk=report_by_an_observer.pk)
    assert " · observer</dd>" in status
    for html in (archive, status):
        assert "(observer)" not in html


def test_the_report_archive_tells_the_secretariat_the_username(
    client, report_by_an_observer, secretariat
):
    signed_in(client, secretariat)
    assert '<span class="meta">observer (observer)</span>' in page(
        client, "monitoring:reports", "en"
    )
