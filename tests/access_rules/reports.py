"""PDF progress reports (monitoring/report_urls.py and the `reports` API).

The archive and the request form are for every signed-in account (what each may ask for and see
is tested in tests/test_reports_access.py). A report's page, its download and its API answers are
tested on Honduras's report with drafts, asked for by its focal point: only they and the
secretariat may see it (observers see no drafts; other focal points never see another country's
reports). It is made on first use by a GET and stays queued (the matrix runs no worker), so the
download answers with a way back to its page. The API request asks for the same draft report:
the focal point of Honduras and the secretariat may; observers (no drafts) and other focal points
may not."""

from corett.models import User
from monitoring.models import Period, ReportRequest
from strategy.models import Country
from tests.access_rules import API_COUNTRY, COUNTRY, SIGNED_IN, Rule


def hn_draft_report():
    report = ReportRequest.objects.filter(country__code="HN", draft=True).first()
    if report is None:
        report = ReportRequest.objects.create(
            country=Country.objects.get(code="HN"),
            period=Period.objects.get(code="2019"),
            language="es",
            draft=True,
            requested_by=User.objects.get(username="focal-hn"),
        )
    return {"pk": report.pk}


REQUEST = {"scope": "regional", "period": "2019", "language": "es"}
API_REQUEST = {"scope": "HN", "period": "2019", "language": "es", "draft": True}

RULES = {
    "monitoring:reports": Rule(SIGNED_IN),
    "monitoring:report_request": Rule(SIGNED_IN, methods=("get", "post"), data=REQUEST),
    "monitoring:report": Rule(COUNTRY, hn_draft_report, country="HN"),
    "monitoring:report_download": Rule(COUNTRY, hn_draft_report, country="HN"),
    "report-list": Rule(API_COUNTRY, methods=("post",), data=API_REQUEST, country="HN"),
    "report-detail": Rule(API_COUNTRY, hn_draft_report, country="HN"),
    "report-download": Rule(API_COUNTRY, hn_draft_report, country="HN"),
}
