"""Values: validation by kind and breakdown, the workflow on the right roles only, the audit."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from corett import access
from monitoring.models import Period, Status, Value, ValueAudit
from monitoring.values import services
from monitoring.values.services import StaleValue
from strategy.models import Country, Indicator

pytestmark = pytest.mark.django_db

TRAINERS = "TRA-2.1.1-a"  # a count, broken down by level


def indicator(code=TRAINERS):
    return Indicator.objects.get(code=code)


def country(code):
    return Country.objects.get(code=code)


def period(code="2026"):
    return Period.objects.get(code=code)


def save(user, country_code="HN", code=TRAINERS, period_code="2026", **values):
    return services.value_save(
        user=user,
        indicator=indicator(code),
        country=country(country_code) if country_code else None,
        period=period(period_code),
        path="form",
        **values,
    )


def messages(error: ValidationError) -> str:
    return " ".join(message for messages in error.message_dict.values() for message in messages)


def test_a_focal_point_saves_a_draft_for_their_country(focal_hn):
    value = save(focal_hn, number=12, disaggregation={"level": {"national": 10, "regional": 2}})
    assert value.status == Status.DRAFT
    assert value.number == 12
    assert value.disaggregation == {"level": {"national": 10, "regional": 2}}
    audit = value.audits.get()
    assert (audit.user, audit.action, audit.path, audit.before) == (focal_hn, "saved", "form", None)
    assert audit.after["number"] == "12.00"


@pytest.mark.parametrize("other", ["BZ", "CR", "SV", "GT", "MX", "NI", "PA", "DO"])
def test_a_focal_point_cannot_save_for_another_country(focal_hn, other):
    with pytest.raises(PermissionDenied):
        save(focal_hn, country_code=other, number=3)
    assert not Value.objects.filter(period__code="2026").exists()


def test_observers_cannot_save_and_regional_values_are_the_secretariats(
    observer, focal_hn, secretariat
):
    with pytest.raises(PermissionDenied):
        save(observer, number=3)
    with pytest.raises(PermissionDenied):
        save(focal_hn, country_code=None, number=3)
    assert save(secretariat, country_code=None, number=3).country is None


@pytest.mark.parametrize(
    "number, message",
    [
        (-1, "cannot be negative"),
        (Decimal("1.5"), "whole number"),
        ("1,5", "Enter a number"),
        ("abc", "Enter a number"),
        ("NaN", "Enter a number"),
        ("Infinity", "Enter a number"),
        ("", "Enter the value"),
        (None, "Enter the value"),
        (True, "Enter a number"),
        ("1" * 20, "too large"),
        ("٣", "Enter a number"),  # Arabic-Indic three: Decimal accepts it, a form should not
    ],
)
def test_bad_counts_are_refused_and_nothing_is_written(focal_hn, number, message):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        save(focal_hn, number=number)
    assert message in messages(error.value)
    assert not Value.objects.filter(period__code="2026").exists()
    assert not ValueAudit.objects.exists()


def test_kinds_percentage_yes_no_and_text(secretariat):
    percentage = Indicator.objects.create(code="T-PCT", order=900, name="Share", kind="percentage")
    yes_no = Indicator.objects.create(code="T-YN", order=901, name="Exists", kind="yes_no")
    text = Indicator.objects.create(code="T-TXT", order=902, name="How", kind="text")
    with translation.override("en"):
        for code, kwargs, message in [
            ("T-PCT", {"number": 101}, "between 0 and 100"),
            ("T-PCT", {"number": "12.345"}, "two decimals"),
            ("T-YN", {"number": 2}, "yes (1) or no (0)"),
            ("T-TXT", {"text": "   "}, "Write the value"),
            ("T-TXT", {"text": "x" * 501}, "under 500"),
        ]:
            with pytest.raises(ValidationError, match=re.escape(message)):
                save(secretariat, code=code, **kwargs)
    assert save(secretariat, code="T-PCT", number="12.5").number == Decimal("12.5")
    assert save(secretariat, code="T-YN", number=1).number == 1
    assert save(secretariat, code="T-TXT", text="  Campaign ran  ").text == "Campaign ran"
    created = Value.objects.filter(period__code="2026").values_list("indicator", flat=True)
    assert set(created) == {percentage.pk, yes_no.pk, text.pk}


def test_a_breakdown_that_does_not_add_up_says_which_dimension_and_by_how_much(focal_hn):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        save(focal_hn, number=10, disaggregation={"level": {"national": 7, "regional": 5}})
    assert (
        "Level (national, regional, extra-regional) adds up to 12: 2 over the total 10."
        in messages(error.value)
    )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        save(focal_hn, number=10, disaggregation={"level": {"national": 7}})
    assert "adds up to 7: 3 under the total 10." in messages(error.value)
    assert not Value.objects.filter(period__code="2026").exists()


@pytest.mark.parametrize(
    "breakdown, message",
    [
        ({"sex": {"women": 10}}, "not a breakdown of this indicator"),
        ({"level": {"planetary": 10}}, "not one of its categories"),
        ({"level": {"national": -1, "regional": 11}}, "whole number, 0 or more"),
        ({"level": {"national": 9.5, "regional": 0.5}}, "whole number, 0 or more"),
        ({"level": [10]}, "give a number per category"),
    ],
)
def test_malformed_breakdowns_are_refused(focal_hn, breakdown, message):
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        save(focal_hn, number=10, disaggregation=breakdown)


def test_not_specified_absorbs_what_a_country_cannot_break_down(focal_hn):
    value = save(focal_hn, number=10, disaggregation={"level": {"national": 4, "not_specified": 6}})
    assert value.disaggregation["level"]["not_specified"] == 6


def test_locked_and_upcoming_periods_are_refused(focal_hn):
    with translation.override("en"):
        with pytest.raises(ValidationError, match="locked"):
            save(focal_hn, period_code="2019", number=1)
        with pytest.raises(ValidationError, match="not open yet"):
            save(focal_hn, period_code="2027", number=1)


def test_the_whole_workflow_on_the_right_roles_only(focal_hn, focal_sv, secretariat, observer):
    value = save(focal_hn, number=10)
    for intruder in (focal_sv, observer):
        with pytest.raises(PermissionDenied):
            services.value_submit(user=intruder, value=value, path="form")
    value = services.value_submit(user=focal_hn, value=value, path="form")
    assert value.status == Status.SUBMITTED and value.submitted_at and not value.late

    with pytest.raises(ValidationError):  # submitted: waiting for review, not editable
        save(focal_hn, number=11)
    for reviewer in (focal_hn, observer):
        with pytest.raises(PermissionDenied):
            services.value_validate(user=reviewer, value=value, path="form")
    with translation.override("en"), pytest.raises(ValidationError, match="what needs fixing"):
        services.value_return(user=secretariat, value=value, comment=" ", path="form")

    value = services.value_return(
        user=secretariat, value=value, comment="Check the total", path="form"
    )
    assert (value.status, value.review_comment) == (Status.RETURNED, "Check the total")
    value = save(focal_hn, number=12)
    assert value.status == Status.RETURNED  # fixed, not yet resubmitted
    value = services.value_submit(user=focal_hn, value=value, path="api")
    value = services.value_validate(user=secretariat, value=value, path="form")
    assert value.status == Status.VALIDATED

    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="can no longer be changed"),
    ):
        save(focal_hn, number=13)
    with pytest.raises(ValidationError):
        save(secretariat, number=13)
    assert Value.objects.get(pk=value.pk).number == 12

    with pytest.raises(PermissionDenied):
        services.value_reopen(user=focal_hn, value=value, reason="typo", path="form")
    value = services.value_reopen(
        user=secretariat, value=value, reason="Typo in the total", path="form"
    )
    assert value.status == Status.RETURNED
    value = save(focal_hn, number=13)
    value = services.value_validate(
        user=secretariat,
        value=services.value_submit(user=focal_hn, value=value, path="form"),
        path="form",
    )
    actions = list(value.audits.values_list("action", "path"))
    assert actions == [
        ("saved", "form"),
        ("submitted", "form"),
        ("returned", "form"),
        ("saved", "form"),
        ("submitted", "api"),
        ("validated", "form"),
        ("reopened", "form"),
        ("saved", "form"),
        ("submitted", "form"),
        ("validated", "form"),
    ]
    chain = list(value.audits.all())
    for previous, audit in zip(chain, chain[1:], strict=False):
        assert audit.before == previous.after, (previous.action, audit.action)


def test_a_save_based_on_an_old_version_is_refused(focal_hn):
    value = save(focal_hn, number=10)
    save(focal_hn, number=11, version=value.version)
    with pytest.raises(StaleValue) as stale:
        save(focal_hn, number=99, version=value.version)
    assert stale.value.current.number == 11
    assert Value.objects.get(pk=value.pk).number == 11


def test_a_submission_after_the_close_date_is_late(focal_hn):
    value = save(focal_hn, period_code="2025", number=4)  # 2025 closed on 31 March 2026
    assert services.value_submit(user=focal_hn, value=value, path="form").late


def test_audit_records_cannot_be_changed_or_deleted(focal_hn):
    audit = save(focal_hn, number=10).audits.get()
    audit.note = "rewritten"
    with pytest.raises(ValueError):
        audit.save()
    with pytest.raises(ValueError):
        audit.delete()
    assert ValueAudit.objects.get(pk=audit.pk).note == ""


def test_who_sees_which_values(focal_hn, focal_sv, observer, secretariat, client):
    draft = save(focal_hn, number=10)
    validated = Value.objects.validated().first()

    def visible(user):
        return set(access.values_visible_to(user, Value.objects.all()).values_list("pk", flat=True))

    assert draft.pk in visible(focal_hn) and draft.pk in visible(secretariat)
    for user in (focal_sv, observer):
        assert draft.pk not in visible(user) and validated.pk in visible(user)
    anonymous = client.get("/").wsgi_request.user
    assert draft.pk not in visible(anonymous) and validated.pk in visible(anonymous)


@pytest.mark.parametrize("text", ["1e3", "1_000", "1.5e1", "12abc", "0x10"])
def test_numbers_must_be_written_in_plain_digits(focal_hn, text):
    with translation.override("en"), pytest.raises(ValidationError, match="Enter a number"):
        save(focal_hn, number=text)


def test_values_of_a_locked_period_cannot_be_reopened(secretariat):
    locked = Value.objects.validated().filter(period__code="2019").first()
    with translation.override("en"), pytest.raises(ValidationError, match="unlock it first"):
        services.value_reopen(user=secretariat, value=locked, reason="typo", path="form")
    assert Value.objects.get(pk=locked.pk).status == Status.VALIDATED
