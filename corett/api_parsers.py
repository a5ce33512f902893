"""The API's JSON parser: DRF's, with the bodies that Python's json module reads oddly refused as
malformed JSON (400) instead of reaching the views: very deep nesting (json raises RecursionError,
which DRF does not catch: a 500), numbers too large for a float (1e309 reads as infinity), the
NaN and Infinity constants (not JSON at all), and lone UTF-16 surrogates ("\\ud800", in a key or a
value at any depth), which json decodes into a str that cannot be encoded again: the database,
the JSON answer echoing it, or a log line failed with a 500."""

import json
import math

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise ValueError(f"{text} is not a finite number")
    return number


def _refuse(constant: str):
    raise ValueError(f"{constant} is not valid JSON")


def _has_lone_surrogate(data) -> bool:
    """Any string of the parsed document, key or value, that is not valid Unicode text. Walked
    with a stack, not recursion: the document may be nested nearly as deep as json allows."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class JSONParser(parsers.JSONParser):
    """Every endpoint's JSON parser; one that reads numbers otherwise overrides loads() only."""

    def loads(self, text: str):
        return json.loads(text, parse_float=_finite, parse_constant=_refuse)

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
            data = self.loads(text)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None
        except ValueError as error:  # UnicodeDecodeError included
            raise ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
        if _has_lone_surrogate(data):
            raise ParseError(
                _("The JSON holds a lone UTF-16 surrogate (such as \\ud800): it is not text.")
            )
        return data
