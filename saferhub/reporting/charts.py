"""A small server-rendered SVG bar chart that sits beside the table holding the same numbers.

Horizontal bars, one per table row, each under its label (wrapped, never cut short); the
value is written at the end of each bar so the chart never shows a number the table does not.
The SVG has a viewBox and no fixed size, so it shrinks to its column. No scripts and no style
attributes (the content security policy forbids them): colours are presentation
attributes and classes.
"""

from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from saferhub.reporting.tables import Table

# The drawing's own units. The SVG scales to the width of its column (CSS `.saferhub-chart`),
# so no pixel width is fixed; at a desktop half column one unit is about one pixel.
WIDTH = 460
VALUE_WIDTH = 60
FONT_SIZE = 16
LINE_HEIGHT = 20
BAR_HEIGHT = 22
GAP = 14
TOP = 4
# Labels sit above their bar and wrap rather than being cut: about this many characters a line.
LABEL_CHARACTERS = 48
BAR_COLOUR = "#00534f"
TEXT_COLOUR = "#0b0c0c"
# For the downloaded HTML, which has no stylesheet; on the site `.saferhub-chart` sets the page's font.
FALLBACK_FONT = "system-ui, Arial, sans-serif"


def wrap_label(text: Any, limit: int = LABEL_CHARACTERS) -> list[str]:
    """The label split into lines of at most `limit` characters at spaces; a longer word has a line of its own."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def bar_chart(title: str, description: str, bars: Sequence[tuple[Any, Any]], chart_id: str) -> SafeString:
    """An SVG for (label, value) pairs; a value that is not a number ("<5") gets no bar."""
    numbers = [value for _, value in bars if _is_number(value)]
    biggest = max([*numbers, 0])
    scale = (WIDTH - VALUE_WIDTH) / biggest if biggest else 0
    body: list[str] = []
    y = TOP
    for label, value in bars:
        lines = wrap_label(label)
        spans = "".join(
            f'<tspan x="0" dy="{0 if index == 0 else LINE_HEIGHT}">{escape(line)}</tspan>'
            for index, line in enumerate(lines)
        )
        body.append(f'<text x="0" y="{y + FONT_SIZE}" fill="{TEXT_COLOUR}">{spans}</text>')
        y += len(lines) * LINE_HEIGHT + 4
        length = round(value * scale, 1) if _is_number(value) else 0
        body.append(f'<rect x="0" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>')
        body.append(
            f'<text x="{length + 6}" y="{y + BAR_HEIGHT / 2}" dominant-baseline="central" '
            f'font-weight="bold" fill="{TEXT_COLOUR}">{escape(value if value is not None else "")}</text>'
        )
        y += BAR_HEIGHT + GAP
    height = y - GAP + TOP
    chart_id = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="saferhub-chart" width="100%" '
        f'viewBox="0 0 {WIDTH} {height}" preserveAspectRatio="xMinYMin meet" '
        f'font-family="{FALLBACK_FONT}" font-size="{FONT_SIZE}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every text value above is escaped


def table_chart(table: Table) -> SafeString | None:
    if not table.chart or not table.rows:
        return None
    column = table.charted_column
    bars = [(row[0], row[column]) for row in table.rows]
    listing = "; ".join(f"{label}: {value}" for label, value in bars)
    description = f"Bar chart of {table.columns[column].lower()} by {table.columns[0].lower()}. {listing}."
    return bar_chart(table.caption, description, bars, f"chart-{table.key}")
