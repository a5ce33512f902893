"""Who may ask for, see and download which report (corett.access, "Reports"): observers and the
secretariat any country and the region; a focal point their own country only, drafts included,
which stay with that country's focal points and the secretariat."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from corett import access
from monitoring.models import Period, ReportRequest
from monitoring.reports import services, storage
from strategy.models import Country
from tests.conftest import api_token, signed_in

pytestmark = pytest.mark.django_db
State = ReportRequest.State


@pytest.fixture(autouse=True)
def reports_root(settings, tmp_path):
    settings.REPORTS_ROOT = tmp_path / "reports"


def done_report(code, *, draft=False, requested_by=None):
    """A finished report with a file (not rendered: access is what is tested here)."""
    name = storage.file_name(
        scope=code, period="2019", language="en", draft=draft, version=f"{code}{draft}" * 4
    )
    storage.write_atomically(name, b"%PDF-1.7 " + code.encode())
    return ReportRequest.objects.create(
        country=None if code == "regional" else Country.objects.get(code=code),
        period=Period.objects.get(code="2019"),
        language="en",
        draft=draft,
        requested_by=requested_by,
        status=State.DONE,
        progress=100,
        file=name,
    )


def urls(report):
    return {
        "page": reverse("monitoring:report", args=[report.pk]),
        "download": reverse("monitoring:report_download", args=[report.pk]),
        "api": f"/api/v1/reports/{report.pk}/",
        "api download": f"/api/v1/reports/{report.pk}/download/",
    }


def test_focal_point_of_el_salvador_cannot_ask_for_see_or_download_honduras_report(
    client, focal_sv, focal_hn
):
    honduras = Country.objects.get(code="HN")
    assert not access.can_request_report(focal_sv, honduras)
    with pytest.raises(PermissionDenied):
        services.report_request(
            user=focal_sv, country=honduras, period=Period.objects.get(code="2019"), language="en"
        )
    signed_in(client, focal_sv)
    form = client.get(reverse("monitoring:report_request")).content.decode()
    assert 'value="SV"' in form and 'value="HN"' not in form and 'value="regional"' not in form
    posted = client.post(
        reverse("monitoring:report_request"), {"scope": "HN", "period": "2019", "language": "en"}
    )
    assert posted.status_code == 200 and 'id="id_scope_error"' in posted.content.decode()

    token = api_token(focal_sv)
    for report in (done_report("HN"), done_report("HN", draft=True, requested_by=focal_hn)):
        for name, url in urls(report).items():
            headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if "api" in name else {}
            assert client.get(url, **headers).status_code == 404, (name, report.draft)
    assert not ReportRequest.objects.filter(requested_by=focal_sv).exists()
    archive = client.get(reverse("monitoring:reports")).content.decode()
    assert "Honduras" not in archive.split("<tbody>")[1].split("</tbody>")[0]


def test_focal_point_sees_and_downloads_their_own_countrys_reports_drafts_included(
    client, focal_hn
):
    draft = done_report("HN", draft=True, requested_by=focal_hn)
    public = done_report("HN")
    regional = done_report("regional")
    signed_in(client, focal_hn)
    for report in (draft, public):
        response = client.get(urls(report)["download"])
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.7 HN"
    assert client.get(urls(regional)["download"]).status_code == 404
    form = client.get(reverse("monitoring:report_request")).content.decode()
    assert 'name="draft"' in form


def test_observers_see_no_drafts_anywhere(client, observer, focal_hn):
    draft = done_report("HN", draft=True, requested_by=focal_hn)
    public = done_report("HN")
    assert not access.can_request_report(observer, Country.objects.get(code="HN"), draft=True)
    signed_in(client, observer)
    for url in urls(draft).values():
        assert client.get(url).status_code in {401, 404}  # the API needs its token: below
    token = api_token(observer)
    assert client.get(urls(draft)["api"], HTTP_AUTHORIZATION=f"Token {token}").status_code == 404
    assert client.get(urls(public)["download"]).status_code == 200
    archive = client.get(reverse("monitoring:reports")).content.decode()
    assert urls(public)["page"] in archive and urls(draft)["page"] not in archive
    assert set(access.reports_visible_to(observer, ReportRequest.objects.all())) == {public}


def test_the_secretariat_sees_every_report_and_may_ask_for_drafts(secretariat, focal_hn):
    draft = done_report("HN", draft=True, requested_by=focal_hn)
    public = done_report("GT")
    assert access.can_download_report(secretariat, draft)
    assert access.can_request_report(secretariat, Country.objects.get(code="GT"), draft=True)
    assert not access.can_request_report(secretariat, None, draft=True)  # drafts are a country's
    assert set(access.reports_visible_to(secretariat, ReportRequest.objects.all())) == {
        draft,
        public,
    }


def test_anonymous_visitors_are_sent_to_sign_in(client):
    report = done_report("GT")
    for url in (reverse("monitoring:reports"), urls(report)["page"], urls(report)["download"]):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client.get(urls(report)["api download"]).status_code == 401


def test_inactive_accounts_may_not_ask(observer):
    observer.is_active = False
    assert not access.can_request_report(observer, None)
    assert not access.can_use_reports(observer)
