"""Every spreadsheet import against bad files (tests/hostile/corpus.py, bad_files): wrong
encodings, semicolons, decimal commas, duplicate keys, header only, empty, a renamed PNG, a zip
bomb, an oversized file. Each is refused with a message in the user's language, at the upload or
in the preview (which then cannot be confirmed); nothing is written; never a 500.

And text that starts a formula goes out through every export neutralised and comes back in
unchanged.

IMPORTS names each import: a new one (the directory's, say) is a new entry.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from monitoring.models import Period, Value
from monitoring.spreadsheets.template import template_csv
from monitoring.values import services
from strategy.models import Activity, Country, Indicator
from strategy.spreadsheets import export_csv

from .conftest import client_as
from .corpus import (
    FORMULAS,
    Unchanged,
    assert_escaped,
    assert_no_server_error,
    bad_files,
    csv_text,
    fingerprint,
)


def rows_of(csv_bytes: bytes) -> list[list[str]]:
    return [list(row) for row in csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig")))]


def plan_rows() -> list[list]:
    """The plan as exported, with the first activity's Spanish text changed."""
    rows = rows_of(export_csv())
    rows[1][5] = rows[1][5] + " (revisada)"
    return rows


def value_rows() -> list[list]:
    """Honduras's 2026 template with a value in its first row."""
    rows = rows_of(template_csv(Country.objects.get(code="HN"), Period.objects.get(code="2026")))
    rows[1][7] = "3"
    return rows


def directory_rows() -> list[list]:
    """Honduras's entries of the directory as exported, with the first one's name changed."""
    from referrals.models import Actor
    from referrals.spreadsheets import export_csv as directory_csv

    rows = rows_of(directory_csv(Actor.objects.filter(country__code="HN").order_by("pk")))
    rows[1][7] = rows[1][7] + " (revisada)"  # name_es
    return rows


def population_rows() -> list[list]:
    """Honduras's populations as exported, with the first one's total changed."""
    from monitoring.models import Population
    from monitoring.populations.columns import populations_csv

    populations = Population.objects.filter(country__code="HN").select_related("country")
    rows = rows_of(populations_csv(populations.order_by("year")))
    rows[1][2] = str(int(rows[1][2]) + 1)  # total
    return rows


@dataclass
class Import:
    role: str
    upload: str  # URL names: the upload page, the preview, the confirm
    preview: str
    confirm: str
    rows: Callable[[], list[list]]  # a valid table, header first, with a change to import
    number_column: int  # a column holding a number in row 1
    key_column: int  # a column whose other value in a repeated row makes the key ambiguous
    other_value: str
    # Odd files this import takes on purpose: {bad file: a check that it was read right}.
    takes: dict = field(default_factory=dict)


IMPORTS = {
    "plan": Import(
        "secretariat",
        "spreadsheet:index",
        "spreadsheet:preview",
        "spreadsheet:confirm",
        plan_rows,
        number_column=22,  # indicator_target
        key_column=5,  # activity_text_es
        other_value="Otra actividad",
        # Spanish Excel writes decimal commas: the plan reads them (strategy.spreadsheets).
        takes={
            "decimal comma": lambda: (
                Indicator.objects.get(code="SEN-1.1.1-a").target == Decimal("1.5")
            )
        },
    ),
    "values": Import(
        "focal-hn",
        "monitoring:spreadsheet_import",
        "monitoring:spreadsheet_preview",
        "monitoring:spreadsheet_confirm",
        value_rows,
        number_column=7,  # value
        key_column=7,
        other_value="4",
    ),
    "populations": Import(
        "secretariat",
        "monitoring:population_import",
        "monitoring:population_preview",
        "monitoring:population_confirm",
        population_rows,
        number_column=2,  # total
        key_column=7,  # source: a second row for the same country and year
        other_value="Otra fuente",
    ),
    "directory": Import(
        "focal-hn",
        "referrals:import",
        "referrals:import_preview",
        "referrals:import_confirm",
        directory_rows,
        number_column=1,  # version
        key_column=7,  # name_es
        other_value="Otra institución",
    ),
}


def errors_shown(response, language) -> list[str]:
    """The upload's error messages, as the page in this language shows them."""
    with translation.override(language):
        messages = [str(error) for error in response.context["form"].errors["file"]]
    html = response.content.decode()
    return [message for message in messages if escape(message) in html]


def upload(client, url, name, content):
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def files(spec: Import) -> dict:
    return bad_files(
        spec.rows(),
        number_column=spec.number_column,
        key_column=spec.key_column,
        other=spec.other_value,
    )


BAD = ["empty csv", "empty xlsx", "windows-1252 csv", "utf-16 csv", "semicolons", "decimal comma"]
BAD += ["duplicate keys", "header only csv", "header only xlsx", "png named .xlsx"]
BAD += ["png named .csv", "zip bomb", "oversized", "NUL in csv"]
CASES = [pytest.param(kind, name, id=f"{kind}: {name}") for kind in IMPORTS for name in BAD]


@pytest.mark.parametrize("kind", IMPORTS)
def test_the_valid_file_is_taken(client, world, kind):
    spec = IMPORTS[kind]
    client = client_as(client, world, spec.role)
    content = csv_text(spec.rows()).encode()
    before = fingerprint()

    response = upload(client, reverse(spec.upload), "data.csv", content)
    assert response.status_code == 302, response.content.decode()[:2000]
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert client.get(response["Location"]).context["can_confirm"]
    response = client.post(reverse(spec.confirm, args=[token]))

    assert response.status_code == 302
    assert fingerprint() != before


@pytest.mark.parametrize("kind, name", CASES)
def test_bad_files_are_refused_with_a_message_and_write_nothing(client, world, kind, name):
    spec = IMPORTS[kind]
    client = client_as(client, world, spec.role)
    filename, content = files(spec)[name]
    unchanged = Unchanged()

    with unchanged.watch():
        response = upload(client, reverse(spec.upload), filename, content)
    assert_no_server_error(response)
    assert_escaped(response)
    if response.status_code == 400:
        in_spanish = errors_shown(response, "es")
        with translation.override("en"):
            english = upload(client, reverse(spec.upload), filename, content)
        in_english = errors_shown(english, "en")
        assert in_spanish and in_english, "refused without a message"
        assert in_spanish != in_english, "the message is not in the user's language"
        assert unchanged
        return
    if name in spec.takes:
        assert response.status_code == 302
        token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
        assert client.get(response["Location"]).context["can_confirm"]
        client.post(reverse(spec.confirm, args=[token]))
        assert spec.takes[name]()
        return
    # Read, but not importable: the preview says why, and confirming writes nothing.
    assert response.status_code == 302, response.status_code
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert_escaped(preview)
    assert preview.context["has_errors"] or not preview.context["can_confirm"]
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    with unchanged.watch():
        confirmed = client.post(reverse(spec.confirm, args=[token]))
    assert_no_server_error(confirmed)
    assert unchanged


# --- Formula triggers: out neutralised, back in unchanged ----------------------------------------


def cells_of(response, fmt) -> list:
    if fmt == "csv":
        return [cell for row in rows_of(response.content) for cell in row]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formulas_in_plan_texts_go_out_quoted_and_come_back_unchanged(client, world, fmt):
    from strategy import services as plan_services

    client = client_as(client, world, "secretariat")
    activities = list(Activity.objects.current().order_by("pk")[: len(FORMULAS)])
    for activity, formula in zip(activities, FORMULAS, strict=True):
        plan_services.plan_item_update(
            user=world["secretariat"],
            instance=activity,
            data={"responsible_es": formula + " CORETT"},
            version=activity.version,
        )

    exported = client.get(reverse(f"spreadsheet:export_{fmt}"))

    cells = cells_of(exported, fmt)
    for formula in FORMULAS:
        assert "'" + formula + " CORETT" in cells, f"{formula!r} not neutralised"
        assert formula + " CORETT" not in cells
    before = fingerprint()
    response = upload(client, reverse("spreadsheet:index"), f"plan.{fmt}", exported.content)
    preview = client.get(response["Location"])
    assert preview.context["counts"]["changed"] == 0 and not preview.context["has_errors"]
    assert fingerprint() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formulas_in_value_comments_go_out_quoted_and_come_back_unchanged(client, world, fmt):
    client = client_as(client, world, "focal-hn")
    counts = Indicator.objects.current().filter(
        kind="count", goal__isnull=False, frequency="annual"
    )
    for indicator, formula in zip(counts.order_by("pk"), FORMULAS, strict=False):
        services.value_save(
            user=world["focal-hn"],
            indicator=indicator,
            country=Country.objects.get(code="HN"),
            period=Period.objects.get(code="2026"),
            number=1,
            comment=formula,
            path="form",
        )
    assert Value.objects.filter(comment__in=[f.strip() for f in FORMULAS]).count() == 5

    for url in (
        reverse(f"monitoring:spreadsheet_values_{fmt}") + "?period=2026&country=HN",
        reverse(
            "monitoring:spreadsheet_template" + ("_csv" if fmt == "csv" else ""),
            kwargs={"period": "2026", "country": "HN"},
        ),
    ):
        cells = cells_of(client.get(url), fmt)
        for formula in FORMULAS:
            assert "'" + formula.strip() in cells, f"{formula!r} not neutralised in {url}"
            assert formula.strip() not in cells

    template = client.get(
        reverse(
            "monitoring:spreadsheet_template" + ("_csv" if fmt == "csv" else ""),
            kwargs={"period": "2026", "country": "HN"},
        )
    )
    before = fingerprint()
    response = upload(
        client, reverse("monitoring:spreadsheet_import"), f"t.{fmt}", template.content
    )
    preview = client.get(response["Location"])
    assert preview.context["counts"]["changed"] == 0 and not preview.context["has_errors"]
    assert fingerprint() == before


def test_every_upload_is_in_the_corpus():
    from .forms import UPLOADS

    assert {spec.upload for spec in IMPORTS.values()} == UPLOADS
