"""Structured logs: one JSON object per line, one line per request (RequestLogMiddleware) and per
Celery task (corett/task_events.py), every line of a request or task carrying its request id and
user id. Passwords, tokens, keys and cookies never reach a line: fields with such names are
replaced, and so are `name=value` pairs with such names inside messages.

settings.LOG_FORMAT: "json" (servers) or "text" (a person reading a terminal, DEBUG's default).
"""

import contextvars
import json
import logging
import re
import time
import uuid

from django.urls import Resolver404, resolve

REDACTED = "[redacted]"
SENSITIVE_WORDS = r"passw(?:or)?d|token|secret|authori[sz]ation|cookie|api.?key"
SENSITIVE = re.compile(SENSITIVE_WORDS, re.I)
SENSITIVE_PAIR = re.compile(
    rf"(?P<name>[\w-]*(?:{SENSITIVE_WORDS})[\w-]*)"
    r"(?P<sep>['\"]?\s*[=:]\s*['\"]?|\s+(?=(?:Bearer|Token|Basic)\s))"
    r"(?P<value>(?:(?:Bearer|Token|Basic)\s+)?[^\s,;&'\"}]+)",
    re.I,
)
REQUEST_ID_HEADER = "X-Request-ID"
LONG_PART = re.compile(r"(?<=/)[^/]{17,}")
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

request_id = contextvars.ContextVar("request_id", default=None)
user_id = contextvars.ContextVar("user_id", default=None)

# What every LogRecord has: anything else was passed in `extra` and becomes a field of the line.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def redact(text: str) -> str:
    return SENSITIVE_PAIR.sub(lambda m: f"{m['name']}{m['sep']}{REDACTED}", text)


def _clean(name: str, value):
    if SENSITIVE.search(name):
        return REDACTED
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _clean(str(k), v) for k, v in value.items()}
    return value


class JsonLinesFormatter(logging.Formatter):
    """A log record as one line of JSON: time, level, logger, message, request and user ids,
    the fields passed in `extra`, and the exception's traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": _given(record, "request_id") or request_id.get(),
            "user_id": _given(record, "user_id") or user_id.get(),
        }
        for name, value in vars(record).items():
            if name not in _STANDARD and name not in line:
                line[name] = _clean(name, value)
        if record.exc_info:
            line["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(line, default=str, ensure_ascii=False)


JsonLinesFormatter.converter = time.gmtime


def _given(record, name):
    value = getattr(record, name, None)
    return None if value == "-" else value


class ContextFilter(logging.Filter):
    """Puts the request (or task) id and user id on records, for the text format too."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = getattr(record, "request_id", None) or request_id.get() or "-"
        record.user_id = getattr(record, "user_id", None) or user_id.get() or "-"
        return True


def new_request_id(given: str | None = None) -> str:
    """The caller's id when it looks like one (a proxy's X-Request-ID), else a new one."""
    return given if given and VALID_REQUEST_ID.match(given) else uuid.uuid4().hex


request_logger = logging.getLogger("corett.requests")


class RequestLogMiddleware:
    """One line per request (method, route, status, duration, user), and the request id on
    every line logged while it is handled and on the response (X-Request-ID)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        rid = new_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = rid
        tokens = request_id.set(rid), user_id.set(None)
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                user_id.set(user.pk)
            response[REQUEST_ID_HEADER] = rid
            request_logger.info(
                "%s %s %s",
                request.method,
                route_of(request),
                response.status_code,
                extra={
                    "event": "request",
                    "method": request.method,
                    "path": route_of(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id.reset(tokens[0])
            user_id.reset(tokens[1])


def route_of(request) -> str:
    """The path, with the values of URL parameters that carry secrets (a password reset's token,
    an invitation's) replaced: a link that signs someone in must not sit in the logs. A path no
    route matches (a mistyped link) loses its long parts."""
    try:
        match = request.resolver_match or resolve(request.path_info)
    except Resolver404:  # no route to say which parts are secret: long parts may be
        return LONG_PART.sub(REDACTED, request.path)[:300]
    path = request.path
    for name, value in match.kwargs.items():
        if SENSITIVE.search(name) or name in {"uidb64"}:
            path = path.replace(str(value), REDACTED)
    return path[:300]
