"""Server-side SVG charts: self-contained markup (no script, no style, no external resource) that
pages and PDF reports can both embed, with the figures written out and scaled correctly."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from corett import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def rects(root):
    return root.iter(f"{SVG}rect")


def texts(root):
    """What each <text> shows (a <title> inside it is its tooltip, not shown)."""
    return [
        ((t.text or "") + "".join(child.tail or "" for child in t)).strip()
        for t in root.iter(f"{SVG}text")
    ]


ALL_CHARTS = {
    "bar": lambda: charts.bar_chart([("2017", 1791), ("2018", 1437)], title="Totals"),
    "horizontal": lambda: charts.horizontal_bar_chart(
        [("Men", Decimal(12)), ("Women", Decimal(30))], title="Shares", maximum=100, suffix="%"
    ),
    "grouped": lambda: charts.grouped_bar_chart(
        ["Belize", "Mexico"], [("2017", [9, 1080]), ("2018", [17, None])], title="Victims"
    ),
    "stacked": lambda: charts.stacked_bar_chart(
        [charts.Stack("Axis 1", [1, 2, 1], "3 of 4"), charts.Stack("Axis 2", [0, 0, 0], "none")],
        title="Progress",
        legend=[("on track", "#15803d"), ("behind", "#d97706"), ("missing", "#bcccdc")],
    ),
    "bullet": lambda: charts.bullet_chart(
        [charts.Bullet("Campaigns", Decimal(1), Decimal(2), "1 (target 2)")],
        title="Targets",
        band=Decimal("0.15"),
    ),
}


@pytest.mark.parametrize("kind", ALL_CHARTS)
def test_every_chart_is_one_self_contained_svg_for_pages_and_pdfs(kind):
    svg = ALL_CHARTS[kind]()
    root = parse(svg)  # well-formed XML, as WeasyPrint needs
    assert root.tag == f"{SVG}svg"
    assert root.get("font-family")
    assert root.get("role") == "img" and root.get("aria-label")
    assert root.find(f"{SVG}title").text
    assert "<script" not in svg and "style=" not in svg and "<style" not in svg
    assert "href" not in svg and "url(" not in svg and "@import" not in svg
    assert not re.search(r"on[a-z]+=", svg)


def test_bar_chart_keeps_writing_grouped_figures_under_each_label():
    with translation.override("es"):
        svg = charts.bar_chart([("2017", Decimal(1791)), ("2019", Decimal(1582))], title="T")
    assert {"1,791", "1,582", "2017", "2019"} <= set(texts(parse(svg)))


def test_horizontal_bars_are_scaled_to_the_given_maximum():
    root = parse(
        charts.horizontal_bar_chart([("a", 50), ("b", 100)], title="t", maximum=100, suffix="%")
    )
    widths = [float(r.get("width")) for r in rects(root)]
    assert widths[1] == pytest.approx(2 * widths[0])
    assert {"50%", "100%"} <= set(texts(root))


def test_grouped_bars_share_one_scale_and_draw_nothing_for_a_missing_figure():
    root = parse(
        charts.grouped_bar_chart(
            ["Belize", "Mexico"], [("2017", [9, 1080]), ("2018", [17, None])], title="t"
        )
    )
    bars = {
        r.find(f"{SVG}title").text: float(r.get("width"))
        for r in rects(root)
        if r.find(f"{SVG}title") is not None
    }
    assert bars["Mexico, 2017: 1,080"] == pytest.approx(bars["Belize, 2017: 9"] * 120)
    assert bars["Mexico, 2018: —"] == 0
    assert {"2017", "2018", "Belize", "Mexico", "—"} <= set(texts(root))


def test_stacked_bars_split_each_row_by_its_own_total():
    root = parse(ALL_CHARTS["stacked"]())
    parts = {
        r.find(f"{SVG}title").text: float(r.get("width"))
        for r in rects(root)
        if r.find(f"{SVG}title") is not None
    }
    assert parts["Axis 1, behind: 2"] == pytest.approx(2 * parts["Axis 1, on track: 1"])
    assert not any(key.startswith("Axis 2") for key in parts)  # nothing to count, an outline
    assert {"3 of 4", "none", "on track", "behind", "missing"} <= set(texts(root))


def test_bullet_puts_the_target_tick_in_the_middle_of_its_band():
    root = parse(ALL_CHARTS["bullet"]())
    band = next(r for r in rects(root) if r.get("fill") == "#d5efe0")
    tick = next(root.iter(f"{SVG}line"))
    middle = float(band.get("x")) + float(band.get("width")) / 2
    assert float(tick.get("x1")) == pytest.approx(middle, abs=0.2)
    value = next(r for r in rects(root) if r.find(f"{SVG}title") is not None)
    assert float(value.get("width")) < float(tick.get("x1"))  # 1 of 2: short of the target


def test_labels_are_escaped_and_long_ones_cut_with_their_full_text_kept():
    long = "Número de personas alcanzadas a través de los medios de comunicación " * 2
    svg = charts.stacked_bar_chart(
        [charts.Stack("<script>alert(1)</script>", [1], "x"), charts.Stack(long, [1], "y")],
        title="<b>",
        legend=[("ok", "#000")],
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = parse(svg)
    shown = texts(root)
    assert any(text.endswith("…") for text in shown)
    assert any(t.text == long for t in root.iter(f"{SVG}title"))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_numbers_are_written_as_in_the_region(lang):
    with translation.override(lang):
        assert charts.format_number(Decimal("1080.00")) == "1,080"
        assert charts.format_number(Decimal("12.50")) == "12.5"
        assert charts.format_number(10) == "10"
        assert charts.format_number(None) == "—"


@pytest.mark.parametrize("kind", ALL_CHARTS)
def test_every_chart_on_a_page_is_followed_by_its_figures_behind_a_disclosure(kind):
    """Whoever cannot see the drawing reads the same numbers: a <details> (it opens without
    JavaScript) holding a table with a header for each row and column."""
    chart = ALL_CHARTS[kind]()
    with translation.override("es"):
        html = Template("{{ chart }}").render(Context({"chart": chart}))
    assert html.startswith(str(chart))  # the drawing first, as it was
    figures = ET.fromstring(html[len(str(chart)) :])
    assert figures.tag == "details" and figures.find("summary").text == "Ver las cifras"
    table = figures.find(".//table")
    assert table.find("caption").text == parse(chart).find(f"{SVG}title").text
    headers = [th.text for th in table.iter("th") if th.get("scope") == "col"]
    assert headers == list(chart.figures.columns)
    rows = table.find("tbody").findall("tr")
    assert len(rows) == len(chart.figures.rows)
    for row, (label, cells) in zip(rows, chart.figures.rows, strict=True):
        assert row.find("th").get("scope") == "row" and row.find("th").text == label
        assert [td.text for td in row.findall("td")] == list(cells)


def test_a_charts_figures_are_the_numbers_it_draws():
    chart = ALL_CHARTS["grouped"]()
    assert chart.figures.columns == ("2017", "2018")
    with translation.override("en"):
        chart = ALL_CHARTS["grouped"]()
    assert chart.figures.rows == (("Belize", ("9", "17")), ("Mexico", ("1,080", "—")))
    bullet = ALL_CHARTS["bullet"]()
    assert bullet.figures.rows == (("Campaigns", ("1", "2")),)


def test_as_a_string_a_chart_is_its_svg_alone_as_reports_print_it():
    chart = ALL_CHARTS["bar"]()
    assert str(chart).startswith("<svg") and str(chart).rstrip().endswith("</svg>")
    assert "<details" not in str(chart) and "<details" not in chart.replace("x", "x")


# The charts' markup as the templates wrote it before the charts were written in Python (issue 13):
# templates/includes/row_chart.svg, bar_chart.svg and chart_figures.html. The new markup must be
# the same, character for character.
OLD_ROW_CHART = """\
<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-rows" viewBox="0 0 {{ width }} {{ height|stringformat:'.0f' }}" role="img" aria-label="{{ title }}" font-family="{{ font }}">
  <title class="chart-title">{{ title }}</title>
  {% for item in legend %}<g>
    <rect x="{{ item.x|stringformat:'.1f' }}" y="6" width="14" height="14" rx="2" fill="{{ item.colour }}"/>
    <text x="{{ item.text_x|stringformat:'.1f' }}" y="18" font-size="{{ legend_font }}" fill="{{ ink_soft }}">{{ item.label }}</text>
  </g>{% endfor %}
  {% if axis %}<line x1="{{ axis.0|stringformat:'.1f' }}" y1="{{ axis.1|stringformat:'.1f' }}" x2="{{ axis.0|stringformat:'.1f' }}" y2="{{ axis.2|stringformat:'.1f' }}" stroke="{{ line }}" stroke-width="1"/>{% endif %}
  {% for row in rows %}<g>
    {% if row.shown %}<text x="{{ row.label_x|stringformat:'.1f' }}" y="{{ row.label_y|stringformat:'.1f' }}" font-size="{{ label_font }}" fill="{{ ink }}" text-anchor="{{ row.label_anchor }}"><title>{{ row.label }}</title>{{ row.shown }}</text>{% endif %}
    {% if row.band %}<rect x="{{ row.band.x|stringformat:'.1f' }}" y="{{ row.band_y|stringformat:'.1f' }}" width="{{ row.band.width|stringformat:'.1f' }}" height="{{ row.band_height|stringformat:'.1f' }}" fill="{{ row.band.colour }}" stroke="{{ line }}" stroke-width="0.5"/>{% endif %}
    {% for segment in row.segments %}<rect x="{{ segment.x|stringformat:'.1f' }}" y="{{ row.bar_y|stringformat:'.1f' }}" width="{{ segment.width|stringformat:'.1f' }}" height="{{ row.bar_height|stringformat:'.1f' }}" fill="{{ segment.colour }}"><title>{{ segment.text }}</title></rect>{% endfor %}
    {% for mark in row.marks %}<line x1="{{ mark|stringformat:'.1f' }}" y1="{{ row.band_y|stringformat:'.1f' }}" x2="{{ mark|stringformat:'.1f' }}" y2="{{ row.band_bottom|stringformat:'.1f' }}" stroke="{{ ink }}" stroke-width="2.5"/>{% endfor %}
    <text x="{{ row.text_x|stringformat:'.1f' }}" y="{{ row.text_y|stringformat:'.1f' }}" font-size="{{ text_font }}" fill="{{ ink_soft }}" text-anchor="{{ row.text_anchor }}">{{ row.text }}</text>
  </g>{% endfor %}
</svg>
"""  # noqa: E501

OLD_BAR_CHART = """\
<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {{ width }} {{ height }}" role="img" aria-label="{{ title }}" font-family="Source Sans 3, Segoe UI, Helvetica, Arial, sans-serif">
  <title class="chart-title">{{ title }}</title>
  <line x1="8" y1="{{ baseline|stringformat:'.1f' }}" x2="{{ width|add:-8 }}" y2="{{ baseline|stringformat:'.1f' }}" stroke="#9aa7b5" stroke-width="1"/>
  {% for bar in bars %}<g>
    <rect x="{{ bar.x|stringformat:'.1f' }}" y="{{ bar.y|stringformat:'.1f' }}" width="{{ bar.width|stringformat:'.1f' }}" height="{{ bar.height|stringformat:'.1f' }}" rx="3" fill="#1f6f8b"><title>{{ bar.label }}: {{ bar.text }}</title></rect>
    <text x="{{ bar.center|stringformat:'.1f' }}" y="{{ bar.y|stringformat:'.1f' }}" dy="-6" font-size="17" font-weight="600" fill="#102a43" text-anchor="middle">{{ bar.text }}</text>
    <text x="{{ bar.center|stringformat:'.1f' }}" y="{{ label_y }}" font-size="16" fill="#334e68" text-anchor="middle">{{ bar.label }}</text>
  </g>{% endfor %}
</svg>
"""  # noqa: E501

OLD_FIGURES = """\
{% load i18n %}<details class="chart-figures">
  <summary>{% translate "Show the figures" %}</summary>
  <div class="table-scroll">
    <table>
      <caption>{{ figures.caption }}</caption>
      <thead><tr><td></td>{% for column in figures.columns %}<th scope="col" class="num">{{ column }}</th>{% endfor %}</tr></thead>
      <tbody>{% for header, cells in figures.rows %}
        <tr><th scope="row">{{ header }}</th>{% for cell in cells %}<td class="num">{{ cell }}</td>{% endfor %}</tr>{% endfor %}
      </tbody>
    </table>
  </div>
</details>
"""  # noqa: E501

TRICKY = {  # escaping, Decimals, labels cut and a missing figure
    "bar_tricky": lambda: charts.bar_chart(
        [("<2017>", Decimal("1791.35")), ("“2018” & co", 0)], title="Totals <of> “all”"
    ),
    "grouped_tricky": lambda: charts.grouped_bar_chart(
        ["A <very> long country name that will not fit at all", "B&B"],
        [("2017", [Decimal("9.25"), None]), ("2018", [Decimal("0.35"), 3])],
        title="Victims & others",
    ),
}


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("kind", [*ALL_CHARTS, *TRICKY])
def test_charts_write_what_the_templates_wrote(kind, lang, monkeypatch):
    from django.template import engines

    from corett.charts import bars, horizontal, rows

    engine = engines["django"]
    asked = {}

    def recorded(name, write):
        def record(*args, **kwargs):
            asked[name] = (args, kwargs)
            return write(*args, **kwargs)

        return record

    monkeypatch.setattr(horizontal, "render_rows", recorded("rows", rows.render_rows))
    monkeypatch.setattr(bars, "_svg", recorded("bar", bars._svg))
    with translation.override(lang):
        chart = {**ALL_CHARTS, **TRICKY}[kind]()
        if "bar" in asked:
            (drawn,), given = asked["bar"]
            context = {**given, "bars": drawn, "label_y": given["height"] - 10}
            old = engine.from_string(OLD_BAR_CHART).render(context)
        else:
            given = asked["rows"][1]
            context = {**given, "font": charts.FONT, "ink": charts.INK, "line": charts.LINE}
            context |= {"ink_soft": charts.INK_SOFT, "label_font": rows.LABEL_FONT}
            context |= {"text_font": rows.TEXT_FONT, "legend_font": rows.LEGEND_FONT}
            old = engine.from_string(OLD_ROW_CHART).render(context)
        assert str(chart) == old
        old_figures = engine.from_string(OLD_FIGURES).render({"figures": chart.figures})
        assert chart.__html__() == old + old_figures
