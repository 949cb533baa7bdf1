"""Server-drawn SVG: a monthly column chart with exceptions marked, beside the table of the same numbers.

Like the report charts: a viewBox and no fixed size, presentation attributes only (the
content security policy forbids style attributes and scripts), every text escaped.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
HEIGHT = 260
LEFT = 48
BOTTOM = 40
TOP = 24
BAR = "#00534f"
HIGH = "#b3261e"
LOW = "#1d70b8"
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
FONT = "system-ui, Arial, sans-serif"


def _month_label(month: str) -> str:
    return datetime.date.fromisoformat(f"{month}-01").strftime("%B %Y")


def _nice_top(value: int) -> int:
    if value <= 5:
        return 5
    step = 10 ** (len(str(value)) - 1)
    for multiple in (1, 2, 2.5, 5, 10):
        top = int(multiple * step)
        if top >= value:
            return top
    return value


def trend_chart(title: str, points: Sequence[dict[str, Any]], chart_id: str) -> SafeString:
    """Columns per month; a month outside the usual range is coloured and marked ▲ (high) or ▼ (low)."""
    top = _nice_top(max([point["count"] for point in points] or [0]))
    plot_width = WIDTH - LEFT - 8
    plot_height = HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(points), 1)
    body: list[str] = []
    for fraction in (0, 0.5, 1):
        y = TOP + plot_height * (1 - fraction)
        body.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - 8}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        body.append(
            f'<text x="{LEFT - 6}" y="{y:.1f}" text-anchor="end" dominant-baseline="central" fill="{TEXT}">'
            f"{round(top * fraction)}</text>"
        )
    for index, point in enumerate(points):
        height = plot_height * point["count"] / top if top else 0
        x = LEFT + index * step + step * 0.15
        y = TOP + plot_height - height
        colour = {"high": HIGH, "low": LOW}.get(point.get("exception") or "", BAR)
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{height:.1f}" fill="{colour}"/>')
        if point.get("exception"):
            mark = "▲" if point["exception"] == "high" else "▼"
            body.append(
                f'<text x="{x + step * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle" fill="{colour}">{mark}</text>'
            )
        if (index % 12 == 0 and len(points) - 1 - index >= 6) or index == len(points) - 1:
            # The first label starts at its column and the last ends at its own, so neither leaves the drawing.
            anchor = "start" if index == 0 else "end" if index == len(points) - 1 else "middle"
            at = x if index == 0 else x + step * 0.7 if index == len(points) - 1 else x + step * 0.35
            body.append(
                f'<text x="{at:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="{anchor}" fill="{TEXT}">'
                f"{escape(_month_label(point['month']))}</text>"
            )
    exceptions = [f"{_month_label(p['month'])} {p['exception']}" for p in points if p.get("exception")]
    listing = "; ".join(f"{_month_label(p['month'])}: {p['count']}" for p in points)
    description = (
        f"Column chart of monthly counts, {len(points)} months. "
        f"Exceptions: {', '.join(exceptions) if exceptions else 'none'}. {listing}."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="saferhub-chart" width="100%" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="xMinYMin meet" font-family="{FONT}" font-size="13" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every text value above is escaped
