"""The regional figures the strategy gives for 2019 (section IV.a), loaded as printed: regional
validated values of context indicators, never forced to add up, and no total of Chart 3 typed in."""

from decimal import Decimal
from pathlib import Path

import pytest

from monitoring.models import Status, Value
from strategy.models import Indicator

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures/monitoring/03_regional_2019.yaml"

# code: (figure as printed, words of the document's sentence that the source quotes)
PRINTED = {
    "victims-pct-men": ("12", "12% were men"),
    "victims-pct-women": ("30", "30% were women"),
    "victims-pct-child": ("27", "27% were children and adolescents under 18"),
    "victims-pct-girls": ("11", "11% were girls and adolescents"),
    "victims-pct-lgbtiq": ("12", "12% were victims identified with the LGBTIQ+ collective"),
    "victims-pct-inside": ("55", "55% were victims within their country of nationality"),
    "victims-pct-outside": ("15", "15% were victims outside their country of nationality"),
    "victims-pct-sexual": ("48", "48 percent were for sexual exploitation"),
    "victims-pct-labour": ("9", "9 percent were for labor exploitation"),
    "repatriated-victims": ("110", "110 cases of repatriation"),
    "returnees-pct-women": ("36", "36% were women"),
    "returnees-pct-men": ("38", "38% men"),
    "returnees-pct-child": ("14", "14% children and adolescents"),
    "returnees-pct-girls": ("6", "6% were girls and adolescents under 18"),
    "returnees-pct-lgbtiq": ("4", "LGBTIQ + people accounted for 4%"),
}
CHART_3_TOTALS = {"2017": 1791, "2018": 1437, "2019": 1582}


def regional_values():
    return {
        v.indicator.code: v
        for v in Value.objects.filter(indicator__code__in=PRINTED).select_related(
            "indicator", "period"
        )
    }


def test_every_figure_of_the_2019_paragraphs_is_a_validated_regional_value_as_printed():
    values = regional_values()
    assert values.keys() == PRINTED.keys()
    for code, (figure, words) in PRINTED.items():
        value = values[code]
        assert value.number == Decimal(figure), code
        assert value.country is None and value.period.code == "2019", code
        assert value.status == Status.VALIDATED, code
        assert "IV.a" in value.source and words in value.source, code


def test_the_context_indicators_stand_outside_the_matrix_in_both_languages():
    indicators = Indicator.objects.filter(code__in=PRINTED)
    assert sorted(i.pk for i in indicators) == list(range(200, 200 + len(PRINTED)))
    for indicator in indicators:
        assert indicator.goal is None and indicator.target is None
        assert indicator.name_es and indicator.name_en and indicator.name_es != indicator.name_en
        assert len(indicator.code) <= Indicator._meta.get_field("code").max_length
        expected = "count" if indicator.code == "repatriated-victims" else "percentage"
        assert indicator.kind == expected


@pytest.mark.parametrize(
    "codes, printed_sum",
    [
        (["men", "women", "child", "girls", "lgbtiq"], 92),
        (["inside", "outside"], 70),
        (["sexual", "labour"], 57),
    ],
)
def test_shares_keep_the_sums_the_document_prints_not_100(codes, printed_sum):
    values = regional_values()
    assert sum(values[f"victims-pct-{c}"].number for c in codes) == printed_sum


def test_repatriation_shares_add_up_to_98_as_printed():
    values = regional_values()
    shares = ["women", "men", "child", "girls", "lgbtiq"]
    assert sum(values[f"returnees-pct-{c}"].number for c in shares) == 98


def test_the_fixture_explains_why_the_shares_do_not_add_up():
    text = FIXTURE.read_text()
    assert "do NOT add up to 100" in text
    assert "= 92" in text and "= 98" in text


def test_no_total_of_chart_3_is_stored_as_a_value():
    assert not Value.objects.filter(indicator__code="identified-victims", country__isnull=True)
    typed = Value.objects.filter(number__in=list(CHART_3_TOTALS.values()))
    assert not typed.exists()
    computed = Value.objects.validated().for_indicator("identified-victims").regional_totals()
    assert computed == {year: Decimal(total) for year, total in CHART_3_TOTALS.items()}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_regional_dashboard_shows_the_2019_shares_with_their_caveat(client, lang):
    html = client.get(f"/{lang}/monitoring/dashboard/").content.decode()
    section = html[html.index('id="context-title"') :]
    for code, (figure, _words) in PRINTED.items():
        shown = f">{figure}%<" if code != "repatriated-victims" else f"<strong>{figure}</strong>"
        assert shown in section, code
    for printed_sum in ("92", "70", "57", "98"):
        assert f" {printed_sum}%." in section
    if lang == "en":
        assert "they do not add up to 100%" in section
