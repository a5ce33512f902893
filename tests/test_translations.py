"""The interface is complete in both languages and the compiled catalogues match their sources."""

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
ENTRY = re.compile(
    r'^(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)(?:msgid_plural ((?:".*"\n)+))?'
    r'((?:msgstr(?:\[\d\])? (?:".*"\n?)+)+)',
    re.M,
)


def unquote(block: str) -> str:
    return (
        "".join(re.findall(r'"(.*)"', block))
        .encode()
        .decode("unicode_escape")
        .encode("latin-1")
        .decode()
    )


def entries(lang):
    text = (LOCALE / lang / "LC_MESSAGES" / "django.po").read_text()
    assert "#, fuzzy" not in text.split("\n\n", 1)[1], "fuzzy entries are not used by Django"
    for match in ENTRY.finditer(text):
        context, msgid = match.group(1) and unquote(match.group(1)), unquote(match.group(2))
        if msgid:
            strings = [
                unquote(s) for s in re.findall(r'msgstr(?:\[\d\])? ((?:".*"\n?)+)', match.group(4))
            ]
            yield context, msgid, match.group(3) and unquote(match.group(3)), strings


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_message_is_translated(lang):
    untranslated = [
        msgid for _context, msgid, _plural, strings in entries(lang) if not all(strings)
    ]
    assert not untranslated


@pytest.mark.parametrize("lang", ["es", "en"])
def test_compiled_catalogue_matches_its_source(lang):
    with open(LOCALE / lang / "LC_MESSAGES" / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for context, msgid, plural, strings in entries(lang):
        if plural:
            assert compiled.ngettext(msgid, plural, 1) == strings[0], msgid
        elif context:
            assert compiled.pgettext(context, msgid) == strings[0], msgid
        else:
            assert compiled.gettext(msgid) == strings[0], (
                f"stale django.mo for {msgid!r}: run make messages"
            )
