"""A referral route drawn as a vertical flowchart, in SVG generated on the server.

One box per step, in order, joined by arrows: the step's number and title, who acts (actor types,
then the specific actors' acronyms), and for the regional route's steps that go on in a national
route, a chip per member country linking to its route. One column, 360 units wide: on a phone it
is drawn at about its own size, and it prints as it is. Each box links to the step's full text
below the chart. Like corett.charts, positions are computed here and templates/referrals/
flowchart.svg only lays them out: no script, no style attribute, a <title>.

To assistive technology the chart is a list of links, one per step and one per country chip,
while the drawing itself is hidden (links inside a role="img" graphic would be unreachable). A
link is named by what its box shows, so that what people see is what they can say (WCAG 2.5.3);
its tooltip describes the whole step, which the link leads to.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from corett.charts import CHAR, FONT, INK, INK_SOFT, LINE, WASH

WIDTH = 360
SIDE = 8
PAD = 12
BADGE = 28  # the number's circle, across
TEXT_X = SIDE + PAD + BADGE + 10
TEXT_WIDTH = WIDTH - TEXT_X - SIDE - PAD
TITLE_FONT, WHO_FONT, CHIP_FONT = 16, 13, 12
TITLE_LINES, WHO_LINES, ACTOR_LINES = 3, 4, 3
GAP = 30  # between boxes, for the arrow
CHIP_WIDTH, CHIP_HEIGHT, CHIP_GAP = 34, 28, 4  # at least 24 px on a phone (WCAG 2.5.8)
BRAND, BRAND_DARK = "#1f6f8b", "#164e63"


def wrap(text: str, font_size: float, most: int, width: float = TEXT_WIDTH) -> list[str]:
    """The text in lines that fit `width` at `font_size`, at most `most` lines, the last cut with
    an ellipsis when there is more."""
    room = max(int(width / (font_size * CHAR)), 8)
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if len(candidate) <= room:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word if len(word) <= room else word[: room - 1] + "…"
    if line:
        lines.append(line)
    if len(lines) > most:
        last = lines[most - 1]
        lines = lines[: most - 1] + [(last[: room - 1].rstrip() + "…") if last else "…"]
    return lines


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Chip:
    x: float
    y: float
    code: str
    href: str
    label: str

    @property
    def text_x(self) -> float:
        return self.x + CHIP_WIDTH / 2

    @property
    def text_y(self) -> float:
        return self.y + CHIP_HEIGHT * 0.7


@dataclass
class Box:
    number: int
    anchor: str
    label: str  # the whole step, for the link's tooltip
    y: float
    height: float = 0
    title: list[Text] = field(default_factory=list)
    who: list[Text] = field(default_factory=list)
    actors: list[Text] = field(default_factory=list)
    chips: list[Chip] = field(default_factory=list)

    @property
    def shown(self) -> str:
        """What the box shows, in reading order: the link's name."""
        lines = [*self.title, *self.who, *self.actors]
        return " ".join([str(self.number), *(line.text for line in lines)])

    @property
    def badge_y(self) -> float:
        return self.y + PAD + BADGE / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class Arrow:
    x: float
    y1: float
    y2: float

    @property
    def line_end(self) -> float:
        return self.y2 - 6

    @property
    def head(self) -> str:
        points = ((self.x - 6, self.y2 - 8), (self.x + 6, self.y2 - 8), (self.x, self.y2))
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def actor_names(step) -> str:
    """The step's institutions, by acronym where they have one (long names cut short)."""
    return ", ".join(
        actor.acronym or (actor.name if len(actor.name) <= 30 else actor.name[:29].rstrip() + "…")
        for actor in step.actors.all()
    )


def step_label(step) -> str:
    """The step as one sentence: what the link to it is called."""
    who = "; ".join(part for part in (step.actor_types, actor_names(step)) if part)
    return _("Step %(number)s: %(title)s. Who acts: %(who)s.") % {
        "number": step.order,
        "title": step.title,
        "who": who or _("not stated"),
    }


def _box(step, y: float, countries, language_path) -> Box:
    box = Box(number=step.order, anchor=f"step-{step.order}", label=step_label(step), y=y)
    line_y = y + PAD + TITLE_FONT
    for line in wrap(step.title, TITLE_FONT, TITLE_LINES):
        box.title.append(Text(TEXT_X, line_y, line))
        line_y += TITLE_FONT * 1.25
    line_y += 4
    names = actor_names(step)
    for text, most, lines in (
        (step.actor_types, WHO_LINES, box.who),
        (names, ACTOR_LINES, box.actors),
    ):
        for line in wrap(text, WHO_FONT, most) if text else []:
            lines.append(Text(TEXT_X, line_y, line))
            line_y += WHO_FONT * 1.3
    if step.links_national_routes and countries:
        line_y += 2
        per_row = max(int((WIDTH - TEXT_X - SIDE) // (CHIP_WIDTH + CHIP_GAP)), 1)
        for index, country in enumerate(countries):
            row, column = divmod(index, per_row)
            box.chips.append(
                Chip(
                    x=TEXT_X + column * (CHIP_WIDTH + CHIP_GAP),
                    y=line_y + row * (CHIP_HEIGHT + CHIP_GAP),
                    code=country.code,
                    href=language_path(country.code),
                    label=f"{country.code} — "
                    + _("National referral route: %(country)s") % {"country": country.name},
                )
            )
        rows = (len(countries) + per_row - 1) // per_row
        line_y += rows * (CHIP_HEIGHT + CHIP_GAP)
    box.height = max(line_y - y + PAD - WHO_FONT * 0.6, BADGE + 2 * PAD)
    return box


def route_flowchart(route, *, countries=()) -> str:
    """The route's steps (prefetched, in order, with their actors) as one <svg>. `countries`:
    the member countries whose national routes the regional route's marked steps link to."""

    def route_url(code):
        return reverse("referrals:route", args=[code])

    boxes, arrows, y = [], [], 4
    steps = list(route.steps.all())
    for index, step in enumerate(steps):
        box = _box(step, y, countries, route_url)
        boxes.append(box)
        y = box.bottom
        if index < len(steps) - 1:
            arrows.append(Arrow(WIDTH / 2, y + 3, y + GAP - 3))
            y += GAP
    return render_to_string(
        "referrals/flowchart.svg",
        {
            "title": route.title,
            "empty": _("This route has no steps yet.") if not steps else "",
            "width": WIDTH,
            "height": y + 4,
            "boxes": boxes,
            "arrows": arrows,
            "box_x": SIDE,
            "box_width": WIDTH - 2 * SIDE,
            "badge_x": SIDE + PAD + BADGE / 2,
            "badge_r": BADGE / 2,
            "chip_width": CHIP_WIDTH,
            "chip_height": CHIP_HEIGHT,
            "font": FONT,
            "ink": INK,
            "ink_soft": INK_SOFT,
            "line": LINE,
            "wash": WASH,
            "brand": BRAND,
            "brand_dark": BRAND_DARK,
            "title_font": TITLE_FONT,
            "who_font": WHO_FONT,
            "chip_font": CHIP_FONT,
        },
    )
