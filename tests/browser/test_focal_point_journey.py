"""Guatemala's focal point in a browser: fills the period's data-entry page, gets an error beside
the one wrong field without losing anything else typed, attaches a file, saves, submits; reads the
comment of the secretariat, which returned one value, corrects it and submits it again. The page
is sent URL-encoded, the lighter form for the server, unless a file is attached."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from monitoring.models import Status, Value
from monitoring.values import services
from tests.browser.conftest import es, es_count, follow_menu, sign_in
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CAMPAIGNS = "SEN-1.1.1-a"  # a count, no breakdown
WORKSHOPS = "SEN-2.1.1-a"  # a count
BUDGET = "SEN-2.1.3-a"  # yes or no
TRAINERS = "TRA-2.1.1-a"  # a count broken down by level
MEDIA = "TRA-2.1.2-a"  # text
TYPED = {
    "campaigns": "12",
    "campaigns_comment": "Campañas en radio comunitaria y redes sociales.",
    "trainers": "12",
    "trainers_national": "10",
    "trainers_unknown": "2",
    "media": "Cobertura en prensa escrita y en radio comunitaria.",
}
EVIDENCE = b"%PDF-1.4\n%lista de talleres\n"
URLENCODED = "application/x-www-form-urlencoded"
RETURN_COMMENT = "El informe anual cuenta 15 campañas: revise la cifra, por favor."


def row(page, code):
    """An indicator's row of the entry page: the group its legend names."""
    return page.get_by_role("group", name=re.compile(rf"^{re.escape(code)}\b"))


def value_box(page, code):
    return row(page, code).get_by_role("textbox", name=es("Value"), exact=True)


def test_focal_point_fills_corrects_submits_and_resubmits(
    open_page, shoot, secretariat, django_user_model, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # the evidence file
    make_user("focal-gt", django_user_model.Role.FOCAL_POINT, "GT")
    page = open_page("/es/")
    sign_in(page, "focal-gt", PASSWORD)
    follow_menu(page, "Report values")  # straight to Guatemala's open period
    expect(page).to_have_url(re.compile(r"/es/monitoring/entry/GT/2026/$"))

    # Everything typed, one figure in words: nothing is saved, the error stands beside it.
    value_box(page, CAMPAIGNS).fill(TYPED["campaigns"])
    row(page, CAMPAIGNS).get_by_role("textbox", name=re.compile(es("Comment"))).fill(
        TYPED["campaigns_comment"]
    )
    value_box(page, WORKSHOPS).fill("tres")
    row(page, BUDGET).get_by_role("radio", name=es("Yes")).check()
    value_box(page, TRAINERS).fill(TYPED["trainers"])
    national = row(page, TRAINERS).get_by_role("textbox", name=es("National"))
    expect(national).to_be_hidden()  # the breakdown is collapsed until opened
    row(page, TRAINERS).locator("summary").click()
    national.fill(TYPED["trainers_national"])
    row(page, TRAINERS).get_by_role("textbox", name=es("Not specified")).fill(
        TYPED["trainers_unknown"]
    )
    value_box(page, MEDIA).fill(TYPED["media"])
    with sent_form(page) as form:
        page.get_by_role("button", name=es("Save as draft")).first.click()
    assert form.value.headers["content-type"] == URLENCODED

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(es("Nothing was saved"))
    wrong = value_box(page, WORKSHOPS)
    expect(wrong).to_have_value("tres")
    expect(wrong).to_have_attribute("aria-invalid", "true")
    expect(wrong).to_have_accessible_description(re.compile(re.escape(es("Enter a number."))))
    expect(value_box(page, CAMPAIGNS)).to_have_value(TYPED["campaigns"])
    expect(
        row(page, CAMPAIGNS).get_by_role("textbox", name=re.compile(es("Comment")))
    ).to_have_value(TYPED["campaigns_comment"])
    expect(row(page, BUDGET).get_by_role("radio", name=es("Yes"))).to_be_checked()
    expect(value_box(page, TRAINERS)).to_have_value(TYPED["trainers"])
    expect(row(page, TRAINERS).get_by_role("textbox", name=es("National"))).to_have_value(
        TYPED["trainers_national"]
    )
    expect(value_box(page, MEDIA)).to_have_value(TYPED["media"])
    assert _statuses() == {}
    alert.get_by_role("link", name=re.compile(WORKSHOPS)).click()
    page.evaluate("window.scrollBy(0, -140)")  # the heading above the row, in the picture
    shoot(page, "focal-entry-error", docs=True)

    # Corrected, the list of workshops attached: saved as drafts, then submitted.
    value_box(page, WORKSHOPS).fill("3")
    row(page, WORKSHOPS).locator('input[type="file"]').set_input_files(
        {"name": "talleres.pdf", "mimeType": "application/pdf", "buffer": EVIDENCE}
    )
    with sent_form(page) as form:
        page.get_by_role("button", name=es("Save as draft")).first.click()
    assert form.value.headers["content-type"].startswith("multipart/form-data")
    saved = es_count("Saved as draft: %(count)s value.", "Saved as draft: %(count)s values.", 5)
    expect(page.get_by_role("status")).to_contain_text(saved)
    assert _statuses() == dict.fromkeys(
        [CAMPAIGNS, WORKSHOPS, BUDGET, TRAINERS, MEDIA], Status.DRAFT
    )
    workshops = Value.objects.get(country__code="GT", indicator__code=WORKSHOPS)
    assert workshops.evidence.read() == EVIDENCE
    page.get_by_role("button", name=es("Save and submit to the secretariat")).first.click()
    expect(page.get_by_role("status")).to_contain_text(submitted(5))
    assert set(_statuses().values()) == {Status.SUBMITTED}

    # The secretariat returns one value (its own journey does this in its browser).
    campaigns = Value.objects.get(country__code="GT", indicator__code=CAMPAIGNS)
    services.value_return(user=secretariat, value=campaigns, comment=RETURN_COMMENT, path="form")

    follow_menu(page, "Report values")
    returned = row(page, CAMPAIGNS)
    expect(returned.get_by_role("note")).to_contain_text(RETURN_COMMENT)
    expect(value_box(page, WORKSHOPS)).to_have_count(0)  # submitted values are read-only now
    returned.scroll_into_view_if_needed()
    shoot(page, "focal-entry-returned", docs=True)
    value_box(page, CAMPAIGNS).fill("15")
    page.get_by_role("button", name=es("Save and submit to the secretariat")).first.click()
    expect(page.get_by_role("status")).to_contain_text(submitted(1))
    campaigns.refresh_from_db()
    assert campaigns.status == Status.SUBMITTED and campaigns.number == Decimal(15)
    assert set(_statuses().values()) == {Status.SUBMITTED}


def sent_form(page):
    return page.expect_request(lambda request: request.method == "POST")


def submitted(count: int) -> str:
    return es_count(
        "%(count)s value submitted to the secretariat.",
        "%(count)s values submitted to the secretariat.",
        count,
    )


def _statuses() -> dict:
    values = Value.objects.filter(country__code="GT", period__code="2026")
    return dict(values.values_list("indicator__code", "status"))
