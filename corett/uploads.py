"""Checks on uploaded spreadsheets, shared by every import: size, type by content, and for
workbooks the archive's shape, all before any parser touches the file.

A name ending in .xlsx or .csv says what the file should be; its content must prove it:
- XLSX: a ZIP archive holding `[Content_Types].xml` and `xl/workbook.xml`, with a bounded
  number of entries and a bounded total once inflated (a small archive can inflate to gigabytes),
  no macros and no encryption. Only then does openpyxl open it, read-only.
- CSV: UTF-8 text (with or without a byte-order mark), no NUL bytes, comma-separated.
  Other encodings are refused rather than guessed: Windows-1252 and Latin-1 decode any byte
  string without error, so a guess would silently write mojibake into the plan; Excel's
  "CSV UTF-8" option is one click away, and the error says so.

Every refusal is a ValidationError with a message for the user: forms show it, never a 500.
"""

import csv
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_XLSX_ENTRIES = 1000
MAX_XLSX_INFLATED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 200
XLSX_REQUIRED_ENTRIES = frozenset({"[Content_Types].xml", "xl/workbook.xml"})
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an encrypted .xlsx
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Spreadsheet:
    """An upload that passed the checks: a workbook's bytes or a CSV's decoded text."""

    name: str
    kind: str  # "xlsx" or "csv"
    data: bytes = b""
    text: str = ""


@dataclass(frozen=True)
class Sheet:
    """A table read from an upload: a workbook sheet (title) or the CSV (title empty)."""

    title: str
    rows: list[tuple]  # rows[0] is row 1 of the file


def _read_bounded(uploaded, max_bytes: int) -> bytes:
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise _too_large(max_bytes)
    data = bytearray()
    for chunk in uploaded.chunks():
        data += chunk
        if len(data) > max_bytes:  # the declared size can lie
            raise _too_large(max_bytes)
    return bytes(data)


def _too_large(max_bytes: int) -> ValidationError:
    return ValidationError(
        _("The file is larger than %(limit)s.") % {"limit": filesizeformat(max_bytes)},
        code="too_large",
    )


def check_xlsx(data: bytes) -> None:
    """Refuses anything but a plain, bounded XLSX archive; inflates every entry once, counting."""
    if data.startswith(OLE_MAGIC):
        raise ValidationError(
            _(
                "This is an old Excel 97–2003 workbook or a password-protected one. "
                "Save it as an Excel workbook (.xlsx) without a password."
            ),
            code="xls",
        )
    if not data.startswith(ZIP_MAGIC):
        raise ValidationError(
            _("This file is named .xlsx but it is not an Excel workbook."), code="not_xlsx"
        )
    damaged = ValidationError(
        _("This workbook is damaged and cannot be read. Save it again from Excel."),
        code="damaged",
    )
    too_big = ValidationError(
        _("This workbook is too large once uncompressed (more than %(limit)s).")
        % {"limit": filesizeformat(MAX_XLSX_INFLATED_BYTES)},
        code="inflated_too_large",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_XLSX_ENTRIES:
                raise ValidationError(
                    _("This workbook has too many parts (more than %(limit)s).")
                    % {"limit": MAX_XLSX_ENTRIES},
                    code="too_many_entries",
                )
            names = {entry.filename for entry in entries}
            if not XLSX_REQUIRED_ENTRIES <= names:
                raise ValidationError(
                    _("This file is a ZIP archive but not an Excel workbook (.xlsx)."),
                    code="not_xlsx",
                )
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise ValidationError(
                    _("Workbooks with macros are not accepted. Save it as a plain .xlsx workbook."),
                    code="macros",
                )
            if any(entry.flag_bits & 0x1 for entry in entries):
                raise ValidationError(
                    _("This workbook is encrypted. Save it without a password."), code="encrypted"
                )
            if sum(entry.file_size for entry in entries) > MAX_XLSX_INFLATED_BYTES:
                raise too_big
            inflated = 0  # the declared sizes can lie: count what really comes out
            for entry in entries:
                with archive.open(entry) as stream:
                    while chunk := stream.read(CHUNK):
                        inflated += len(chunk)
                        if inflated > MAX_XLSX_INFLATED_BYTES:
                            raise too_big
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError):
        raise damaged from None
    except NotImplementedError:  # an unsupported compression method
        raise damaged from None


def decode_csv(data: bytes) -> str:
    """The CSV's text: UTF-8 with or without a byte-order mark, without NUL bytes."""
    if data.startswith(UTF16_BOMS):
        raise ValidationError(
            _(
                "This file is saved as UTF-16 (“Unicode text”). "
                "Save it as “CSV UTF-8 (comma delimited)”."
            ),
            code="utf16",
        )
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):
        raise ValidationError(
            _("This file is named .csv but it is a workbook. Name it .xlsx, or save it as CSV."),
            code="not_csv",
        )
    if b"\0" in data:
        raise ValidationError(
            _("This file is not text: it contains NUL bytes. Upload a CSV saved as UTF-8."),
            code="binary",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ValidationError(
            _(
                "This file is not UTF-8 text (first unreadable character on line %(line)s; "
                "it may be Windows-1252 or Latin-1). "
                "In Excel, save it as “CSV UTF-8 (comma delimited)”."
            )
            % {"line": line},
            code="not_utf8",
        ) from None


def check_spreadsheet(uploaded, *, max_bytes: int = MAX_UPLOAD_BYTES) -> Spreadsheet:
    """The upload as a Spreadsheet, or a ValidationError saying what is wrong with it."""
    name = PurePath(uploaded.name or "").name
    extension = PurePath(name).suffix.lower()
    if extension not in (".xlsx", ".csv"):
        raise ValidationError(
            _("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."), code="extension"
        )
    data = _read_bounded(uploaded, max_bytes)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if extension == ".xlsx":
        check_xlsx(data)
        return Spreadsheet(name=name, kind="xlsx", data=data)
    return Spreadsheet(name=name, kind="csv", text=decode_csv(data))


def read_csv(text: str, *, max_rows: int = MAX_ROWS) -> Sheet:
    """The CSV's rows, as text. Only commas separate fields: a file saved with semicolons (the
    default of Excel in Spanish) or tabs is refused with a message, not half-read."""
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            if len(rows) >= max_rows:
                raise ValidationError(
                    _("The file has more than %(limit)s rows.") % {"limit": max_rows},
                    code="too_many_rows",
                )
            rows.append(tuple(row[:MAX_COLUMNS]))
    except csv.Error as error:
        raise ValidationError(
            _("Line %(line)s of the CSV cannot be read: %(error)s")
            % {"line": reader.line_num, "error": error},
            code="csv_syntax",
        ) from None
    if rows and len(rows[0]) == 1:
        header = rows[0][0]
        for separator, label in ((";", _("semicolons")), ("\t", _("tabs"))):
            if separator in header:
                raise ValidationError(
                    _(
                        "The columns of this CSV are separated by %(separator)s; the import "
                        "needs commas. In Excel, save it as “CSV UTF-8 (comma delimited)”, "
                        "or upload the .xlsx workbook instead."
                    )
                    % {"separator": label},
                    code="csv_delimiter",
                )
    return Sheet(title="", rows=rows)


def read_xlsx(data: bytes, *, max_rows: int = MAX_ROWS) -> list[Sheet]:
    """Every sheet's rows, as values (formulas read as their last computed value). Call only on
    bytes that passed `check_xlsx`. openpyxl may fail in many ways on a crafted file (bad XML,
    missing parts, odd types): any failure is a damaged workbook for the user."""
    from openpyxl import load_workbook

    sheets, total = [], 0
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for worksheet in workbook.worksheets:
                if not hasattr(worksheet, "iter_rows"):  # a chart sheet
                    continue
                worksheet.reset_dimensions()  # trust the cells, not the declared dimensions
                rows = []
                for row in worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                    total += 1
                    if total > max_rows:
                        raise ValidationError(
                            _("The file has more than %(limit)s rows.") % {"limit": max_rows},
                            code="too_many_rows",
                        )
                    rows.append(row)
                sheets.append(Sheet(title=worksheet.title, rows=rows))
        finally:
            workbook.close()
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 — see the docstring
        raise ValidationError(
            _("This workbook is damaged and cannot be read. Save it again from Excel."),
            code="damaged",
        ) from None
    return sheets


def read_sheets(spreadsheet: Spreadsheet) -> list[Sheet]:
    if spreadsheet.kind == "xlsx":
        return read_xlsx(spreadsheet.data)
    return [read_csv(spreadsheet.text)]


class SpreadsheetField(forms.FileField):
    """A file field that accepts only a checked .xlsx or .csv, cleaned to a Spreadsheet."""

    default_error_messages = {
        "required": gettext_lazy("Choose a file to upload."),
    }

    def __init__(self, *, max_bytes: int = MAX_UPLOAD_BYTES, **kwargs):
        self.max_bytes = max_bytes
        kwargs.setdefault(
            "widget",
            forms.FileInput(
                attrs={
                    "accept": ".xlsx,.csv,text/csv,"
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if not uploaded:
            return uploaded
        return check_spreadsheet(uploaded, max_bytes=self.max_bytes)


# --- Evidence files attached to monitoring values -----------------------------------------------

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_PIXELS = 40_000_000  # a photo of a signed record, not a poster: refuses pixel bombs
EVIDENCE_KINDS = {".pdf": "pdf", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".xlsx": "xlsx"}
PDF_MAGIC = b"%PDF-"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


@dataclass(frozen=True)
class Evidence:
    """An evidence upload that passed the checks: a safe file name and its bytes."""

    name: str
    kind: str  # "pdf", "png", "jpeg" or "xlsx"
    data: bytes


def _check_image(data: bytes, kind: str) -> None:
    from PIL import Image

    unreadable = ValidationError(
        _("This image is damaged and cannot be read. Save it again and upload it."),
        code="damaged",
    )
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != kind.upper():
                raise unreadable
            width, height = image.size
            if width * height > MAX_EVIDENCE_PIXELS:
                raise ValidationError(
                    _("This image is too large (more than %(limit)s million pixels).")
                    % {"limit": MAX_EVIDENCE_PIXELS // 1_000_000},
                    code="too_many_pixels",
                )
            image.verify()
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 — Pillow fails in many ways on a crafted file
        raise unreadable from None


def check_evidence(uploaded, *, max_bytes: int = MAX_EVIDENCE_BYTES) -> Evidence:
    """The evidence for a value (PDF, PNG or JPEG image, XLSX workbook), or a ValidationError.

    The name's extension says what the file should be and the content must prove it: the PDF and
    image signatures, an image Pillow can read within a pixel limit, a workbook that passes
    `check_xlsx`. Anything else (a renamed executable, an HTML page, a macro workbook) is refused.
    """
    from django.utils.text import get_valid_filename

    try:
        name = get_valid_filename(PurePath(uploaded.name or "").name)
    except Exception:  # noqa: BLE001 — SuspiciousFileOperation for names like ".."
        name = ""
    kind = EVIDENCE_KINDS.get(PurePath(name).suffix.lower())
    if kind is None:
        raise ValidationError(
            _("Upload a PDF, a PNG or JPEG image, or an Excel workbook (.xlsx)."),
            code="extension",
        )
    data = _read_bounded(uploaded, max_bytes)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if kind == "xlsx":
        check_xlsx(data)
    else:
        magic = {"pdf": PDF_MAGIC, "png": PNG_MAGIC, "jpeg": JPEG_MAGIC}[kind]
        if not data.startswith(magic):
            raise ValidationError(
                _("This file is named %(extension)s but its content is something else.")
                % {"extension": PurePath(name).suffix.lower()},
                code="content_mismatch",
            )
        if kind != "pdf":
            _check_image(data, kind)
    return Evidence(name=name, kind=kind, data=data)
