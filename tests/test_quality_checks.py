"""Quality checks at entry (monitoring.values.quality): the bounds an indicator may set and the
year-on-year change that needs a comment before submission, through the three write paths (the
data-entry page, the API, the spreadsheet import) with the same messages in both languages; and
the secretariat's "follow up" mark, listed in the queue and kept in the audit trail."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.utils import translation

from monitoring.models import Period, Status, Value, ValueAudit
from monitoring.values import quality, services
from strategy.models import Country, Indicator
from tests.conftest import api_token, signed_in
from tests.test_data_entry import post, prefix, url
from tests.test_value_spreadsheets import confirm, filled, preview_of, template, upload

pytestmark = pytest.mark.django_db

WORKSHOPS = "SEN-2.1.1-a"  # a count, no breakdown
VALUES = "/api/v1/values/"


def ind(code=WORKSHOPS):
    return Indicator.objects.get(code=code)


def save(user, number, period="2026", **extra):
    return services.value_save(
        user=user,
        indicator=ind(),
        country=Country.objects.get(code="HN"),
        period=Period.objects.get(code=period),
        number=number,
        path="form",
        **extra,
    )


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def jump_message(lang, number=40, previous=10):
    with translation.override(lang):
        return quality.change_message(ind(), Decimal(number), Decimal(previous))


def bound_message(lang, number=150):
    indicator = ind()
    with translation.override(lang):
        try:
            quality.check_bounds(indicator, Decimal(number))
        except Exception as error:  # noqa: BLE001 - the ValidationError's message is the point
            return error.messages[0]
    raise AssertionError("no bound refused the value")


@pytest.fixture
def last_year(secretariat):
    """Honduras reported 10 workshops for 2025 (the period before 2026)."""
    return save(secretariat, 10, period="2025")


@pytest.fixture
def bounded():
    Indicator.objects.filter(code=WORKSHOPS).update(maximum=100, minimum=1)


# --- the rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "previous, number, tolerance, unusual",
    [
        (2, 4, 50, False),  # +100% but only 2 units
        (10, 14, 50, False),  # +40%
        (10, 16, 50, True),  # +60%, 6 units
        (10, 40, 50, True),  # +300%
        (40, 10, 50, True),  # -75%
        (0, 5, 50, True),  # from nothing
        (0, 4, 50, False),
        (10, 16, 100, False),  # the indicator's own tolerance
        (None, 400, 50, False),  # nothing to compare with
    ],
)
def test_what_counts_as_an_unusual_change(previous, number, tolerance, unusual):
    indicator = Indicator(kind="count", change_tolerance=tolerance)
    previous = None if previous is None else Decimal(previous)
    assert quality.unusual(indicator, Decimal(number), previous) is unusual


def test_the_messages_exist_in_both_languages(db):
    assert jump_message("en").startswith("40 changes by +300% from the previous period (10)")
    assert jump_message("es") != jump_message("en")
    Indicator.objects.filter(code=WORKSHOPS).update(maximum=100)
    assert bound_message("es") != bound_message("en")


# --- year-on-year change, three paths ------------------------------------------------------------


@pytest.mark.parametrize("lang", ["es", "en"])
def test_form_keeps_an_unusual_draft_and_asks_for_a_comment_to_submit(
    client, focal_hn, last_year, lang
):
    signed_in(client, focal_hn)
    field = prefix(WORKSHOPS)
    saved = post(client, {f"{field}-number": "40"}, action="save", lang=lang)
    assert saved.status_code == 302
    value = Value.objects.get(period__code="2026", indicator__code=WORKSHOPS)
    assert (value.status, value.unusual_from) == (Status.DRAFT, 10)
    assert jump_message(lang) in text(client.get(url(lang=lang)))

    refused = post(client, {f"{field}-number": "40"}, action="submit", lang=lang)
    assert refused.status_code == 200
    assert jump_message(lang) in text(refused)
    assert Value.objects.get(pk=value.pk).status == Status.DRAFT

    explained = post(
        client,
        {f"{field}-number": "40", f"{field}-comment": "Two new programmes."},
        action="submit",
        lang=lang,
    )
    assert explained.status_code == 302
    value.refresh_from_db()
    assert (value.status, value.comment) == (Status.SUBMITTED, "Two new programmes.")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_api_keeps_an_unusual_draft_and_asks_for_a_comment_to_submit(
    client, focal_hn, last_year, lang
):
    headers = {"Authorization": f"Token {api_token(focal_hn)}", "Accept-Language": lang}
    body = {"indicator": WORKSHOPS, "country": "HN", "period": "2026", "value": 40}
    created = client.post(VALUES, body, content_type="application/json", headers=headers)
    assert created.status_code == 201, created.content
    answer = created.json()
    assert answer["unusual_change"] is True
    assert answer["quality_warning"] == jump_message(lang)

    submit = f"{VALUES}{answer['id']}/submit/"
    refused = client.post(
        submit, {"version": answer["version"]}, content_type="application/json", headers=headers
    )
    assert refused.status_code == 400
    assert refused.json() == {"comment": [jump_message(lang)]}

    again = client.post(
        VALUES,
        {**body, "comment": "Two new programmes.", "version": answer["version"]},
        content_type="application/json",
        headers=headers,
    )
    assert again.status_code in (200, 201), again.content
    assert again.json()["quality_warning"] is None
    done = client.post(
        submit,
        {"version": again.json()["version"]},
        content_type="application/json",
        headers=headers,
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "submitted"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_import_keeps_an_unusual_draft_says_why_and_the_submission_needs_a_comment(
    client, focal_hn, last_year, lang
):
    hn = signed_in(client, focal_hn)
    token, _page = preview_of(hn, upload(hn, filled(template(hn), {WORKSHOPS: {"value": 40}})))
    done = confirm(hn, token, lang=lang)
    assert done.status_code == 302
    assert jump_message(lang) in text(hn.get(done["Location"]))
    value = Value.objects.select_related("indicator", "period").get(
        period__code="2026", indicator__code=WORKSHOPS
    )
    assert (value.status, value.unusual_from) == (Status.DRAFT, 10)
    with translation.override(lang), pytest.raises(Exception) as refusal:
        services.value_submit(user=focal_hn, value=value, path="form")
    assert refusal.value.message_dict == {"comment": [jump_message(lang)]}


def test_a_small_change_needs_no_comment(focal_hn, last_year):
    value = save(focal_hn, 13)
    assert value.unusual_from is None
    assert services.value_submit(user=focal_hn, value=value, path="form").status == "submitted"


# --- bounds, three paths -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_value_out_of_bounds_is_refused_on_every_path(client, focal_hn, bounded, lang):
    message = bound_message(lang)
    signed_in(client, focal_hn)
    form = post(client, {f"{prefix(WORKSHOPS)}-number": "150"}, action="save", lang=lang)
    assert form.status_code == 200 and message in text(form)

    headers = {"Authorization": f"Token {api_token(focal_hn)}", "Accept-Language": lang}
    body = {"indicator": WORKSHOPS, "country": "HN", "period": "2026", "value": 150}
    api = client.post(VALUES, body, content_type="application/json", headers=headers)
    assert api.status_code == 400 and api.json() == {"value": [message]}

    content = filled(template(client), {WORKSHOPS: {"value": 150}})
    _token, page = preview_of(client, upload(client, content, lang=lang))
    assert message in text(page)
    assert not Value.objects.filter(period__code="2026").exists()
    assert bound_message(lang, 0) != message  # the lowest bound has its own message


def test_the_lowest_bound_cannot_exceed_the_highest(db):
    indicator = ind()
    indicator.minimum, indicator.maximum = 10, 5
    with pytest.raises(Exception, match="lowest value"):
        indicator.full_clean()


# --- what the secretariat sees, and the follow-up mark ------------------------------------------


def test_the_secretariat_sees_the_flag_and_the_comment_in_the_queue_and_on_the_page(
    client, focal_hn, secretariat, last_year
):
    value = save(focal_hn, 40, comment="Two new programmes.")
    services.value_submit(user=focal_hn, value=value, path="form")
    signed_in(client, secretariat)
    flag = "Unusual change: 40 against 10 in the previous period."
    queue = text(client.get("/en/monitoring/review/"))
    assert flag in queue and "Two new programmes." in queue
    page = text(client.get(f"/en/monitoring/values/{value.pk}/"))
    assert flag in page and "Two new programmes." in page


def test_the_secretariat_marks_a_value_for_follow_up_and_resolves_it(client, focal_hn, secretariat):
    value = save(focal_hn, 4)
    signed_in(client, secretariat)
    marked = client.post(
        f"/en/monitoring/values/{value.pk}/follow-up/", {"note": "Ask for the list of cities."}
    )
    assert marked.status_code == 302
    value.refresh_from_db()
    assert (value.follow_up, value.follow_up_note, value.version) == (
        True,
        "Ask for the list of cities.",
        1,
    )
    assert "Ask for the list of cities." in text(client.get("/en/monitoring/review/"))
    resolved = client.post(
        f"/en/monitoring/values/{value.pk}/follow-up/resolve/", {"note": "List received."}
    )
    assert resolved.status_code == 302
    value.refresh_from_db()
    assert (value.follow_up, value.follow_up_note) == (False, "")
    assert "No value is marked for follow-up." in text(client.get("/en/monitoring/review/"))
    audits = ValueAudit.objects.filter(value=value).order_by("pk")
    assert [(a.action, a.note, a.user) for a in audits][1:] == [
        ("follow_up", "Ask for the list of cities.", secretariat),
        ("resolved", "List received.", secretariat),
    ]


def test_a_follow_up_needs_a_note(client, focal_hn, secretariat):
    value = save(focal_hn, 4)
    signed_in(client, secretariat)
    client.post(f"/en/monitoring/values/{value.pk}/follow-up/", {"note": "  "})
    value.refresh_from_db()
    assert value.follow_up is False
    assert not ValueAudit.objects.filter(value=value, action="follow_up").exists()


def test_only_the_secretariat_marks_values(client, focal_hn, observer):
    value = save(focal_hn, 4)
    url = f"/en/monitoring/values/{value.pk}/follow-up/"
    assert client.post(url, {"note": "x"}).status_code == 302  # anonymous: to sign in
    for user in (focal_hn, observer):
        assert signed_in(client, user).post(url, {"note": "x"}).status_code == 403
    value.refresh_from_db()
    assert value.follow_up is False


def test_the_secretariat_sets_the_bounds_where_it_edits_the_indicator(client, secretariat):
    from tests.test_plan_editing import form_data, url

    indicator = ind()
    signed_in(client, secretariat)
    data = form_data(indicator, minimum="1", maximum="100", change_tolerance="80")
    response = client.post(url("en", "edit", "indicator", indicator.pk), data)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.minimum, indicator.maximum, indicator.change_tolerance) == (1, 100, 80)
    data = form_data(indicator, minimum="100", maximum="1")
    refused = client.post(url("en", "edit", "indicator", indicator.pk), data)
    assert refused.status_code == 200
    assert "The lowest value must not exceed the highest." in text(refused)
