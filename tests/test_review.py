"""The secretariat's review: the queue, bulk validation, and a value's page with its decisions,
who may see it, and its audit trail."""

import datetime
import re
from html import unescape

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation

from monitoring.models import Period, Status, Value, ValueAudit
from monitoring.values import services
from strategy.models import Country, Indicator
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

TRAINERS = "TRA-2.1.1-a"  # a count, broken down by level


def url(name, **kwargs):
    with translation.override("en"):
        return reverse(f"monitoring:{name}", kwargs=kwargs or None)


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def draft(user, code=TRAINERS, period="2026", number=12, **extra):
    """A draft of the focal point's own country."""
    return services.value_save(
        user=user,
        indicator=Indicator.objects.get(code=code),
        country=user.country,
        period=Period.objects.get(code=period),
        number=number,
        path="form",
        **extra,
    )


def submitted(user, **kwargs):
    return services.value_submit(user=user, value=draft(user, **kwargs), path="form")


def fresh(value) -> Value:
    return Value.objects.get(pk=value.pk)


def many_submitted(n: int) -> None:
    """n submitted values across periods, countries and indicators, written directly (reading
    pages only; the services are tested elsewhere)."""
    indicators = list(Indicator.objects.current().exclude(kind=Indicator.Kind.TEXT))
    countries = list(Country.objects.all())
    periods = list(Period.objects.filter(code__in=["2020", "2021", "2022", "2023", "2025"]))
    now = timezone.now()
    rows = []
    for i in range(n):
        rows.append(
            Value(
                indicator=indicators[i % len(indicators)],
                country=countries[(i // len(indicators)) % len(countries)],
                period=periods[i // (len(indicators) * len(countries))],
                number=1,
                status=Status.SUBMITTED,
                submitted_at=now - datetime.timedelta(minutes=i),
                late=i % 2 == 0,
            )
        )
    Value.objects.bulk_create(rows)


# --- The queue ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["observer", "focal_hn"])
def test_only_the_secretariat_reaches_the_queue(client, request, who):
    signed_in(client, request.getfixturevalue(who))
    assert client.get(url("queue")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in_from_the_queue(client):
    response = client.get(url("queue"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_queue_lists_submitted_values_oldest_first_grouped_by_period_and_country(
    client, secretariat, focal_hn, focal_sv
):
    newest = submitted(focal_hn, code="SEN-1.1.1-a", number=3)
    oldest = submitted(focal_sv, number=5)
    late = submitted(focal_hn, period="2025", number=7)
    draft(focal_hn, code="SEN-1.2.1-a", number=1)  # a draft is not waiting for anyone
    now = timezone.now()
    for value, hours in ((oldest, 30), (late, 20), (newest, 1)):
        Value.objects.filter(pk=value.pk).update(submitted_at=now - datetime.timedelta(hours=hours))

    page = signed_in(client, secretariat).get(url("queue"))

    assert page.status_code == 200
    groups = [(g["period"].code, g["country"].code) for g in page.context["groups"]]
    assert groups == [("2026", "SV"), ("2025", "HN"), ("2026", "HN")]
    listed = [v.pk for g in page.context["groups"] for v in g["values"]]
    assert listed == [oldest.pk, late.pk, newest.pk]
    assert fresh(late).late and not fresh(newest).late
    html = page.content.decode()
    assert html.count('class="is-late"') == 1
    assert url("value", pk=late.pk) in html


def test_queue_filters_by_period_and_country(client, secretariat, focal_hn, focal_sv):
    mine = submitted(focal_hn)
    submitted(focal_sv)
    page = signed_in(client, secretariat).get(url("queue"), {"country": "HN", "period": "2026"})
    assert [v.pk for g in page.context["groups"] for v in g["values"]] == [mine.pk]


def test_queue_queries_do_not_grow_with_the_values(
    client, secretariat, django_assert_max_num_queries
):
    signed_in(client, secretariat)
    many_submitted(5)
    client.get(url("queue"))  # warm the session and the content types
    with django_assert_max_num_queries(13) as few:  # +1: the follow-up list
        client.get(url("queue"))
    many_submitted_more = 400
    Value.objects.filter(status=Status.SUBMITTED).delete()
    many_submitted(many_submitted_more)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url("queue"))
    assert sum(len(g["values"]) for g in page.context["groups"]) == 100  # one page
    assert page.context["page"].paginator.count == many_submitted_more


def test_bulk_validate_validates_every_selected_value_through_the_service(
    client, secretariat, focal_hn, focal_sv
):
    values = [submitted(focal_hn), submitted(focal_sv), submitted(focal_hn, code="SEN-1.1.1-a")]
    left = submitted(focal_sv, code="SEN-1.1.1-a")
    ticked = [f"{v.pk}:{fresh(v).version}" for v in values]

    response = signed_in(client, secretariat).post(
        url("queue_validate"), {"value": ticked}, follow=True
    )

    assert "3 values validated." in text(response)
    for value in values:
        assert fresh(value).status == Status.VALIDATED
        audit = fresh(value).audits.latest("at", "pk")
        assert (audit.action, audit.user, audit.path) == ("validated", secretariat, "form")
    assert fresh(left).status == Status.SUBMITTED


def test_bulk_validate_is_all_or_nothing_when_one_value_changed_meanwhile(
    client, secretariat, focal_hn, focal_sv
):
    first, second = submitted(focal_hn), submitted(focal_sv)
    ticked = [f"{first.pk}:{fresh(first).version}", f"{second.pk}:{fresh(second).version}"]
    # A colleague returns the second one while this person is looking at the queue.
    services.value_return(user=secretariat, value=second, comment="Check the level", path="form")

    response = signed_in(client, secretariat).post(url("queue_validate"), {"value": ticked})

    assert response.status_code == 200
    assert "Nothing was validated" in text(response)
    assert f"SV · {TRAINERS} · 2026 changed since the queue was shown" in text(response)
    assert fresh(first).status == Status.SUBMITTED
    assert fresh(second).status == Status.RETURNED
    assert not ValueAudit.objects.filter(action="validated").exists()
    # The values still waiting stay ticked, so that nothing chosen is lost.
    assert f'value="{first.pk}:{fresh(first).version}" id="pick-{first.pk}" checked' in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "data", [{}, {"value": "nonsense"}, {"value": ["1:x", "2"]}, {"value": "99999999:1"}]
)
def test_bulk_validate_refuses_empty_or_malformed_selections_without_error(
    client, secretariat, focal_hn, data
):
    value = submitted(focal_hn)
    response = signed_in(client, secretariat).post(url("queue_validate"), data, follow=True)
    assert response.status_code == 200
    assert response.context["messages"]
    assert fresh(value).status == Status.SUBMITTED


@pytest.mark.parametrize("who", ["observer", "focal_hn", "focal_sv"])
def test_only_the_secretariat_may_bulk_validate(client, request, focal_hn, who):
    value = submitted(focal_hn)
    signed_in(client, request.getfixturevalue(who))
    response = client.post(url("queue_validate"), {"value": f"{value.pk}:{fresh(value).version}"})
    assert response.status_code == 403
    assert fresh(value).status == Status.SUBMITTED


# --- Who sees a value --------------------------------------------------------------------------


def test_the_secretariat_and_the_countrys_focal_point_see_a_draft(client, secretariat, focal_hn):
    value = draft(focal_hn, number=12, comment="From the annual report")
    for user in (secretariat, focal_hn):
        page = signed_in(client, user).get(url("value", pk=value.pk))
        assert page.status_code == 200
        assert "From the annual report" in text(page)
        client.logout()


@pytest.mark.parametrize("who", ["observer", "focal_sv"])
@pytest.mark.parametrize("state", ["draft", "submitted", "returned"])
def test_a_value_not_validated_is_404_for_other_countries_and_observers(
    client, request, secretariat, focal_hn, who, state
):
    value = draft(focal_hn)
    if state != "draft":
        value = services.value_submit(user=focal_hn, value=value, path="form")
    if state == "returned":
        services.value_return(user=secretariat, value=value, comment="Check", path="form")
    signed_in(client, request.getfixturevalue(who))
    assert client.get(url("value", pk=value.pk)).status_code == 404


def test_the_public_is_sent_to_sign_in_for_a_draft_exactly_as_for_no_value(client, focal_hn):
    value = draft(focal_hn)
    for pk in (value.pk, 987654):
        response = client.get(url("value", pk=pk))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_a_missing_value_is_404_for_signed_in_users(client, secretariat):
    assert signed_in(client, secretariat).get(url("value", pk=987654)).status_code == 404


def test_a_validated_value_is_public_with_small_cells_protected_and_no_names_or_drafts(
    client, observer, secretariat, focal_hn
):
    value = draft(focal_hn, number=12, disaggregation={"level": {"national": 10, "regional": 2}})
    value = draft(
        focal_hn,
        number=13,
        disaggregation={"level": {"national": 10, "regional": 3}},
        version=value.version,
    )
    value = services.value_submit(user=focal_hn, value=value, path="form")
    services.value_validate(user=secretariat, value=value, path="form")

    for client_ in (client, signed_in(client.__class__(), observer)):
        page = client_.get(url("value", pk=value.pk))
        assert page.status_code == 200
        assert page.context["figure"] == "13"
        # the lone small cell takes its neighbour with it, or the total would give it away
        assert page.context["breakdown"][0].cells[:2] == [("National", "n.p."), ("Regional", "<5")]
        assert not page.context["full"]
        trail = page.context["trail"]
        assert [entry["action"] for entry in trail] == ["validated", "submitted", "saved", "saved"]
        assert all("changes" not in entry and "who" not in entry for entry in trail)
        html = page.content.decode()
        assert "focal-hn" not in html and "review-diff" not in html


def test_the_secretariat_sees_the_full_audit_trail_as_a_readable_diff(
    client, secretariat, focal_hn
):
    value = draft(focal_hn, number=12, disaggregation={"level": {"national": 10, "regional": 2}})
    value = draft(
        focal_hn,
        number=13,
        disaggregation={"level": {"national": 10, "regional": 3}},
        version=value.version,
    )
    value = services.value_submit(user=focal_hn, value=value, path="form")
    services.value_return(user=secretariat, value=value, comment="Regional looks high", path="form")

    page = signed_in(client, secretariat).get(url("value", pk=value.pk))

    trail = page.context["trail"]
    assert [entry["audit"].action for entry in trail] == ["returned", "submitted", "saved", "saved"]
    assert trail[0]["who"] == "secretariat" and trail[2]["who"] == "focal-hn"
    second_save = {c["label"]: (c["before"], c["after"]) for c in trail[2]["changes"]}
    assert second_save["Value"] == ("12", "13")
    assert second_save["Level (national, regional, extra-regional) · Regional"] == (2, 3)
    assert ("Submitted", "Returned") == next(
        (c["before"], c["after"]) for c in trail[0]["changes"] if c["label"] == "State"
    )
    assert "Regional looks high" in text(page)


def test_the_focal_point_sees_the_secretariats_comment_on_a_returned_value(
    client, secretariat, focal_hn
):
    value = submitted(focal_hn)
    services.value_return(
        user=secretariat, value=value, comment="Add the regional trainers", path="form"
    )
    page = signed_in(client, focal_hn).get(url("value", pk=value.pk))
    assert "The secretariat's comment" in text(page)
    assert "Add the regional trainers" in text(page)
    assert "Validate" not in text(page)  # the decisions are the secretariat's


# --- Decisions from the page -------------------------------------------------------------------


def test_the_secretariat_validates_from_the_page(client, secretariat, focal_hn):
    value = submitted(focal_hn)
    response = signed_in(client, secretariat).post(
        url("review_validate", pk=value.pk), {"version": fresh(value).version}, follow=True
    )
    assert fresh(value).status == Status.VALIDATED
    assert "validated: it is now locked" in text(response)
    assert response.redirect_chain[-1][0] == url("value", pk=value.pk)


def test_returning_needs_a_comment_and_writes_nothing_without_one(client, secretariat, focal_hn):
    value = submitted(focal_hn)
    version = fresh(value).version
    response = signed_in(client, secretariat).post(
        url("review_return", pk=value.pk), {"version": version, "comment": "  "}
    )
    assert response.status_code == 200
    assert "Say what needs fixing." in text(response)
    assert fresh(value).status == Status.SUBMITTED and fresh(value).version == version


def test_the_secretariat_returns_with_a_comment_shown_back_to_the_focal_point(
    client, secretariat, focal_hn
):
    value = submitted(focal_hn)
    signed_in(client, secretariat).post(
        url("review_return", pk=value.pk),
        {"version": fresh(value).version, "comment": "The regional figure is missing"},
    )
    value = fresh(value)
    assert value.status == Status.RETURNED
    assert value.review_comment == "The regional figure is missing"
    assert value.audits.latest("at", "pk").note == "The regional figure is missing"


def test_reopening_needs_a_reason_and_is_recorded(client, secretariat, focal_hn):
    value = submitted(focal_hn)
    value = services.value_validate(user=secretariat, value=value, path="form")
    signed_in(client, secretariat)

    refused = client.post(url("review_reopen", pk=value.pk), {"version": value.version})
    assert "Say why the value is reopened." in text(refused)
    assert fresh(value).status == Status.VALIDATED

    client.post(url("review_reopen", pk=value.pk), {"version": value.version, "reason": "New data"})
    value = fresh(value)
    assert value.status == Status.RETURNED
    audit = value.audits.latest("at", "pk")
    assert (audit.action, audit.note, audit.user) == ("reopened", "New data", secretariat)


def test_a_decision_on_a_stale_version_is_refused_and_keeps_the_typed_comment(
    client, secretariat, focal_hn
):
    value = submitted(focal_hn)
    shown_version = fresh(value).version
    # Returned and resubmitted by others since the page was opened.
    services.value_return(user=secretariat, value=value, comment="Fix it", path="form")
    value = draft(focal_hn, number=14, version=fresh(value).version)
    value = services.value_submit(user=focal_hn, value=value, path="form")

    response = signed_in(client, secretariat).post(
        url("review_return", pk=value.pk),
        {"version": shown_version, "comment": "My careful comment"},
    )

    assert response.status_code == 200
    assert "changed since you opened it" in text(response)
    assert fresh(value).status == Status.SUBMITTED
    assert fresh(value).review_comment == "Fix it"  # nothing was overwritten
    form = response.context["return_form"]
    assert form["comment"].value() == "My careful comment"
    assert int(form["version"].value()) == fresh(value).version


def test_a_stale_validation_is_refused(client, secretariat, focal_hn):
    value = submitted(focal_hn)
    response = signed_in(client, secretariat).post(
        url("review_validate", pk=value.pk), {"version": fresh(value).version - 1}
    )
    assert "changed since you opened it" in text(response)
    assert fresh(value).status == Status.SUBMITTED


@pytest.mark.parametrize("version", ["", "abc", "0"])
def test_a_decision_without_a_readable_version_is_a_bad_request(
    client, secretariat, focal_hn, version
):
    value = submitted(focal_hn)
    response = signed_in(client, secretariat).post(
        url("review_validate", pk=value.pk), {"version": version}
    )
    assert response.status_code == 400
    assert fresh(value).status == Status.SUBMITTED


def test_validating_a_value_that_is_not_submitted_says_why(client, secretariat, focal_hn):
    value = draft(focal_hn)
    response = signed_in(client, secretariat).post(
        url("review_validate", pk=value.pk), {"version": value.version}
    )
    assert response.status_code == 200
    assert "it cannot be validated" in text(response)
    assert fresh(value).status == Status.DRAFT


@pytest.mark.parametrize("action", ["review_validate", "review_return", "review_reopen"])
@pytest.mark.parametrize("who", ["observer", "focal_hn", "focal_sv"])
def test_only_the_secretariat_decides(client, request, focal_hn, action, who):
    value = submitted(focal_hn)
    before = list(Value.objects.values_list("status", "version"))
    signed_in(client, request.getfixturevalue(who))
    response = client.post(
        url(action, pk=value.pk),
        {"version": fresh(value).version, "comment": "x", "reason": "x"},
    )
    assert response.status_code == 403
    assert list(Value.objects.values_list("status", "version")) == before


def test_a_submitted_value_waiting_links_to_the_next_one(client, secretariat, focal_hn, focal_sv):
    first, second = submitted(focal_hn), submitted(focal_sv)
    page = signed_in(client, secretariat).get(url("value", pk=first.pk))
    assert page.context["next_waiting"] == second.pk


def test_the_value_page_queries_do_not_grow_with_its_history(
    client, secretariat, focal_hn, django_assert_max_num_queries
):
    value = draft(focal_hn, number=1)
    signed_in(client, secretariat)
    client.get(url("value", pk=value.pk))
    with django_assert_max_num_queries(12) as few:
        client.get(url("value", pk=value.pk))
    for number in range(2, 30):
        value = draft(focal_hn, number=number, version=value.version)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url("value", pk=value.pk))
    assert len(page.context["trail"]) == 29


# --- Evidence ----------------------------------------------------------------------------------


def test_evidence_downloads_for_the_country_and_the_secretariat_only(
    client, secretariat, focal_hn, observer, focal_sv, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    value = submitted(focal_hn)
    value.evidence.save("report.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    Value.objects.filter(pk=value.pk).update(evidence=value.evidence.name)
    services.value_validate(user=secretariat, value=fresh(value), path="form")

    for user in (secretariat, focal_hn):
        response = signed_in(client, user).get(url("value_evidence", pk=value.pk))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
        assert "attachment" in response["Content-Disposition"]
        client.logout()
    for user in (observer, focal_sv):
        assert signed_in(client, user).get(url("value_evidence", pk=value.pk)).status_code == 404
        client.logout()
    assert client.get(url("value_evidence", pk=value.pk)).status_code == 302


def test_evidence_missing_on_disk_is_404_not_an_error(
    client, secretariat, focal_hn, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    value = draft(focal_hn)
    Value.objects.filter(pk=value.pk).update(evidence="evidence/2026/gone.pdf")
    assert signed_in(client, secretariat).get(url("value_evidence", pk=value.pk)).status_code == 404


# The queue's row as templates/monitoring/review/queue.html wrote it before the rows were written
# in Python (monitoring/review/rows.py, issue 13): the new markup must say the same.
OLD_QUEUE_ROW = """{% load i18n humanize l10n %}
<tr{% if value.late %} class="is-late"{% endif %}>
  <td><input type="checkbox" name="value" value="{{ value.pk|unlocalize }}:{{ value.version|unlocalize }}" id="pick-{{ value.pk|unlocalize }}"{% if value.pk in ticked %} checked{% endif %}>
    <label for="pick-{{ value.pk|unlocalize }}" class="visually-hidden">{% blocktranslate with code=value.indicator.code %}Select {{ code }}{% endblocktranslate %}</label></td>
  <th scope="row"><a href="{% url 'monitoring:value' value.pk %}"><span class="code">{{ value.indicator.code }}</span> {{ value.indicator.name|truncatechars:90 }}</a></th>
  <td class="num">{{ value.figure|truncatechars:40 }}</td>
  <td><time datetime="{{ value.submitted_at|date:'c' }}" title="{{ value.submitted_at|date:'DATETIME_FORMAT' }}">{{ value.submitted_at|naturaltime }}</time>
    {% if value.late %}<span class="review-status status-late">{% translate "late" %}</span>{% endif %}</td>
  <td>{% if value.flag %}<span class="review-status status-late">{{ value.flag }}</span>{% if value.comment %} <span class="meta">{{ value.comment|truncatechars:160 }}</span>{% endif %}{% endif %}
    {% if value.follow_up %}<span class="tag">{% translate "to follow up" %}</span>{% endif %}</td>
</tr>"""  # noqa: E501


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("odd", [False, True])
def test_queue_rows_say_what_the_template_said(focal_hn, lang, odd):
    from django.template import engines

    from monitoring.review.rows import Labels, queue_row

    value = submitted(focal_hn)
    value.figure = "1,234 <b>"
    value.flag = "Unusual change & more" if odd else ""
    value.comment = "Because <script>" + "x" * 200
    value.late = value.follow_up = odd
    if odd:
        value.indicator.name = "A long <name> " * 10
    ticked = {value.pk} if odd else set()
    template = engines["django"].from_string(OLD_QUEUE_ROW)
    with translation.override(lang):
        old = template.render({"value": value, "ticked": ticked})
        new = queue_row(value, Labels(), ticked)

    def markup(html: str) -> str:  # whitespace between tags aside
        return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()

    assert markup(new) == markup(old)
    assert ("&lt;b&gt;" in new) and "<script>" not in new
