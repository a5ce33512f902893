"""The one value formatter (monitoring.values.formatting): how a stored figure reads on every page,
in e-mails, charts, exports and reports, in both languages."""

from decimal import Decimal

import pytest
from django.utils import translation

from monitoring.values.formatting import cell, input_number, value_text
from strategy.models import Indicator

Kind = Indicator.Kind


@pytest.mark.parametrize(
    ("language", "kind", "number", "text", "expected"),
    [
        ("en", Kind.COUNT, Decimal("1234.00"), "", "1,234"),
        ("es", Kind.COUNT, Decimal("1234.00"), "", "1,234"),  # the region's grouping, not 1.234
        ("en", Kind.COUNT, Decimal("12.50"), "", "12.5"),
        ("en", Kind.PERCENTAGE, Decimal("45.50"), "", "45.5%"),
        ("es", Kind.PERCENTAGE, Decimal("45.50"), "", "45.5 %"),
        ("en", Kind.PERCENTAGE, Decimal("100.00"), "", "100%"),
        ("en", Kind.YES_NO, Decimal("1.00"), "", "Yes"),
        ("es", Kind.YES_NO, Decimal("0.00"), "", "No"),
        ("es", Kind.YES_NO, Decimal("1.00"), "", "Sí"),
        ("en", Kind.YES_NO, "1.00", "", "Yes"),  # as the audit trail keeps it
        ("en", Kind.TEXT, None, "Trained the judges", "Trained the judges"),
        ("en", Kind.COUNT, None, "", "—"),
        ("en", Kind.TEXT, None, "", "—"),
        ("en", Kind.COUNT, "<5", "", "<5"),  # a protected small cell keeps its secret
    ],
)
def test_a_value_reads_the_same_everywhere(language, kind, number, text, expected):
    with translation.override(language):
        assert value_text(kind, number, text) == expected


def test_inputs_and_spreadsheet_cells_keep_the_figure_as_typed():
    assert input_number(Decimal("12.00")) == "12"
    assert input_number(Decimal("12.50")) == "12.5"
    assert input_number(None) == ""
    assert cell(Kind.COUNT, Decimal("7.00")) == 7
    assert cell(Kind.PERCENTAGE, Decimal("12.50")) == Decimal("12.50")
    assert cell(Kind.PERCENTAGE, Decimal("100.00")) == 100
    assert cell(Kind.TEXT, None, "text") == "text"
