"""The strategy document, as loaded from fixtures/: complete, consistent, bilingual."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.utils import translation
from modeltranslation.translator import translator

from monitoring.models import Value
from referrals.models import Actor, Route
from strategy.models import (
    Activity,
    Approach,
    Axis,
    Country,
    Definition,
    Difference,
    GlossaryTerm,
    Goal,
    Indicator,
    Instrument,
    NationalInstrument,
    Ratification,
)
from tests.test_translations import entries as catalogue_entries

pytestmark = pytest.mark.django_db

MEMBER_COUNTRIES = {"BZ", "CR", "SV", "GT", "HN", "MX", "NI", "PA", "DO"}

# Chart 3 as printed: identified victims per country, 2017, 2018, 2019, and the printed totals.
CHART_3 = {
    "BZ": (9, 17, 4),
    "CR": (39, 30, 62),
    "SV": (72, 46, 124),
    "HN": (150, 85, 84),
    "GT": (316, 371, 434),
    "MX": (1080, 706, 662),
    "NI": (12, 32, 8),
    "PA": (11, 54, 9),
    "DO": (102, 96, 195),
}
CHART_3_TOTALS = {"2017": 1791, "2018": 1437, "2019": 1582}

# The operative matrix of section VII.c: activities, goals and indicators per axis.
MATRIX_SHAPE = {
    1: {
        "activities": ["1.1", "1.2", "2.1", "2.2"],
        "goals": ["1.1.1", "1.2.1", "2.1.1", "2.1.2", "2.1.3"],
        "indicators": 6,
    },
    2: {
        "activities": ["1.1", "2.1", "2.2", "2.3"],
        "goals": ["1.1.1", "2.1.1", "2.1.2", "2.1.3"],
        "indicators": 5,
    },
    3: {"activities": ["1.1"], "goals": ["1.1.1"], "indicators": 4},
    4: {
        "activities": ["1.1", "1.2", "1.3", "1.4"],
        "goals": ["1.1.1", "1.2.1", "1.3.1", "1.4.1"],
        "indicators": 3,
    },
}


def test_the_nine_member_countries_each_with_its_governing_body():
    countries = Country.objects.select_related("governing_body")
    assert {c.code for c in countries} == MEMBER_COUNTRIES
    assert all(c.governing_body.name_es and c.governing_body.name_en for c in countries)


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_each_axis_has_its_whole_operative_matrix(number):
    axis = Axis.objects.get(number=number)
    shape = MATRIX_SHAPE[number]
    activities = Activity.objects.filter(objective__axis=axis)
    goals = Goal.objects.filter(activity__objective__axis=axis)
    indicators = Indicator.objects.filter(goal__activity__objective__axis=axis)
    assert axis.operational_objectives.exists()
    assert list(activities.values_list("code", flat=True)) == shape["activities"]
    assert list(goals.values_list("code", flat=True)) == shape["goals"]
    assert indicators.count() == shape["indicators"]
    assert all(a.responsible == "CORETT" for a in activities)


def test_indicator_codes_are_unique_and_name_their_goal():
    for indicator in Indicator.objects.filter(goal__isnull=False).select_related("goal"):
        assert f"-{indicator.goal.code}-" in indicator.code


def test_the_stated_target_of_two_regional_campaigns():
    assert (
        Indicator.objects.get(goal__activity__objective__axis__number=1, goal__code="1.1.1").target
        == 2
    )


def test_approaches_principles_definitions_and_chart_2():
    assert Approach.objects.filter(kind="approach").count() == 5
    assert Approach.objects.filter(kind="principle").count() == 5
    assert list(
        Definition.objects.filter(protocol="trafficking").values_list("letter", flat=True)
    ) == list("abcd")
    assert list(
        Definition.objects.filter(protocol="smuggling").values_list("letter", flat=True)
    ) == list("abcd")
    assert Difference.objects.count() == 5


def test_every_cell_of_chart_1_is_present():
    instruments = Instrument.objects.count()
    assert instruments == 23
    assert Ratification.objects.count() == instruments * len(MEMBER_COUNTRIES)
    for instrument in Instrument.objects.prefetch_related("ratifications__country"):
        assert {r.country.code for r in instrument.ratifications.all()} == MEMBER_COUNTRIES


def test_chart_1_cells_read_back_to_their_printed_text():
    """Each stored date is a reading of the printed cell (day-first or month-first)."""
    for r in Ratification.objects.all():
        printed = r.source_text.replace(" a", "").strip()
        if r.date is None:
            assert printed == ""
            continue
        day_first = f"{r.date.day:02d}/{r.date.month:02d}/{r.date.year}"
        month_first = f"{r.date.month:02d}/{r.date.day:02d}/{r.date.year}"
        normalized = "/".join(part.zfill(2) for part in printed.split("/"))
        assert normalized in {day_first, month_first}, (r, r.source_text)
        assert r.accession == r.source_text.endswith(" a")


def test_cells_that_disagree_with_the_depositary_are_flagged_and_explained():
    doubtful = Ratification.objects.filter(doubtful=True)
    # 35: Guatemala's Convention 105 cell no longer claims a day that no record we cite gives.
    assert doubtful.count() == 35
    assert all(r.note_es and r.note_en and r.date for r in doubtful)


def test_the_cells_whose_note_refers_to_the_source_notes_name_their_entry():
    referring = Ratification.objects.filter(note_en__contains="(see the source notes)")
    assert referring.count() == 32
    assert set(referring.values_list("source_note", flat=True)) == {"column-order-in-several-rows"}
    assert all("(véanse las notas de fuente)" in r.note_es for r in referring)
    assert not Ratification.objects.exclude(pk__in=referring).exclude(source_note="").exists()


def test_chart_3_figures_and_totals():
    values = (
        Value.objects.validated()
        .for_indicator("identified-victims")
        .select_related("country", "period")
    )
    assert {(v.country.code, v.period.code): v.number for v in values} == {
        (code, year): Decimal(figure)
        for code, figures in CHART_3.items()
        for year, figure in zip(("2017", "2018", "2019"), figures, strict=True)
    }
    assert values.regional_totals() == {
        year: Decimal(total) for year, total in CHART_3_TOTALS.items()
    }


def test_the_glossary_has_the_sixteen_terms_of_annex_a_and_the_portals_referral():
    assert GlossaryTerm.objects.exclude(slug="referral").count() == 16
    referral = GlossaryTerm.objects.get(slug="referral")
    assert (referral.term_es, referral.term_en) == ("Referencia", "Referral")
    assert "«derivación»" in referral.definition_es and "derivación" in referral.definition_en


# --- Corrections found by reading the fixtures against the document (issue 15) -----------------

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NOTES = Path(__file__).resolve().parent.parent / "docs" / "source-notes"


def spanish_texts():
    """Every Spanish text of the reference data in the fixtures: (file, pk, field, text)."""
    for path in sorted(FIXTURES.glob("*/*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            for field, text in entry["fields"].items():
                if field.endswith("_es") and isinstance(text, str):
                    yield path.name, entry["pk"], field, text


def test_referral_is_referencia_in_spanish_everywhere_but_once_in_the_glossary():
    """The region's protocols say "referencia": the fixtures, the pages and the interface too;
    the glossary's term for it mentions "derivación", once."""
    derivacion = re.compile(r"\bderiva(ción|ciones|r|da|do)\b", re.I)
    found = [(name, pk, f) for name, pk, f, text in spanish_texts() if derivacion.search(text)]
    assert found == [("05_glossary.yaml", 17, "definition_es")]
    assert Axis.objects.get(number=4).name_es == "Detección y referencia"
    interface = [s for _c, _id, _p, strings in catalogue_entries("es") for s in strings]
    assert not [text for text in interface if derivacion.search(text)]
    with translation.override("es"):
        assert translation.gettext("Referral directory") == "Directorio de referencia"


def test_panamas_smuggling_column_is_said_to_be_present_and_empty():
    panama = Country.objects.get(code="PA")
    assert "presente pero vacía" in panama.source_gaps_es
    assert "República Dominicana" in panama.source_gaps_es
    assert "present but empty" in panama.source_gaps_en
    assert "Dominican Republic's row follows" in panama.source_gaps_en
    assert "ends before" not in panama.source_gaps_en
    assert not NationalInstrument.objects.filter(country=panama, crime="smuggling").exists()


def test_belizes_acts_are_named_as_a_spanish_reader_names_them_beside_the_official_title():
    acts = NationalInstrument.objects.filter(country__code="BZ", crime="trafficking")
    texts = [act.text_es for act in acts.order_by("order")[:2]]
    assert texts == [
        "Ley de Prohibición de la Trata de Personas de 2013 (título oficial en inglés: "
        "Trafficking in Persons (Prohibition) Act, 2013).",
        "Ley de Prohibición de la Explotación Sexual Comercial de Niños de 2013 (título oficial "
        "en inglés: Commercial Sexual Exploitation of Children (Prohibition) Act, 2013).",
    ]
    route = Route.objects.get(country__code="BZ")
    assert "Ley de Prohibición de la Trata de Personas de 2013" in route.source_es
    everywhere = [text for _n, _pk, _f, text in spanish_texts()]
    assert not any("(Prohibición)" in text for text in everywhere)


def test_unodc_is_the_guardian_of_the_protocol_not_its_custody():
    unodc = Actor.objects.get(acronym_en="UNODC")
    assert unodc.services_es.startswith("Custodio del Protocolo contra la trata de personas")
    assert "Custodia" not in unodc.services_es


def test_no_note_states_an_outside_fact_without_its_source():
    hedges = re.compile(r"as far as (we|I) know|hasta donde sabemos", re.I)
    assert not [pk for _n, pk, _f, text in spanish_texts() if hedges.search(text)]
    assert not Ratification.objects.filter(note_en__iregex=r"as far as (we|I) know").exists()
    assert not hedges.search((NOTES / "normative.md").read_text())
    guatemala_c105 = Ratification.objects.get(pk=31)
    assert "NORMLEX" in guatemala_c105.note_en and "NORMLEX" in guatemala_c105.note_es
    assert "9 December 1959" not in guatemala_c105.note_en and not guatemala_c105.doubtful
    belize_migrant_workers = Ratification.objects.get(pk=180)
    for note in (belize_migrant_workers.note_en, belize_migrant_workers.note_es):
        assert "CMW/C/BLZ/CO/1" in note and "14" in note


def test_the_normative_notes_no_longer_call_correct_utf8_mojibake():
    notes = (NOTES / "normative.md").read_text(encoding="utf-8")
    assert "is\n  mojibake" not in notes and 'mojibake for "Pará"' not in notes
    assert '"Belem"' in notes and "correct UTF-8" in notes


def test_every_required_translated_field_has_spanish_and_english():
    missing = []
    for model in translator.get_registered_models():
        options = translator.get_options_for_model(model)
        for field_name in options.fields:
            if model._meta.get_field(field_name).blank:
                continue
            for obj in model.objects.all():
                for lang in ("es", "en"):
                    if not getattr(obj, f"{field_name}_{lang}"):
                        missing.append(f"{model.__name__} {obj.pk} {field_name}_{lang}")
    assert not missing


def test_loading_twice_changes_nothing():
    models = [m for m in apps.get_models() if m._meta.app_label in {"strategy", "monitoring"}]

    def snapshot():
        return {m.__name__: serializers.serialize("json", m.objects.order_by("pk")) for m in models}

    before = snapshot()
    call_command("load_strategy", verbosity=0)
    assert snapshot() == before
