"""Server-drawn pictures of contextual safeguarding: the network around a child or a place, and the ward map.

The network is drawn as SVG with the centre in the middle and what it is linked to on a
ring around it (a group's own places and themes on an outer ring). The same links are
listed in a table on the page, which is what screen-reader users read: the SVG is
labelled as a picture of that table. The ward map reuses the crime dashboard's
choropleth of the imported ward boundaries.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from saferhub.missing.models import IntelLink

WIDTH, HEIGHT = 640, 440
COLOURS = {"person": "#1d70b8", "place": "#00703c", "group": "#912b88", "theme": "#d4351c"}
KIND_LABELS = {"person": "Young person", "place": "Place", "group": "Group", "theme": "Theme"}


@dataclass(frozen=True)
class Node:
    kind: str
    key: Any
    label: str


def ends(link: IntelLink) -> list[Node]:
    """The things a link joins, in a fixed order."""
    nodes = []
    if link.person_id:
        nodes.append(Node("person", link.person_id, link.person.display_name if link.person else ""))
    if link.place_id:
        nodes.append(Node("place", link.place_id, link.place.name if link.place else ""))
    if link.group_id:
        nodes.append(Node("group", link.group_id, link.group.name if link.group else ""))
    if link.theme:
        nodes.append(Node("theme", link.theme, link.get_theme_display()))
    return nodes


def link_rows(links: Iterable[IntelLink]) -> list[dict[str, Any]]:
    """Each link as a table row: what it joins, the role, source, date and visibility."""
    rows = []
    for link in links:
        nodes = ends(link)
        rows.append(
            {
                "link": link,
                "joins": [(KIND_LABELS[n.kind], n.label) for n in nodes],
                "text": " and ".join(f"{KIND_LABELS[n.kind].lower()} {n.label}" for n in nodes),
            }
        )
    return rows


def network_svg(centre: Node, links: Sequence[IntelLink], chart_id: str) -> SafeString:
    """The centre, what its links join it to (inner ring) and what those join to in turn (outer ring)."""
    inner: list[Node] = []
    outer: list[tuple[Node, Node]] = []
    for link in links:
        nodes = ends(link)
        if centre in nodes:
            inner.extend(n for n in nodes if n != centre and n not in inner)
    for link in links:
        nodes = ends(link)
        if centre in nodes:
            continue
        anchors = [n for n in nodes if n in inner]
        for anchor in anchors[:1]:
            outer.extend((anchor, n) for n in nodes if n != anchor and n not in inner and n != centre)
    cx, cy = WIDTH / 2, HEIGHT / 2
    positions = {centre: (cx, cy)}
    for i, node in enumerate(inner):
        angle = 2 * math.pi * i / max(len(inner), 1) - math.pi / 2
        positions[node] = (cx + 130 * math.cos(angle), cy + 110 * math.sin(angle))
    for i, (_anchor, node) in enumerate(outer):
        if node not in positions:
            angle = 2 * math.pi * i / max(len(outer), 1) - math.pi / 3
            positions[node] = (cx + 270 * math.cos(angle), cy + 190 * math.sin(angle))
    lines = [(centre, n) for n in inner] + outer
    body = [
        f'<line x1="{positions[a][0]:.0f}" y1="{positions[a][1]:.0f}" x2="{positions[b][0]:.0f}" '
        f'y2="{positions[b][1]:.0f}" stroke="#505a5f" stroke-width="1.5"/>'
        for a, b in lines
    ]
    for node, (x, y) in positions.items():
        radius = 16 if node == centre else 11
        body.append(
            f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{radius}" fill="{COLOURS[node.kind]}">'
            f"<title>{escape(KIND_LABELS[node.kind])}: {escape(node.label)}</title></circle>"
        )
        body.append(
            f'<text x="{x:.0f}" y="{y + radius + 14:.0f}" text-anchor="middle" fill="#0b0c0c">{escape(node.label[:28])}</text>'
        )
    legend = [
        f'<circle cx="{20 + i * 130}" cy="{HEIGHT + 12}" r="7" fill="{COLOURS[kind]}"/>'
        f'<text x="{32 + i * 130}" y="{HEIGHT + 16}" fill="#0b0c0c">{escape(label)}</text>'
        for i, (kind, label) in enumerate(KIND_LABELS.items())
    ]
    described = "; ".join(f"{KIND_LABELS[n.kind]} {n.label}" for n in inner) or "nothing yet"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="saferhub-chart" width="100%" viewBox="-10 -10 {WIDTH + 20} '
        f'{HEIGHT + 40}" preserveAspectRatio="xMidYMin meet" font-family="system-ui, Arial, sans-serif" '
        f'font-size="12" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">Links around {escape(centre.label)}</title>',
        f'<desc id="{chart_id}-desc">{escape(KIND_LABELS[centre.kind])} {escape(centre.label)} is linked to: '
        f"{escape(described)}. The table below lists every link.</desc>",
        *body,
        *legend,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every text value above is escaped


def ward_map(partnership: Any, places: Any) -> tuple[SafeString | None, list[tuple[str, int]]]:
    """Places of concern per ward: the crime dashboard's choropleth of ward boundaries, and its rows."""
    from saferhub.crime.maps import choropleth
    from saferhub.crime.models import Boundary

    counts = list(
        places.filter(ward__isnull=False)
        .order_by()
        .values("ward__code", "ward__name")
        .annotate(n=Count("pk"))
        .values_list("ward__code", "ward__name", "n")
    )
    rows = sorted(((name, n) for _code, name, n in counts), key=lambda row: (-row[1], row[0]))
    shapes = list(Boundary.objects.filter(partnership=partnership, level="ward"))
    values = {code: n for code, _name, n in counts if code}
    svg = choropleth("Places of concern by ward", "Places of concern", shapes, values, "places-map") if shapes else None
    return svg, rows
