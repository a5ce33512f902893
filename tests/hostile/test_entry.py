"""The data-entry page against the hostile corpus, row by row.

The page posts one small form per indicator, saved all together or not at all. So one post can
carry a different bad value in each row: every row must then be marked with its own error, and
nothing is written. Values that may be taken (odd comments) go together in one post, and must
each be stored as given and shown escaped.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring.entry.selectors import entry_rows
from monitoring.models import Narrative, Period, Value
from strategy.models import Country, Indicator

from .conftest import client_as
from .corpus import (
    BLANK,
    LONG,
    MIXED,
    NOT_WHOLE,
    NUL,
    PERCENT,
    PNG,
    SCRIPT,
    VERSION,
    Unchanged,
    assert_escaped,
    assert_no_server_error,
    short,
    zip_bomb,
)

HN_2026 = {"country": "HN", "period": "2026"}
REGION_2026 = {"country": "region", "period": "2026"}


def row(indicator, **inputs) -> dict:
    """What the page posts for one indicator's row; "-" as the digest of the row as shown makes
    every row count as changed by the person."""
    prefix = f"v{indicator.pk}"
    posted = {f"{prefix}-version": "0", f"{prefix}-seen": "-"}
    posted |= {f"{prefix}-{name}": value for name, value in inputs.items()}
    return posted


def indicators(world, kind, country="HN"):
    place = Country.objects.get(code=country) if country != "region" else None
    rows = entry_rows(world["secretariat"], place, Period.objects.get(code="2026"))
    return [r.indicator for r in rows if r.indicator.kind == kind]


def post(client, kwargs, data, files=None):
    unchanged = Unchanged()
    with unchanged.watch():
        response = client.post(
            reverse("monitoring:entry", kwargs=kwargs), {"action": "save", **data, **(files or {})}
        )
    assert_no_server_error(response)
    assert_escaped(response)
    return response, unchanged


def failed(response) -> dict:
    """{indicator pk: the row's error messages} of the rows marked as failed."""
    return {
        r.indicator.pk: [*r.form.errors.values(), *r.problems]
        for r in response.context["rows"]
        if r.failed
    }


def assert_each_row_refused(response, unchanged, posted_rows):
    assert unchanged, "a refused page wrote to the database"
    assert response.status_code == 200
    assert set(failed(response)) == {i.pk for i in posted_rows}, "a bad row was not marked"
    assert "has-error" in response.content.decode()


def spread(values, over):
    """Pairs each value with a row, in as many posts as it takes."""
    for start in range(0, len(values), len(over)):
        yield list(zip(over, values[start : start + len(over)], strict=False))


def test_bad_numbers_each_refused_beside_their_row(client, world):
    client = client_as(client, world, "focal-hn")
    counts = indicators(world, Indicator.Kind.COUNT)
    for batch in spread(NOT_WHOLE, counts):
        data = {}
        for indicator, value in batch:
            data |= row(indicator, number=value)
        response, unchanged = post(client, HN_2026, data)
        assert_each_row_refused(response, unchanged, [i for i, _v in batch])


def test_bad_percentages_each_refused_beside_their_row(client, world):
    client = client_as(client, world, "secretariat")
    percentages = indicators(world, Indicator.Kind.PERCENTAGE, "region")
    for batch in spread(list(PERCENT.values), percentages):
        data = {}
        for indicator, value in batch:
            data |= row(indicator, number=value)
        response, unchanged = post(client, REGION_2026, data)
        assert_each_row_refused(response, unchanged, [i for i, _v in batch])


@pytest.mark.parametrize(
    "cell", ["-1", "0.5", "1e309", "NaN", "١٢٣", "1\x002", SCRIPT, "9" * 31], ids=short
)
def test_bad_breakdown_cells_are_refused(client, world, cell):
    """TRA-2.1.1-a is broken down by level: a bad cell fails the row, whatever the others."""
    client = client_as(client, world, "focal-hn")
    indicator = Indicator.objects.get(code="TRA-2.1.1-a")
    cells = {"level__national": cell, "level__regional": "2", "level__not_specified": "0"}
    response, unchanged = post(client, HN_2026, row(indicator, number="2", **cells))
    assert_each_row_refused(response, unchanged, [indicator])


def test_tampered_versions_and_digests_write_nothing(client, world):
    client = client_as(client, world, "focal-hn")
    counts = indicators(world, Indicator.Kind.COUNT)
    bad = [v for v in VERSION.values if VERSION.must_refuse(v)]
    for batch in spread(bad, counts):
        data = {}
        for indicator, version in batch:
            data |= row(indicator, number="3") | {f"v{indicator.pk}-version": version}
        response, unchanged = post(client, HN_2026, data)
        assert_each_row_refused(response, unchanged, [i for i, _v in batch])
    data = row(counts[0], number="3") | {f"v{counts[0].pk}-seen": NUL}
    response, unchanged = post(client, HN_2026, data)
    assert_each_row_refused(response, unchanged, [counts[0]])


def test_comments_too_long_or_with_nul_are_refused(client, world):
    client = client_as(client, world, "focal-hn")
    first, second = indicators(world, Indicator.Kind.COUNT)[:2]
    data = row(first, number="3", comment=LONG) | row(second, number="3", comment=NUL)
    response, unchanged = post(client, HN_2026, data)
    assert_each_row_refused(response, unchanged, [first, second])


def test_odd_comments_are_stored_as_given_and_shown_escaped(client, world):
    client = client_as(client, world, "focal-hn")
    comments = [*BLANK, MIXED, "\t=1", "-2+3", "@SUM(A1)", "+cmd|x"]
    counts = indicators(world, Indicator.Kind.COUNT)
    data = {}
    for indicator, comment in zip(counts, comments, strict=False):
        data |= row(indicator, number="3", comment=comment)

    response, _unchanged = post(client, HN_2026, data)

    assert response.status_code == 302
    stored = Value.objects.filter(country__code="HN", period__code="2026")
    by_indicator = {value.indicator_id: value.comment for value in stored}
    for indicator, comment in zip(counts, comments, strict=False):
        assert by_indicator[indicator.pk] == comment.strip()
    page = client.get(reverse("monitoring:entry", kwargs=HN_2026))
    assert_escaped(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content.decode()


@pytest.mark.parametrize("text", [*BLANK, NUL, LONG, MIXED, "\t=1"], ids=short)
def test_text_values(client, world, text):
    """A text indicator's value: required, at most 500 characters, no NUL; odd text is kept."""
    client = client_as(client, world, "focal-hn")
    (indicator,) = indicators(world, Indicator.Kind.TEXT)
    response, unchanged = post(client, HN_2026, row(indicator, text=text))
    if text.strip() in ("", LONG) or NUL in text:
        assert_each_row_refused(response, unchanged, [indicator])
    else:
        assert response.status_code == 302
        value = Value.objects.get(indicator=indicator, country__code="HN", period__code="2026")
        assert value.text == text.strip()


@pytest.mark.parametrize("text", [NUL, "x" * 5001, MIXED], ids=short)
def test_narrative(client, world, text):
    client = client_as(client, world, "focal-hn")
    data = {"narrative-progress": text, "narrative-version": "0", "narrative-seen": "-"}
    response, unchanged = post(client, HN_2026, data)
    if text == MIXED:
        assert response.status_code == 302
        assert Narrative.objects.get(country__code="HN", period__code="2026").progress == MIXED
        assert_escaped(client.get(reverse("monitoring:entry", kwargs=HN_2026)))
    else:
        assert unchanged and response.status_code == 200
        assert response.context["narrative_has_errors"] or response.context["narrative_form"].errors


EVIDENCE = {
    "png named .pdf": ("report.pdf", PNG),
    "html named .png": ("photo.png", b"<html><script>alert(1)</script></html>"),
    "zip bomb named .xlsx": ("figures.xlsx", zip_bomb()),
    "renamed executable": ("report.pdf.exe", b"MZ\x90\x00"),
    "empty": ("report.pdf", b""),
    "path in the name": ("../../etc/passwd.pdf", b"%PDF-1.4\n"),
}


@pytest.mark.parametrize("name", EVIDENCE)
def test_bad_evidence_files_are_refused(client, world, name, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_as(client, world, "focal-hn")
    indicator = indicators(world, Indicator.Kind.COUNT)[0]
    filename, content = EVIDENCE[name]
    upload = {f"v{indicator.pk}-evidence": SimpleUploadedFile(filename, content)}
    response, unchanged = post(client, HN_2026, row(indicator, number="3"), upload)
    if name == "path in the name":  # a valid PDF signature: kept, under a safe name
        assert response.status_code == 302
        value = Value.objects.get(indicator=indicator, country__code="HN", period__code="2026")
        assert ".." not in value.evidence.name and "/etc/" not in value.evidence.name
        assert (tmp_path / value.evidence.name).exists()
        return
    assert_each_row_refused(response, unchanged, [indicator])


@pytest.mark.parametrize("action", ["validate", "", NUL, SCRIPT])
def test_an_unknown_action_is_a_400(client, world, action):
    client = client_as(client, world, "focal-hn")
    indicator = indicators(world, Indicator.Kind.COUNT)[0]
    response, unchanged = post(client, HN_2026, row(indicator, number="3") | {"action": action})
    assert response.status_code == 400
    assert unchanged
