"""A small server-rendered SVG bar chart that sits beside the table holding the same numbers.

Horizontal bars, one per table row; the value is written at the end of each bar so
the chart never shows a number the table does not. No scripts and no style
attributes (the content security policy forbids them): colours are presentation
attributes and classes.
"""

from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from saferhub.reporting.tables import Table

WIDTH = 640
LABEL_WIDTH = 220
VALUE_WIDTH = 60
BAR_HEIGHT = 22
GAP = 8
TOP = 8
BAR_COLOUR = "#00534f"


def _label(text: Any, limit: int = 32) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(title: str, description: str, bars: Sequence[tuple[Any, Any]], chart_id: str) -> SafeString:
    """An SVG for (label, value) pairs; a value that is not a number ("<5") gets no bar."""
    numbers = [value for _, value in bars if isinstance(value, int | float) and not isinstance(value, bool)]
    biggest = max([*numbers, 0])
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / biggest if biggest else 0
    height = TOP * 2 + len(bars) * (BAR_HEIGHT + GAP)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="saferhub-chart" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for index, (label, value) in enumerate(bars):
        y = TOP + index * (BAR_HEIGHT + GAP)
        middle = y + BAR_HEIGHT / 2
        length = round(value * scale, 1) if isinstance(value, int | float) and not isinstance(value, bool) else 0
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" dominant-baseline="middle" '
            f'font-size="14" fill="#0b0c0c">{escape(_label(label))}</text>'
        )
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>')
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6}" y="{middle}" dominant-baseline="middle" font-size="14" '
            f'fill="#0b0c0c">{escape(value if value is not None else "")}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text value above is escaped


def table_chart(table: Table) -> SafeString | None:
    if not table.chart or not table.rows:
        return None
    column = table.charted_column
    bars = [(row[0], row[column]) for row in table.rows]
    listing = "; ".join(f"{label}: {value}" for label, value in bars)
    description = f"Bar chart of {table.columns[column].lower()} by {table.columns[0].lower()}. {listing}."
    return bar_chart(table.caption, description, bars, f"chart-{table.key}")
