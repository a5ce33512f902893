"""The inbox: what is due per country and period that takes values, as a page and as
`GET /api/v1/inbox/`; a focal point sees their country only, the secretariat every country."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from monitoring.models import Period
from monitoring.values import services
from monitoring.values.selectors import indicators_to_report
from strategy.models import Country
from tests.conftest import api_token, signed_in

pytestmark = pytest.mark.django_db

API = "/api/v1/inbox/"


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def seeded(focal_hn, secretariat):
    """Honduras in 2026: 3 drafts, 1 returned (with a comment), 2 submitted, 1 validated."""
    period = Period.objects.get(code="2026")
    hn = Country.objects.get(code="HN")
    indicators = list(indicators_to_report(period).filter(kind="count")[:7])
    values = [
        services.value_save(
            user=focal_hn,
            indicator=indicator,
            country=hn,
            period=period,
            number=3,
            path="form",
        )
        for indicator in indicators
    ]
    for value in values[3:]:
        services.value_submit(user=focal_hn, value=value, path="form")
    services.value_return(user=secretariat, value=values[3], comment="Check March.", path="form")
    services.value_validate(user=secretariat, value=values[6], path="form")
    total = indicators_to_report(period).count()
    return {
        "total": total,
        "returned": values[3],
        "days": (period.closes_on - timezone.localdate()).days,
    }


def hn_2026(rows):
    return next(row for row in rows if (row["country"], row["period"]) == ("HN", "2026"))


def test_the_api_counts_a_seeded_period_by_hand(client, focal_hn, seeded):
    response = client.get(API, headers={"Authorization": f"Token {api_token(focal_hn)}"})
    assert response.status_code == 200
    rows = response.json()
    assert {row["country"] for row in rows} == {"HN"}
    row = hn_2026(rows)
    total = seeded["total"]
    assert row["counts"] == {
        "missing": total - 7,
        "draft": 3,
        "returned": 1,
        "submitted": 2,
        "validated": 1,
        "total": total,
    }
    assert row["closes_on"] == "2027-03-31"
    assert row["days_to_close"] == seeded["days"]
    assert row["returned"] == [
        {
            "value": seeded["returned"].pk,
            "indicator": seeded["returned"].indicator.code,
            "comment": "Check March.",
        }
    ]
    assert row["entry_url"].endswith("/monitoring/entry/HN/2026/")


def test_the_page_says_when_the_period_closes_with_the_counts(client, focal_hn, seeded):
    response = signed_in(client, focal_hn).get("/en/monitoring/inbox/")
    assert response.status_code == 200
    page = text(response)
    assert f"closes in {seeded['days']} days" in page
    assert "Check March." in page
    assert 'href="/en/monitoring/entry/HN/2026/"' in response.content.decode()
    row = re.search(
        r'<tr class="inbox-row[^"]*" data-country="HN" data-period="2026">.*?</tr>',
        response.content.decode(),
        re.S,
    ).group(0)
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', row))
    assert counts == {
        "missing": str(seeded["total"] - 7),
        "draft": "3",
        "returned": "1",
        "submitted": "2",
        "validated": "1",
    }
    spanish = text(client.get("/es/monitoring/inbox/"))
    assert f"cierra en {seeded['days']} días" in spanish


def test_a_closed_period_says_how_long_ago(client, focal_hn):
    period = Period.objects.get(code="2025")
    ago = (timezone.localdate() - period.closes_on).days
    assert ago > 1
    page = text(signed_in(client, focal_hn).get("/en/monitoring/inbox/"))
    assert f"closed {ago} days ago" in page


def test_the_secretariat_sees_every_country_sorted_by_what_is_late(client, secretariat, seeded):
    headers = {"Authorization": f"Token {api_token(secretariat)}"}
    rows = client.get(API, headers=headers).json()
    assert {row["country"] for row in rows} == set(Country.objects.values_list("code", flat=True))
    late = client.get(f"{API}?sort=late", headers=headers).json()
    late_scores = [
        (row["counts"]["missing"] + row["counts"]["draft"] + row["counts"]["returned"])
        if row["days_to_close"] < 0
        else 0
        for row in late
    ]
    assert late_scores == sorted(late_scores, reverse=True)
    assert late[0]["days_to_close"] < 0
    assert signed_in(client, secretariat).get("/en/monitoring/inbox/?sort=late").status_code == 200


def test_the_inbox_asks_a_bounded_number_of_queries(client, secretariat, focal_hn, seeded):
    headers = {"Authorization": f"Token {api_token(secretariat)}"}
    with CaptureQueriesContext(connection) as every_country:
        assert client.get(API, headers=headers).status_code == 200
    headers = {"Authorization": f"Token {api_token(focal_hn)}"}
    with CaptureQueriesContext(connection) as one_country:
        assert client.get(API, headers=headers).status_code == 200
    assert len(every_country) <= 10
    assert len(every_country) == len(one_country)


def test_access_to_the_inbox(client, observer, focal_hn):
    assert client.get(API).status_code == 401
    assert client.get("/en/monitoring/inbox/").status_code == 302
    headers = {"Authorization": f"Token {api_token(observer)}"}
    assert client.get(API, headers=headers).status_code == 403
    assert signed_in(client, observer).get("/en/monitoring/inbox/").status_code == 403


def test_a_focal_point_lands_on_the_inbox_after_signing_in(client, focal_hn):
    from tests.test_accounts import sign_in

    response = sign_in(client, focal_hn.username)
    assert response.url == "/es/monitoring/inbox/"
