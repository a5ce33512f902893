"""E-mail notices (monitoring/values/notices.py): on return and validation, to the focal points
of the value's country with a link straight to the value; reminders 14 and 3 days before a
period closes, only to countries with values missing."""

import datetime
from unittest import mock

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError

from corett.models import User
from monitoring import tasks
from monitoring.models import Period, Status, Value
from monitoring.values import notices, services
from monitoring.values import tasks as value_tasks
from strategy.models import Country, Indicator
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

CAMPAIGNS = "SEN-1.1.1-a"
CLOSES = datetime.date(2027, 3, 31)  # period 2026 closes on 31 March 2027


def submitted(focal, country="HN", code=CAMPAIGNS, number=3):
    value = services.value_save(
        user=focal,
        indicator=Indicator.objects.get(code=code),
        country=Country.objects.get(code=country),
        period=Period.objects.get(code="2026"),
        number=number,
        path="form",
    )
    return services.value_submit(user=focal, value=value, path="form")


@pytest.fixture
def portal(settings):
    settings.PORTAL_URL = "https://portal.corett.example/"
    return "https://portal.corett.example"


# --- Notices of review ------------------------------------------------------------------------


def test_a_returned_value_is_notified_to_its_focal_points_with_a_link_to_it(
    focal_hn, focal_sv, secretariat, mailoutbox, portal, django_capture_on_commit_callbacks
):
    second = make_user("focal-hn-2", User.Role.FOCAL_POINT, "HN")
    value = submitted(focal_hn)
    with django_capture_on_commit_callbacks(execute=True):
        services.value_return(
            user=secretariat, value=value, comment="Add the March campaigns.", path="form"
        )

    assert sorted(m.to[0] for m in mailoutbox) == sorted([focal_hn.email, second.email])
    assert all(len(m.to) == 1 for m in mailoutbox)  # nobody sees the others' addresses
    message = mailoutbox[0]
    assert CAMPAIGNS in message.subject and "Honduras" in message.subject
    body = message.body
    assert f"{portal}/es/monitoring/values/{value.pk}/" in body
    assert f"{portal}/en/monitoring/values/{value.pk}/" in body
    assert body.index("/es/monitoring/") < body.index("/en/monitoring/")  # Spanish first
    assert body.count("Add the March campaigns.") == 2
    assert "returned" in body


def test_a_validated_value_is_notified_too(
    focal_hn, secretariat, mailoutbox, portal, django_capture_on_commit_callbacks
):
    value = submitted(focal_hn)
    with django_capture_on_commit_callbacks(execute=True):
        services.value_validate(user=secretariat, value=value, path="form")
    assert [m.to for m in mailoutbox] == [[focal_hn.email]]
    assert f"{portal}/en/monitoring/values/{value.pk}/" in mailoutbox[0].body
    assert "validated" in mailoutbox[0].body


def test_the_link_defaults_to_the_local_portal(
    focal_hn, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    value = submitted(focal_hn)
    with django_capture_on_commit_callbacks(execute=True):
        services.value_validate(user=secretariat, value=value, path="form")
    assert f"http://127.0.0.1:8000/es/monitoring/values/{value.pk}/" in mailoutbox[0].body


def test_the_notice_waits_for_the_commit(
    focal_hn, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    value = submitted(focal_hn)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.value_validate(user=secretariat, value=value, path="form")
    # Two callbacks wait for the commit: the notice, and forgetting the queue's cached size.
    assert mailoutbox == [] and len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


def test_a_refused_review_sends_nothing(
    focal_hn, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    value = submitted(focal_hn)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.value_return(user=secretariat, value=value, comment=" ", path="form")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.value_validate(user=focal_hn, value=value, path="form")
    assert mailoutbox == []


def test_inactive_focal_points_and_other_countries_get_nothing(
    focal_hn, focal_sv, secretariat, observer, mailoutbox, django_capture_on_commit_callbacks
):
    focal_hn.is_active = False
    focal_hn.save()
    value = submitted(focal_sv, country="SV")
    with django_capture_on_commit_callbacks(execute=True):
        services.value_validate(user=secretariat, value=value, path="form")
    assert [m.to for m in mailoutbox] == [[focal_sv.email]]


def test_a_mail_server_failure_never_breaks_the_review(
    focal_hn, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    value = submitted(focal_hn)
    with (
        mock.patch.object(notices, "_send", side_effect=OSError("mail server down")),
        mock.patch.object(tasks.send_value_notice, "delay", side_effect=OSError("no broker")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.value_validate(user=secretariat, value=value, path="form")
    value.refresh_from_db()
    assert value.status == Status.VALIDATED
    assert mailoutbox == []


def test_without_a_broker_the_notice_is_sent_right_away(focal_hn, secretariat, mailoutbox):
    value = submitted(focal_hn)
    with mock.patch.object(tasks.send_value_notice, "delay", side_effect=OSError("no broker")):
        value_tasks.value_reviewed(value.pk, Status.RETURNED)
    assert [m.to for m in mailoutbox] == [[focal_hn.email]]


# --- Reminders --------------------------------------------------------------------------------


def complete(country_code):
    """Every annual indicator of the country submitted for 2026."""
    country = Country.objects.get(code=country_code)
    period = Period.objects.get(code="2026")
    Value.objects.bulk_create(
        Value(indicator=i, country=country, period=period, number=1, status=Status.SUBMITTED)
        for i in Indicator.objects.current().filter(frequency="annual")
    )


@pytest.mark.parametrize("days", [14, 3])
def test_reminders_go_14_and_3_days_before_the_close_to_countries_with_missing_values(
    focal_points, mailoutbox, portal, days
):
    complete("HN")
    complete("SV")
    Value.objects.filter(country__code="SV", indicator__code=CAMPAIGNS).update(
        status=Status.RETURNED
    )

    sent = notices.send_reminders(CLOSES - datetime.timedelta(days=days))

    recipients = sorted(m.to[0] for m in mailoutbox)
    expected = sorted(u.email for code, u in focal_points.items() if code != "HN")
    assert recipients == expected and sent == len(expected)
    to_sv = next(m for m in mailoutbox if m.to == [focal_points["SV"].email])
    assert f"{days} days" in to_sv.subject or f"{days} días" in to_sv.subject
    assert CAMPAIGNS in to_sv.body
    assert "SEN-1.2.1-a" not in to_sv.body  # submitted: not missing
    assert f"{portal}/es/monitoring/entry/SV/2026/" in to_sv.body
    assert f"{portal}/en/monitoring/entry/SV/2026/" in to_sv.body
    to_gt = next(m for m in mailoutbox if m.to == [focal_points["GT"].email])
    assert "SEN-1.2.1-a" in to_gt.body and "identified-victims" in to_gt.body


@pytest.mark.parametrize("days", [15, 13, 4, 2, 1, 0, -3])
def test_no_reminder_on_other_days(focal_points, mailoutbox, days):
    assert notices.send_reminders(CLOSES - datetime.timedelta(days=days)) == 0
    assert mailoutbox == []


def test_locked_periods_get_no_reminder(focal_points, mailoutbox):
    Period.objects.filter(code="2026").update(
        locked_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    )
    assert notices.send_reminders(CLOSES - datetime.timedelta(days=3)) == 0


def test_a_country_with_everything_submitted_or_validated_gets_no_reminder(
    focal_points, mailoutbox
):
    for country in Country.objects.all():
        complete(country.code)
    Value.objects.filter(country__code="HN").update(status=Status.VALIDATED)
    assert notices.send_reminders(CLOSES - datetime.timedelta(days=14)) == 0
    assert mailoutbox == []


def test_reminders_take_a_fixed_number_of_queries(focal_points, django_assert_max_num_queries):
    complete("HN")
    with django_assert_max_num_queries(8):
        notices.send_reminders(CLOSES - datetime.timedelta(days=14))


def test_the_daily_task_reminds_for_today(focal_points, mailoutbox):
    with mock.patch("django.utils.timezone.localdate", return_value=CLOSES - datetime.timedelta(3)):
        sent = tasks.send_reminders.apply().get()
    assert sent == len(focal_points) == len(mailoutbox)


def test_beat_runs_the_reminders_once_a_day():
    entry = django_settings.CELERY_BEAT_SCHEDULE["monitoring-reminders"]
    assert entry["task"] == tasks.send_reminders.name
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert len(schedule.hour) == 1 and len(schedule.minute) == 1
    assert len(schedule.day_of_week) == 7
