"""The secretariat in a browser: signs in with a code from its authenticator app, edits an activity
of the plan, reads the change in its history and reverts it; then, in the review queue, returns a
country's submitted value with a comment and, once the country's focal point (in a browser of
their own) has corrected and resubmitted it, validates it."""

import re

import pytest
from django.utils.text import capfirst
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from monitoring.models import Period, Status, Value, ValueAudit
from monitoring.values import services
from strategy.models import Activity, Country, Indicator
from tests.browser.conftest import es, follow_menu, sign_in
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CAMPAIGNS = "SEN-1.1.1-a"  # awareness campaigns: a count, no breakdown
EDITED = "Realizar campañas de sensibilización en las comunidades fronterizas."


def test_secretariat_edits_reverts_the_plan_and_reviews_a_value(
    open_page, shoot, secretariat, django_user_model
):
    device = TOTPDevice.objects.create(user=secretariat, name="phone", confirmed=True)
    focal_gt = make_user("focal-gt", django_user_model.Role.FOCAL_POINT, "GT")
    activity = Activity.objects.select_related("objective__axis").get(
        code="1.1", objective__axis__number=1
    )
    original = activity.text_es
    value = _submitted_by_guatemala(focal_gt)

    page = open_page("/es/")
    sign_in(page, "secretariat", PASSWORD, device=device)

    # The plan: edit the activity's Spanish text, see the change in its history, revert it.
    follow_menu(page, "Plan workspace")
    activity_title = es("Activity %(code)s") % {"code": activity.code}
    axis = page.get_by_role("region", name=activity.objective.axis.name)
    axis.get_by_role("link", name=f"{es('Edit')} {activity_title}", exact=True).click()
    text = page.get_by_role("group", name=capfirst(es("text")), exact=True)
    text.get_by_role("textbox", name=es("Spanish")).fill(EDITED)
    page.get_by_role("button", name=es("Save changes")).click()
    expect(page.get_by_role("status")).to_contain_text(activity_title)
    activity.refresh_from_db()
    assert activity.text_es == EDITED and activity.version == 2

    axis.get_by_role("link", name=f"{es('History')} {activity_title}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(activity_title)
    latest = page.locator(".plan-history > li").first
    expect(latest.get_by_role("cell").last).to_have_text(EDITED)
    expect(latest.locator("ins")).to_have_text(["las", "comunidades", "fronterizas."])
    shoot(page, "secretariat-plan-history", full_page=True, docs=True)
    page.get_by_role("button", name=re.compile(rf"{es('Revert to this version')}\s+1$")).click()
    brought_back = es("Version %(old)s brought back: recorded as version %(new)s.")
    expect(page.get_by_role("status")).to_have_text(brought_back % {"old": 1, "new": 3})
    activity.refresh_from_db()
    assert activity.text_es == original and activity.version == 3

    # The review queue: return Guatemala's value with a comment.
    follow_menu(page, "To review")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # the table, above the bar
    shoot(page, "secretariat-review-queue", docs=True)
    page.get_by_role("link", name=re.compile(CAMPAIGNS)).click()
    comment = (
        "La cifra no coincide con el informe anual de la Secretaría contra la Violencia Sexual."
    )
    page.get_by_role("textbox", name=es("What needs fixing")).fill(comment)
    shoot(page, "secretariat-review-return", docs=True)
    page.get_by_role("button", name=es("Return to the country")).click()
    expect(page.get_by_role("status")).to_contain_text(CAMPAIGNS)
    value.refresh_from_db()
    assert value.status == Status.RETURNED and value.review_comment == comment

    # Guatemala's focal point, in a browser of their own, corrects the figure and resubmits it.
    focal = open_page("/es/")
    sign_in(focal, "focal-gt", PASSWORD)
    follow_menu(focal, "Report values")
    row = focal.get_by_role("group", name=re.compile(rf"^{re.escape(CAMPAIGNS)}\b"))
    expect(row.get_by_role("note")).to_contain_text(comment)
    row.get_by_role("textbox", name=es("Value"), exact=True).fill("14")
    focal.get_by_role("button", name=es("Save and submit to the secretariat")).first.click()
    expect(focal.get_by_role("status")).to_be_visible()
    value.refresh_from_db()
    assert value.status == Status.SUBMITTED and value.number == 14

    # Back in the secretariat's browser: the resubmitted value is validated.
    follow_menu(page, "To review")
    page.get_by_role("link", name=re.compile(CAMPAIGNS)).click()
    figure = page.get_by_role("definition").filter(has_text=re.compile(r"^\s*14\s*$"))
    expect(figure).to_be_visible()  # the corrected figure
    page.get_by_role("button", name=es("Validate"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(CAMPAIGNS)
    shoot(page, "secretariat-review-validated")
    value.refresh_from_db()
    assert value.status == Status.VALIDATED
    assert list(value.audits.order_by("pk").values_list("action", flat=True)) == [
        ValueAudit.Action.SAVED,
        ValueAudit.Action.SUBMITTED,
        ValueAudit.Action.RETURNED,
        ValueAudit.Action.SAVED,
        ValueAudit.Action.SUBMITTED,
        ValueAudit.Action.VALIDATED,
    ]


def _submitted_by_guatemala(focal_gt) -> Value:
    """A value Guatemala's focal point saved and submitted, through the services like the page."""
    value = services.value_save(
        user=focal_gt,
        indicator=Indicator.objects.get(code=CAMPAIGNS),
        country=Country.objects.get(code="GT"),
        period=Period.objects.get(code="2026"),
        number="12",
        path="form",
    )
    return services.value_submit(user=focal_gt, value=value, path="form")
