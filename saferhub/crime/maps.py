"""Maps for the dashboard: ONS boundary shapes imported as GeoJSON, drawn on the server as SVG.

Import `boundaries` takes a GeoJSON FeatureCollection as ONS publishes it (ward or LSOA
boundaries, longitude/latitude, a code property such as `WD22CD` or `LSOA21CD` and its
name `WD22NM`). The map is a choropleth: each area filled by the class of its value
(quintiles of the values shown), with a legend, a title and a description listing every
value; the table beside it on the page holds the same numbers.
"""

import io
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from saferhub.crime import geography
from saferhub.crime.importing import FileContext, FileImportKind, FileRejected, FileResult, Problems
from saferhub.crime.models import Boundary, CrimeFile, StopSearch
from saferhub.imports.registry import Column, register

CODE_PROPERTY = re.compile(r"^(WD|LSOA)\d{2}CD$", re.IGNORECASE)
LEVELS = {"wd": "ward", "lsoa": "lsoa"}
WIDTH = 600
# Light to dark: the darker, the more crime. Colour is not the only cue: the table beside holds the numbers.
CLASSES = ["#e5f2f1", "#b3d9d6", "#66b3ad", "#1f7f77", "#00534f"]
NO_DATA = "#f3f2f1"
STROKE = "#505a5f"


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    raise ValueError("a geometry of type Polygon or MultiPolygon is needed")


def _check_geometry(geometry: Any) -> str | None:
    if not isinstance(geometry, dict):
        return "no geometry"
    try:
        rings = _rings(geometry)
        for ring in rings:
            for point in ring:
                longitude, latitude = float(point[0]), float(point[1])
                if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
                    return "coordinates are not longitude and latitude (use the WGS84 / EPSG:4326 download)"
    except (KeyError, TypeError, IndexError, ValueError) as exc:
        return f"the geometry cannot be read ({exc})"
    return None if rings else "the geometry has no outline"


class BoundariesImport(FileImportKind):
    def __init__(self) -> None:
        super().__init__(
            slug="boundaries",
            title="Boundaries (ONS GeoJSON, wards or LSOAs)",
            description=(
                "Ward or LSOA boundaries as ONS publishes them in GeoJSON (longitude and latitude): the shapes the "
                "crime dashboard draws its maps from. Features are matched on their code (WD22CD, LSOA21CD …)."
            ),
            columns=(Column("WDyyCD or LSOAyyCD", True), Column("WDyyNM or LSOAyyNM")),
        )

    def import_file(
        self, ctx: FileContext, handle: IO[bytes], source: CrimeFile, problems: Problems, result: FileResult
    ) -> None:
        ctx.layout = "geojson"
        try:
            collection = json.load(handle)
        except (ValueError, UnicodeDecodeError) as exc:
            problems(1, None, f"the file is not GeoJSON ({exc})")
            raise FileRejected from exc
        features = collection.get("features") if isinstance(collection, dict) else None
        if not isinstance(features, list):
            problems(1, None, "the file is not a GeoJSON FeatureCollection")
            raise FileRejected
        parsed = []
        for number, feature in enumerate(features, start=1):
            properties = feature.get("properties") or {} if isinstance(feature, dict) else {}
            key = next((name for name in properties if CODE_PROPERTY.match(name)), None)
            if key is None:
                problems(number, None, "the feature has no code property (WDyyCD or LSOAyyCD)")
                continue
            problem = _check_geometry(feature.get("geometry"))
            if problem:
                problems(number, key, problem)
                continue
            level = LEVELS[re.match(r"^[A-Za-z]+", key).group(0).lower()]  # type: ignore[union-attr]
            name = str(properties.get(key[:-2] + "NM") or properties.get(key[:-2] + "nm") or "")[:120]
            parsed.append((level, str(properties[key]).strip()[:12], name, feature["geometry"]))
        if problems.any:
            raise FileRejected
        _save(ctx, parsed, source, result)
        ctx.rows = len(parsed)
        _place_searches(ctx, result)


def _place_searches(ctx: FileContext, result: FileResult) -> None:
    """New shapes: the stop-and-search points already held are placed again."""
    if (result.created or result.updated) and StopSearch.objects.filter(partnership=ctx.partnership).exists():
        placed = geography.place_stop_searches(ctx.partnership)
        result.notes.append(
            f"Stop and search placed again by the new boundaries: {placed.in_ward} of {placed.searches} "
            f"located searches in a ward, {placed.outside} outside every ward boundary."
        )


def _save(ctx: FileContext, parsed: list[tuple[str, str, str, Any]], source: CrimeFile, result: FileResult) -> None:
    """Create or update each boundary, with its bounding box."""
    existing = {b.code: b for b in Boundary.objects.filter(partnership=ctx.partnership)}
    for level, code, name, geometry in parsed:
        current = existing.get(code)
        west, south, east, north = geography.bounding_box(geometry) or (None, None, None, None)
        box = {"west": west, "south": south, "east": east, "north": north}
        if current is None:
            Boundary.objects.create(
                partnership=ctx.partnership,
                level=level,
                code=code,
                name=name,
                geometry=geometry,
                source=source,
                **box,
            )
            result.created += 1
        elif (current.level, current.name, current.geometry) != (level, name, geometry):
            current.level, current.name, current.geometry, current.source = level, name, geometry, source
            for attribute, value in box.items():
                setattr(current, attribute, value)
            current.save()
            result.updated += 1
        else:
            result.unchanged += 1


register(BoundariesImport())


def _classes(values: Sequence[float]) -> list[float]:
    """Upper bounds of five classes (quintiles of the values shown)."""
    ordered = sorted(values)
    if not ordered:
        return []
    return [ordered[min(len(ordered) - 1, math.ceil(len(ordered) * step / 5) - 1)] for step in range(1, 6)]


class _Layout:
    """Where each shape's rings fall on a drawing WIDTH wide (north up), and the class of each value."""

    def __init__(self, shapes: Sequence[Boundary], values: dict[str, float | int]) -> None:
        points = [point for shape in shapes for ring in _rings(shape.geometry) for point in ring]
        self.west, east = min(p[0] for p in points), max(p[0] for p in points)
        south, self.north = min(p[1] for p in points), max(p[1] for p in points)
        # Equirectangular, shrunk east-west by the cosine of the middle latitude: true enough for a borough.
        self.squeeze = math.cos(math.radians((self.north + south) / 2))
        span_x, span_y = max((east - self.west) * self.squeeze, 1e-9), max(self.north - south, 1e-9)
        self.scale = WIDTH / span_x
        self.height = round(span_y * self.scale, 1)
        self.values = values
        self.bounds = _classes([values[shape.code] for shape in shapes if shape.code in values])

    def rings(self, shape: Boundary) -> list[list[tuple[float, float]]]:
        return [
            [((lon - self.west) * self.squeeze * self.scale, (self.north - lat) * self.scale) for lon, lat, *_ in ring]
            for ring in _rings(shape.geometry)
        ]

    def fill(self, shape: Boundary) -> str:
        value = self.values.get(shape.code)
        index = next((i for i, bound in enumerate(self.bounds) if value is not None and value <= bound), None)
        return CLASSES[index] if index is not None else NO_DATA

    def keys(self) -> list[tuple[str, str]]:
        """(colour, "low–high") for each class, lightest first."""
        low, keys = 0.0, []
        for index, bound in enumerate(self.bounds):
            keys.append((CLASSES[index], f"{_number(low)}–{_number(bound)}"))
            low = bound
        return keys


def _listing(shapes: Sequence[Boundary], values: dict[str, float | int]) -> str:
    return "; ".join(f"{shape.name or shape.code}: {values.get(shape.code, 'no data')}" for shape in shapes)


def choropleth(
    title: str, what: str, shapes: Sequence[Boundary], values: dict[str, float | int], chart_id: str
) -> SafeString | None:
    """An SVG map of the shapes, each filled by the class of its value; None without shapes."""
    if not shapes:
        return None
    layout = _Layout(shapes, values)
    height = layout.height
    body = []
    for shape in shapes:
        value = values.get(shape.code)
        path = " ".join("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in ring) + " Z" for ring in layout.rings(shape))
        label = f"{shape.name or shape.code}: {value if value is not None else 'no data'}"
        body.append(
            f'<path d="{path}" fill="{layout.fill(shape)}" stroke="{STROKE}" stroke-width="0.8">'
            f"<title>{escape(label)}</title></path>"
        )
    legend_y = height + 16
    legend = [f'<text x="0" y="{legend_y + 12}" fill="#0b0c0c">Key</text>']
    for index, (colour, span) in enumerate(layout.keys()):
        x = 40 + index * 110
        legend.append(f'<rect x="{x}" y="{legend_y}" width="16" height="16" fill="{colour}" stroke="{STROKE}"/>')
        legend.append(f'<text x="{x + 20}" y="{legend_y + 12}" fill="#0b0c0c">{escape(span)}</text>')
    listing = _listing(shapes, values)
    total_height = legend_y + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="saferhub-chart" width="100%" '
        f'viewBox="0 0 {WIDTH} {total_height}" preserveAspectRatio="xMinYMin meet" '
        f'font-family="system-ui, Arial, sans-serif" font-size="12" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">Map of {escape(what.lower())} by area, darker for more. {escape(listing)}.</desc>',
        *body,
        *legend,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every text value above is escaped


def map_png(title: str, shapes: Sequence[Boundary], values: dict[str, float | int]) -> bytes:
    """The same map as a PNG for Word and Excel (matplotlib, as the documents' charts), with its key."""
    from matplotlib.collections import PolyCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from saferhub.reporting.document_charts import DPI, TEXT_COLOUR, WIDTH_INCHES, fixed_style

    layout = _Layout(shapes, values)
    height_inches = min(7.0, max(2.5, WIDTH_INCHES * layout.height / WIDTH + 0.9))
    figure = Figure(figsize=(WIDTH_INCHES, height_inches), dpi=DPI)
    axes = figure.add_axes((0.01, 0.12, 0.98, 0.8))
    polygons, colours = [], []
    for shape in shapes:
        for ring in layout.rings(shape):
            polygons.append(ring)
            colours.append(layout.fill(shape))
    with fixed_style():
        axes.add_collection(PolyCollection(polygons, facecolors=colours, edgecolors=STROKE, linewidths=0.4))
        axes.set_xlim(0, WIDTH)
        axes.set_ylim(layout.height, 0)  # north up: y grows southwards in the layout
        axes.set_aspect("equal")
        axes.set_axis_off()
        figure.suptitle(title, x=0.01, ha="left", fontsize=9, color=TEXT_COLOUR)
        handles = [Patch(facecolor=colour, edgecolor=STROKE, label=span) for colour, span in layout.keys()]
        figure.legend(handles=handles, loc="lower left", ncols=len(handles) or 1, fontsize=7, frameon=False,
                      title="Key (darker for more)", title_fontsize=7)  # fmt: skip
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    return buffer.getvalue()


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


@dataclass(frozen=True)
class MapData:
    key: str  # "ward_map" or "lsoa_map"
    title: str
    what: str
    area_heading: str
    shapes: list[Boundary]
    values: dict[str, float | int]
    rows: list[tuple[str, Any]]

    @property
    def description(self) -> str:
        return f"Map of {self.what.lower()} by area, darker for more. {_listing(self.shapes, self.values)}."


def map_data(partnership: Any, result: dict[str, Any], last: Any) -> list[MapData]:
    """The ward choropleth (rolling-year rate, or count without ward populations) and the LSOA hotspot map."""
    from django.db.models import Count

    from saferhub.crime.dashboard import add_months
    from saferhub.crime.models import StreetCrime
    from saferhub.places.population import populations_for

    maps: list[MapData] = []
    wards = result.get("wards") or []
    shapes = list(Boundary.objects.filter(partnership=partnership, level="ward", code__in=[w["code"] for w in wards]))
    if shapes:
        end = add_months(last, 1)
        people = populations_for(partnership, [w["code"] for w in wards], "residents", end)
        if people:
            rows = [
                (
                    w["name"],
                    round(w["rolling_year"] * 1000 / people[w["code"]].value, 1) if w["code"] in people else None,
                )
                for w in wards
            ]
            values = {w["code"]: value for w, (_, value) in zip(wards, rows, strict=True) if value is not None}
            what = "Crimes per 1,000 residents"
        else:
            rows = [(w["name"], w["rolling_year"]) for w in wards]
            values = {w["code"]: w["rolling_year"] for w in wards}
            what = "Crimes (no ward population held)"
        rows = sorted(rows, key=lambda row: -(row[1] or 0))
        maps.append(MapData("ward_map", "Wards: crimes in the rolling year", what, "Ward", shapes, values, rows))
    lsoa_shapes = list(Boundary.objects.filter(partnership=partnership, level="lsoa"))
    if lsoa_shapes:
        counts = dict(
            StreetCrime.objects.filter(partnership=partnership, month__range=(add_months(last, -11), last))
            .exclude(lsoa_code="")
            .values("lsoa_code")
            .annotate(n=Count("pk"))
            .values_list("lsoa_code", "n")
        )
        if counts:
            names = {shape.code: shape.name or shape.code for shape in lsoa_shapes}
            hotspots: list[tuple[str, int]] = sorted(
                ((names.get(code, code), count) for code, count in counts.items()), key=lambda row: (-row[1], row[0])
            )
            maps.append(
                MapData(
                    "lsoa_map",
                    "LSOA hotspots: street-level crimes in the rolling year",
                    "Street-level crimes",
                    "LSOA",
                    lsoa_shapes,
                    counts,
                    hotspots,
                )
            )
    return maps


def map_sections(partnership: Any, result: dict[str, Any], last: Any) -> dict[str, Any]:
    """The maps as the dashboard page shows them: SVG, the rows of the table beside and what they count."""
    out: dict[str, Any] = {}
    for item in map_data(partnership, result, last):
        out[item.key] = choropleth(item.title, item.what, item.shapes, item.values, item.key.replace("_", "-"))
        out[f"{item.key}_rows"] = item.rows
        if item.key == "ward_map":
            out["ward_map_what"] = item.what
    return out
