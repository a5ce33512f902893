"""The API's JSON parser: DRF's, with the bodies that Python's json module reads oddly refused as
malformed JSON (400) instead of reaching the views: very deep nesting (json raises RecursionError,
which DRF does not catch: a 500), numbers too large for a float (1e309 reads as infinity) and the
NaN and Infinity constants (not JSON at all)."""

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


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
            return json.loads(text, parse_float=_finite, parse_constant=_refuse)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None
        except ValueError as error:  # UnicodeDecodeError included
            raise ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
