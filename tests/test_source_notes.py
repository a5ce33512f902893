"""The source notes as pages of the portal ("Sources and corrections"), and the accessibility
statement: public, in both languages, linked from every page's footer; the notes' Markdown
rendered without letting a file's HTML, images or script links through; every flagged cell of
Chart 1 linking to the entry that explains it."""

import re

import pytest
from django.utils import translation

from corett import source_notes
from strategy.models import Ratification

pytestmark = pytest.mark.django_db

ENTRY = "column-order-in-several-rows"


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_area_of_the_source_notes_is_a_public_page(
    client, language, django_assert_max_num_queries
):
    with translation.override(language):
        sources = translation.gettext("Sources and corrections")
        titles = {slug: str(area.title) for slug, area in source_notes.AREAS.items()}
    index = client.get(f"/{language}/sources/").content.decode()
    for slug in source_notes.AREAS:
        assert f'href="/{language}/sources/{slug}/"' in index and titles[slug] in index
        with django_assert_max_num_queries(3):  # the session, at most: the notes are files
            response = client.get(f"/{language}/sources/{slug}/")
        assert response.status_code == 200
        page = response.content.decode()
        assert f"<h1>{titles[slug]}</h1>" in page and sources in page
        notes = '<div class="prose source-notes" lang="en">'  # the notes are in English
        assert notes in page
        assert "<h1>" not in page.split(notes, 1)[1]  # the file's own title is the page's
    home = client.get(f"/{language}/").content.decode()
    assert f'href="/{language}/sources/"' in home and f'href="/{language}/accessibility/"' in home


def test_an_unknown_area_is_not_found(client):
    assert client.get("/es/sources/settings/").status_code == 404
    assert client.get("/es/sources/..%2F..%2Fcorett%2Fsettings/").status_code == 404


def test_the_notes_markdown_lets_no_html_image_or_script_link_through(tmp_path, monkeypatch):
    notes = tmp_path / "hostile.md"
    notes.write_text(
        "# Title\n\n## An entry\n\n<script>alert(1)</script> <img src=x onerror=alert(1)>\n\n"
        "[click](javascript:alert(1)) ![tracker](http://example.org/pixel.png)\n\n"
        "| a | b |\n|---|---|\n| `<b>` | 2 |\n",
        encoding="utf-8",
    )
    area = source_notes.Area("hostile", "Hostile", "hostile.md")
    monkeypatch.setattr(source_notes, "NOTES", tmp_path)
    html = str(source_notes.render(area))
    assert "<script" not in html and "<img" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<h2 id="an-entry">An entry</h2>' in html and "<h1>" not in html
    assert "<table>" in html and "<code>&lt;b&gt;</code>" in html


def test_each_flagged_cell_links_to_its_entry_in_the_normative_notes(client):
    notes = client.get("/es/sources/normative/").content.decode()
    assert f'id="{ENTRY}"' in notes
    flagged = Ratification.objects.exclude(source_note="").select_related("country")
    assert flagged.count() == 32
    link = f'href="/es/sources/normative/#{ENTRY}"'
    for code in sorted({r.country.code for r in flagged}):
        page = client.get(f"/es/countries/{code}/").content.decode()
        cells = flagged.filter(country__code=code).count()
        assert page.count(link) == cells, code
    for anchor in set(flagged.values_list("source_note", flat=True)):
        assert re.search(rf'id="{re.escape(anchor)}"', notes)


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_accessibility_statement_says_the_standard_the_tests_the_limits_and_whom_to_write(
    client, language, settings
):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "barreras@example.org"
    page = client.get(f"/{language}/accessibility/").content.decode()
    assert "WCAG" in page and "2.2" in page and "AA" in page and "axe-core" in page
    assert 'href="mailto:barreras@example.org"' in page
    with translation.override(language):
        for heading in ("Standard", "How it is tested", "Known limits", "Report a barrier"):
            assert translation.gettext(heading) in page
