"""Placing stop-and-search points in wards and LSOAs: point in polygon against the imported boundaries.

data.police.uk gives a stop and search a latitude and longitude only. Each located search is
matched to the ward and the LSOA whose shape holds it: the database pairs searches with the
boundaries whose bounding box holds the point (one join, set-wise), and Python decides each
pair exactly by ray casting (holes of a polygon and the parts of a multipolygon included). A
search outside every shape, or with no location, is kept with no ward and counted.

It runs after a stop-and-search import (for the months of the file) and after a boundaries
import (for all the partnership's searches), so the order of the two imports does not matter.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from saferhub.crime.models import Boundary, StopSearch

Ring = Sequence[Sequence[float]]
# Rows fetched from the bounding-box join at a time, and primary keys per UPDATE.
FETCH = 5000
UPDATE = 500


def polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    """Each polygon as [outer ring, hole, hole …]."""
    if geometry.get("type") == "Polygon":
        return [list(geometry["coordinates"])]
    if geometry.get("type") == "MultiPolygon":
        return [list(polygon) for polygon in geometry["coordinates"]]
    return []


def bounding_box(geometry: dict[str, Any]) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the outer rings, or None for a geometry with no points."""
    points = [point for polygon in polygons(geometry) for point in polygon[0]] if polygons(geometry) else []
    if not points:
        return None
    longitudes = [float(point[0]) for point in points]
    latitudes = [float(point[1]) for point in points]
    return min(longitudes), min(latitudes), max(longitudes), max(latitudes)


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    """Ray casting: a ray to the east crosses the ring's edges an odd number of times when inside."""
    inside = False
    count = len(ring)
    for index in range(count):
        x1, y1 = float(ring[index][0]), float(ring[index][1])
        x2, y2 = float(ring[index - 1][0]), float(ring[index - 1][1])
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def contains(geometry: dict[str, Any], longitude: float, latitude: float) -> bool:
    return any(
        _in_ring(longitude, latitude, polygon[0])
        and not any(_in_ring(longitude, latitude, hole) for hole in polygon[1:])
        for polygon in polygons(geometry)
        if polygon
    )


@dataclass
class Placed:
    searches: int = 0  # with a location
    in_ward: int = 0
    outside: int = 0  # located, but in no ward shape


def _candidates(partnership_id: int, scope_sql: str, scope_params: list[Any]) -> Iterable[tuple[Any, ...]]:
    """(search id, longitude, latitude, boundary id, level) for every bounding box holding a search."""
    searches, boundaries = StopSearch._meta.db_table, Boundary._meta.db_table
    sql = (
        f"SELECT s.id, s.longitude, s.latitude, b.id, b.level FROM {searches} AS s "  # noqa: S608 - our own tables
        f"JOIN {boundaries} AS b ON b.partnership_id = s.partnership_id "
        "AND s.longitude BETWEEN b.west AND b.east AND s.latitude BETWEEN b.south AND b.north "
        f"WHERE s.partnership_id = %s AND s.longitude IS NOT NULL AND s.latitude IS NOT NULL {scope_sql} "
        "ORDER BY s.id, b.level, b.code"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [partnership_id, *scope_params])
        while rows := cursor.fetchmany(FETCH):
            yield from rows


def _chunks(rows: Iterable[tuple[Any, ...]]) -> Iterable[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == FETCH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def place_stop_searches(partnership: Any, months: tuple[Any, Any] | None = None) -> Placed:
    """Set ward_code and lsoa_code of the partnership's searches (of the months given, or all)."""
    searches = StopSearch.objects.filter(partnership=partnership)
    scope_sql, scope_params = "", []
    if months is not None:
        searches = searches.filter(month__range=months)
        scope_sql, scope_params = "AND s.month BETWEEN %s AND %s", list(months)
    shapes: dict[int, tuple[str, dict[str, Any]]] = {}
    found: dict[int, dict[str, str]] = {}
    for chunk in _chunks(_candidates(partnership.pk, scope_sql, scope_params)):
        # The shapes this chunk needs and not yet held, in one query.
        wanted = {row[3] for row in chunk} - set(shapes)
        for boundary in Boundary.objects.filter(pk__in=wanted).only("code", "geometry"):
            shapes[boundary.pk] = (boundary.code, boundary.geometry)
        for search_id, longitude, latitude, boundary_id, level in chunk:
            if level in found.get(search_id, {}):
                continue  # already placed at this level: boundaries of one level do not overlap
            code, geometry = shapes[boundary_id]
            if contains(geometry, float(longitude), float(latitude)):
                found.setdefault(search_id, {})[level] = code
    searches.exclude(ward_code="", lsoa_code="").update(ward_code="", lsoa_code="")
    by_place: dict[tuple[str, str], list[int]] = {}
    for search_id, levels in found.items():
        by_place.setdefault((levels.get("ward", ""), levels.get("lsoa", "")), []).append(search_id)
    for (ward, lsoa), ids in by_place.items():
        for start in range(0, len(ids), UPDATE):
            StopSearch.objects.filter(pk__in=ids[start : start + UPDATE]).update(ward_code=ward, lsoa_code=lsoa)
    located = searches.filter(longitude__isnull=False, latitude__isnull=False).count()
    in_ward = sum(1 for levels in found.values() if "ward" in levels)
    return Placed(searches=located, in_ward=in_ward, outside=located - in_ward)


def searches_by_ward(partnership: Any, last: Any) -> dict[str, Any] | None:
    """Stop and search by ward of the partnership over the rolling year to `last`, counted by the database.

    None when no search of those months is placed in one of the partnership's wards.
    """
    from django.db.models import Count, Q

    from saferhub.crime.dashboard import add_months, label
    from saferhub.places.models import Ward

    first = add_months(last, -11)
    # The partnership's own wards are those with a code in places; a search elsewhere in London is left out.
    own = Ward.objects.filter(partnership=partnership).exclude(code="").values("code")
    rows = list(
        StopSearch.objects.filter(partnership=partnership, month__range=(first, last), ward_code__in=own)
        .values("ward_code")
        .annotate(searches=Count("pk"), arrests=Count("pk", filter=Q(outcome="Arrest")))
        .order_by()
    )
    if not rows:
        return None
    names = dict(
        Ward.objects.filter(partnership=partnership, code__in=[row["ward_code"] for row in rows]).values_list(
            "code", "name"
        )
    )
    months = (
        StopSearch.objects.filter(partnership=partnership, month__range=(first, last))
        .values("month")
        .distinct()
        .count()
    )
    wards = [
        {
            "code": row["ward_code"],
            "name": names[row["ward_code"]],
            "searches": row["searches"],
            "arrests": row["arrests"],
        }
        for row in rows
    ]
    wards.sort(key=lambda ward: (-ward["searches"], ward["name"].casefold()))
    return {"from": label(first), "to": label(last), "months_held": months, "wards": wards}
