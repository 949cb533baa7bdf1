"""Charts inside Office documents, for every module: native charts in XLSX, pictures in DOCX.

A ``Chart`` holds what to draw (bar or line, categories, one or more series) with its title and
a one-line description. The same chart goes

- into a workbook as a native Excel chart (openpyxl) that references the cells of the table it
  sits beside, so the chart and the table can never disagree (``add_xlsx_chart``);
- into a Word document as a PNG drawn on the server by matplotlib's Agg renderer, inline after
  its table, with the title and the description as its alt text (``add_docx_chart``).

The PNG is reproducible byte for byte for the same data: the figure is built without pyplot (no
global state, no display), with fixed size, resolution and font (matplotlib's bundled DejaVu
Sans), and saved with no metadata (no "Software" text, no time).
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from docx.shared import Mm
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef

from saferhub.reporting.tables import Table, is_number

BAR_COLOUR = "#00534f"
# Further series (a year before, other groups): distinguishable without colour vision too (see LINE_STYLES).
SERIES_COLOURS = (BAR_COLOUR, "#1d70b8", "#b58840", "#4c2c92", "#d4351c", "#505a5f")
LINE_STYLES = ("-", "--", ":", "-.")
HIGH, LOW = "#b3261e", "#1d70b8"
TEXT_COLOUR = "#0b0c0c"
DPI = 150
FONT = "DejaVu Sans"  # shipped with matplotlib: the same glyphs on every server
# Bar charts grow with their rows; line charts have a fixed height.
BAR_ROW_INCHES = 0.32
LINE_HEIGHT_INCHES = 2.6
WIDTH_INCHES = 6.3
DOCX_WIDTH = Mm(160)  # fits A4 portrait inside 25 mm margins
# A row label longer than this is cut in the picture (the table beside it has it whole).
LABEL_CHARACTERS = 40
# The width of a character of a 7 point label, roughly: for the margin the row labels need.
CHARACTER_INCHES = 0.058


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Any]


@dataclass(frozen=True)
class Chart:
    kind: Literal["bar", "line"]
    title: str
    description: str
    categories: Sequence[str]
    series: Sequence[Series]
    # Line charts: per category, "high" or "low" marks an exception (▲ / ▼), None nothing.
    marks: Sequence[str | None] = field(default_factory=tuple)
    value_axis: str = ""


def _number(value: Any) -> float | None:
    return float(value) if is_number(value) else None


def table_chart_data(table: Table) -> Chart | None:
    """The chart `reporting.charts.table_chart` draws beside the table in HTML, for the Office formats."""
    if not table.chart or not table.rows:
        return None
    column = table.charted_column
    bars = [(str(row[0]), row[column]) for row in table.rows]
    listing = "; ".join(f"{label}: {value}" for label, value in bars)
    what = table.columns[column].strip()
    return Chart(
        kind="bar",
        title=table.caption,
        description=f"Bar chart of {what.lower()} by {table.columns[0].lower()}. {listing}.",
        categories=[label for label, _ in bars],
        series=[Series(what, [value for _, value in bars])],
        value_axis=what,
    )


# --- XLSX ---------------------------------------------------------------------------------------


def add_xlsx_chart(
    sheet: Any,
    chart: Chart,
    *,
    header_row: int,
    first_row: int,
    last_row: int,
    label_column: int,
    value_columns: Sequence[int],
    anchor: str,
) -> Any:
    """A native Excel chart of rows first_row..last_row (1-based), each series a column with its heading.

    The categories are the label column's cells and each series the cells of one value column, its
    name the heading in header_row: the chart reads the table, it holds no copy of the numbers.
    """
    native: Any = BarChart() if chart.kind == "bar" else LineChart()
    if chart.kind == "bar":
        native.type = "bar"  # horizontal: long row labels stay readable
        native.x_axis.scaling.orientation = "maxMin"  # first row at the top, as in the table
        native.gapWidth = 60
    native.title = chart.title
    native.y_axis.title = chart.value_axis or None
    native.legend = None if len(value_columns) == 1 else native.legend
    # openpyxl 3.1 hides both axes unless told otherwise.
    native.x_axis.delete = False
    native.y_axis.delete = False
    if first_row != header_row + 1:
        raise ValueError("The series headings must be in the row directly above the data.")
    for column in value_columns:
        native.add_data(Reference(sheet, min_col=column, min_row=header_row, max_row=last_row), titles_from_data=True)
    labels = Reference(sheet, min_col=label_column, min_row=first_row, max_row=last_row)
    for series in native.series:
        # Row labels are text: a string reference (openpyxl's set_categories would make it numeric).
        series.cat = AxDataSource(strRef=StrRef(f=str(labels)))
    for index, series in enumerate(native.series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)].lstrip("#")
        if chart.kind == "bar":
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line.solidFill = colour
        else:
            series.graphicalProperties.line.solidFill = colour
            series.smooth = False
    rows = last_row - first_row + 1
    native.width = 16
    native.height = max(7.5, 1.5 + 0.6 * rows) if chart.kind == "bar" else 7.5
    sheet.add_chart(native, anchor)
    return native


# --- PNG and DOCX -------------------------------------------------------------------------------


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _figure(chart: Chart) -> Any:
    # Imported here: matplotlib takes a moment to load, and only documents with charts need it.
    from matplotlib.figure import Figure

    rows = len(chart.categories)
    height = max(1.6, 0.8 + BAR_ROW_INCHES * rows * max(1, len(chart.series))) if chart.kind == "bar" else None
    height = height or LINE_HEIGHT_INCHES
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    # Fixed margins rather than a layout engine (which draws the figure twice): room on the left for
    # the longest row label of a bar chart, or the value axis of a line chart.
    longest = max((len(_short(str(label))) for label in chart.categories), default=0) if chart.kind == "bar" else 6
    left = min(0.5, (0.3 + longest * CHARACTER_INCHES) / WIDTH_INCHES)
    figure.subplots_adjust(left=left, right=0.95, top=1 - 0.35 / height, bottom=0.45 / height)
    return figure


def _draw_bars(axes: Any, chart: Chart) -> None:
    count = len(chart.series)
    thickness = 0.8 / count
    positions = range(len(chart.categories))
    biggest = max([_number(v) or 0 for s in chart.series for v in s.values] + [0])
    for index, series in enumerate(chart.series):
        values = [_number(value) or 0 for value in series.values]
        offsets = [p + (index - (count - 1) / 2) * thickness for p in positions]
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        axes.barh(offsets, values, height=thickness * 0.9, color=colour, label=series.name)
        for y, value in zip(offsets, series.values, strict=True):
            text = "" if value is None else f"{value:,}" if isinstance(value, int) else str(value)
            axes.text((_number(value) or 0) + biggest * 0.01, y, text, va="center", fontsize=7, color=TEXT_COLOUR)
    axes.set_yticks(list(positions), [_short(str(label)) for label in chart.categories], fontsize=7)
    axes.invert_yaxis()
    axes.set_xlim(0, (biggest or 1) * 1.15)
    if chart.value_axis:
        axes.set_xlabel(chart.value_axis, fontsize=7)


def _draw_lines(axes: Any, chart: Chart) -> None:
    positions = list(range(len(chart.categories)))
    for index, series in enumerate(chart.series):
        values = [_number(value) for value in series.values]
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        style = LINE_STYLES[index % len(LINE_STYLES)]
        axes.plot(positions, [v if v is not None else float("nan") for v in values], style, color=colour,
                  linewidth=1.4, label=series.name)  # fmt: skip
        if index == 0 and chart.marks:
            for mark, symbol, colour in (("high", "^", HIGH), ("low", "v", LOW)):
                points = [(p, v) for p, v, m in zip(positions, values, chart.marks, strict=False) if m == mark]
                if points:
                    axes.plot([p for p, _ in points], [v for _, v in points], symbol, color=colour, markersize=6,
                              linestyle="none", label=f"Unusually {mark}")  # fmt: skip
    # A label at the first month and every twelfth after it, and at the last.
    ticks = sorted({*positions[::12], positions[-1]}) if positions else []
    axes.set_xticks(ticks, [chart.categories[t] for t in ticks], fontsize=7)
    axes.set_ylim(bottom=0)
    if chart.value_axis:
        axes.set_ylabel(chart.value_axis, fontsize=7)


def png(chart: Chart) -> bytes:
    """The chart as a PNG, the same bytes for the same chart."""
    figure = _figure(chart)
    axes = figure.add_subplot()
    with fixed_style():
        (_draw_bars if chart.kind == "bar" else _draw_lines)(axes, chart)
        # Across the figure from its left edge: a long title over a chart with long row labels still fits.
        figure.suptitle(chart.title, x=0.01, ha="left", fontsize=9, color=TEXT_COLOUR)
        axes.tick_params(labelsize=7, colors=TEXT_COLOUR)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        if len(chart.series) > 1 or chart.marks and any(chart.marks):
            axes.legend(fontsize=7, frameon=False)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    return buffer.getvalue()


class fixed_style:
    """The font and the text handling fixed for the drawing, whatever the server's matplotlibrc says."""

    def __enter__(self) -> None:
        import matplotlib

        self._context = matplotlib.rc_context(
            {"font.family": FONT, "svg.fonttype": "none", "axes.unicode_minus": False, "path.simplify": True}
        )
        self._context.__enter__()

    def __exit__(self, *exc: Any) -> None:
        self._context.__exit__(*exc)


def add_docx_chart(document: Any, chart: Chart, width: Any = DOCX_WIDTH) -> Any:
    """The chart as an inline picture in a paragraph of its own, its alt text the title and description."""
    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    shape = run.add_picture(io.BytesIO(png(chart)), width=width)
    properties = shape._inline.docPr
    properties.set("title", chart.title)
    properties.set("descr", f"{chart.title}. {chart.description}")
    return paragraph
