"""Panama's focal point in a browser: signs in and lands on what is due ("closes in N days" and the
counts), follows the link to the data-entry page, types a figure 300% above last year's, is asked
to explain it, explains it and submits; the secretariat then sees the flag and the explanation in
its queue."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from monitoring.models import Period, Status, Value
from monitoring.values import quality, services
from monitoring.values.selectors import indicators_to_report
from strategy.models import Country, Indicator
from tests.browser.conftest import es, es_count, follow_menu, sign_in
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WORKSHOPS = "SEN-2.1.1-a"  # a count, no breakdown
EXPLANATION = "Dos programas nuevos de capacitación en 2026."


def test_focal_point_explains_an_unusual_change_and_the_secretariat_sees_it(
    open_page, secretariat, django_user_model
):
    make_user("focal-pa", django_user_model.Role.FOCAL_POINT, "PA")
    indicator = Indicator.objects.get(code=WORKSHOPS)
    services.value_save(
        user=secretariat,
        indicator=indicator,
        country=Country.objects.get(code="PA"),
        period=Period.objects.get(code="2025"),
        number=10,
        path="form",
    )
    period = Period.objects.get(code="2026")
    days = (period.closes_on - timezone.localdate()).days
    total = indicators_to_report(period).count()

    page = open_page("/es/")
    sign_in(page, "focal-pa", PASSWORD)
    expect(page).to_have_url(re.compile(r"/es/monitoring/inbox/$"))
    due = page.locator('tr[data-country="PA"][data-period="2026"]')
    expect(due).to_contain_text(f"cierra en {days} días")
    expect(due.locator('[data-count="missing"]')).to_have_text(str(total))
    expect(due.locator('[data-count="draft"]')).to_have_text("0")

    due.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/es/monitoring/entry/PA/2026/$"))
    row = page.get_by_role("group", name=re.compile(rf"^{re.escape(WORKSHOPS)}\b"))
    row.get_by_role("textbox", name=es("Value"), exact=True).fill("40")
    page.get_by_role("button", name=es("Save and submit to the secretariat")).first.click()
    with_message = page.get_by_text(re.compile(r"40 cambia un \+300\s?%"))
    expect(with_message.first).to_be_visible()
    assert not Value.objects.filter(country__code="PA", period=period).exists()

    row = page.get_by_role("group", name=re.compile(rf"^{re.escape(WORKSHOPS)}\b"))
    row.get_by_role("textbox", name=re.compile(es("Comment"))).fill(EXPLANATION)
    page.get_by_role("button", name=es("Save and submit to the secretariat")).first.click()
    submitted = es_count(
        "%(count)s value submitted to the secretariat.",
        "%(count)s values submitted to the secretariat.",
        1,
    )
    expect(page.get_by_role("status")).to_contain_text(submitted)
    value = Value.objects.get(country__code="PA", period=period, indicator=indicator)
    assert (value.status, value.number, value.unusual_from) == (
        Status.SUBMITTED,
        Decimal(40),
        Decimal(10),
    )
    assert value.comment == EXPLANATION

    # The secretariat, in a browser of its own, sees the flag and the explanation in the queue.
    device = TOTPDevice.objects.create(user=secretariat, name="phone", confirmed=True)
    reviewer = open_page("/es/")
    sign_in(reviewer, "secretariat", PASSWORD, device=device)
    follow_menu(reviewer, "To review")
    flag = reviewer.locator("tr", has_text=WORKSHOPS)
    with translation.override("es"):
        expected = quality.flag(value)
    expect(flag).to_contain_text(expected)
    expect(flag).to_contain_text(EXPLANATION)
