"""What a browser and its user do that the load test has to do by hand: read a page's forms
(fields as a browser would post them), encode a multipart body, send Secure cookies to loopback,
compute a TOTP code, change a value so that its breakdown still adds up. No Django and no locust
here: tests/test_load_bench.py checks these against the real pages."""

import csv
import hashlib
import hmac
import io
import random
import re
import secrets
import struct
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urlencode, urlsplit

EDITABLE_LABELS = {"", "draft", "returned", "borrador", "devuelto"}  # template states
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


class LoopbackIsSecure(DefaultCookiePolicy):
    """Sends `Secure` cookies to http://127.0.0.1 as browsers do (a loopback address is a
    "potentially trustworthy" origin to them). Python's cookie jar sends them only over https,
    and the portal's session and CSRF cookies are Secure with production settings."""

    def return_ok_secure(self, cookie, request):
        if cookie.secure and urlsplit(request.get_full_url()).hostname in LOOPBACK:
            return True
        return super().return_ok_secure(cookie, request)


@dataclass
class Form:
    action: str
    method: str
    fields: list = field(default_factory=list)  # [(name, value)] in page order, as posted
    files: list = field(default_factory=list)  # names of file inputs
    buttons: list = field(default_factory=list)  # [(name, value)] of named submit buttons

    def names(self) -> set:
        return {name for name, _value in self.fields}

    def get(self, name: str, default: str = "") -> str:
        return next((value for key, value in self.fields if key == name), default)

    def set(self, name: str, value: str) -> None:
        self.fields = [(key, value if key == name else old) for key, old in self.fields]


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.textarea: str | None = None
        self.text = []
        self.select: str | None = None
        self.options = []  # [(value, selected)]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = Form(a.get("action") or "", (a.get("method") or "get").lower())
            self.forms.append(self.form)
        if self.form is None:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                self.form.files.append(name)
            elif kind == "submit":
                self.form.buttons.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.form.fields.append((name, a.get("value", "on")))
            elif kind not in ("button", "reset", "image"):
                self.form.fields.append((name, a.get("value", "")))
        elif tag == "button" and name and (a.get("type") or "submit") == "submit":
            self.form.buttons.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []
        elif tag == "select" and name:
            self.select, self.options = name, []
        elif tag == "option" and self.select:
            self.options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self.textarea is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None:
            # Browsers drop one leading newline of a textarea's content.
            text = "".join(self.text)
            self.form.fields.append((self.textarea, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = [v for v, selected in self.options if selected] or self.options[:1]
            if chosen:
                self.form.fields.append((self.select, chosen[0][0]))
            self.select = None


def forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def post_form(html: str, predicate) -> Form | None:
    """The first POST form of the page whose field names satisfy predicate(names)."""
    return next((f for f in forms(html) if f.method == "post" and predicate(f.names())), None)


def form_to(html: str, fragment: str) -> Form | None:
    """The first POST form of the page whose action contains fragment."""
    return next((f for f in forms(html) if f.method == "post" and fragment in f.action), None)


def urlencoded(fields, files=()) -> tuple[bytes, str]:
    """(body, content type) of a URL-encoded post, which carries no file."""
    if files:
        raise ValueError("a URL-encoded post carries no file")
    return urlencode(list(fields)).encode(), "application/x-www-form-urlencoded"


def entry_form_fields(form) -> list:
    """The data-entry form as its page's script has the browser send it when no file is attached
    (static/js/monitoring-entry.js): URL-encoded, each file input with an empty value."""
    return [*form.fields, *((name, "") for name in form.files), ("action", "save")]


def multipart(fields, files=()) -> tuple[bytes, str]:
    """(body, content type) of a multipart/form-data post. files: [(name, filename, type, bytes)];
    a file input left empty is sent as browsers do, with an empty filename."""
    boundary = f"----corettload{secrets.token_hex(12)}"
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode()
            + b"\r\n"
        )
    for name, filename, content_type, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def totp(key_hex: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 code, as django-otp's TOTPDevice checks it (SHA-1, 30 s, 6 digits, t0 = 0)."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**digits:0{digits}d}"


# --- changing values as a person would ---------------------------------------------------------


def _plus_one(raw: str) -> str:
    return str(int(raw) + 1) if raw.strip().isdigit() else raw


def bump_row(form, prefix):
    """One more in the row's total and in the "not specified" category of every dimension that
    is filled in, so that the breakdown still adds up; an empty row gets a first value."""
    number = form.get(prefix + "number")
    if not number.strip():
        form.set(prefix + "number", str(random.randint(10, 400)))
        return
    form.set(prefix + "number", _plus_one(number))
    filled = {
        name.removeprefix(prefix).split("__")[0]
        for name, value in form.fields
        if name.startswith(prefix) and "__" in name and value.strip()
    }
    for dimension in filled:
        name = f"{prefix}{dimension}__not_specified"
        form.set(name, str(int(form.get(name) or 0) + 1))


def small_sheet(template: bytes, mine: set) -> bytes | None:
    """The template cut down to the user's editable rows, one to three of them changed."""
    rows = list(csv.reader(io.StringIO(template.decode("utf-8-sig"))))
    if not rows:
        return None
    header, keys = rows[0], [re.search(r"\[([^\]]+)\]\s*$", h).group(1) for h in rows[0]]
    col = {key: i for i, key in enumerate(keys)}
    editable = [
        r
        for r in rows[1:]
        if r[col["indicator"]] in mine and r[col["status"]].strip().lower() in EDITABLE_LABELS
    ]
    if not editable:
        return None
    chosen = random.sample(editable, min(len(editable), random.randint(1, 3)))
    for row in chosen:
        if not row[col["value"]].strip():
            row[col["value"]] = str(random.randint(10, 400))
            continue
        row[col["value"]] = _plus_one(row[col["value"]])
        for key, i in col.items():
            if key.endswith(".not_specified"):
                dimension = key.split(".")[0]
                if any(row[j].strip() for k, j in col.items() if k.startswith(dimension + ".")):
                    row[i] = str(int(row[i] or 0) + 1)
    out = io.StringIO()
    csv.writer(out).writerows([header, *chosen])
    return out.getvalue().encode()
