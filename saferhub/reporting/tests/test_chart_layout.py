"""The report chart fits its column, uses the page's font and shows long labels in full."""

import re
from pathlib import Path

from django.conf import settings

from saferhub.reporting.charts import LABEL_CHARACTERS, bar_chart, wrap_label

LONG = "Victims who reported to the police and are assisting the investigation"
SCSS = Path(settings.BASE_DIR) / "saferhub" / "static_src" / "scss" / "saferhub.scss"


def chart(bars):
    return str(bar_chart("Police", "A description", bars, "chart-police"))


def test_the_svg_scales_to_its_column_with_no_fixed_pixel_size():
    svg = chart([("Reported", 12), ("Not reported", "<5")])
    opening = svg[: svg.index(">") + 1]
    assert 'width="100%"' in opening and 'viewBox="0 0 ' in opening
    assert "height=" not in opening  # taken from the viewBox's proportions
    assert 'class="saferhub-chart"' in opening


def test_long_labels_are_wrapped_in_full_never_cut():
    svg = chart([(LONG, 40), ("Short", 3)])
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert " ".join(lines[:-1]) == LONG and lines[-1] == "Short"
    assert all(len(line) <= LABEL_CHARACTERS for line in lines)
    assert "…" not in svg


def test_wrapping_keeps_every_word_and_a_very_long_word_whole():
    assert wrap_label("a " * 30, limit=10) == [
        "a a a a a",
        "a a a a a",
        "a a a a a",
        "a a a a a",
        "a a a a a",
        "a a a a a",
    ]
    assert wrap_label("x" * 60, limit=10) == ["x" * 60]
    assert wrap_label("") == [""]


def test_bars_grow_taller_drawings_for_wrapped_labels():
    def height(svg):
        return float(re.search(r'viewBox="0 0 \d+ ([\d.]+)"', svg).group(1))

    assert height(chart([(LONG, 1)])) > height(chart([("Short", 1)]))


def test_text_is_escaped_and_uses_a_sans_serif_font():
    svg = chart([("<script>", 2)])
    assert "&lt;script&gt;" in svg and "<script>" not in svg
    assert 'font-family="system-ui, Arial, sans-serif"' in svg
    assert "style=" not in svg  # the content security policy forbids style attributes


def test_the_stylesheet_sizes_the_chart_and_gives_it_the_page_font():
    rule = re.search(r"\.saferhub-chart \{(.*?)\}", SCSS.read_text(), re.S).group(1)
    assert "width: 100%" in rule and "height: auto" in rule
    assert "font-family: $saferhub-font-family" in rule


def test_the_overdue_bar_leaves_room_for_the_first_cells_text():
    # The 5px inset bar is drawn inside the first cell: its text must start clear of it.
    rule = re.search(r"\.saferhub-row--overdue > :first-child \{(.*?)\}", SCSS.read_text(), re.S).group(1)
    assert "padding-left: govuk.govuk-spacing(2)" in rule
