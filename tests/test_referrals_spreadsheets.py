"""The directory's import: export, edit, upload, a preview of every row, then all or nothing.
A focal point imports only their own country's rows; a row's version guards against overwriting
someone's change; formula-escaped cells come back as they were."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from referrals.models import Actor
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def exported(client, query="") -> tuple[list, list[list]]:
    response = client.get(f"/es/directory/export.csv{query}")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return rows[0], rows[1:]


def csv_file(header, rows, name="directorio.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), "text/csv")


def upload(client, file):
    # In English: the preview's messages are written in the language of the upload.
    response = client.post("/en/directory/import/", {"file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    location = response["Location"]
    return location, client.get(location).content.decode()


def row_of(header, rows, **match):
    for row in rows:
        if all(row[header.index(key)] == value for key, value in match.items()):
            return row
    raise LookupError(match)


def test_an_unchanged_export_imports_nothing(client, secretariat):
    client = signed_in(client, secretariat)
    header, rows = exported(client)
    _location, page = upload(client, csv_file(header, rows))
    assert "nothing to import" in page
    assert "Confirm the import" not in page


def test_a_changed_row_is_previewed_then_saved_all_at_once(client, focal_hn):
    client = signed_in(client, focal_hn)
    header, rows = exported(client, "?country=HN")
    dinaf = row_of(header, rows, acronym_es="DINAF")
    dinaf[header.index("phone")] = "+504 2200-0000"
    dinaf[header.index("roles")] = "protection, return"
    location, page = upload(client, csv_file(header, rows))
    assert "+504 2200-0000" in page and "to change" in page
    actor = Actor.objects.get(acronym_es="DINAF")
    assert actor.phone == ""  # nothing written by the preview
    response = client.post(f"{location}confirm/")
    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.phone == "+504 2200-0000" and actor.roles == ["protection", "return"]
    assert actor.version == 2
    record = actor.history.latest()
    assert record.history_user == focal_hn and record.history_change_reason == "imported"
    assert client.post(f"{location}confirm/").status_code == 302  # used: gone, nothing twice
    actor.refresh_from_db()
    assert actor.version == 2


def test_a_focal_point_imports_only_their_own_countrys_rows(client, focal_sv):
    client = signed_in(client, focal_sv)
    header, rows = exported(client)
    salvador = row_of(header, rows, country="SV")
    salvador[header.index("phone")] = "2222-2222"
    honduras = row_of(header, rows, acronym_es="DINAF")
    honduras[header.index("phone")] = "9999-9999"
    new_elsewhere = [""] * len(header)
    new_elsewhere[header.index("country")] = "GT"
    new_elsewhere[header.index("name_es")] = "Nueva institución"
    new_elsewhere[header.index("sector")] = "government"
    location, page = upload(client, csv_file(header, [salvador, honduras, new_elsewhere]))
    assert "belongs to another country" in page and "your own country" in page
    assert "Confirm the import" not in page
    client.post(f"{location}confirm/")
    assert not Actor.objects.filter(phone__in=["2222-2222", "9999-9999"]).exists()
    assert not Actor.objects.filter(name_es="Nueva institución").exists()


def test_row_errors_name_the_problem_and_stop_the_whole_file(client, secretariat):
    client = signed_in(client, secretariat)
    header, rows = exported(client, "?country=CR")
    rows[0][header.index("roles")] = "detection, rescue"
    rows[1][header.index("phone")] = "2200-0000"
    _location, page = upload(client, csv_file(header, rows))
    assert "rescue" in page and "Nothing can be imported" in page
    assert not Actor.objects.filter(phone="2200-0000").exists()


def test_a_row_exported_before_someone_elses_change_is_refused(client, secretariat):
    client = signed_in(client, secretariat)
    header, rows = exported(client, "?country=PA")
    Actor.objects.filter(acronym_es="UPAVIT").update(version=5)
    row_of(header, rows, acronym_es="UPAVIT")[header.index("phone")] = "1"
    _location, page = upload(client, csv_file(header, rows))
    assert "changed after your export" in page


def test_new_rows_and_unknown_ids(client, focal_hn):
    client = signed_in(client, focal_hn)
    header = ["country", "name_es", "sector", "roles", "populations"]
    new = ["hn", "Casa Alianza Honduras", "civil_society", "assistance", "children"]
    location, page = upload(client, csv_file(header, [new]))
    assert "new" in page
    client.post(f"{location}confirm/")
    actor = Actor.objects.get(name_es="Casa Alianza Honduras")
    assert actor.country.code == "HN" and actor.populations == ["children"]
    assert actor in Actor.objects.matching("casa alianza")
    _location, page = upload(
        client, csv_file(["id", "country", "name_es", "sector"], [["999999", "HN", "X", "media"]])
    )
    assert "No entry has this id" in page


def test_formula_escaped_cells_come_back_as_they_were(client, secretariat):
    client = signed_in(client, secretariat)
    Actor.objects.create(name_es="=Fórmula", sector="media", services_es="-ayuda")
    header, rows = exported(client, "?sector=media")
    assert rows[0][header.index("name_es")] == "'=Fórmula"
    _location, page = upload(client, csv_file(header, rows))
    assert "nothing to import" in page


def test_xlsx_round_trip(client, secretariat):
    client = signed_in(client, secretariat)
    workbook = load_workbook(io.BytesIO(client.get("/es/directory/export.xlsx?country=NI").content))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("hours_es") + 1, value="Lunes a viernes")
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("d.xlsx", buffer.getvalue(), "application/octet-stream")
    location, page = upload(client, file)
    assert "Lunes a viernes" in page
    client.post(f"{location}confirm/")
    assert Actor.objects.get(country__code="NI").hours_es == "Lunes a viernes"


def test_bad_files_are_refused_with_a_message(client, secretariat):
    client = signed_in(client, secretariat)
    response = client.post("/es/directory/import/", {"file": csv_file(["a", "b"], [["1", "2"]])})
    assert response.status_code == 400
    assert "name_es" in response.content.decode()
    empty = Workbook()
    buffer = io.BytesIO()
    empty.save(buffer)
    response = client.post(
        "/es/directory/import/", {"file": SimpleUploadedFile("e.xlsx", buffer.getvalue())}
    )
    assert response.status_code == 400


def test_observers_may_not_import(client, observer):
    signed_in(client, observer)
    assert client.get("/es/directory/import/").status_code == 403


def test_confirming_a_preview_with_errors_imports_nothing_and_says_why(client, secretariat):
    client = signed_in(client, secretariat)
    header, rows = exported(client, "?country=CR")
    rows[0][header.index("roles")] = "rescue"
    rows[1][header.index("phone")] = "2200-0000"
    location, page = upload(client, csv_file(header, rows))
    assert "Nothing can be imported" in page
    response = client.post(f"{location}confirm/", follow=True)
    assert "correct the rows with errors" in response.content.decode()
    assert not Actor.objects.filter(phone="2200-0000").exists()
