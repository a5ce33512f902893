"""The secretariat's review of country narratives: the narrative's page, who may see it, Validate
and Return through monitoring.values.narratives, and the narratives listed on the queue."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from monitoring.models import Narrative, Period, Status
from monitoring.values import narratives
from strategy.models import Country
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    with translation.override("en"):
        return reverse(f"monitoring:{name}", kwargs=kwargs or None)


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def written(user, period="2026", **texts) -> Narrative:
    texts = {"progress": "Two shelters opened.", "obstacles": "Budget cuts.", **texts}
    return narratives.narrative_save(
        user=user, country=user.country, period=Period.objects.get(code=period), **texts
    )


def submitted(user, **texts) -> Narrative:
    return narratives.narrative_submit(user=user, narrative=written(user, **texts))


def fresh(narrative) -> Narrative:
    return Narrative.objects.get(pk=narrative.pk)


def snapshot(narrative):
    n = fresh(narrative)
    return (n.status, n.version, n.review_comment, n.progress)


# --- The page ----------------------------------------------------------------------------------


def test_the_secretariat_sees_a_submitted_narrative_with_its_decisions(
    client, secretariat, focal_hn
):
    narrative = submitted(focal_hn, adjustments="More training.")
    page = signed_in(client, secretariat).get(url("narrative", pk=narrative.pk))
    assert page.status_code == 200
    shown = text(page)
    for part in ("Two shelters opened.", "Budget cuts.", "More training.", "Honduras", "2026"):
        assert part in shown
    html = page.content.decode()
    assert url("narrative_validate", pk=narrative.pk) in html
    assert url("narrative_return", pk=narrative.pk) in html
    assert f'name="version" value="{narrative.version}"' in html


def test_the_focal_point_sees_the_returned_narrative_and_the_comment_without_buttons(
    client, secretariat, focal_hn
):
    narrative = submitted(focal_hn)
    narratives.narrative_return(
        user=secretariat, narrative=narrative, comment="Add the figures.", version=None
    )
    page = signed_in(client, focal_hn).get(url("narrative", pk=narrative.pk))
    assert page.status_code == 200
    assert "Add the figures." in text(page)
    assert url("narrative_validate", pk=narrative.pk) not in page.content.decode()


@pytest.mark.parametrize("who", ["observer", "focal_sv"])
def test_others_get_404_for_a_submitted_narrative(client, request, focal_hn, who):
    narrative = submitted(focal_hn)
    page = signed_in(client, request.getfixturevalue(who)).get(url("narrative", pk=narrative.pk))
    assert page.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, focal_hn):
    narrative = submitted(focal_hn)
    page = client.get(url("narrative", pk=narrative.pk))
    assert page.status_code == 302
    assert reverse("accounts:login") in page["Location"]


def test_everyone_signed_in_sees_a_validated_narrative(client, secretariat, focal_hn, observer):
    narrative = submitted(focal_hn)
    narratives.narrative_validate(user=secretariat, narrative=narrative)
    page = signed_in(client, observer).get(url("narrative", pk=narrative.pk))
    assert page.status_code == 200
    assert "Two shelters opened." in text(page)
    assert url("narrative_validate", pk=narrative.pk) not in page.content.decode()


def test_no_narrative_is_404(client, secretariat):
    assert signed_in(client, secretariat).get(url("narrative", pk=999999)).status_code == 404


# --- Decisions ---------------------------------------------------------------------------------


def test_the_secretariat_validates_a_submitted_narrative(client, secretariat, focal_hn):
    narrative = submitted(focal_hn)
    response = signed_in(client, secretariat).post(
        url("narrative_validate", pk=narrative.pk), {"version": narrative.version}
    )
    assert response.status_code == 302
    assert response["Location"] == url("narrative", pk=narrative.pk)
    assert fresh(narrative).status == Status.VALIDATED


def test_the_secretariat_returns_a_narrative_with_a_comment(client, secretariat, focal_hn):
    narrative = submitted(focal_hn)
    response = signed_in(client, secretariat).post(
        url("narrative_return", pk=narrative.pk),
        {"version": narrative.version, "comment": "Say which shelters."},
    )
    assert response.status_code == 302
    after = fresh(narrative)
    assert after.status == Status.RETURNED
    assert after.review_comment == "Say which shelters."


def test_returning_without_a_comment_changes_nothing_and_says_why(client, secretariat, focal_hn):
    narrative = submitted(focal_hn)
    before = snapshot(narrative)
    page = signed_in(client, secretariat).post(
        url("narrative_return", pk=narrative.pk), {"version": narrative.version, "comment": " "}
    )
    assert page.status_code == 200
    assert "Say what needs fixing." in text(page)
    assert snapshot(narrative) == before


def test_a_stale_version_is_refused_with_a_clear_message_and_the_comment_kept(
    client, secretariat, focal_hn
):
    narrative = submitted(focal_hn)
    old = narrative.version
    narratives.narrative_return(user=secretariat, narrative=narrative, comment="First")
    narratives.narrative_submit(user=focal_hn, narrative=fresh(narrative))
    before = snapshot(narrative)
    page = signed_in(client, secretariat).post(
        url("narrative_return", pk=narrative.pk), {"version": old, "comment": "Second thoughts"}
    )
    assert page.status_code == 200
    assert "changed since you opened it" in text(page)
    assert "Second thoughts" in page.content.decode()
    assert snapshot(narrative) == before


def test_validating_a_draft_is_refused_with_a_message(client, secretariat, focal_hn):
    narrative = written(focal_hn)
    page = signed_in(client, secretariat).post(
        url("narrative_validate", pk=narrative.pk), {"version": narrative.version}
    )
    assert page.status_code == 200
    assert "cannot become" in text(page)
    assert fresh(narrative).status == Status.DRAFT


@pytest.mark.parametrize("who", ["observer", "focal_sv", "focal_hn"])
@pytest.mark.parametrize("action", ["narrative_validate", "narrative_return"])
def test_no_one_but_the_secretariat_decides(client, request, focal_hn, who, action):
    narrative = submitted(focal_hn)
    before = snapshot(narrative)
    response = signed_in(client, request.getfixturevalue(who)).post(
        url(action, pk=narrative.pk), {"version": narrative.version, "comment": "No"}
    )
    assert response.status_code in {403, 404}
    assert snapshot(narrative) == before


def test_decisions_need_post(client, secretariat, focal_hn):
    narrative = submitted(focal_hn)
    response = signed_in(client, secretariat).get(url("narrative_validate", pk=narrative.pk))
    assert response.status_code == 405
    assert fresh(narrative).status == Status.SUBMITTED


# --- The queue ---------------------------------------------------------------------------------


def test_the_queue_lists_submitted_narratives_only(client, secretariat, focal_hn, focal_sv):
    waiting = submitted(focal_hn)
    draft = written(focal_sv)
    page = signed_in(client, secretariat).get(url("queue"))
    html = page.content.decode()
    assert "Narratives waiting for review" in text(page)
    assert url("narrative", pk=waiting.pk) in html
    assert url("narrative", pk=draft.pk) not in html


def test_the_queue_queries_do_not_grow_with_the_narratives(
    client, secretariat, focal_hn, django_assert_max_num_queries
):
    signed_in(client, secretariat)
    submitted(focal_hn)
    client.get(url("queue"))
    with django_assert_max_num_queries(20) as few:
        client.get(url("queue"))
    periods = Period.objects.filter(code__in=["2020", "2021", "2022", "2023", "2025"])
    Narrative.objects.bulk_create(
        Narrative(country=country, period=period, status=Status.SUBMITTED)
        for country in Country.objects.exclude(code="HN")
        for period in periods
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url("queue"))
    assert page.content.decode().count('href="/en/monitoring/narratives/') == 1 + 8 * 5
