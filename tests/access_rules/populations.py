"""Population denominators: the secretariat's alone (corett.access.can_manage_periods). The UNODC
layout of the identified victims is public, breakdowns protected for whoever is looking."""

from monitoring.models import Population
from tests.access_rules import PUBLIC, SECRETARIAT, Rule

NEW_ROW = {
    "country": 1,
    "year": 2030,
    "total": 1000,
    "source": "A census",
    "source_date": "2026-01-01",
}


def a_population():
    return {"pk": Population.objects.order_by("pk").first().pk}


RULES = {
    "monitoring:populations": Rule(SECRETARIAT),
    "monitoring:population_create": Rule(SECRETARIAT, methods=("get", "post"), data=NEW_ROW),
    "monitoring:population_edit": Rule(
        SECRETARIAT,
        a_population,
        methods=("get", "post"),
        data={**NEW_ROW, "total": 999_999, "version": 1},
    ),
    "monitoring:population_export_xlsx": Rule(SECRETARIAT),
    "monitoring:population_export_csv": Rule(SECRETARIAT),
    "monitoring:population_import": Rule(SECRETARIAT, methods=("get", "post")),
    "monitoring:population_preview": Rule(SECRETARIAT, {"token": "no-such-import"}),
    "monitoring:population_confirm": Rule(
        SECRETARIAT, {"token": "no-such-import"}, methods=("post",)
    ),
    "monitoring:spreadsheet_unodc_xlsx": Rule(PUBLIC),
    "monitoring:spreadsheet_unodc_csv": Rule(PUBLIC),
}
