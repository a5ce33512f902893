"""Spreadsheet export and import of the operative plan: round trips, preview, confirm, refusals,
formula escaping and access."""

import csv
import io
import itertools
import re
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from corett.spreadsheets import FORMULA_TRIGGERS as FORMULA_STARTS
from corett.spreadsheets import escape_cell, unescape_cell
from strategy import services
from strategy.models import Activity, Axis, Goal, Indicator, OperationalObjective
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

PLAN_MODELS = (Axis, OperationalObjective, Activity, Goal, Indicator)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- helpers ----------------------------------------------------------------------------------


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(f"spreadsheet:{name}", args=args)


def text(response) -> str:
    """The page's visible text, tags dropped and spaces collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def stored_fields(model) -> list[str]:
    """The model's columns, less the untranslated originals of translated fields (their value
    follows the active language: the _es and _en columns are the data)."""
    names = [f.attname for f in model._meta.concrete_fields]
    return [name for name in names if f"{name}_es" not in names]


def snapshot() -> dict:
    """Every stored field of every plan item, and the number of historical records."""
    return {
        model.__name__: (
            [
                {name: getattr(item, name) for name in stored_fields(model)}
                for item in model.objects.order_by("pk")
            ],
            model.history.count(),
        )
        for model in PLAN_MODELS
    }


def differences(before: dict, after: dict) -> list[tuple]:
    """(model, pk, field, before, after) for every stored field that differs."""
    found = []
    for name, (items_before, _count) in before.items():
        items_after = {item["id"]: item for item in after[name][0]}
        for item in items_before:
            other = items_after.get(item["id"], {})
            for field, value in item.items():
                if other.get(field) != value:
                    found.append((name, item["id"], field, value, other.get(field)))
        new_ids = set(items_after) - {item["id"] for item in items_before}
        found += [(name, pk, "created", None, None) for pk in sorted(new_ids)]
    return found


def download(client, fmt: str) -> bytes:
    response = client.get(url(f"export_{fmt}"))
    assert response.status_code == 200
    return response.content


def upload(client, name: str, content: bytes, lang="en"):
    return client.post(url("index", lang=lang), {"file": SimpleUploadedFile(name, content)})


def preview_of(client, response):
    """Follows an upload's redirect to its preview page; returns (token, preview response)."""
    assert response.status_code == 302, text(response)
    token = re.search(r"/imports/([^/]+)/$", response["Location"]).group(1)
    page = client.get(response["Location"])
    assert page.status_code == 200
    return token, page


def confirm(client, token, **extra):
    return client.post(url("confirm", token), extra)


def header_index(sheet, key: str) -> int:
    """The 1-based column of the header ending in [key] (openpyxl worksheet)."""
    for cell in sheet[1]:
        if str(cell.value).endswith(f"[{key}]"):
            return cell.column
    raise AssertionError(f"no column {key}")


def xlsx_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_rows(content: bytes) -> list[dict]:
    """The exported CSV as dicts keyed by the bracketed column keys."""
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    header = next(reader)
    keys = [re.search(r"\[(\w+)\]$", h).group(1) for h in header]
    return [dict(zip(keys, row, strict=True)) for row in reader], header


def csv_bytes(header: list, rows: list[dict]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row.values())
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def row_of_indicator(rows: list[dict], code: str) -> dict:
    return next(row for row in rows if row["indicator_code"] == code)


@pytest.fixture
def editor(client, secretariat):
    return signed_in(client, secretariat)


# -- export -----------------------------------------------------------------------------------


def test_xlsx_has_one_sheet_per_axis_laid_out_like_the_matrix(editor):
    workbook = openpyxl.load_workbook(io.BytesIO(download(editor, "xlsx")))
    assert workbook.sheetnames == [f"{a.number}. {a.name}" for a in Axis.objects.order_by("number")]
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    readable = [re.sub(r" \[\w+\]$", "", h) for h in headers]
    # The document's columns, in its order, in both languages, then the machine columns.
    for a, b in [
        ("Operational objective (Spanish)", "Activity (Spanish)"),
        ("Activity (Spanish)", "Goal (Spanish)"),
        ("Goal (Spanish)", "Indicator (Spanish)"),
        ("Indicator (Spanish)", "Responsible (Spanish)"),
        ("Responsible (Spanish)", "Timeframe (Spanish)"),
    ]:
        assert readable.index(a) < readable.index(b)
    for key in ("activity_text_en", "indicator_kind", "indicator_target", "goal_version"):
        assert f"[{key}]" in " ".join(headers)
    # Each indicator of axis 1 is a row; objective 1 spans two rows, merged like the document.
    codes = [sheet.cell(r, header_index(sheet, "indicator_code")).value for r in range(2, 8)]
    assert codes[:2] == ["SEN-1.1.1-a", "SEN-1.2.1-a"]
    text_es = header_index(sheet, "objective_text_es")
    assert any(
        rng.min_col == text_es and rng.min_row == 2 and rng.max_row == 3
        for rng in sheet.merged_cells.ranges
    )
    target = sheet.cell(2, header_index(sheet, "indicator_target"))
    assert target.value == 2 and target.data_type == "n"  # a number, not text


def test_headers_are_readable_in_the_users_language(editor):
    english = download(editor, "csv").decode("utf-8-sig").splitlines()[0]
    assert english.startswith("Axis [axis],Objective no. [objective_number]")
    spanish = editor.get(url("export_csv", lang="es")).content.decode("utf-8-sig")
    assert "[activity_text_es]" in spanish.splitlines()[0]  # keys stay, whatever the language


def test_export_includes_retired_items_with_their_date(editor, secretariat):
    goal = Goal.objects.get(code="1.2.1", activity__objective__axis__number=1)
    services.plan_item_retire(user=secretariat, instance=goal, version=goal.version)
    rows, _header = csv_rows(download(editor, "csv"))
    row = row_of_indicator(rows, "SEN-1.2.1-a")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["goal_retired"])
    assert row_of_indicator(rows, "SEN-1.1.1-a")["goal_retired"] == ""
    # Every indicator of the matrix is there, and no context indicator.
    matrix = set(Indicator.objects.filter(goal__isnull=False).values_list("code", flat=True))
    assert {r["indicator_code"] for r in rows} - {""} == matrix


def test_csv_has_an_axis_column_and_both_languages(editor):
    rows, _header = csv_rows(download(editor, "csv"))
    assert {row["axis"] for row in rows} == {"1", "2", "3", "4"}
    first = rows[0]
    assert first["activity_text_es"].startswith("Realizar")
    assert first["activity_text_en"].startswith("Carry out")
    assert first["indicator_target"] == "2.00"


# -- round trips ------------------------------------------------------------------------------


def test_xlsx_round_trip_changes_exactly_the_edited_cell(editor, secretariat):
    workbook = openpyxl.load_workbook(io.BytesIO(download(editor, "xlsx")))
    sheet = workbook.worksheets[0]
    column = header_index(sheet, "objective_text_en")
    objective = OperationalObjective.objects.get(axis__number=1, number=1)
    assert sheet.cell(2, column).value == objective.text_en
    sheet.cell(2, column).value = "Raise interest = and response capacity"  # merged over 2 rows
    before = snapshot()

    token, page = preview_of(editor, upload(editor, "plan.xlsx", xlsx_bytes(workbook)))

    shown = text(page)
    assert "Changed rows 1" in shown and "New rows 0" in shown and "Rows with errors 0" in shown
    assert f"{objective.text_en} → Raise interest = and response capacity" in shown
    assert page.content.decode().count('<tr class="status-changed">') == 1
    assert snapshot() == before  # the preview wrote nothing

    response = confirm(editor, token)
    assert response.status_code == 302
    changed = differences(before, snapshot())
    assert sorted(change[2] for change in changed) == ["text_en", "version"]
    assert {change[:2] for change in changed} == {("OperationalObjective", objective.pk)}
    objective.refresh_from_db()
    assert objective.text_en == "Raise interest = and response capacity"
    assert objective.version == 2
    record = objective.history.latest()
    assert record.text_en == objective.text_en and record.history_user == secretariat
    assert "1 changed" in text(editor.get(response["Location"]))


def test_csv_round_trip_changes_exactly_the_edited_cell(editor):
    rows, header = csv_rows(download(editor, "csv"))
    row_of_indicator(rows, "SEN-1.1.1-a")["indicator_target"] = "3,5"  # a decimal comma
    before = snapshot()

    token, page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))

    assert "Changed rows 1" in text(page) and "2.00 → 3.50" in text(page)
    assert confirm(editor, token).status_code == 302
    changed = differences(before, snapshot())
    indicator = Indicator.objects.get(code="SEN-1.1.1-a")
    assert sorted(c[2] for c in changed) == ["target", "version"]
    assert {c[:2] for c in changed} == {("Indicator", indicator.pk)}
    assert indicator.target == Decimal("3.5")
    assert indicator.history.latest().target == Decimal("3.5")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_unedited_export_imports_as_all_unchanged(editor, fmt):
    before = snapshot()
    token, page = preview_of(editor, upload(editor, f"plan.{fmt}", download(editor, fmt)))
    shown = text(page)
    rows = Indicator.objects.filter(goal__isnull=False).count() + 2  # two goals have none
    assert f"Unchanged rows {rows}" in shown and "Changed rows 0" in shown
    assert "nothing to import" in shown and "Confirm the import" not in shown
    confirm(editor, token)
    assert snapshot() == before


def test_text_that_looks_like_a_formula_survives_a_round_trip(editor, secretariat):
    activity = Activity.objects.get(code="1.1", objective__axis__number=1)
    services.plan_item_update(
        user=secretariat,
        instance=activity,
        data={"text_en": "=1+2", "responsible_en": "-2", "timeframe_en": "'=already quoted"},
        version=activity.version,
    )
    for fmt in ("xlsx", "csv"):
        _token, page = preview_of(editor, upload(editor, f"plan.{fmt}", download(editor, fmt)))
        assert "Changed rows 0" in text(page), fmt


def test_new_items_are_added_under_their_parents_with_history(editor, secretariat):
    rows, header = csv_rows(download(editor, "csv"))
    template = row_of_indicator(rows, "SEN-1.1.1-a")
    blank = dict.fromkeys(template, "")
    keep = ("axis", "objective_number", "objective_id", "objective_version")
    keep += ("activity_code", "activity_id", "activity_version")
    new_goal = {
        **blank,
        **{k: template[k] for k in keep},
        "goal_code": "1.1.2",
        "goal_text_es": "Meta nueva",
        "goal_text_en": "New goal",
        "indicator_code": "SEN-1.1.2-a",
        "indicator_name_es": "Número de cosas",
        "indicator_kind": "count",
        "indicator_disaggregations": "level, sex",
        "indicator_target": "10",
    }
    second = {
        **new_goal,
        "goal_text_es": "",
        "goal_text_en": "",
        "indicator_code": "SEN-1.1.2-b",
        "indicator_name_es": "Porcentaje de cosas",
        "indicator_kind": "percentage",
        "indicator_disaggregations": "",
        "indicator_target": "",
    }
    rows[rows.index(template) + 1 : rows.index(template) + 1] = [new_goal, second]
    before = snapshot()

    token, page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))

    shown = text(page)
    assert "New rows 2" in shown and "Rows with errors 0" in shown, shown
    assert snapshot() == before
    assert confirm(editor, token).status_code == 302
    goal = Goal.objects.get(code="1.1.2")
    assert goal.activity.code == "1.1" and goal.text_en == "New goal"
    assert [i.code for i in goal.indicators.order_by("order")] == ["SEN-1.1.2-a", "SEN-1.1.2-b"]
    first = goal.indicators.get(code="SEN-1.1.2-a")
    assert first.disaggregations == ["level", "sex"] and first.target == Decimal("10")
    assert goal.history.latest().history_user == secretariat
    assert len(differences(before, snapshot())) == 3  # one goal, two indicators, nothing else


def test_a_whole_new_branch_is_added_in_one_row(editor, secretariat):
    rows, header = csv_rows(download(editor, "csv"))
    blank = dict.fromkeys(rows[0], "")
    rows.append(
        {
            **blank,
            "axis": "2",
            "objective_number": "9",
            "objective_text_es": "Objetivo nuevo",
            "activity_code": "9.1",
            "activity_text_es": "Actividad nueva",
            "responsible_es": "CORETT",
            "timeframe_es": "2027",
            "goal_code": "9.1.1",
            "goal_text_es": "Meta nueva",
            "indicator_code": "TRA-9.1.1-a",
            "indicator_name_es": "Indicador nuevo",
            "indicator_kind": "yes_no",
        }
    )
    token, page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))
    assert "New rows 1" in text(page) and "Rows with errors 0" in text(page), text(page)
    confirm(editor, token)
    indicator = Indicator.objects.get(code="TRA-9.1.1-a")
    goal = indicator.goal
    assert (goal.code, goal.activity.code, goal.activity.objective.number) == ("9.1.1", "9.1", 9)
    assert goal.activity.objective.axis.number == 2
    assert goal.activity.objective.history.latest().history_change_reason == "created"


def test_an_item_changed_and_retired_in_the_same_file_gets_both(editor):
    rows, header = csv_rows(download(editor, "csv"))
    row = row_of_indicator(rows, "SEN-1.2.1-a")
    row.update(indicator_name_en="Renamed, then retired", indicator_retired="2026-07-01")
    token, _page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))
    assert confirm(editor, token).status_code == 302
    indicator = Indicator.objects.get(code="SEN-1.2.1-a")
    assert indicator.is_retired and indicator.name_en == "Renamed, then retired"
    assert indicator.version == 3


def test_writing_a_date_in_retired_on_retires_the_item(editor, secretariat):
    rows, header = csv_rows(download(editor, "csv"))
    row_of_indicator(rows, "SEN-1.2.1-a")["indicator_retired"] = "2026-06-30"
    token, page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))
    assert "Changed rows 1" in text(page)
    confirm(editor, token)
    indicator = Indicator.objects.get(code="SEN-1.2.1-a")
    assert indicator.is_retired and indicator.history.latest().history_change_reason == "retired"


def test_a_retired_item_is_not_restored_by_an_empty_cell(editor, secretariat):
    indicator = Indicator.objects.get(code="SEN-1.2.1-a")
    services.plan_item_retire(user=secretariat, instance=indicator, version=indicator.version)
    rows, header = csv_rows(download(editor, "csv"))
    row_of_indicator(rows, "SEN-1.2.1-a")["indicator_retired"] = ""
    _token, page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))
    assert "cannot be restored from a spreadsheet" in text(page)


# -- errors: nothing is written ---------------------------------------------------------------


def test_one_bad_row_writes_nothing_and_the_preview_names_row_and_column(editor):
    rows, header = csv_rows(download(editor, "csv"))
    row_of_indicator(rows, "SEN-1.1.1-a")["indicator_name_en"] = "A good change"
    bad = row_of_indicator(rows, "SEN-2.1.1-a")
    bad["indicator_kind"] = "counts"
    bad_row_number = rows.index(bad) + 2  # the header is row 1
    letter = openpyxl.utils.get_column_letter(
        [h.endswith("[indicator_kind]") for h in header].index(True) + 1
    )
    before = snapshot()

    token, page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))

    shown = text(page)
    assert "Rows with errors 1" in shown and "Nothing can be imported" in shown
    assert f"{bad_row_number} Indicator SEN-2.1.1-a error" in shown
    assert f"Column {letter} (Indicator kind): Unknown indicator kind “counts”" in shown
    assert "Confirm the import" not in shown
    confirm(editor, token)  # even if posted anyway
    assert snapshot() == before


def test_an_empty_required_spanish_text_is_an_error_in_an_xlsx(editor):
    workbook = openpyxl.load_workbook(io.BytesIO(download(editor, "xlsx")))
    sheet = workbook.worksheets[1]
    column = header_index(sheet, "activity_text_es")
    sheet.cell(2, column).value = None
    before = snapshot()
    _token, page = preview_of(editor, upload(editor, "plan.xlsx", xlsx_bytes(workbook)))
    shown = text(page)
    letter = openpyxl.utils.get_column_letter(column)
    assert f"{sheet.title} 2 Indicator TRA-1.1.1-a error" in shown
    assert (
        f"Column {letter} (Activity (Spanish)): Required: the plan needs the Spanish text" in shown
    )
    assert snapshot() == before


def test_an_items_cells_on_later_rows_must_match_its_first_row(editor):
    rows, header = csv_rows(download(editor, "csv"))
    second = row_of_indicator(rows, "SEN-1.2.1-a")  # objective 1's second row: texts left empty
    assert second["objective_text_en"] == ""
    second["objective_text_en"] = "Something else"
    _token, page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))
    assert "Differs from row 2, where this item is first given" in text(page)


def test_a_file_exported_before_someone_elses_change_is_refused_at_preview(editor, secretariat):
    content = download(editor, "csv")
    activity = Activity.objects.get(code="1.1", objective__axis__number=1)
    services.plan_item_update(
        user=secretariat, instance=activity, data={"timeframe_en": "2030"}, version=1
    )
    _token, page = preview_of(editor, upload(editor, "plan.csv", content))
    assert "changed after the file was exported (version 1 in the file, 2 in the plan)" in text(
        page
    )
    assert "Confirm the import" not in text(page)


def test_a_change_since_the_preview_refuses_the_whole_import(editor, secretariat):
    rows, header = csv_rows(download(editor, "csv"))
    row_of_indicator(rows, "SEN-1.1.1-a")["indicator_name_en"] = "First change"
    row_of_indicator(rows, "DET-1.1.1-a")["indicator_name_en"] = "Last change"
    token, page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))
    assert "Changed rows 2" in text(page)
    # Someone else edits the item the import changes last.
    other = Indicator.objects.get(code="DET-1.1.1-a")
    services.plan_item_update(user=secretariat, instance=other, data={"unit_en": "x"}, version=1)
    before = snapshot()

    response = confirm(editor, token)

    assert response.status_code == 409
    assert "Indicator DET-1.1.1-a was changed by someone else after your preview" in text(response)
    assert snapshot() == before  # the first change was rolled back too
    assert confirm(editor, token).status_code == 302  # the preview is gone
    assert snapshot() == before


def test_a_header_only_file_is_refused_with_a_message(editor):
    header = download(editor, "csv").decode("utf-8-sig").splitlines()[0]
    before = snapshot()
    response = upload(editor, "plan.csv", (header + "\r\n").encode())
    assert response.status_code == 400
    assert "no rows of the plan, only a header" in text(response)
    assert snapshot() == before


def test_a_file_without_the_plans_columns_is_refused(editor):
    response = upload(editor, "plan.csv", b"name,value\nx,1\n")
    assert response.status_code == 400
    assert "these columns are missing: axis, objective_number" in text(response)


def test_a_new_item_that_reuses_a_code_is_an_error(editor, secretariat):
    rows, header = csv_rows(download(editor, "csv"))
    copy_row = dict(row_of_indicator(rows, "SEN-1.1.1-a"))
    copy_row.update(indicator_id="", indicator_version="", indicator_name_es="Copia")
    rows.append(copy_row)
    _token, page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))
    assert "Row 2 already has SEN-1.1.1-a" in text(page)
    rows.pop()
    retired = Indicator.objects.get(code="SEN-1.2.1-a")
    services.plan_item_retire(user=secretariat, instance=retired, version=retired.version)
    rows = [row for row in rows if row["indicator_code"] != "SEN-1.2.1-a"]
    copy_row["indicator_code"] = "SEN-1.2.1-a"
    rows.append(copy_row)
    _token, page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))
    assert f"The plan already has SEN-1.2.1-a (id {retired.pk}, retired)" in text(page)


def test_a_code_freed_by_an_update_can_be_taken_by_a_new_item(editor):
    rows, header = csv_rows(download(editor, "csv"))
    old = row_of_indicator(rows, "SEN-1.1.1-a")
    new = {**old, "indicator_id": "", "indicator_version": "", "indicator_name_es": "Nuevo"}
    old["indicator_code"] = "SEN-1.1.1-z"
    rows.append(new)
    token, page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))
    assert "Rows with errors 0" in text(page), text(page)
    assert confirm(editor, token).status_code == 302
    assert Indicator.objects.get(code="SEN-1.1.1-a").name_es == "Nuevo"
    assert Indicator.objects.filter(code="SEN-1.1.1-z").exists()


def test_swapping_two_codes_in_one_file_is_an_error(editor):
    rows, header = csv_rows(download(editor, "csv"))
    first, second = row_of_indicator(rows, "SEN-2.1.1-a"), row_of_indicator(rows, "SEN-2.1.1-b")
    first["indicator_code"], second["indicator_code"] = "SEN-2.1.1-b", "SEN-2.1.1-a"
    before = snapshot()
    _token, page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))
    assert "still belongs to another item" in text(page)
    assert snapshot() == before


def test_an_item_cannot_move_to_another_parent(editor):
    rows, header = csv_rows(download(editor, "csv"))
    moved = row_of_indicator(rows, "SEN-2.1.1-a")
    target = row_of_indicator(rows, "SEN-1.1.1-a")
    for key in ("goal_id", "goal_version", "goal_code", "activity_id", "activity_version"):
        moved[key] = target[key]
    moved["activity_code"] = target["activity_code"]
    _token, page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))
    assert "is elsewhere in the plan: the spreadsheet cannot move items" in text(page)


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("axis", "9", "There is no axis 9."),
        ("indicator_id", "99999", "The plan has no indicator with id 99999."),
        ("indicator_id", "abc", "“abc” is not a whole number"),
        ("indicator_target", "lots", "“lots” is not a number."),
        ("indicator_target", "1.234", "At most two decimal places."),
        ("indicator_version", "", "Required: the version of the exported file."),
        ("indicator_code", "", "Required: this cell cannot be empty."),
        ("indicator_code", "X" * 21, "At most 20 characters (this cell has 21)."),
    ],
)
def test_cell_errors_are_named(editor, column, value, message):
    rows, header = csv_rows(download(editor, "csv"))
    row_of_indicator(rows, "SEN-2.1.1-b")[column] = value  # its parents are given a row above
    before = snapshot()
    _token, page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))
    assert "Rows with errors 1" in text(page) and message in text(page)
    assert snapshot() == before


def test_odd_xlsx_cells_are_errors_not_crashes(editor):
    workbook = openpyxl.load_workbook(io.BytesIO(download(editor, "xlsx")))
    sheet = workbook.worksheets[0]
    sheet.cell(2, header_index(sheet, "indicator_version")).value = True
    sheet.cell(3, header_index(sheet, "indicator_version")).value = 1e300
    sheet.cell(4, header_index(sheet, "indicator_target")).value = "Infinity"
    sheet.cell(5, header_index(sheet, "indicator_id")).value = 2.5
    _token, page = preview_of(editor, upload(editor, "plan.xlsx", xlsx_bytes(workbook)))
    shown = text(page)
    assert "Rows with errors 4" in shown
    assert "“True” is not a whole number" in shown and "“Infinity” is not a number" in shown
    assert "“2.5” is not a whole number" in shown and f"“{int(1e300)}"[:40] + "…”" in shown


# -- confirm ----------------------------------------------------------------------------------


def test_confirm_ignores_a_file_posted_with_it(editor):
    rows, header = csv_rows(download(editor, "csv"))
    row_of_indicator(rows, "SEN-1.1.1-a")["indicator_name_en"] = "Previewed"
    token, _page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))
    row_of_indicator(rows, "SEN-1.1.1-a")["indicator_name_en"] = "Swapped in after the preview"
    sneaky = SimpleUploadedFile("plan.csv", csv_bytes(header, rows))
    confirm(editor, token, file=sneaky)
    assert Indicator.objects.get(code="SEN-1.1.1-a").name_en == "Previewed"


def test_an_expired_preview_cannot_be_confirmed(editor, monkeypatch):
    rows, header = csv_rows(download(editor, "csv"))
    row_of_indicator(rows, "SEN-1.1.1-a")["indicator_name_en"] = "Too late"
    token, _page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))
    monkeypatch.setattr("strategy.spreadsheet_views.PlanImport.preview_lifetime", -1)
    response = confirm(editor, token)
    assert response.status_code == 302
    assert "expired or was already used" in text(editor.get(response["Location"]))
    assert Indicator.objects.get(code="SEN-1.1.1-a").name_en != "Too late"


def test_a_preview_belongs_to_its_session(client, editor, secretariat, django_user_model):
    rows, header = csv_rows(download(editor, "csv"))
    row_of_indicator(rows, "SEN-1.1.1-a")["indicator_name_en"] = "Mine"
    token, _page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))
    other = django_user_model.objects.create_user("other-sec", role=secretariat.role)
    from django.test import Client

    stranger = signed_in(Client(), other)
    assert stranger.get(url("preview", token)).status_code == 302
    stranger.post(url("confirm", token))
    assert Indicator.objects.get(code="SEN-1.1.1-a").name_en != "Mine"


# -- formula escaping in the exported files ----------------------------------------------------

DANGEROUS = {
    "text_es": '=HYPERLINK("http://x.invalid","clic")',
    "text_en": "+1+cmd|' /C calc'!A0",
    "responsible_es": "-2+3",
    "responsible_en": "@SUM(A1)",
    "timeframe_es": "\t=1+1",
    "timeframe_en": "\r=1+1",
}


@pytest.fixture
def dangerous_activity(secretariat):
    activity = Activity.objects.get(code="1.1", objective__axis__number=1)
    services.plan_item_update(
        user=secretariat, instance=activity, data=DANGEROUS, version=activity.version
    )
    indicator = Indicator.objects.get(code="SEN-1.1.1-a")
    services.plan_item_update(
        user=secretariat,
        instance=indicator,
        data={"unit_en": "-2", "target": Decimal("-2")},
        version=indicator.version,
    )
    return activity


def test_formulas_are_neutralised_in_the_xlsx(editor, dangerous_activity):
    workbook = openpyxl.load_workbook(io.BytesIO(download(editor, "xlsx")))
    sheet = workbook.worksheets[0]
    for field, value in DANGEROUS.items():
        key = field if field.startswith(("responsible", "timeframe")) else f"activity_{field}"
        cell = sheet.cell(2, header_index(sheet, key))
        assert cell.data_type == "s", key  # text, never a formula
        # XML reads a carriage return back as a line feed: either way, escaped.
        assert cell.value == "'" + value.replace("\r", "\n"), key
    unit = sheet.cell(2, header_index(sheet, "indicator_unit_en"))
    assert unit.value == "'-2"  # numeric-looking text is escaped
    target = sheet.cell(2, header_index(sheet, "indicator_target"))
    assert target.value == -2 and target.data_type == "n"  # a real number is not
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_formulas_are_neutralised_in_the_csv(editor, dangerous_activity):
    rows, _header = csv_rows(download(editor, "csv"))
    row = row_of_indicator(rows, "SEN-1.1.1-a")
    for field, value in DANGEROUS.items():
        key = field if field.startswith(("responsible", "timeframe")) else f"activity_{field}"
        assert row[key] == "'" + value, key
    assert row["indicator_unit_en"] == "'-2"
    assert row["indicator_target"] == "-2.00"  # a number: not escaped
    numeric = {"indicator_baseline", "indicator_target"}
    for row in rows:
        for key, value in row.items():
            if value[:1] in FORMULA_STARTS:
                assert key in numeric and re.fullmatch(r"-\d+\.\d\d", value), (key, value)


def test_escaped_cells_import_back_unchanged(editor, dangerous_activity):
    for fmt in ("xlsx", "csv"):
        _token, page = preview_of(editor, upload(editor, f"plan.{fmt}", download(editor, fmt)))
        assert "Changed rows 0" in text(page) and "Rows with errors 0" in text(page), fmt


def test_a_code_taken_since_the_preview_refuses_the_import(editor, secretariat):
    rows, header = csv_rows(download(editor, "csv"))
    new = dict(row_of_indicator(rows, "SEN-1.1.1-a"))
    new.update(indicator_id="", indicator_version="", indicator_code="SEN-NEW")
    rows.append(new)
    token, page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))
    assert "New rows 1" in text(page)
    services.plan_item_create(
        user=secretariat,
        model=Indicator,
        data={"code": "SEN-NEW", "name_es": "Otro", "kind": "count", "order": 99},
    )
    before = snapshot()
    response = confirm(editor, token)
    assert response.status_code == 409
    assert "no longer fits it" in text(response) and "Nothing was imported" in text(response)
    assert snapshot() == before


# -- the escaper itself -----------------------------------------------------------------------

TRIGGERS = ["=", "+", "-", "@", "\t", "\r", "\n", "\0"]


@pytest.mark.parametrize("trigger", TRIGGERS)
@pytest.mark.parametrize("rest", ["", "1+1", "SUM(A1:A9)", "cmd|' /C calc'!A0", " text"])
def test_text_starting_with_a_formula_character_gets_an_apostrophe(trigger, rest):
    assert escape_cell(trigger + rest) == "'" + trigger + rest
    assert unescape_cell(escape_cell(trigger + rest)) == trigger + rest


@pytest.mark.parametrize(
    "value", [0, 2, -2, 3.5, -3.5, Decimal("-2.00"), Decimal("1E+3"), True, None]
)
def test_real_numbers_and_empty_cells_are_left_alone(value):
    assert escape_cell(value) is value


@pytest.mark.parametrize(
    "text, escaped",
    [
        ("-2", "'-2"),  # numeric-looking text from a text field
        ("+504 2222-0000", "'+504 2222-0000"),
        ("plain text", "plain text"),
        ("", ""),
        (" =1+1", " =1+1"),  # not at the start: a spreadsheet reads it as text
        ("a=b", "a=b"),
        ("'quoted", "'quoted"),  # an apostrophe before anything harmless stays as it is
        ("'=1", "''=1"),  # … before a formula character it is escaped too, to round-trip
        ("''", "'''"),
        ("ñandú", "ñandú"),
    ],
)
def test_text_cells(text, escaped):
    assert escape_cell(text) == escaped
    assert unescape_cell(escaped) == text


def test_other_values_become_text_and_are_escaped():
    assert escape_cell(translation.gettext_lazy("=lazy")) == "'=lazy"
    assert escape_cell(["-x"]) == "['-x']"  # not a formula character first: as text
    assert escape_cell(type("Obj", (), {"__str__": lambda self: "@x"})()) == "'@x"


def test_unescape_round_trips_every_short_string_over_the_dangerous_alphabet():
    alphabet = ["'", "=", "-", "@", "\t", "\r", "\n", "\0", "a", "1", " "]
    for length in range(4):
        for letters in itertools.product(alphabet, repeat=length):
            value = "".join(letters)
            escaped = escape_cell(value)
            assert unescape_cell(escaped) == value
            assert escaped[:1] not in FORMULA_STARTS


# -- access -----------------------------------------------------------------------------------


@pytest.fixture
def a_token(client, secretariat):
    """A preview with one change, kept in some secretariat session."""
    from django.test import Client

    editor = signed_in(Client(), secretariat)
    rows, header = csv_rows(download(editor, "csv"))
    row_of_indicator(rows, "SEN-1.1.1-a")["indicator_name_en"] = "Changed"
    token, _page = preview_of(editor, upload(editor, "plan.csv", csv_bytes(header, rows)))
    return token, csv_bytes(header, rows)


@pytest.mark.parametrize("who", ["observer", "focal_hn"])
def test_others_may_not_export_or_import(client, request, who, a_token):
    token, content = a_token
    signed_in(client, request.getfixturevalue(who))
    before = snapshot()
    assert client.get(url("index")).status_code == 403
    assert client.get(url("export_xlsx")).status_code == 403
    assert client.get(url("export_csv")).status_code == 403
    assert upload(client, "plan.csv", content).status_code == 403
    assert client.get(url("preview", token)).status_code == 403
    assert confirm(client, token).status_code == 403
    assert snapshot() == before


def test_anonymous_visitors_go_to_sign_in(client, a_token):
    token, content = a_token
    before = snapshot()
    for response in (
        client.get(url("index")),
        client.get(url("export_csv")),
        upload(client, "plan.csv", content),
        client.get(url("preview", token)),
        confirm(client, token),
    ):
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert snapshot() == before


def test_the_page_offers_both_downloads_and_the_upload(editor):
    response = editor.get(url("index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert url("export_xlsx") in html and url("export_csv") in html
    assert 'enctype="multipart/form-data"' in html
    assert editor.get(url("export_xlsx"))["Content-Type"] == XLSX
