"""The source notes (docs/source-notes/*.md) as pages of the portal: "Sources and corrections".

Each file documents one area of the reference data: every discrepancy found in the strategy
document and how it was resolved. The pages read the files the portal ships (never anything
outside the project) and render their Markdown safely: raw HTML in a file shows as the text it is,
images are not loaded, links with unsafe schemes (javascript:, data:…) are dropped, and every
heading gets an id, the anchor that the portal's pages link to (a flagged cell of Chart 1 to the
entry that explains it).
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

NOTES = Path(settings.BASE_DIR) / "docs" / "source-notes"


@dataclass(frozen=True)
class Area:
    slug: str
    title: Promise
    file: str

    @property
    def path(self) -> Path:
        return NOTES / self.file


AREAS = {
    area.slug: area
    for area in (
        Area("plan", _("The plan: axes, objectives, activities, goals and indicators"), "plan.md"),
        Area(
            "normative",
            _("The normative framework: Chart 1 and the regional instruments"),
            "normative.md",
        ),
        Area(
            "glossary-and-national-instruments",
            _("The glossary and the national instruments"),
            "glossary-and-national-instruments.md",
        ),
        Area(
            "referrals",
            _("The referral directory: key actors, complaint lines and routes"),
            "referrals.md",
        ),
        Area(
            "populations",
            _("The populations behind the rates per 100,000 inhabitants"),
            "populations.md",
        ),
    )
}

# Where a flagged cell of Chart 1 sends its reader: the normative notes' entry on the printed dates
# that follow another order of countries (strategy.Ratification.source_note holds the anchor).
NORMATIVE = "normative"


def _markdown() -> MarkdownIt:
    markdown = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")
    return markdown.use(anchors_plugin, min_level=2, max_level=4)


@lru_cache(maxsize=len(AREAS))
def _rendered(path: Path, modified: float) -> str:
    markdown = _markdown()
    tokens = markdown.parse(path.read_text(encoding="utf-8"))
    if tokens and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        tokens = tokens[3:]  # the file's own title: the page has its heading
    return markdown.renderer.render(tokens, markdown.options, {})


def render(area: Area) -> SafeString:
    """The area's notes as HTML (cached until the file changes)."""
    return mark_safe(_rendered(area.path, area.path.stat().st_mtime))  # noqa: S308 — no raw HTML
