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
