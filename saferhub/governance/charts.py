"""The RAG-by-priority chart of a plan's page: one stacked bar per priority, drawn on the server as SVG.

It sits beside the table holding the same numbers; each segment is labelled with its
count, and the description lists every figure, so nothing depends on colour alone.
No scripts and no style attributes (the content security policy forbids them).
"""

from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from saferhub.reporting.charts import FALLBACK_FONT, TEXT_COLOUR, wrap_label

WIDTH = 460
FONT_SIZE = 16
LINE_HEIGHT = 20
BAR_HEIGHT = 26
GAP = 14
# Segment colours with white text readable on each (contrast at least 4.5:1).
SEGMENTS = (
    ("red", "Red", "#b10e1e"),
    ("amber", "Amber", "#8a4b00"),
    ("green", "Green", "#00703c"),
    ("none", "Not rated", "#505a5f"),
)


def rag_by_priority_chart(rows: Sequence[dict[str, Any]], chart_id: str) -> SafeString | None:
    """rows: {"priority", "red", "amber", "green", "none"}; bars are scaled to the largest priority."""
    if not rows:
        return None
    biggest = max(sum(row[key] for key, _, _ in SEGMENTS) for row in rows) or 1
    scale = WIDTH / biggest
    body: list[str] = []
    y = 4
    # A key first, so the colours are explained in the chart itself.
    x: float = 0
    for _key, label, colour in SEGMENTS:
        body.append(f'<rect x="{x}" y="{y}" width="16" height="16" fill="{colour}"/>')
        body.append(f'<text x="{x + 22}" y="{y + 14}" fill="{TEXT_COLOUR}">{escape(label)}</text>')
        x += 36 + len(label) * 10
    y += 16 + GAP
    for row in rows:
        lines = wrap_label(row["priority"] or "No priority given")
        spans = "".join(
            f'<tspan x="0" dy="{0 if index == 0 else LINE_HEIGHT}">{escape(line)}</tspan>'
            for index, line in enumerate(lines)
        )
        body.append(f'<text x="0" y="{y + FONT_SIZE}" fill="{TEXT_COLOUR}">{spans}</text>')
        y += len(lines) * LINE_HEIGHT + 4
        x = 0
        for key, _label, colour in SEGMENTS:
            count = row[key]
            if not count:
                continue
            width = round(count * scale, 1)
            body.append(f'<rect x="{x}" y="{y}" width="{width}" height="{BAR_HEIGHT}" fill="{colour}"/>')
            if width >= 14:
                body.append(
                    f'<text x="{x + width / 2}" y="{y + BAR_HEIGHT / 2}" text-anchor="middle" '
                    f'dominant-baseline="central" font-weight="bold" fill="#ffffff">{count}</text>'
                )
            x += width
        y += BAR_HEIGHT + GAP
    listing = "; ".join(
        f"{row['priority'] or 'No priority given'}: "
        + ", ".join(f"{label.lower()} {row[key]}" for key, label, _ in SEGMENTS)
        for row in rows
    )
    chart_id = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="saferhub-chart" width="100%" '
        f'viewBox="0 0 {WIDTH} {y - GAP + 4}" preserveAspectRatio="xMinYMin meet" '
        f'font-family="{FALLBACK_FONT}" font-size="{FONT_SIZE}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">Commitments by RAG rating and priority</title>',
        f'<desc id="{chart_id}-desc">Stacked bar chart. {escape(listing)}.</desc>',
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every text value above is escaped
