"""Upload checks (corett.uploads), on their own and through the plan import page: every bad file
gets a clear 400 with a message, never a 500, and nothing is written."""

import io
import re
import struct
import zipfile
from html import unescape
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from corett import uploads
from strategy.models import Activity, Goal, Indicator, OperationalObjective
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages below are checked in English; outside a request Django speaks Spanish."""
    with translation.override("en"):
        yield


MINIMAL_XLSX_ENTRIES = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
    "xl/workbook.xml": b'<?xml version="1.0"?><workbook/>',
}


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def make_zip(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb(inflated_mb: int = 300) -> bytes:
    """A real XLSX's required entries plus a sheet of zeros that inflates to `inflated_mb` MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in MINIMAL_XLSX_ENTRIES.items():
            archive.writestr(name, content)
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            megabyte = b"\0" * (1024 * 1024)
            for _ in range(inflated_mb):
                entry.write(megabyte)
    return buffer.getvalue()


def understate_sizes(data: bytes, size: int = 1000) -> bytes:
    """The archive with every central-directory entry claiming to inflate to `size` bytes."""
    data = bytearray(data)
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        data[start + 24 : start + 28] = struct.pack("<I", size)
        start += 4
    return bytes(data)


def plan_snapshot():
    return [
        list(model.objects.order_by("pk").values_list("pk", "version"))
        for model in (OperationalObjective, Activity, Goal, Indicator)
    ]


def check(name: str, content: bytes) -> uploads.Spreadsheet:
    return uploads.check_spreadsheet(SimpleUploadedFile(name, content))


# -- corett.uploads on its own -----------------------------------------------------------------


def test_an_oversized_file_is_refused_before_it_is_read():
    with pytest.raises(ValidationError, match="larger than 5.0"):
        check("plan.csv", b"a" * (uploads.MAX_UPLOAD_BYTES + 1))
    assert check("plan.csv", b"a,b\n" * 1000).kind == "csv"


def test_the_size_is_counted_even_when_the_declared_size_lies():
    upload = SimpleUploadedFile("plan.csv", b"a" * 2000)
    upload.size = 10
    with pytest.raises(ValidationError, match="larger than"):
        uploads.check_spreadsheet(upload, max_bytes=1000)


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10,  # an image renamed .xlsx
        b"axis,objective_number\n1,1\n",  # a CSV renamed .xlsx
        b"%PDF-1.7\n",
    ],
)
def test_a_renamed_file_is_not_taken_for_a_workbook(content):
    with pytest.raises(ValidationError, match="named .xlsx but it is not an Excel workbook"):
        check("plan.xlsx", content)


def test_an_old_xls_or_encrypted_workbook_is_refused_with_advice():
    with pytest.raises(ValidationError, match="97–2003"):
        check("plan.xlsx", uploads.OLE_MAGIC + b"\0" * 600)


def test_a_zip_that_is_not_a_workbook_is_refused():
    content = make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<doc/>"})
    with pytest.raises(ValidationError, match="ZIP archive but not an Excel workbook"):
        check("plan.xlsx", content)


def test_a_zip_bomb_is_refused_before_openpyxl_sees_it():
    bomb = zip_bomb(300)
    assert len(bomb) < uploads.MAX_UPLOAD_BYTES  # small enough to pass the size check
    with mock.patch("openpyxl.load_workbook") as load:
        with pytest.raises(ValidationError, match="too large once uncompressed"):
            check("plan.xlsx", bomb)
        load.assert_not_called()


def test_a_zip_bomb_that_understates_its_size_is_refused_too():
    bomb = understate_sizes(zip_bomb(150))
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert sum(entry.file_size for entry in archive.infolist()) < 10_000  # the lie
    with mock.patch("openpyxl.load_workbook") as load:
        with pytest.raises(ValidationError) as refused:
            check("plan.xlsx", bomb)
        load.assert_not_called()
    assert refused.value.code in ("damaged", "inflated_too_large")


def test_a_workbook_with_too_many_parts_is_refused():
    entries = dict(MINIMAL_XLSX_ENTRIES)
    entries.update({f"xl/media/{i}.bin": b"" for i in range(uploads.MAX_XLSX_ENTRIES)})
    with pytest.raises(ValidationError, match="too many parts"):
        check("plan.xlsx", make_zip(entries))


def test_a_workbook_with_macros_is_refused():
    entries = {**MINIMAL_XLSX_ENTRIES, "xl/vbaProject.bin": b"\0\1"}
    with pytest.raises(ValidationError, match="macros"):
        check("plan.xlsx", make_zip(entries))


def test_a_truncated_workbook_is_damaged_not_a_crash():
    content = make_zip(MINIMAL_XLSX_ENTRIES)
    with pytest.raises(ValidationError, match="damaged"):
        check("plan.xlsx", content[: len(content) - 30])


def test_a_workbook_whose_xml_is_garbage_is_damaged_when_read():
    spreadsheet = check("plan.xlsx", make_zip(MINIMAL_XLSX_ENTRIES))  # passes the archive checks
    with pytest.raises(ValidationError, match="damaged"):
        uploads.read_sheets(spreadsheet)


def test_utf8_with_or_without_a_byte_order_mark_is_read():
    assert check("plan.csv", "axis,año\n".encode()).text == "axis,año\n"
    assert check("plan.csv", "\ufeffaxis,año\n".encode()).text == "axis,año\n"


def test_utf16_is_refused_with_advice():
    with pytest.raises(ValidationError, match="UTF-16"):
        check("plan.csv", "axis,año\n".encode("utf-16"))  # with its byte-order mark
    with pytest.raises(ValidationError, match="NUL bytes"):
        check("plan.csv", "axis,año\n".encode("utf-16-le"))  # without one


def test_windows_1252_is_refused_naming_the_line_rather_than_guessed():
    content = "axis,texto\n1,Sensibilización\n".encode("cp1252")
    with pytest.raises(ValidationError, match=r"not UTF-8 text .*line 2.*CSV UTF-8"):
        check("plan.csv", content)


def test_a_semicolon_separated_csv_is_refused_with_advice():
    with pytest.raises(ValidationError, match="separated by semicolons"):
        uploads.read_csv("axis;objective_number\n1;1\n")
    with pytest.raises(ValidationError, match="separated by tabs"):
        uploads.read_csv("axis\tobjective_number\n1\t1\n")


def test_a_csv_with_broken_quoting_is_an_error_not_a_crash():
    with pytest.raises(ValidationError, match="Line 2 of the CSV cannot be read"):
        uploads.read_csv('axis,text\n1,"unterminated\n')


def test_a_workbook_named_csv_is_refused():
    with pytest.raises(ValidationError, match="named .csv but it is a workbook"):
        check("plan.csv", make_zip(MINIMAL_XLSX_ENTRIES))


@pytest.mark.parametrize("name", ["plan.txt", "plan.xls", "plan", "plan.xlsx.exe"])
def test_only_xlsx_and_csv_names_are_accepted(name):
    with pytest.raises(ValidationError, match=r"\.xlsx.*\.csv"):
        check(name, b"axis\n1\n")


def test_too_many_rows_are_refused():
    with pytest.raises(ValidationError, match="more than 3 rows"):
        uploads.read_csv("a,b\n" * 4, max_rows=3)


# -- through the import page -------------------------------------------------------------------


BAD_FILES = {
    "oversized": ("plan.csv", b"a" * (uploads.MAX_UPLOAD_BYTES + 1), "larger than"),
    "renamed binary": ("plan.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "not an Excel workbook"),
    "zip not xlsx": ("plan.xlsx", make_zip({"a.txt": b"x"}), "not an Excel workbook"),
    "zip bomb": ("plan.xlsx", zip_bomb(120), "too large once uncompressed"),
    "utf-16": ("plan.csv", "axis,año\n1,x\n".encode("utf-16"), "UTF-16"),
    "windows-1252": ("plan.csv", "axis,año\n1,x\n".encode("cp1252"), "not UTF-8"),
    "semicolons": ("plan.csv", b"axis;objective_number\n1;1\n", "separated by semicolons"),
    "garbage xml": ("plan.xlsx", make_zip(MINIMAL_XLSX_ENTRIES), "damaged"),
    "empty": ("plan.csv", b"", "empty"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_files_get_a_clear_400_and_nothing_is_written(client, secretariat, case):
    name, content, message = BAD_FILES[case]
    signed_in(client, secretariat)
    before = plan_snapshot()
    with translation.override("en"):
        url = reverse("spreadsheet:index")
    response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in text(response)
    assert plan_snapshot() == before
    assert not client.session.get("plan_spreadsheet_imports")


def test_a_missing_file_is_a_form_error(client, secretariat):
    signed_in(client, secretariat)
    with translation.override("en"):
        response = client.post(reverse("spreadsheet:index"), {})
    assert response.status_code == 400
    assert "Choose a file to upload." in text(response)
