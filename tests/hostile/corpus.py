"""The hostile corpus: bad values by kind of field, bad files for spreadsheet imports, and the
checks every hostile request must pass.

A kind of field (`WHOLE`, `TEXT`, `CHOICE`…) says which values to send and which of them the
portal must refuse. What is refused must leave the database exactly as it was; what is accepted
(a comment with a right-to-left mark, text that looks like a formula) must be stored as given and
shown escaped. Nothing may answer 500.
"""

import csv
import hashlib
import io
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

# --- Values ------------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
SECRET_PROBE = "{{ settings.SECRET_KEY }}"
INJECTIONS = [SCRIPT, SECRET_PROBE, "{% debug %}", "${7*7}"]
FORMULAS = ["=1+1", "+cmd|x", "-2+3", "@SUM(A1)", "\t=1"]
RTL = "\u202eexe.txt"  # a right-to-left override: reads "txt.exe"
NUL = "nul\x00byte"
LONG = "x" * 10_000
BLANK = ["", "   "]
NON_ASCII_DIGITS = ["١٢٣", "１２３"]  # Arabic-Indic and full-width 123
HUGE = ["1e309", str(10**30), "9" * 400]
NON_FINITE = ["NaN", "Infinity", "-inf"]
NEGATIVE = ["-1", "-0.5"]
FRACTIONAL = ["0.5", "2.25"]

# Numbers: every one of these must be refused where a whole number of 0 or more is asked for.
NOT_WHOLE = [
    *NEGATIVE,
    *FRACTIONAL,
    *HUGE,
    *NON_FINITE,
    *NON_ASCII_DIGITS,
    "1\x002",
    "\u202e12",
    "1,5",  # a decimal comma
    "1e3",
    "0x1F",
    "=1+1",
    SCRIPT,
    "9" * 31,
]
# Text that is odd but valid, in one value: stored as given, shown escaped. Each injection and
# formula trigger also goes alone where text reaches a spreadsheet or the API (test_imports.py,
# test_api.py); in the portal's HTML their place in the text does not matter.
MIXED = f"{RTL} {SCRIPT} {SECRET_PROBE} {{% debug %}} ${{7*7}} ١٢٣ １２３ =1+1 @SUM(A1)"
# Text: what people could paste. Accepted or refused depending on the field, never a 500.
TEXTS = [*BLANK, NUL, LONG, MIXED, "\t=1", "-2+3"]
# For fields that take one of a fixed set of values (a choice, a date, an e-mail, a code).
NOT_A_CHOICE = [*BLANK, NUL, LONG, SCRIPT, "١٢٣", str(10**30)]


@dataclass(frozen=True)
class Kind:
    """A kind of field: the values sent to it and which of them must be refused."""

    name: str
    values: tuple
    refused: frozenset  # values that must never be written

    def must_refuse(self, value) -> bool:
        return value in self.refused


def kind(name, values, refused=None) -> Kind:
    values = tuple(values)
    return Kind(name, values, frozenset(values if refused is None else refused))


# A whole number of 0 or more (counts, breakdown cells); blank means "no value" and may be taken.
WHOLE = kind("whole", [*NOT_WHOLE, *BLANK], NOT_WHOLE)
# A percentage: 0 to 100, two decimals at most.
PERCENT = kind(
    "percent",
    ["-1", "100.01", "12.345", *HUGE, *NON_FINITE, *NON_ASCII_DIGITS, "1,5", "1\x002", SCRIPT],
)
# The version a page or client last read: tampering is refused or taken as stale, never a 500.
# "١" is the digit one to Python's int() and so to Django: the version read, taken.
VERSION = kind(
    "version",
    ["-1", "0.5", "9" * 400, "NaN", "١", "", "1\x00", "999999"],
    {"-1", "0.5", "9" * 400, "NaN", "", "1\x00", "999999"},
)


def text(*, required: bool, max_length: int | None) -> Kind:
    """Free text: NUL is always refused, blank when required, 10,000 characters when too long."""
    refused = {NUL}
    if required:
        refused |= set(BLANK)
    if max_length is not None:
        refused |= {value for value in TEXTS if len(value.strip()) > max_length}
    return kind(f"text(required={required}, max_length={max_length})", TEXTS, refused)


CHOICE = kind("choice", NOT_A_CHOICE)
OPTIONAL_CHOICE = kind("optional choice", NOT_A_CHOICE, set(NOT_A_CHOICE) - set(BLANK))
DATE = kind("date", [*NOT_A_CHOICE, "2026-02-30", "99999-01-01", "0000-00-00"])
EMAIL = kind("email", [*NOT_A_CHOICE, "a@b@c"])
# An identifier (a plan item's code, a username): anything odd may be refused; if taken, it must be
# stored as given and shown escaped.
CODE = kind("code", NOT_A_CHOICE, {NUL, LONG, *BLANK})


def short(value) -> str:
    """A value as a test id: printable and short."""
    text_ = repr(value)
    return text_ if len(text_) <= 24 else f"{text_[:12]}…{len(value)}chars"


# --- Checks ------------------------------------------------------------------------------------

PORTAL_APPS = {"corett", "strategy", "monitoring", "referrals", "knox", "otp_totp"}


def fingerprint() -> str:
    """A digest of every row of the portal's own tables: equal digests, nothing written."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.app_label in PORTAL_APPS:
            for row in model.objects.order_by("pk").values_list():
                digest.update(repr(row).encode())
    return digest.hexdigest()


WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def portal_tables() -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in PORTAL_APPS
    }


class Unchanged:
    """Did a request leave the database as it was? Fast when the request sent no INSERT, UPDATE or
    DELETE to the portal's tables (most refusals never try to write); otherwise the fingerprint
    decides, since a page may write and then roll everything back (the data-entry page does)."""

    def __init__(self):
        self.before = fingerprint()
        self.tables = portal_tables()

    @contextmanager
    def watch(self):
        with CaptureQueriesContext(connection) as queries:
            yield self
        self.tried = any(
            (match := WRITE.match(query["sql"])) and match[1] in self.tables
            for query in queries.captured_queries
        )

    def __bool__(self) -> bool:
        return not self.tried or fingerprint() == self.before


@contextmanager
def rolled_back():
    """A savepoint undone at the end, however the block ends (an assertion, a `continue`)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_escaped(response) -> None:
    """Echoed input never comes back as markup, nor a template tag evaluated."""
    body = response.content.decode(errors="replace")
    assert SCRIPT not in body, "raw <script> echoed into the page"
    assert settings.SECRET_KEY not in body, "a template expression was evaluated"


def assert_no_server_error(response) -> None:
    assert response.status_code < 500, f"{response.status_code} for {response.request}"


ERROR_MARK = re.compile(r'class="[^"]*\b(error|errorlist|has-error)\b|role="alert"')


def shows_a_refusal(response) -> bool:
    """A 4xx; a page with an error beside a field or above the form; or a redirect, which brings
    its message to the next page (the actions without a form of their own)."""
    if response.status_code >= 400 or response.status_code == 302:
        return True
    return ERROR_MARK.search(response.content.decode(errors="replace")) is not None


# --- Files -------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def csv_text(rows) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def xlsx(rows, title="Sheet") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@cache
def zip_bomb(inflated_megabytes: int = 110) -> bytes:
    """A small .xlsx whose sheet XML inflates to `inflated_megabytes`: beyond the upload checks'
    limit on what an archive may inflate to (100 MB), built here in about 100 kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet><sheetData>')
            padding = b" " * (1024 * 1024)
            for _ in range(inflated_megabytes):
                sheet.write(padding)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def bad_files(valid_rows: list[list], *, number_column: int, key_column: int, other: str) -> dict:
    """{name: (file name, bytes)} of hostile uploads made from a valid table (header first, then
    at least one row): every one must be refused with a message and write nothing.

    Row 1 holds a number in `number_column` (written with a decimal comma in one file); a copy of
    row 1 with `other` in `key_column` makes the same key say two things."""
    from corett.uploads import MAX_UPLOAD_BYTES

    text_ = csv_text(valid_rows)
    header, first = valid_rows[0], list(valid_rows[1])
    comma = [header, [*first[:number_column], "1,5", *first[number_column + 1 :]]]
    accented = [header, [*first[:key_column], "ñandú", *first[key_column + 1 :]]]
    repeated = [header, first, [*first[:key_column], other, *first[key_column + 1 :]]]
    return {
        "empty csv": ("data.csv", b""),
        "empty xlsx": ("data.xlsx", b""),
        "windows-1252 csv": ("data.csv", csv_text(accented).encode("cp1252")),
        "utf-16 csv": ("data.csv", text_.encode("utf-16")),
        "semicolons": ("data.csv", text_.replace(",", ";").encode()),
        "decimal comma": ("data.csv", csv_text(comma).encode()),
        "duplicate keys": ("data.csv", csv_text(repeated).encode()),
        "header only csv": ("data.csv", csv_text([header]).encode()),
        "header only xlsx": ("data.xlsx", xlsx([header])),
        "png named .xlsx": ("data.xlsx", PNG),
        "png named .csv": ("data.csv", PNG),
        "zip bomb": ("data.xlsx", zip_bomb()),
        "oversized": ("data.csv", text_.encode() + b"," * (MAX_UPLOAD_BYTES + 1)),
        "NUL in csv": ("data.csv", text_.replace(",", ",\x00", 1).encode()),
    }
