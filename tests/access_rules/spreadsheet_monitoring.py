"""Value spreadsheets: templates for the country's own focal point and the secretariat; the
import for anyone who may enter values (its own tests check that observers get 403); exports
public, filtered by what each user may see."""

from tests.access_rules import COUNTRY, PUBLIC, SIGNED_IN, Rule

COUNTRY_PERIOD = {"period": "2026", "country": "HN"}

RULES = {
    "monitoring:spreadsheets": Rule(PUBLIC),
    "monitoring:spreadsheet_template": Rule(COUNTRY, COUNTRY_PERIOD),
    "monitoring:spreadsheet_template_csv": Rule(COUNTRY, COUNTRY_PERIOD),
    "monitoring:spreadsheet_matrix_xlsx": Rule(PUBLIC, {"period": "2026"}),
    "monitoring:spreadsheet_matrix_csv": Rule(PUBLIC, {"period": "2026"}),
    "monitoring:spreadsheet_values_xlsx": Rule(PUBLIC),
    "monitoring:spreadsheet_values_csv": Rule(PUBLIC),
    "monitoring:spreadsheet_import": Rule(SIGNED_IN, methods=("get", "post")),
    "monitoring:spreadsheet_preview": Rule(SIGNED_IN, {"token": "no-such-import"}),
    "monitoring:spreadsheet_confirm": Rule(
        SIGNED_IN, {"token": "no-such-import"}, methods=("post",)
    ),
}
