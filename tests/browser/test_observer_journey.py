"""An observer in a browser: asks for Guatemala's progress report in Spanish, follows its state on
the report's page and downloads the PDF. (Celery runs in-process in tests, so the report is
written as soon as it is asked for; a real worker is tested with the reports themselves.)"""

import re
from io import BytesIO

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from monitoring.models import Period, ReportRequest
from monitoring.values import services
from strategy.models import Country, Indicator
from tests.browser.conftest import es, follow_menu, sign_in
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CAMPAIGNS = "SEN-1.1.1-a"


def test_observer_asks_for_a_country_report_and_downloads_it(
    open_page, shoot, observer, secretariat, django_user_model, settings, tmp_path
):
    settings.REPORTS_ROOT = tmp_path / "reports"
    _validated_guatemala_value(secretariat, django_user_model)

    page = open_page("/es/")
    sign_in(page, "observer", PASSWORD)
    follow_menu(page, "Reports")
    page.get_by_role("link", name=es("Ask for a report")).click()
    scope = page.get_by_role("combobox").filter(has=page.get_by_role("option", name="Guatemala"))
    scope.select_option(label="Guatemala")
    page.get_by_role("combobox", name=es("Reporting period")).select_option("2026")
    page.get_by_role("radio", name="Español").check()
    shoot(page, "observer-report-request")
    page.get_by_role("button", name=es("Ask for the report")).click()

    status = page.get_by_role("status").filter(has_text=es("Download the PDF"))
    expect(status).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guatemala, 2026")
    shoot(page, "observer-report-status", docs=True)
    report = ReportRequest.objects.get()
    assert (report.country.code, report.period.code, report.language) == ("GT", "2026", "es")
    assert report.status == ReportRequest.State.DONE and report.requested_by.username == "observer"

    # The PDF opens in the browser's viewer, from where it is saved; its bytes are read with the
    # same session, as the browser fetched them.
    status.get_by_role("link", name=es("Download the PDF")).click()
    expect(page).to_have_url(re.compile(rf"/es/monitoring/reports/{report.pk}/download/$"))
    page.wait_for_timeout(1500)  # the viewer draws the first page
    shoot(page, "observer-report-pdf", docs=True)
    response = page.request.get(page.url)
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="corett-gt-2026-es.pdf"' in response.headers["content-disposition"]
    pdf = response.body()
    assert pdf.startswith(b"%PDF")
    text = "\n".join(sheet.extract_text() for sheet in PdfReader(BytesIO(pdf)).pages)
    assert "Guatemala" in text
    assert "Número de campañas" in text  # in Spanish, with the validated figure's indicator


def _validated_guatemala_value(secretariat, django_user_model):
    """A figure of Guatemala's for 2026 that has been through the whole workflow."""
    focal_gt = make_user("focal-gt", django_user_model.Role.FOCAL_POINT, "GT")
    value = services.value_save(
        user=focal_gt,
        indicator=Indicator.objects.get(code=CAMPAIGNS),
        country=Country.objects.get(code="GT"),
        period=Period.objects.get(code="2026"),
        number="12",
        path="form",
    )
    value = services.value_submit(user=focal_gt, value=value, path="form")
    services.value_validate(user=secretariat, value=value, path="form")
